// Values in the grid and its value viewer: the output's rows hold each value whole (the grid cuts
// only what a cell draws), booleans shown as true/false, line breaks marked, columns of epoch
// milliseconds told apart from counts and ids, and JSON parsed for folding with every digit kept.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cellText, CELL_TEXT_LIMIT } from '../../src/notebook/renderer/cellText.js';
import { epochMillisTimes, isEpochMillisColumn } from '../../src/notebook/renderer/epochMillis.js';
import { parseJson } from '../../src/notebook/renderer/jsonTree.js';
import { resultPayload } from '../../src/results/payload.js';
import { shownText } from '../../src/results/valueText.js';
import type { StatementResult } from '../../src/fdw/runtime/runtime.js';

describe('values in the grid', () => {
  test("the output's rows hold a long value whole: copies and the viewer read it, not the cell's cut", () => {
    const long = 'x'.repeat(100_000) + '\nend';
    const result = {
      statement: 0,
      command: 'SELECT',
      columns: [{ name: 'doc', type: 'text', typeOid: 25 }],
      rows: [[long]],
      rowCount: 1,
      elapsedMs: 1,
      requests: 0,
      sources: [],
      notices: [],
    } as unknown as StatementResult;
    assert.equal(resultPayload(result, 10).rows[0]![0], long);
  });

  test('a cell draws booleans as true/false, line breaks as ↵, and at most CELL_TEXT_LIMIT characters', () => {
    assert.deepEqual(cellText('t', 'boolean'), { text: 'true', cut: false });
    assert.deepEqual(cellText('f', 'boolean'), { text: 'false', cut: false });
    assert.deepEqual(cellText('t', 'text'), { text: 't', cut: false });
    assert.deepEqual(cellText('a\nb\r\nc\rd', 'text'), { text: 'a↵b↵c↵d', cut: false });
    const long = cellText('y'.repeat(CELL_TEXT_LIMIT + 1), 'text');
    assert.equal(long.text, 'y'.repeat(CELL_TEXT_LIMIT) + '…');
    assert.equal(long.cut, true);
    assert.equal(cellText('y'.repeat(CELL_TEXT_LIMIT), 'text').cut, false);
    assert.equal(shownText('t', 'boolean'), 'true');
    assert.equal(shownText('maybe', 'boolean'), 'maybe');
  });
});

describe('epoch milliseconds', () => {
  const bigint = (name: string) => ({ name, type: 'bigint' });
  test('an integer column named *_at, or whose values are all plausible epoch milliseconds', () => {
    assert.equal(isEpochMillisColumn(bigint('created_at'), [null, '5']), true, 'by its name');
    assert.equal(isEpochMillisColumn(bigint('signup'), ['1700000000000', null, '1600000000000']), true, 'by its values');
    assert.equal(isEpochMillisColumn(bigint('signup'), ['1700000000000', '42']), false, 'one value is not a time');
    assert.equal(isEpochMillisColumn(bigint('signup'), [String(Date.UTC(2100, 0, 1))]), false, 'past 2100');
    assert.equal(isEpochMillisColumn(bigint('signup'), [String(Date.UTC(2000, 11, 31))]), false, 'before 2001');
    assert.equal(isEpochMillisColumn(bigint('signup'), [null]), false, 'no value to tell');
    assert.equal(isEpochMillisColumn({ name: 'created_at', type: 'text' }, ['1700000000000']), false, 'not an integer type');
    assert.equal(isEpochMillisColumn({ name: 'ratio', type: 'numeric' }, ['1700000000000.5']), false, 'not an integer');
  });

  test('shown in UTC and in the local time zone, with its offset', () => {
    const zone = process.env.TZ;
    try {
      process.env.TZ = 'Asia/Kolkata';
      assert.deepEqual(epochMillisTimes('1700000000123'), { utc: '2023-11-14T22:13:20.123Z', local: '2023-11-15 03:43:20.123 +05:30' });
      process.env.TZ = 'America/New_York';
      assert.deepEqual(epochMillisTimes('0'), { utc: '1970-01-01T00:00:00.000Z', local: '1969-12-31 19:00:00.000 -05:00' });
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
    assert.equal(epochMillisTimes('1.5'), undefined);
    assert.equal(epochMillisTimes('99999999999999999999'), undefined, 'beyond dates');
  });
});

describe('JSON for the viewer', () => {
  test('objects and arrays as a tree; numbers, keys and strings as written', () => {
    const text = '{"id": 12345678901234567890, "tags": ["a", "b\\n\\u00e9"], "n": {"x": -1.5e3, "y": null, "z": true}, "id": 2, "e": {}, "l": []}';
    assert.deepEqual(parseJson(text), {
      kind: 'object',
      entries: [
        ['id', { kind: 'scalar', text: '12345678901234567890' }],
        [
          'tags',
          {
            kind: 'array',
            items: [
              { kind: 'scalar', text: '"a"' },
              { kind: 'scalar', text: '"b\\n\\u00e9"' },
            ],
          },
        ],
        [
          'n',
          {
            kind: 'object',
            entries: [
              ['x', { kind: 'scalar', text: '-1.5e3' }],
              ['y', { kind: 'scalar', text: 'null' }],
              ['z', { kind: 'scalar', text: 'true' }],
            ],
          },
        ],
        ['id', { kind: 'scalar', text: '2' }],
        ['e', { kind: 'object', entries: [] }],
        ['l', { kind: 'array', items: [] }],
      ],
    });
    assert.deepEqual(parseJson(' "just a string" '), { kind: 'scalar', text: '"just a string"' });
  });

  test('not JSON: undefined (the viewer shows the text)', () => {
    for (const bad of ['', '{', '{"a" 1}', '[1,]', '{"a":1} x', "{'a':1}", '"raw\ttab"', '01', '{1: 2}', 'NaN', '"\\x"'])
      assert.equal(parseJson(bad), undefined, JSON.stringify(bad));
  });
});
