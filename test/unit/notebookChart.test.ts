// The chart's pure logic: column roles (time incl. epoch milliseconds, ids), the default x / y /
// series, a result's points, the second-axis decision, number and calendar ticks and labels, label
// thinning, the legend's wrapping, and a layout whose labels neither overlap nor leave the chart.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  chartData,
  chartLayout,
  chartable,
  columnRoles,
  defaultChoice,
  estimateWidth,
  fitChoice,
  legendRows,
  niceTicks,
  shortLabel,
  splitAxes,
  thinLabels,
  timeLabels,
  timeTicks,
  type ChartData,
} from '../../src/notebook/renderer/chartModel.js';
import type { GridPayload } from '../../src/notebook/renderer/model.js';
import type { ChartType } from '../../src/results/chartComment.js';
import { gridPayload as payload } from '../helpers/gridPayload.js';

const rolesOf = (p: GridPayload) => columnRoles(p.columns, p.rows);
const defaults = (p: GridPayload) => defaultChoice(rolesOf(p), p.rows);
const utc = (...a: [number, number, number?, number?]) => Date.UTC(a[0], a[1] - 1, a[2] ?? 1, a[3] ?? 0);

const users = payload(
  [
    ['user_id', 'text'],
    ['first_name', 'text'],
    ['created_at', 'bigint'],
    ['last_active_at', 'timestamp with time zone'],
    ['two_factor_enabled', 'boolean'],
  ],
  [
    ['user_1', 'Ada', '1717171717171', '2024-06-01 10:00:00+00', 'f'],
    ['user_2', null, '1718000000000', null, 't'],
  ],
);
const monthly = payload(
  [
    ['month', 'date'],
    ['sign_ups', 'bigint'],
    ['churned', 'bigint'],
    ['activation_rate', 'numeric'],
  ],
  [
    ['2024-03-01', '5200', '310', '0.41'],
    ['2024-01-01', '4100', '250', '0.38'],
    ['2024-02-01', null, '280', '0.44'],
  ],
);

