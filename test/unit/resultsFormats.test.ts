// Values as Postgres prints them: the text form shared by the CLI, the notebook and exports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvField, pgText, terminalText } from '../../src/results/valueText.js';
import { formatTable } from '../../src/results/formats.js';
import type { StatementResult } from '../../src/fdw/runtime/runtime.js';

test('a jsonb array is JSON, a text[] is a Postgres array literal', () => {
  const accounts = [{ provider: 'oauth_google', id: 'eac_1' }];
  assert.equal(pgText(accounts, 'jsonb'), '[{"provider": "oauth_google", "id": "eac_1"}]');
  assert.equal(pgText(['a', 'b c', null, 'q"x', ''], 'text[]'), '{a,"b c",NULL,"q\\"x",""}');
  assert.equal(pgText({ a: [1, 2] }, 'jsonb'), '{"a": [1, 2]}');
  assert.equal(pgText('"raw"', 'json'), '"raw"');
});

test('scalars print as psql prints them', () => {
  assert.equal(pgText(true), 't');
  assert.equal(pgText(12345678901234567890n), '12345678901234567890');
  assert.equal(pgText(null), null);
  assert.equal(pgText(new Uint8Array([1, 255])), '\\x01ff');
});

test('CSV fields as COPY ... CSV writes them: NULL empty, empty string quoted', () => {
  assert.deepEqual([null, '', 'a,b', 'say "hi"', 'line\nbreak', 'plain'].map(csvField), ['', '""', '"a,b"', '"say ""hi"""', '"line\nbreak"', 'plain']);
});

test('terminal text escapes control characters as psql does: \\r, tabs to stops of 8, \\xHH, \\u00HH', () => {
  assert.equal(terminalText('title\x1b]0;pwned\x07 and \x1b[2J'), 'title\\x1B]0;pwned\\x07 and \\x1B[2J');
  assert.equal(terminalText('real\rforged'), 'real\\rforged');
  assert.equal(terminalText('a\tb'), 'a       b');
  assert.equal(terminalText('abcdefgh\tb'), 'abcdefgh        b');
  assert.equal(terminalText('csi\u009b31m del\x7f'), 'csi\\u009B31m del\\x7F');
  assert.equal(terminalText('two\nlines'), 'two↵lines');
  assert.equal(terminalText('two\n\tlines', 'keep'), 'two\n        lines');
  assert.equal(terminalText('é😀 日本 plain'), 'é😀 日本 plain');
});

test("the aligned table escapes values and column names (also in the notebook's text output)", () => {
  const result: StatementResult = {
    statement: 0,
    sql: '',
    command: 'SELECT',
    rowCount: 1,
    elapsedMs: 0,
    requests: 0,
    sources: [],
    notices: [],
    columns: [{ name: 'name\x1b', type: 'text', typeOid: 25 }],
    rows: [['Eve\x1b]52;c;ZXZpbA==\x07']],
  };
  assert.equal(formatTable(result), `${' '.repeat(9)}name\\x1B${' '.repeat(9)}\n${'-'.repeat(27)}\n Eve\\x1B]52;c;ZXZpbA==\\x07\n(1 row)`);
});
