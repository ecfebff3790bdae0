// The rules of a grid view (src/results/view.ts), the same for the rows in a cell output and the
// rows kept in the runtime's thread: Postgres's order (NULLs last ascending and first descending,
// numbers numerically and exactly, timestamps by time, text by code point), stable ties, several
// sort keys, the global filter and the column filters (values, contains, range), a column's most
// frequent values, and the cache that makes paging cheap.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { columnKind, columnValues, compareText, compareValues, parseDate, QUERY_ORDER, type GridView, type ViewColumn } from '../../src/results/view.js';
import { SORTED_PREFIX, ViewCache, viewRows } from '../../src/results/viewOrder.js';

type Rows = (string | null)[][];
const cols = (...spec: [string, string][]): ViewColumn[] => spec.map(([name, type]) => ({ name, type }));
const rowsOf = (rows: Rows, columns: ViewColumn[], view: Partial<GridView>) => [
  ...viewRows(rows.length, columns, (r, c) => rows[r]![c] ?? null, { ...QUERY_ORDER, ...view }),
];
const sorted = (rows: Rows, columns: ViewColumn[], column: number, descending = false) =>
  rowsOf(rows, columns, { sort: [{ column, descending }] }).map((i) => rows[i]![column]);

describe('column kinds', () => {
  test('from Postgres type names', () => {
    for (const t of ['bigint', 'integer', 'smallint', 'numeric', 'numeric(10,2)', 'double precision', 'real']) assert.equal(columnKind(t), 'number', t);
    for (const t of ['date', 'timestamp with time zone', 'timestamp without time zone', 'timestamptz']) assert.equal(columnKind(t), 'date', t);
    assert.equal(columnKind('jsonb'), 'json');
    assert.equal(columnKind('boolean'), 'boolean');
    for (const t of ['text', 'character varying', 'bigint[]', 'uuid', 'interval']) assert.equal(columnKind(t), 'text', t);
  });
});

describe('order', () => {
  const c = cols(['n', 'bigint'], ['s', 'text'], ['d', 'date']);
  const rows: Rows = [
    ['10', 'b', '2024-03-01'],
    ['9', 'a', null],
    [null, 'c', '2023-12-31'],
    ['-2', null, '2024-01-15'],
    ['100', 'B', '2024-03-01'],
  ];

  test('numbers numerically, NULLs last ascending and first descending', () => {
    assert.deepEqual(sorted(rows, c, 0), ['-2', '9', '10', '100', null]);
    assert.deepEqual(sorted(rows, c, 0, true), [null, '100', '10', '9', '-2']);
  });

  test('text by code point, dates by time; ties keep query order', () => {
    assert.deepEqual(sorted(rows, c, 1), ['B', 'a', 'b', 'c', null]);
    assert.deepEqual(rowsOf(rows, c, { sort: [{ column: 2, descending: false }] }), [2, 3, 0, 4, 1]);
    assert.deepEqual(rowsOf(rows, c, {}), [0, 1, 2, 3, 4]);
  });

  test('several keys: the second orders ties of the first', () => {
    assert.deepEqual(
      rowsOf(rows, c, {
        sort: [
          { column: 2, descending: true },
          { column: 0, descending: false },
        ],
      }),
      [1, 0, 4, 3, 2],
    );
  });

  test('bigints past 2^53 and long numerics exactly', () => {
    const big = [['9007199254740993'], ['9007199254740992'], ['-9007199254740993'], ['-9007199254740992'], ['0.30000000000000000001'], ['0.3']];
    assert.deepEqual(sorted(big, cols(['n', 'numeric']), 0), [
      '-9007199254740993',
      '-9007199254740992',
      '0.3',
      '0.30000000000000000001',
      '9007199254740992',
      '9007199254740993',
    ]);
    assert.equal(compareValues('NaN', '1e300', 'number'), 1);
    assert.equal(compareValues('-Infinity', '-1', 'number'), -1);
  });

  test('timestamps by time, whatever their offset (Postgres writes +00 and +05:30), infinities at the ends', () => {
    const t = [['2024-01-01 10:00:00+05:30'], ['2024-01-01 05:00:00+00'], ['infinity'], ['2024-01-01 04:59:59.999999+00'], ['-infinity']];
    assert.deepEqual(sorted(t, cols(['t', 'timestamp with time zone']), 0), [
      '-infinity',
      '2024-01-01 10:00:00+05:30',
      '2024-01-01 04:59:59.999999+00',
      '2024-01-01 05:00:00+00',
      'infinity',
    ]);
  });

  test('code point order, not UTF-16 order: characters past U+FFFF after U+FFFD', () => {
    assert.ok(compareText('\u{1F600}', '\uFFFD') > 0);
    assert.ok(compareText('a', 'ab') < 0);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        const cp = (s: string) => [...s].map((ch) => ch.codePointAt(0)!);
        const [x, y] = [cp(a), cp(b)];
        const i = x.findIndex((v, k) => v !== y[k]);
        const expected = i < 0 ? x.length - y.length : i >= y.length ? 1 : x[i]! - y[i]!;
        assert.equal(Math.sign(compareText(a, b)), Math.sign(expected));
      }),
    );
  });

  test('property: numeric order agrees with JS numbers for integers and decimals, NULLs last', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 })), { nil: null })),
        (values) => {
          const order = rowsOf(
            values.map((v) => [v === null ? null : String(v)]),
            cols(['x', 'numeric']),
            { sort: [{ column: 0, descending: false }] },
          );
          const expected = [...values.filter((v) => v !== null).sort((a, b) => a - b), ...values.filter((v) => v === null)];
          assert.deepEqual(
            order.map((i) => values[i]),
            expected,
          );
        },
      ),
    );
  });
});

