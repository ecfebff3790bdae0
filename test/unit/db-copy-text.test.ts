import { test } from 'node:test';
import assert from 'node:assert/strict';
import { columnKind, encodeRows } from '../../src/fdw/db/copyText.ts';

test('NULL and the empty string stay apart; special characters are escaped', () => {
  const line = encodeRows([[null, undefined, '', 'a\tb\nc\rd\\e', '\\N']], ['scalar', 'scalar', 'scalar', 'scalar', 'scalar']);
  assert.equal(line, '\\N\t\\N\t\ta\\tb\\nc\\rd\\\\e\t\\\\N\n');
});

test('scalars: numbers, bigints, booleans, dates and bytes', () => {
  const line = encodeRows([[1.5, 2n ** 64n, true, false, new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)), new Uint8Array([0, 255, 16])]], Array(6).fill('scalar'));
  assert.equal(line, '1.5\t18446744073709551616\tt\tf\t2024-01-02T03:04:05.006Z\t\\\\x00ff10\n');
});

test('json columns get JSON, so a string becomes a JSON string', () => {
  assert.equal(encodeRows([[{ a: 'x\ny', b: [1, null] }, 'text', null]], ['json', 'json', 'json']), '{"a":"x\\\\ny","b":[1,null]}\t"text"\t\\N\n');
});

test('array columns get array literals with every element quoted', () => {
  const line = encodeRows([[['a', null, 'b,c', 'q"uote', 'back\\slash', '', 'NULL'], [[1, 2], [3, 4]], [{ k: 1 }]]], ['array', 'array', 'jsonArray']);
  const [text, matrix, json] = line.slice(0, -1).split('\t');
  // After COPY's own unescaping (\\ -> \), Postgres reads the array literal.
  assert.equal(text, '{"a",NULL,"b,c","q\\\\"uote","back\\\\\\\\slash","","NULL"}');
  assert.equal(matrix, '{{"1","2"},{"3","4"}}');
  assert.equal(json, '{"{\\\\"k\\\\":1}"}');
});

test('a row of the wrong width is refused', () => {
  assert.throws(() => encodeRows([[1, 2]], ['scalar']), /2 values for 1 columns/);
});

test('column kinds from the catalog', () => {
  assert.equal(columnKind(3802, 'U', 0), 'json');
  assert.equal(columnKind(114, 'U', 0), 'json');
  assert.equal(columnKind(1009, 'A', 25), 'array');
  assert.equal(columnKind(3807, 'A', 3802), 'jsonArray');
  assert.equal(columnKind(25, 'S', 0), 'scalar');
});
