// What a chart is drawn from (src/results/chartRows.ts): every row when few enough; past the
// limit, per series and step of x, the rows with each y's lowest and highest value and the first
// and last x, so no peak or dip is lost; a category x's first rows; rows with no x or past the
// series cap counted as left out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { chartRows, MAX_GROUPS, type ChartColumns } from '../../src/results/chartRows.js';

type Rows = (string | null)[][];
const cellOf = (rows: Rows) => (r: number, c: number) => rows[r]![c] ?? null;

test('few rows: all of them, the chart columns only, x then series then y', () => {
  const rows: Rows = [
    ['a', '2024-01-01', '1', 'x'],
    ['b', '2024-01-02', '2', 'y'],
  ];
  const out = chartRows(rows.length, cellOf(rows), { x: 1, xRead: 'date', series: 3, y: [2] });
  assert.deepEqual(out, {
    rows: [
      ['2024-01-01', 'x', '1'],
      ['2024-01-02', 'y', '2'],
    ],
    total: 2,
    drawn: { from: 'all' },
    omitted: 0,
  });
});

test("many rows: each step's lowest and highest y and first and last x are kept, within the limit", () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: -1e6, max: 1e6 })), { minLength: 301, maxLength: 3000 }), (points) => {
      const rows: Rows = points.map(([x, y]) => [String(x), String(y), String(-y)]);
      const columns: ChartColumns = { x: 0, xRead: 'number', y: [1, 2] };
      const out = chartRows(rows.length, cellOf(rows), columns, 300);
      assert.ok(out.rows.length <= 300, `${out.rows.length} rows`);
      assert.equal(out.drawn.from, 'steps');
      const steps = out.drawn.from === 'steps' ? out.drawn.steps : 0;
      assert.equal(steps, Math.floor(300 / 6));
      const xs = points.map(([x]) => x);
      const [min, max] = [Math.min(...xs), Math.max(...xs)];
      const stepOf = (x: number) => (max > min ? Math.min(steps - 1, Math.floor(((x - min) / (max - min)) * steps)) : 0);
      // In every step, the kept rows reach the step's extremes of x and of each y.
      const extremes = (list: string[][]) => {
        const by = new Map<number, number[][]>();
        for (const [x, a, b] of list.map((r) => r.map(Number))) by.set(stepOf(x!), [...(by.get(stepOf(x!)) ?? []), [x!, a!, b!]]);
        return new Map([...by].map(([s, v]) => [s, [0, 1, 2].map((k) => [Math.min(...v.map((p) => p[k]!)), Math.max(...v.map((p) => p[k]!))])]));
      };
      assert.deepEqual(extremes(out.rows as string[][]), extremes(rows as string[][]));
      // The kept rows are rows of the result, in its order.
      const keyed = rows.map((r) => r.join('|'));
      let last = -1;
      for (const r of out.rows) {
        const at = keyed.indexOf(r.join('|'), last + 1);
        assert.ok(at > last, 'in query order');
        last = at;
      }
    }),
    { numRuns: 30 },
  );
});

test('rows with no x, or of a series past the cap, are left out and counted; a category x keeps the first rows', () => {
  const rows: Rows = Array.from({ length: 500 }, (_, i) => [
    i % 50 === 0 ? null : `2024-01-01 00:${String(i % 60).padStart(2, '0')}:00+00`,
    `s${i % 20}`,
    String(i),
  ]);
  const out = chartRows(rows.length, cellOf(rows), { x: 0, xRead: 'date', series: 1, y: [2] }, 100);
  const dropped = rows.filter((r) => r[0] === null || Number(r[1]!.slice(1)) >= MAX_GROUPS).length;
  assert.equal(out.omitted, dropped);
  assert.ok(out.rows.every((r) => r[0] !== null && Number(r[1]!.slice(1)) < MAX_GROUPS));
  const first = chartRows(rows.length, cellOf(rows), { x: 1, xRead: 'category', y: [2] }, 100);
  assert.deepEqual(first.drawn, { from: 'first' });
  assert.deepEqual(
    first.rows.map((r) => r[1]),
    rows.slice(0, 100).map((r) => r[2]),
  );
});