describe('filters', () => {
  const c = cols(['id', 'integer'], ['email', 'text'], ['created', 'timestamptz']);
  const rows: Rows = Array.from({ length: 250 }, (_, i) => [
    String(i),
    i % 10 === 0 ? null : `user${i}@${i % 3 ? 'gmail' : 'example'}.com`,
    `2024-0${1 + (i % 9)}-15 12:00:00+00`,
  ]);

  test('the filter box: any column contains, case-insensitively; "null" finds NULLs; blank is none', () => {
    assert.deepEqual(rowsOf(rows, c, { filter: 'USER12@' }), [12]);
    assert.equal(rowsOf(rows, c, { filter: 'null' }).length, 25);
    assert.equal(rowsOf(rows, c, { filter: '  ' }).length, 250);
  });

  test('a boolean is matched as the grid shows it: "true" and "false", not t and f', () => {
    const flags: Rows = [['t'], ['f'], [null]];
    const b = cols(['ok', 'boolean']);
    assert.deepEqual(rowsOf(flags, b, { filter: 'TRUE' }), [0]);
    assert.deepEqual(rowsOf(flags, b, { filter: 'f' }), [1], '"f" is in "false" only');
    assert.deepEqual(rowsOf(flags, b, { columns: [{ column: 0, kind: 'contains', text: 'fal' }] }), [1]);
    assert.deepEqual(rowsOf(flags, b, { columns: [{ column: 0, kind: 'values', values: ['t'] }] }), [0], 'a picked value is the value itself');
  });

  test('column filters: values (NULL among them), contains, numeric and date ranges; all apply', () => {
    assert.deepEqual(rowsOf(rows, c, { columns: [{ column: 1, kind: 'values', values: ['user7@gmail.com', null] }] }).slice(0, 4), [0, 7, 10, 20]);
    assert.equal(rowsOf(rows, c, { columns: [{ column: 1, kind: 'contains', text: 'Example' }] }).length, 84 - 9, 'multiples of 3 but not of 10');
    assert.deepEqual(rowsOf(rows, c, { columns: [{ column: 0, kind: 'range', min: '98', max: '1.02e2' }] }), [98, 99, 100, 101, 102]);
    assert.deepEqual(rowsOf(rows, c, { columns: [{ column: 0, kind: 'range', min: '247' }] }), [247, 248, 249]);
    const march = rowsOf(rows, c, { columns: [{ column: 2, kind: 'range', min: '2024-03-01', max: '2024-03-31' }] });
    assert.ok(march.length > 0 && march.every((i) => i % 9 === 2));
    const both = rowsOf(rows, c, {
      filter: 'gmail',
      columns: [
        { column: 0, kind: 'range', max: '20' },
        { column: 2, kind: 'range', min: '2024-03-01', max: '2024-03-31' },
      ],
    });
    assert.deepEqual(both, [2, 11], '20 is in March too, but its email is NULL');
  });

  test('sorted and filtered: the filter keeps the sort', () => {
    assert.deepEqual(rowsOf(rows, c, { filter: 'user24', sort: [{ column: 0, descending: true }] }), [249, 248, 247, 246, 245, 244, 243, 242, 241, 24]);
  });

  test("a column's most frequent values among the rows passing the other filters", () => {
    const s = cols(['status', 'text'], ['n', 'integer']);
    const r: Rows = [
      ['active', '1'],
      ['banned', '2'],
      ['active', '3'],
      [null, '4'],
      ['active', '5'],
      ['banned', '6'],
      ['locked', '7'],
    ];
    const all = columnValues(r.length, s, (i, j) => r[i]![j] ?? null, QUERY_ORDER, 0, 2);
    assert.deepEqual(all, {
      values: [
        { value: 'active', count: 3 },
        { value: 'banned', count: 2 },
      ],
      distinct: 4,
    });
    // Its own filter does not narrow the values offered; another column's does.
    const view: GridView = {
      ...QUERY_ORDER,
      columns: [
        { column: 0, kind: 'values', values: ['locked'] },
        { column: 1, kind: 'range', min: '4' },
      ],
    };
    assert.deepEqual(columnValues(r.length, s, (i, j) => r[i]![j] ?? null, view, 0, 10).values, [
      { value: 'active', count: 1 },
      { value: 'banned', count: 1 },
      { value: 'locked', count: 1 },
      { value: null, count: 1 },
    ]);
  });
});