describe('chart defaults from column types', () => {
  test('epoch milliseconds are time: by the name *_at or by values within 2001..2100', () => {
    const roles = rolesOf(
      payload(
        [
          ['created_at', 'bigint'],
          ['n', 'bigint'],
          ['signed', 'int8'],
          ['id', 'integer'],
        ],
        [
          [null, '12', '1700000000000', '7'],
          [null, '1700000000000', '1800000000000', '8'],
        ],
      ),
    );
    assert.deepEqual(
      roles.map((r) => [r.name, r.time, r.epochMs, r.idLike]),
      [
        ['created_at', true, true, false],
        ['n', false, false, false],
        ['signed', true, true, false],
        ['id', false, false, true],
      ],
    );
  });

  test('a users table: nothing to chart (epoch ms are never a default y), not 500 bars of created_at', () => {
    assert.equal(chartable(rolesOf(users), users.rows.length), false);
    assert.equal(defaults(users), undefined);
  });

  test('time on x (an id before it does not count), every measure on y, a line', () => {
    assert.deepEqual(defaults(monthly), { type: 'line', x: 'month', y: ['sign_ups', 'churned', 'activation_rate'] });
    const withEpoch = payload(
      [
        ['org_id', 'text'],
        ['created_at', 'bigint'],
        ['members', 'bigint'],
      ],
      [['org_1', '1717171717171', '3']],
    );
    assert.deepEqual(defaults(withEpoch), { type: 'line', x: 'created_at', y: ['members'] });
    // The leftmost dimension: a name before a date makes bars by name.
    const byName = payload(
      [
        ['name', 'text'],
        ['members', 'bigint'],
        ['created', 'date'],
      ],
      [['acme', '3', '2024-01-01']],
    );
    assert.deepEqual(defaults(byName), { type: 'bar', x: 'name', y: ['members'] });
  });

  test('categories: bars of the measures, ids left out; a number x: scatter', () => {
    const orgs = payload(
      [
        ['org_id', 'text'],
        ['name', 'text'],
        ['id', 'bigint'],
        ['members', 'bigint'],
      ],
      [['org_1', 'acme', '1', '3']],
    );
    assert.deepEqual(defaults(orgs), { type: 'bar', x: 'name', y: ['members'] });
    const numbers = payload(
      [
        ['age', 'integer'],
        ['logins', 'integer'],
      ],
      [['3', '4']],
    );
    assert.deepEqual(defaults(numbers), { type: 'scatter', x: 'age', y: ['logins'] });
  });

  test('long-format results split into series by a text column with a few values', () => {
    const p = payload(
      [
        ['month', 'date'],
        ['plan', 'text'],
        ['sign_ups', 'bigint'],
      ],
      [
        ['2024-01-01', 'free', '10'],
        ['2024-01-01', 'pro', '3'],
        ['2024-02-01', 'free', '12'],
        ['2024-02-01', 'pro', '4'],
      ],
    );
    assert.deepEqual(defaults(p), { type: 'line', x: 'month', y: ['sign_ups'], series: 'plan' });
    const data = chartData(p.rows, rolesOf(p), defaults(p)!);
    assert.deepEqual(
      data.series.map((s) => [s.name, s.points.map((pt) => pt.y)]),
      [
        ['free', [10, 12]],
        ['pro', [3, 4]],
      ],
    );
  });

  test("a cell's saved choice is kept while its columns are there, narrowed to numeric y", () => {
    const roles = rolesOf(monthly);
    assert.deepEqual(fitChoice(roles, { type: 'bar', x: 'month', y: ['churned', 'gone', 'month'] }), { type: 'bar', x: 'month', y: ['churned'] });
    assert.equal(fitChoice(roles, { type: 'bar', x: 'gone', y: ['churned'] }), undefined);
    assert.equal(fitChoice(roles, { type: 'bar', x: 'month', y: ['churned'], series: 'gone' }), undefined);
    assert.equal(fitChoice(roles, { type: 'bar', x: 'month', y: ['gone'] }), undefined);
  });
});

describe('chart points', () => {
  test('time x sorted; NULL values kept as gaps; epoch ms read as time', () => {
    const data = chartData(monthly.rows, rolesOf(monthly), { type: 'line', x: 'month', y: ['sign_ups'] });
    assert.deepEqual(data.series[0]!.points, [
      { x: utc(2024, 1), y: 4100, label: '2024-01-01' },
      { x: utc(2024, 2), y: null, label: '2024-02-01' },
      { x: utc(2024, 3), y: 5200, label: '2024-03-01' },
    ]);
    const epoch = chartData(users.rows, rolesOf(users), { type: 'scatter', x: 'created_at', y: ['created_at'] });
    assert.equal(epoch.xKind, 'time');
    assert.deepEqual(
      epoch.series[0]!.points.map((p) => p.x),
      [1717171717171, 1718000000000],
    );
  });

  test('categories in query order; rows without an x value are counted as left out', () => {
    const p = payload(
      [
        ['d', 'date'],
        ['name', 'text'],
        ['n', 'bigint'],
      ],
      [
        [null, 'b', '1'],
        ['2024-01-01', null, '2'],
        ['2024-01-02', 'a', '3'],
      ],
    );
    const byName = chartData(p.rows, rolesOf(p), { type: 'bar', x: 'name', y: ['n'] });
    assert.deepEqual(byName.categories, ['b', 'NULL', 'a']);
    assert.deepEqual(
      byName.series[0]!.points.map((pt) => pt.x),
      [0, 1, 2],
    );
    assert.equal(chartData(p.rows, rolesOf(p), { type: 'line', x: 'd', y: ['n'] }).omitted, 1);
  });
});

