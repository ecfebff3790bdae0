// The result renderer's pure logic: column kinds from Postgres types, sorting (numbers
// numerically, NULLs last as Postgres does), filtering, paging and the status line.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { columnKind, compareValues, filterRows, pageOf, sortRows, statusText, type GridPayload } from '../../src/notebook/renderer/model.js';

const payload = (columns: [string, string][], rows: (string | null)[][], extra: Partial<GridPayload> = {}): GridPayload => ({
  version: 1,
  statement: 0,
  command: 'SELECT',
  columns: columns.map(([name, type]) => ({ name, type })),
  rows,
  rowCount: rows.length,
  truncated: false,
  elapsedMs: 1,
  requests: 0,
  sources: [],
  notices: [],
  ...extra,
});

describe('column kinds', () => {
  test('from Postgres type names', () => {
    for (const t of ['bigint', 'integer', 'smallint', 'numeric', 'numeric(10,2)', 'double precision', 'real']) assert.equal(columnKind(t), 'number', t);
    for (const t of ['date', 'timestamp with time zone', 'timestamp without time zone', 'timestamptz']) assert.equal(columnKind(t), 'date', t);
    assert.equal(columnKind('jsonb'), 'json');
    assert.equal(columnKind('boolean'), 'boolean');
    for (const t of ['text', 'character varying', 'bigint[]', 'uuid', 'interval']) assert.equal(columnKind(t), 'text', t);
  });
});

describe('sorting', () => {
  const cols: [string, string][] = [
    ['n', 'bigint'],
    ['s', 'text'],
    ['d', 'date'],
  ];
  const rows = [
    ['10', 'b', '2024-03-01'],
    ['9', 'a', null],
    [null, 'c', '2023-12-31'],
    ['-2', null, '2024-01-15'],
    ['100', 'B', '2024-03-01'],
  ];
  const p = payload(cols, rows);

  test('numeric columns sort numerically, not as text', () => {
    const order = sortRows(p.rows, p.columns, { column: 0, descending: false });
    assert.deepEqual(
      order.map((i) => rows[i]![0]),
      ['-2', '9', '10', '100', null],
    );
  });

  test('descending puts NULLs first, as Postgres does', () => {
    const order = sortRows(p.rows, p.columns, { column: 0, descending: true });
    assert.deepEqual(
      order.map((i) => rows[i]![0]),
      [null, '100', '10', '9', '-2'],
    );
  });

  test('text sorts by code point, dates chronologically; ties keep query order', () => {
    assert.deepEqual(
      sortRows(p.rows, p.columns, { column: 1, descending: false }).map((i) => rows[i]![1]),
      ['B', 'a', 'b', 'c', null],
    );
    assert.deepEqual(sortRows(p.rows, p.columns, { column: 2, descending: false }), [2, 3, 0, 4, 1]);
  });

  test('no sort key: query order', () => {
    assert.deepEqual(sortRows(p.rows, p.columns, undefined), [0, 1, 2, 3, 4]);
  });

  test('numeric order agrees with JS numbers for any integers and decimals, NULLs last', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 })), { nil: null })),
        (values) => {
          const r = values.map((v) => [v === null ? null : String(v)]);
          const order = sortRows(r, [{ name: 'x', type: 'numeric' }], { column: 0, descending: false });
          const got = order.map((i) => values[i]!);
          const expected = [...values.filter((v) => v !== null).sort((a, b) => a - b), ...values.filter((v) => v === null)];
          assert.deepEqual(got, expected);
        },
      ),
    );
  });

  test('NaN is greater than every number', () => {
    assert.equal(compareValues('NaN', '1e300', 'number'), 1);
    assert.equal(compareValues('-Infinity', '-1', 'number'), -1);
  });
});

describe('filtering and paging', () => {
  const rows = Array.from({ length: 250 }, (_, i) => [String(i), i % 10 === 0 ? null : `user${i}@example.com`, i % 7 === 0 ? '' : 'x']);
  const p = payload(
    [
      ['id', 'integer'],
      ['email', 'text'],
      ['t', 'text'],
    ],
    rows,
    { rowCount: 1000, truncated: true },
  );

  test('filter matches any column, case-insensitively; "null" finds NULLs', () => {
    const all = rows.map((_, i) => i);
    assert.deepEqual(filterRows(rows, all, 'USER12@'), [12]);
    assert.equal(filterRows(rows, all, 'null').length, 25);
    assert.equal(filterRows(rows, all, '  ').length, 250);
    assert.deepEqual(filterRows(rows, [5, 3, 1], 'user'), [5, 3, 1], 'keeps the sorted order');
  });

  test('pages of 100, clamped', () => {
    const order = rows.map((_, i) => i);
    const first = pageOf(order, 0, 100);
    assert.deepEqual([first.page, first.pages, first.first, first.last, first.rows.length], [0, 3, 1, 100, 100]);
    const last = pageOf(order, 7, 100);
    assert.deepEqual([last.page, last.first, last.last, last.rows[0]], [2, 201, 250, 200]);
    const none = pageOf([], 3, 100);
    assert.deepEqual([none.page, none.pages, none.first, none.last], [0, 1, 0, 0]);
  });

  test('status says what is shown, of how many, and when the output was truncated', () => {
    const order = rows.map((_, i) => i);
    assert.equal(statusText(p, pageOf(order, 1, 100), 250, false), 'Showing 101–200 of 250, output truncated to 250 rows of 1,000 rows (export for all)');
    const small = payload([['a', 'text']], [['x'], ['y']]);
    assert.equal(statusText(small, pageOf([0, 1], 0, 100), 2, false), 'Showing 2 rows');
    assert.equal(statusText(small, pageOf([1], 0, 100), 1, true), 'Showing 1 row, matching the filter among 2 rows in the output');
  });
});