test('a view is computed once: its pages are slices of it', () => {
  const rows: Rows = Array.from({ length: 1000 }, (_, i) => [String((i * 7919) % 1000)]);
  let reads = 0;
  const cache = new ViewCache(rows.length, cols(['n', 'integer']), (r, c) => (reads++, rows[r]![c] ?? null));
  const view: GridView = { ...QUERY_ORDER, sort: [{ column: 0, descending: true }] };
  const first = cache.page(view, 0, 100);
  const afterFirst = reads;
  const second = cache.page({ ...view }, 100, 100);
  assert.equal(reads, afterFirst, 'the next page reads no cell');
  assert.deepEqual([first.total, rows[first.rows[0]!]![0], rows[second.rows[0]!]![0], second.rows.length], [1000, '999', '899', 100]);
  cache.page({ ...view, filter: '9' }, 0, 10);
  assert.ok(reads > afterFirst, 'another view is computed');
});

describe('order of a large result (first pages picked, deeper pages by ranks)', () => {
  const spec = cols(['n', 'bigint'], ['plan', 'text'], ['at', 'timestamp with time zone']);
  /** Rows with repeated values, NULLs, NaN and bigints past 2^53, so that ties and the fallbacks to text matter. */
  const big = (count: number, seed: number): Rows =>
    Array.from({ length: count }, (_, i) => {
      const h = (i * 2654435761 + seed) >>> 0;
      return [
        h % 11 === 0 ? null : h % 13 === 0 ? 'NaN' : `9007199254740${990 + (h % 7)}`,
        h % 5 === 0 ? null : `plan_${h % 4}`,
        h % 9 === 0 ? null : `2024-01-0${1 + (h % 3)} 0${h % 4}:00:00${h % 2 ? '+00' : '+05:30'}`,
      ];
    });
  /** The reference: every row compared by compareValues, ties in query order. */
  const reference = (rows: Rows, view: GridView) =>
    rows
      .map((_, i) => i)
      .sort((a, b) => {
        for (const { column, descending } of view.sort) {
          const c = compareValues(rows[a]![column]!, rows[b]![column]!, columnKind(spec[column]!.type));
          if (c !== 0) return descending ? -c : c;
        }
        return a - b;
      });
  const views: GridView[] = [
    { ...QUERY_ORDER, sort: [{ column: 0, descending: false }] },
    { ...QUERY_ORDER, sort: [{ column: 0, descending: true }] },
    {
      ...QUERY_ORDER,
      sort: [
        { column: 1, descending: false },
        { column: 2, descending: true },
      ],
    },
    {
      ...QUERY_ORDER,
      sort: [
        { column: 2, descending: false },
        { column: 1, descending: true },
        { column: 0, descending: false },
      ],
    },
  ];

  test('the first page, picked without sorting every row, is the first page of the whole order', () => {
    const rows = big(5 * SORTED_PREFIX, 7);
    for (const view of views) {
      const cell: (r: number, c: number) => string | null = (r, c) => rows[r]![c] ?? null;
      const first = new ViewCache(rows.length, spec, cell).page(view, 0, 100);
      const expected = reference(rows, view);
      assert.deepEqual([...first.rows], expected.slice(0, 100), JSON.stringify(view.sort));
      assert.equal(first.total, rows.length);
      // A page past the picked rows sorts every row (by ranks): the same order.
      const cache = new ViewCache(rows.length, spec, cell);
      cache.page(view, 0, 100);
      assert.deepEqual([...cache.page(view, 3000, 100).rows], expected.slice(3000, 3100), JSON.stringify(view.sort));
      assert.deepEqual([...cache.rows(view)], expected);
    }
  });

  test('a re-sort of ranked columns reads no cell, and a narrow filter sorts just its rows', () => {
    const rows = big(5 * SORTED_PREFIX, 3);
    let reads = 0;
    const cache = new ViewCache(rows.length, spec, (r, c) => (reads++, rows[r]![c] ?? null));
    cache.rows(views[2]!);
    cache.rows(views[0]!);
    const before = reads;
    for (const view of views.slice(0, 3))
      assert.deepEqual([...cache.rows({ ...view, sort: view.sort.map((k) => ({ ...k, descending: !k.descending })) })].length, rows.length);
    assert.equal(reads, before, 'sorting again by ranked columns reads no cell');
    const narrow: GridView = {
      sort: [{ column: 2, descending: false }],
      filter: '',
      columns: [
        { column: 1, kind: 'values', values: ['plan_3'] },
        { column: 0, kind: 'values', values: ['9007199254740990'] },
      ],
    };
    const expected = reference(rows, narrow).filter((i) => rows[i]![1] === 'plan_3' && rows[i]![0] === '9007199254740990');
    assert.ok(expected.length > 0 && expected.length * 8 < rows.length);
    assert.deepEqual([...new ViewCache(rows.length, spec, (r, c) => rows[r]![c] ?? null).rows(narrow)], expected);
    assert.deepEqual([...cache.rows(narrow)], expected);
  });

  test('property: any page of any sort is that page of the reference order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 4900 }), (seed, v, offset) => {
        const rows = big(2 * SORTED_PREFIX + 500, seed);
        const view = views[v]!;
        const page = new ViewCache(rows.length, spec, (r, c) => rows[r]![c] ?? null).page(view, offset % rows.length, 50);
        assert.deepEqual([...page.rows], reference(rows, view).slice(offset % rows.length, (offset % rows.length) + 50));
      }),
      { numRuns: 25 },
    );
  });
});