describe('second axis', () => {
  test('a ratio or percentage next to counts in the thousands goes right; similar magnitudes share one axis', () => {
    assert.deepEqual(splitAxes([5200, 310, 0.44]), ['left', 'left', 'right']);
    assert.deepEqual(splitAxes([5200, 45]), ['left', 'right']);
    assert.deepEqual(splitAxes([5200, 310]), ['left', 'left']);
    assert.deepEqual(splitAxes([98, 12.5]), ['left', 'left']);
    assert.deepEqual(splitAxes([0.4, 0, 0.2]), ['left', 'left', 'left']);
  });

  test("a chart's most rows (20,000) of ten y columns are laid out: no call takes every value as its arguments", () => {
    const ys = Array.from({ length: 10 }, (_, k) => `y${k}`);
    const rows = Array.from({ length: 20_000 }, (_, i) => [String(i), ...ys.map((_, k) => String(k === 0 ? -i : i * k))]);
    const roles = columnRoles([{ name: 'x', type: 'integer' }, ...ys.map((name) => ({ name, type: 'integer' }))], rows);
    const data = chartData(rows, roles, { type: 'line', x: 'x', y: ys });
    for (const type of ['line', 'stacked'] as const) {
      const layout = chartLayout(data, type, new Set(), 800, 'x', estimateWidth);
      const ticks = layout.yAxes.flatMap((a) => a.ticks.map((t) => Number(t.label.replace(/k$/, 'e3').replace(/M$/, 'e6'))));
      assert.ok(ticks.length > 1 && ticks.every(Number.isFinite), `${type}: ${ticks.join(', ')}`);
    }
  });

  test('the legend and the right axis say which series are on the right', () => {
    const data = chartData(monthly.rows, rolesOf(monthly), defaults(monthly)!);
    const layout = chartLayout(data, 'line', new Set(), 800, 'month', estimateWidth);
    assert.ok(layout.split);
    assert.deepEqual(
      layout.legend.map((l) => l.name),
      ['sign_ups', 'churned', 'activation_rate (right axis)'],
    );
    assert.deepEqual(
      layout.yAxes.map((a) => [a.side, a.title]),
      [
        ['left', 'sign_ups, churned'],
        ['right', 'activation_rate'],
      ],
    );
    // Hiding the counts leaves the ratio alone on the left axis.
    const alone = chartLayout(data, 'line', new Set([0, 1]), 800, 'month', estimateWidth);
    assert.equal(alone.split, false);
    assert.deepEqual(
      alone.yAxes.map((a) => a.title),
      ['activation_rate'],
    );
  });

  test('on a bar chart the right-axis series is a line over the bars', () => {
    const data = chartData(monthly.rows, rolesOf(monthly), defaults(monthly)!);
    for (const type of ['bar', 'stacked'] as const) {
      const layout = chartLayout(data, type, new Set(), 800, 'month', estimateWidth);
      assert.deepEqual(
        layout.marks.map((m) => m.kind),
        ['bars', 'bars', 'line'],
        type,
      );
    }
  });
});

