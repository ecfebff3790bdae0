// Cells copied from the grid: TSV as spreadsheets paste it (tabs, line breaks and quotes kept
// inside their cell, booleans as the grid shows them), and CSV, JSON, Markdown as the exports
// write the same values (pipes, line breaks, exact bigints, NULLs).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { copyText, tsvField } from '../../src/results/copyFormats.js';
import { csvRow, jsonRow, markdownRow } from '../../src/results/formats.js';
import { parsePgArray } from '../../src/results/pgArray.js';
import { pgText } from '../../src/results/valueText.js';
import type { Column } from '../../src/fdw/db/protocol.js';

const columns: Column[] = [
  { name: 'id', type: 'bigint', typeOid: 20 },
  { name: 'note', type: 'text', typeOid: 25 },
  { name: 'ok', type: 'boolean', typeOid: 16 },
  { name: 'attrs', type: 'jsonb', typeOid: 3802 },
  { name: 'amount', type: 'numeric', typeOid: 1700 },
  { name: 'score', type: 'double precision', typeOid: 701 },
];
/** Decoded as the runtime decodes them (protocol.ts). */
const decoded: unknown[][] = [
  [9007199254740993n, 'tab\there, "quoted"\nsecond line | pipe', true, { a: [1, 'x'], b: null }, '12.50', 1.5],
  [1n, null, false, null, null, Number.NaN],
  [2n, '', null, [], '-0.001', -2],
];
const texts = decoded.map((row) => row.map((v, i) => pgText(v, columns[i]!.type)));

describe('copies of selected cells', () => {
  test('TSV: a header, values whole, tabs/newlines/quotes quoted, NULL empty, booleans as shown', () => {
    assert.equal(
      copyText('tsv', columns, texts),
      [
        'id\tnote\tok\tattrs\tamount\tscore',
        '9007199254740993\t"tab\there, ""quoted""\nsecond line | pipe"\ttrue\t{"a": [1, "x"], "b": null}\t12.50\t1.5',
        '1\t\tfalse\t\t\tNaN',
        '2\t\t\t[]\t-0.001\t-2',
      ].join('\n') + '\n',
    );
    assert.equal(tsvField('plain, with "quotes" inside'), 'plain, with "quotes" inside');
    assert.equal(tsvField('"starts quoted" then not'), '"""starts quoted"" then not"');
    assert.equal(tsvField('a\rb'), '"a\rb"');
  });

  test('CSV, JSON and Markdown are what the exports write for the same rows', () => {
    const header = 'id,note,ok,attrs,amount,score\r\n';
    assert.equal(copyText('csv', columns, texts), header + decoded.map((row) => csvRow(columns, row)).join(''));
    assert.match(copyText('csv', columns, texts), /^9007199254740993,"tab\there, ""quoted""\nsecond line \| pipe",t,/m);
    assert.equal(copyText('json', columns, texts), `[\n${decoded.map((row) => jsonRow(columns, row)).join(',\n')}\n]\n`);
    const objects = JSON.parse(copyText('json', columns, texts)) as Record<string, unknown>[];
    assert.deepEqual(objects[0], {
      id: '9007199254740993',
      note: 'tab\there, "quoted"\nsecond line | pipe',
      ok: true,
      attrs: { a: [1, 'x'], b: null },
      amount: '12.50',
      score: 1.5,
    });
    assert.deepEqual(objects[1], { id: 1, note: null, ok: false, attrs: null, amount: null, score: null });
    const markdown = copyText('markdown', columns, texts);
    assert.equal(markdown.split('\n').slice(2).join('\n'), decoded.map((row) => markdownRow(columns, row)).join(''));
    assert.equal(markdown.split('\n')[1], '| ---: | --- | --- | --- | ---: | ---: |', 'numbers right-aligned');
    assert.match(markdown, /\| tab\there, "quoted"<br>second line \\\| pipe \|/);
  });

  test('no rows: the header alone (JSON: an empty array)', () => {
    assert.equal(copyText('tsv', columns.slice(0, 2), []), 'id\tnote\n');
    assert.equal(copyText('json', columns, []), '[]\n');
    assert.equal(copyText('csv', columns.slice(0, 1), []), 'id\r\n');
  });

  test('column names are escaped like values', () => {
    const odd = [
      { name: 'a\tb', type: 'text' },
      { name: 'c|d', type: 'text' },
    ];
    assert.equal(copyText('tsv', odd, [['x', 'y']]), '"a\tb"\tc|d\nx\ty\n');
    assert.match(copyText('markdown', odd, [['x', 'y']]), /^\| a\tb \| c\\\|d \|\n/);
  });
});

describe('arrays', () => {
  const arrays: Column[] = [
    { name: 'tags', type: 'text[]', typeOid: 1009 },
    { name: 'grid', type: 'integer[]', typeOid: 1007 },
  ];
  const rows: unknown[][] = [
    [
      ['a', 'b c', 'NULL', null, '', 'q"uo\\te', '{x,y}'],
      [
        [1, 2],
        [3, null],
      ],
    ],
    [[], null],
  ];

  test('copied as JSON, an array is a JSON array of its decoded elements, as the export writes it', () => {
    const text = rows.map((row) => row.map((v, i) => pgText(v, arrays[i]!.type)));
    assert.equal(copyText('json', arrays, text), `[\n${rows.map((row) => jsonRow(arrays, row)).join(',\n')}\n]\n`);
    assert.deepEqual((JSON.parse(copyText('json', arrays, text)) as unknown[])[0], {
      tags: ['a', 'b c', 'NULL', null, '', 'q"uo\\te', '{x,y}'],
      grid: [
        [1, 2],
        [3, null],
      ],
    });
  });

  test("property: Postgres's text of an array reads back to its elements", () => {
    const item = fc.oneof(fc.string({ unit: 'grapheme' }), fc.constant(null), fc.constantFrom('NULL', 'null', '', ' ', '{', '}', ',', '"', '\\'));
    fc.assert(
      fc.property(fc.array(item), (list) => {
        assert.deepEqual(parsePgArray(pgText(list)!), list);
      }),
    );
    assert.deepEqual(parsePgArray('[0:1]={7,8}'), ['7', '8']);
    assert.equal(parsePgArray('{a,b'), undefined);
    assert.equal(parsePgArray('not an array'), undefined);
  });
});