test("Postgres's text of dates and timestamps, read to the microsecond", () => {
  assert.equal(parseDate('2024-01-01'), Date.UTC(2024, 0, 1));
  assert.equal(parseDate('2024-01-01 10:00:00+05:30'), Date.UTC(2024, 0, 1, 4, 30));
  assert.equal(parseDate('2024-01-01 00:00:00-03'), Date.UTC(2024, 0, 1, 3));
  assert.equal(parseDate('2024-03-01T12:00:00-05:30'), Date.UTC(2024, 2, 1, 17, 30));
  assert.equal(parseDate('2024-03-01 12:00:00.5+02'), Date.UTC(2024, 2, 1, 10) + 500);
  assert.equal(parseDate('2024-01-01 04:59:59.999999+00'), Date.UTC(2024, 0, 1, 4, 59, 59) + 999.999);
  assert.equal(parseDate('1883-11-18 12:03:58+00:03:58'), Date.UTC(1883, 10, 18, 12));
  assert.equal(parseDate('0044-03-15'), new Date('0044-03-15T00:00:00Z').getTime(), 'years below 100 are not 1900s');
  assert.equal(parseDate('12:30:00'), Number.NaN, 'a time of day is not a point in time');
  assert.ok(Number.isNaN(parseDate('0044-03-15 BC')));
  assert.equal(parseDate('2025-01-31T12:00Z'), Date.UTC(2025, 0, 31, 12), 'a typed ISO form');
});