describe('ticks', () => {
  test('number ticks are round and cover the data', () => {
    assert.deepEqual(niceTicks(0, 97), [0, 20, 40, 60, 80, 100]);
    assert.deepEqual(niceTicks(0, 1), [0, 0.2, 0.4, 0.6, 0.8, 1]);
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 0, noNaN: true }), fc.double({ min: 0, max: 1e6, noNaN: true }), (lo, hi) => {
        const t = niceTicks(lo, hi);
        assert.ok(t[0]! <= lo && t[t.length - 1]! >= hi, JSON.stringify({ lo, hi, t }));
        assert.ok(t.length <= 13, String(t.length));
      }),
    );
  });

  test('time ticks at calendar steps: hours, days, Monday weeks, months, years', () => {
    const hours = timeTicks(utc(2024, 3, 1, 0), utc(2024, 3, 1, 23), 8);
    assert.equal(hours.unit, 'hour');
    assert.deepEqual(timeLabels(hours.ticks, hours.unit).slice(0, 3), ['Mar 1 00:00', '03:00', '06:00']);
    const weeks = timeTicks(utc(2024, 3, 1), utc(2024, 3, 31), 6);
    assert.equal(weeks.unit, 'week');
    assert.ok(weeks.ticks.every((t) => new Date(t).getUTCDay() === 1));
    assert.deepEqual(timeLabels(weeks.ticks, weeks.unit), ['Mar 4, 2024', 'Mar 11', 'Mar 18', 'Mar 25']);
    const quarters = timeTicks(utc(2023, 2, 10), utc(2024, 12, 1), 8);
    assert.equal(quarters.unit, 'month');
    assert.deepEqual(timeLabels(quarters.ticks, quarters.unit), ['Apr 2023', 'Jul', 'Oct', 'Jan 2024', 'Apr', 'Jul', 'Oct']);
    const years = timeTicks(utc(2001, 1), utc(2099, 1), 6);
    assert.equal(years.unit, 'year');
    assert.deepEqual(timeLabels(years.ticks, years.unit), ['2025', '2050', '2075']);
  });

  test('never more time ticks than asked for, always inside the range', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: utc(2001, 1), max: utc(2099, 1) }),
        fc.integer({ min: 60000, max: 50 * 365 * 864e5 }),
        fc.integer({ min: 2, max: 20 }),
        (lo, span, n) => {
          const { ticks } = timeTicks(lo, lo + span, n);
          assert.ok(ticks.length <= n + 1, `${ticks.length} > ${n}`);
          assert.ok(ticks.every((t, i) => t >= lo && t <= lo + span && (i === 0 || t > ticks[i - 1]!)));
        },
      ),
    );
  });
});

describe('labels and legend', () => {
  test('thinning keeps every k-th label, the fewest left out so that none overlaps', () => {
    assert.deepEqual(thinLabels([0, 50, 100], [40, 40, 40], 5), [0, 1, 2]);
    assert.deepEqual(thinLabels([0, 30, 60, 90, 120], [40, 40, 40, 40, 40], 5), [0, 2, 4]);
    assert.deepEqual(thinLabels([], [], 5), []);
  });

  test('the legend wraps onto rows instead of running past the width', () => {
    assert.deepEqual(legendRows([50, 50, 50], 130, 18, 10), [
      { x: 0, y: 0 },
      { x: 60, y: 0 },
      { x: 0, y: 18 },
    ]);
  });

  const categories = (labels: string[], values: number[][]): ChartData => ({
    xKind: 'category',
    categories: labels,
    series: values.map((v, k) => ({ name: `series ${k}`, column: `c${k}`, points: v.map((y, x) => ({ x, y, label: labels[x]! })) })),
    omitted: 0,
  });

  /** Every x and value label of the layout inside the chart, x labels apart (or rotated apart), the x title below them. */
  const assertReadable = (data: ChartData, type: ChartType, width: number) => {
    const layout = chartLayout(data, type, new Set(), width, 'x', estimateWidth);
    const ticks = layout.xAxis.ticks;
    assert.ok(ticks.length > 0);
    const box = (t: (typeof ticks)[number]) => {
      const w = estimateWidth(t.label);
      if (layout.xAxis.rotate) return [t.at - w * 0.71 - 10, t.at];
      return t.anchor === 'start' ? [t.at, t.at + w] : t.anchor === 'end' ? [t.at - w, t.at] : [t.at - w / 2, t.at + w / 2];
    };
    for (const t of ticks) {
      const [a, b] = box(t);
      assert.ok(a! >= -0.5 && b! <= width + 0.5, `label ${JSON.stringify(t)} outside 0..${width}`);
    }
    if (!layout.xAxis.rotate)
      for (let i = 1; i < ticks.length; i++) assert.ok(box(ticks[i]!)[0]! >= box(ticks[i - 1]!)[1]!, `labels ${i - 1} and ${i} overlap`);
    else for (let i = 1; i < ticks.length; i++) assert.ok(ticks[i]!.at - ticks[i - 1]!.at >= 13 * 1.42, 'rotated labels too close');
    for (const axis of layout.yAxes)
      for (const t of axis.ticks) {
        const w = estimateWidth(t.label);
        assert.ok(axis.side === 'left' ? layout.plot.left - 6 - w >= 0 : layout.plot.right + 6 + w <= width, `${axis.side} label ${t.label}`);
      }
    if (layout.xAxis.rotate) assert.ok(layout.xAxis.labelY + Math.max(...ticks.map((t) => estimateWidth(t.label))) * 0.71 <= layout.xAxis.titleY);
    assert.ok(layout.xAxis.titleY <= layout.height);
  };
  const chartTypes = fc.constantFrom<ChartType>('bar', 'line', 'area', 'stacked', 'scatter');

  test('category labels neither overlap nor leave the chart; rotated only when they do not fit side by side', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: 1, maxLength: 40, size: 'max' }), { minLength: 1, maxLength: 100 }),
        fc.integer({ min: 420, max: 1400 }),
        chartTypes,
        (labels, width, type) =>
          assertReadable(
            categories(
              labels,
              [0, 1].map((k) => labels.map((_, i) => (i + 1) * 10 ** (k * 3))),
            ),
            type,
            width,
          ),
      ),
      { numRuns: 300 },
    );
  });

  test('time and number labels neither overlap nor leave the chart', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: utc(2001, 1), max: utc(2099, 1) }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 420, max: 1400 }),
        chartTypes,
        fc.constantFrom<'time' | 'number'>('time', 'number'),
        (xs, width, type, xKind) => {
          const sorted = [...xs].sort((a, b) => a - b);
          const points = sorted.map((x, i) => ({ x: xKind === 'time' ? x : x / 7e5, y: i * 1234.5, label: String(x) }));
          assertReadable({ xKind, categories: [], series: [{ name: 'n', column: 'n', points }], omitted: 0 }, type, width);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('a label at the edge of the chart is anchored inward rather than cut', () => {
    const points = [utc(2024, 1), utc(2024, 7), utc(2025, 1)].map((x, i) => ({ x, y: i, label: String(x) }));
    const layout = chartLayout(
      { xKind: 'time', categories: [], series: [{ name: 'n', column: 'n', points }], omitted: 0 },
      'line',
      new Set(),
      600,
      'x',
      estimateWidth,
    );
    const last = layout.xAxis.ticks[layout.xAxis.ticks.length - 1]!;
    assert.deepEqual([last.label, last.anchor], ['Jan 2025', 'end']);
    assertReadable({ xKind: 'time', categories: [], series: [{ name: 'n', column: 'n', points }], omitted: 0 }, 'line', 600);
  });

  test('long category names are cut in the middle, so that names differing at the end stay apart', () => {
    assert.equal(shortLabel('Organization with a long name 12'), 'Organization…ong name 12');
    assert.equal(shortLabel('2024-03-01 00:00:00+00'), '2024-03-01');
    assert.equal(shortLabel('short'), 'short');
  });

  test('short labels that fit stay horizontal and all shown; many long ones rotate', () => {
    const few = chartLayout(categories(['free', 'pro', 'enterprise'], [[1, 2, 3]]), 'bar', new Set(), 800, 'plan', estimateWidth);
    assert.equal(few.xAxis.rotate, false);
    assert.equal(few.xAxis.ticks.length, 3);
    const labels = Array.from({ length: 40 }, (_, i) => `organization number ${i}`);
    const many = chartLayout(categories(labels, [labels.map((_, i) => i)]), 'bar', new Set(), 800, 'name', estimateWidth);
    assert.equal(many.xAxis.rotate, true);
  });

  test('hidden series are drawn neither as marks nor in the scale; their legend entry stays, marked', () => {
    const data = categories(
      ['a', 'b'],
      [
        [1, 2],
        [1000, 2000],
      ],
    );
    const layout = chartLayout(data, 'bar', new Set([1]), 600, 'x', estimateWidth);
    assert.deepEqual(
      layout.marks.map((m) => m.series),
      [0],
    );
    assert.deepEqual(
      layout.legend.map((l) => l.hidden),
      [false, true],
    );
    assert.equal(layout.yAxes[0]!.ticks[layout.yAxes[0]!.ticks.length - 1]!.label, '2');
  });
});
