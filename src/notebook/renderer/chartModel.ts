// The chart's pure logic (no DOM, no vscode): what each column can be (time, number, category,
// id), the default x / y / series chosen from that, a result's points per series, which series
// go on a second (right) axis, ticks for numbers and calendar time with their labels, which
// labels fit, and the whole layout in pixels, so that chart.ts only turns it into SVG.
import type { ChartChoice, ChartType } from '../../results/chartComment.js';
import { MAX_GROUPS, type ChartColumns } from '../../results/chartRows.js';
import { columnKind, parseDate, parseNumber } from '../../results/view.js';
import { isEpochMillisColumn } from './epochMillis.js';
import type { ResultColumn } from './model.js';

export type AxisKind = 'time' | 'number' | 'category';

export interface ColumnRole {
  name: string;
  /** A Postgres number type: can be plotted as y. */
  numeric: boolean;
  /** A date or timestamp, or integers of epoch milliseconds: a time axis. */
  time: boolean;
  /** Integers that hold epoch milliseconds: time, never a default y. */
  epochMs: boolean;
  /** id, user_id, orgId: labels rather than measures. */
  idLike: boolean;
  json: boolean;
}

const ID_NAME = /^id$|_id$|[a-z]Id$|^uuid$/;

export function columnRoles(columns: ResultColumn[], rows: (string | null)[][]): ColumnRole[] {
  return columns.map((c, i) => {
    const kind = columnKind(c.type);
    // Integers of epoch milliseconds (by the name *_at, or values within 2001..2100), as the value viewer reads them.
    const epochMs =
      kind === 'number' &&
      isEpochMillisColumn(
        c,
        rows.map((r) => r[i] ?? null),
      );
    return { name: c.name, numeric: kind === 'number', time: kind === 'date' || epochMs, epochMs, idLike: ID_NAME.test(c.name), json: kind === 'json' };
  });
}

export function axisKind(role: ColumnRole): AxisKind {
  return role.time ? 'time' : role.numeric ? 'number' : 'category';
}

/** Columns that can be plotted as y for this x. */
export function yCandidates(roles: ColumnRole[], x: string): ColumnRole[] {
  return roles.filter((r) => r.numeric && r.name !== x);
}

/** A result can be charted when it has rows, a second column and something numeric to plot. */
export function chartable(roles: ColumnRole[], rowCount: number): boolean {
  return rowCount > 0 && roles.length >= 2 && roles.some((r) => r.numeric && !r.epochMs);
}

/**
 * The chart a result gets when its cell names none: x is the leftmost dimension, a time (date,
 * timestamp or epoch ms) or a category (text) that is not an id, as a query puts its dimension
 * first (orgs by name, sign-ups by month), else an id, else the first column; every other
 * numeric column that is not an id or a time as y; split into series by a text column with a few
 * values when the x values repeat (a long-format result such as month, plan, count).
 */
export function defaultChoice(roles: ColumnRole[], rows: (string | null)[][]): ChartChoice | undefined {
  if (!chartable(roles, rows.length)) return undefined;
  const category = (r: ColumnRole) => !r.numeric && !r.time && !r.json;
  const x = roles.find((r) => r.time || (category(r) && !r.idLike)) ?? roles.find(category) ?? roles[0]!;
  const y = yCandidates(roles, x.name)
    .filter((r) => !r.epochMs && !r.idLike)
    .map((r) => r.name);
  const distinct = (name: string) => new Set(rows.map((r) => r[roles.findIndex((c) => c.name === name)])).size;
  const series = x.time
    ? roles.find(
        (r) => category(r) && !r.idLike && r.name !== x.name && distinct(r.name) >= 2 && distinct(r.name) <= MAX_GROUPS && distinct(x.name) < rows.length,
      )
    : undefined;
  const type: ChartType = x.time ? 'line' : x.numeric ? 'scatter' : 'bar';
  return { type, x: x.name, y, ...(series ? { series: series.name } : {}) };
}

/** The cell's saved choice when it still fits the result's columns (its y narrowed to numeric ones), else undefined. */
export function fitChoice(roles: ColumnRole[], saved: ChartChoice): ChartChoice | undefined {
  const has = (name: string | undefined) => roles.some((r) => r.name === name);
  if (!has(saved.x) || (saved.series !== undefined && (!has(saved.series) || saved.series === saved.x))) return undefined;
  const numeric = new Set(yCandidates(roles, saved.x).map((r) => r.name));
  const y = saved.y.filter((n) => numeric.has(n) && n !== saved.series);
  return y.length > 0 ? { ...saved, y } : undefined;
}

export interface ChartPoint {
  /** Epoch ms (time), the number (number), or the category's index. */
  x: number;
  y: number | null;
  /** The x value as the result has it. */
  label: string;
}

export interface ChartSeries {
  /** The legend's name: the y column, the series column's value, or both. */
  name: string;
  column: string;
  points: ChartPoint[];
}

export interface ChartData {
  xKind: AxisKind;
  /** The category axis's labels, in query order. */
  categories: string[];
  series: ChartSeries[];
  /** Rows left out: an x that is NULL or not a time or number, past MAX_CATEGORIES, or a series past MAX_GROUPS. */
  omitted: number;
}

export const MAX_CATEGORIES = 100;

/** The result's columns a chart of this choice draws, and how its x is read. */
export function chartColumns(roles: ColumnRole[], choice: ChartChoice): ChartColumns {
  const index = (name: string) => roles.findIndex((r) => r.name === name);
  const x = roles[index(choice.x)]!;
  return {
    x: index(choice.x),
    xRead: x.time && !x.epochMs ? 'date' : x.numeric ? 'number' : 'category',
    ...(choice.series !== undefined ? { series: index(choice.series) } : {}),
    y: choice.y.map(index),
  };
}

/** The chart's series from its rows: rows of the columns `roles` names (chartColumns' x, series, y), in query order. */
export function chartData(rows: (string | null)[][], roles: ColumnRole[], choice: ChartChoice): ChartData {
  const index = (name: string) => roles.findIndex((r) => r.name === name);
  const xi = index(choice.x);
  const xRole = roles[xi]!;
  const xKind = axisKind(xRole);
  const gi = choice.series !== undefined ? index(choice.series) : -1;
  const yi = choice.y.map(index);
  const categories = new Map<string, number>();
  const groups = new Map<string, number>();
  const byGroup: { group: string; rows: { x: number; label: string; row: (string | null)[] }[] }[] = [];
  let omitted = 0;
  for (const row of rows) {
    const raw = row[xi] ?? null;
    let x: number;
    if (xKind === 'category') {
      const label = raw ?? 'NULL';
      if (!categories.has(label) && categories.size < MAX_CATEGORIES) categories.set(label, categories.size);
      x = categories.get(label) ?? Number.NaN;
    } else x = raw === null ? Number.NaN : xRole.epochMs || xKind === 'number' ? parseNumber(raw) : parseDate(raw);
    const group = gi < 0 ? '' : (row[gi] ?? 'NULL');
    if (!groups.has(group) && groups.size < MAX_GROUPS) {
      groups.set(group, byGroup.length);
      byGroup.push({ group, rows: [] });
    }
    const g = groups.get(group);
    if (!Number.isFinite(x) || g === undefined) {
      omitted++;
      continue;
    }
    byGroup[g]!.rows.push({ x, label: raw ?? 'NULL', row });
  }
  if (xKind !== 'category') for (const g of byGroup) g.rows.sort((a, b) => a.x - b.x);
  const series = choice.y.flatMap((column, k) =>
    byGroup.map(({ group, rows }) => ({
      name: gi < 0 ? column : choice.y.length > 1 ? `${column} · ${group}` : group,
      column,
      points: rows.map(({ x, label, row }) => {
        const v = row[yi[k]!];
        const n = v === null || v === undefined ? Number.NaN : parseNumber(v);
        return { x, y: Number.isFinite(n) ? n : null, label };
      }),
    })),
  );
  return { xKind, categories: [...categories.keys()], series, omitted };
}

/**
 * Which axis each column's series go on, from their magnitudes (largest absolute value): all on
 * the left, unless they fall into two groups more than `ratio` apart (a ratio or percentage
 * next to counts in the thousands), the large ones left and the small ones on a right axis.
 */
export function splitAxes(magnitudes: number[], ratio = 20): ('left' | 'right')[] {
  const sorted = [...new Set(magnitudes.filter((m) => m > 0))].sort((a, b) => b - a);
  let cut = -1;
  let widest = ratio;
  for (let i = 0; i + 1 < sorted.length; i++) {
    if (sorted[i]! / sorted[i + 1]! > widest) {
      widest = sorted[i]! / sorted[i + 1]!;
      cut = sorted[i]!;
    }
  }
  return magnitudes.map((m) => (cut < 0 || m >= cut || m === 0 ? 'left' : 'right'));
}

/** Round axis ticks covering [min, max] (min ≤ 0 ≤ max kept when the data allows). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  // An empty or vanishingly small range (all values equal, or below float precision): one unit.
  if (!(max - min > 1e-9 * Math.max(1, Math.abs(min), Math.abs(max)))) max = min + 1;
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  let start = Math.floor(min / step) * step;
  if (start > min) start -= step;
  const ticks: number[] = [];
  for (let v = start; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  if (ticks[ticks.length - 1]! < max) ticks.push(Number((ticks[ticks.length - 1]! + step).toPrecision(12)));
  return ticks;
}

export function formatTick(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${+(v / 1e9).toFixed(1)}B`;
  if (a >= 1e6) return `${+(v / 1e6).toFixed(1)}M`;
  if (a >= 1e4) return `${+(v / 1e3).toFixed(1)}k`;
  return String(+v.toFixed(4));
}

export type TimeUnit = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';
const DAY = 864e5;
const UNIT_MS: Record<TimeUnit, number> = { minute: 6e4, hour: 36e5, day: DAY, week: 7 * DAY, month: 30.44 * DAY, year: 365.25 * DAY };
const TIME_STEPS: [number, TimeUnit][] = [
  [1, 'minute'],
  [5, 'minute'],
  [15, 'minute'],
  [30, 'minute'],
  [1, 'hour'],
  [3, 'hour'],
  [6, 'hour'],
  [12, 'hour'],
  [1, 'day'],
  [2, 'day'],
  [1, 'week'],
  [2, 'week'],
  [1, 'month'],
  [3, 'month'],
  [6, 'month'],
  [1, 'year'],
  [2, 'year'],
  [5, 'year'],
  [10, 'year'],
  [25, 'year'],
  [50, 'year'],
  [100, 'year'],
];
// 1970-01-05, the first Monday after the epoch: weeks start on Mondays (ISO).
const MONDAY = 4 * DAY;

function floorTime(t: number, n: number, unit: TimeUnit): number {
  const d = new Date(t);
  if (unit === 'year') return Date.UTC(Math.floor(d.getUTCFullYear() / n) * n, 0, 1);
  if (unit === 'month') return Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / n) * n, 1);
  const size = n * UNIT_MS[unit];
  const origin = unit === 'week' ? MONDAY : 0;
  return Math.floor((t - origin) / size) * size + origin;
}

function addTime(t: number, n: number, unit: TimeUnit): number {
  const d = new Date(t);
  if (unit === 'year') return Date.UTC(d.getUTCFullYear() + n, 0, 1);
  if (unit === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1);
  return t + n * UNIT_MS[unit];
}

/** Ticks at calendar steps (UTC: as the result prints its times) within [min, max], at most about `maxCount`. */
export function timeTicks(min: number, max: number, maxCount: number): { ticks: number[]; unit: TimeUnit } {
  const span = Math.max(max - min, 1);
  const [n, unit] = TIME_STEPS.find(([k, u]) => span / (k * UNIT_MS[u]) <= Math.max(1, maxCount)) ?? TIME_STEPS[TIME_STEPS.length - 1]!;
  const ticks: number[] = [];
  for (let t = floorTime(min, n, unit); t <= max; t = addTime(t, n, unit)) if (t >= min) ticks.push(t);
  return { ticks, unit };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Tick labels as short as the step allows; the first, and the first of a new day or year, say which. */
export function timeLabels(ticks: number[], unit: TimeUnit): string[] {
  return ticks.map((t, i) => {
    const d = new Date(t);
    const prev = i > 0 ? new Date(ticks[i - 1]!) : undefined;
    const year = d.getUTCFullYear();
    const newYear = !prev || prev.getUTCFullYear() !== year;
    const day = `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
    if (unit === 'year') return String(year);
    if (unit === 'month') return newYear ? `${MONTHS[d.getUTCMonth()]} ${year}` : MONTHS[d.getUTCMonth()]!;
    if (unit === 'day' || unit === 'week') return newYear ? `${day}, ${year}` : day;
    const time = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
    return !prev || prev.getUTCDate() !== d.getUTCDate() ? `${day} ${time}` : time;
  });
}

/**
 * A category as its axis label: a midnight time dropped, long text cut in the middle (names that
 * differ only at the end, as `Acme 1` and `Acme 2`, stay apart); the whole text is the tooltip.
 */
export function shortLabel(label: string, max = 24): string {
  const t = label.replace(/ 00:00:00(\+00)?$/, '');
  const head = Math.ceil((max - 1) / 2);
  return t.length > max ? `${t.slice(0, head)}…${t.slice(t.length - (max - 1 - head))}` : t;
}

/**
 * Which labels (centred at `positions`, `widths` wide) to show so that none overlaps the next
 * with `gap` between them: every k-th, the smallest k that fits, so that the shown ones stay
 * evenly spaced.
 */
export function thinLabels(positions: number[], widths: number[], gap: number): number[] {
  const n = positions.length;
  for (let k = 1; k <= n; k++) {
    const shown: number[] = [];
    for (let i = 0; i < n; i += k) shown.push(i);
    const fits = shown.every((i, j) => j === 0 || positions[i]! - widths[i]! / 2 >= positions[shown[j - 1]!]! + widths[shown[j - 1]!]! / 2 + gap);
    if (fits) return shown;
  }
  return n > 0 ? [0] : [];
}

/** Legend entries (their widths) placed left to right, wrapped onto new rows at `maxWidth`. */
export function legendRows(widths: number[], maxWidth: number, rowHeight: number, gap: number): { x: number; y: number }[] {
  let x = 0;
  let y = 0;
  return widths.map((w) => {
    if (x > 0 && x + w > maxWidth) {
      x = 0;
      y += rowHeight;
    }
    const at = { x, y };
    x += w + gap;
    return at;
  });
}

/** Text width in pixels; the renderer measures with the theme's font, the tests estimate. */
export type Measure = (text: string) => number;
export const estimateWidth: Measure = (text) => text.length * 6.6;

export interface AxisTick {
  /** Pixel position along the axis. */
  at: number;
  label: string;
  /** The whole label, when it was cut. */
  title?: string;
  anchor: 'start' | 'middle' | 'end';
}

export interface ValueAxis {
  side: 'left' | 'right';
  title: string;
  ticks: AxisTick[];
}

export type Mark =
  | { kind: 'bars'; series: number; rects: { x: number; y: number; width: number; height: number; title: string }[] }
  | { kind: 'line' | 'area' | 'dots'; series: number; d: string; area: string; dots: { cx: number; cy: number; r: number; title: string }[] };

export interface ChartLayout {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  legend: { series: number; name: string; x: number; y: number; hidden: boolean }[];
  xAxis: { title: string; ticks: AxisTick[]; rotate: boolean; labelY: number; titleY: number };
  yAxes: ValueAxis[];
  /** Where the left axis's zero is (bars grow from it). */
  baseline: number;
  marks: Mark[];
  /** Two axes: the legend and the right axis's title say which series is on which. */
  split: boolean;
}

const FONT_HEIGHT = 13;
const PLOT_HEIGHT = 220;
const LEGEND_SWATCH = 14;

/**
 * The chart in pixels, `width` wide: legend rows on top, the plot, x labels below (horizontal,
 * thinned to not overlap, rotated only when categories do not fit), value axes left and right
 * with margins as wide as their labels. `hidden`: series (by index) the legend turned off.
 */
export function chartLayout(data: ChartData, type: ChartType, hidden: ReadonlySet<number>, width: number, xTitle: string, measure: Measure): ChartLayout {
  const visible = data.series.map((_, i) => i).filter((i) => !hidden.has(i));
  const columns = [...new Set(visible.map((i) => data.series[i]!.column))];
  const magnitude = (column: string) =>
    visible.filter((i) => data.series[i]!.column === column).reduce((m, i) => data.series[i]!.points.reduce((n, p) => Math.max(n, Math.abs(p.y ?? 0)), m), 0);
  const sides = splitAxes(columns.map(magnitude));
  const sideOf = new Map(columns.map((c, k) => [c, sides[k]!]));
  const split = sides.includes('right');
  const axisOf = (i: number) => sideOf.get(data.series[i]!.column) ?? 'left';
  const barType = type === 'bar' || type === 'stacked';
  // On a bar chart, right-axis series are lines over the bars: bars of two scales side by side mislead.
  const markOf = (i: number): 'bar' | 'stack' | 'line' | 'area' | 'dots' =>
    barType ? (axisOf(i) === 'right' ? 'line' : type === 'stacked' ? 'stack' : 'bar') : type === 'scatter' ? 'dots' : type;

  // Legend.
  const legendName = (i: number) => data.series[i]!.name + (split && axisOf(i) === 'right' ? ' (right axis)' : '');
  const legendWidths = data.series.map((_, i) => LEGEND_SWATCH + measure(legendName(i)));
  const legendAt = legendRows(legendWidths, width - 24, FONT_HEIGHT + 5, 16);
  const legendHeight = legendAt.length ? legendAt[legendAt.length - 1]!.y + FONT_HEIGHT + 5 : 0;
  const top = 8 + legendHeight + 10;

  // Value domains per side.
  const xsOf = (i: number) => data.series[i]!.points;
  const domain = (side: 'left' | 'right'): number[] | undefined => {
    const on = visible.filter((i) => axisOf(i) === side);
    if (on.length === 0) return undefined;
    const values: number[] = [];
    const stackSums = new Map<number, { pos: number; neg: number }>();
    for (const i of on) {
      for (const p of xsOf(i)) {
        if (p.y === null) continue;
        if (markOf(i) === 'stack') {
          const s = stackSums.get(p.x) ?? { pos: 0, neg: 0 };
          if (p.y >= 0) s.pos += p.y;
          else s.neg += p.y;
          stackSums.set(p.x, s);
        } else values.push(p.y);
      }
    }
    for (const s of stackSums.values()) values.push(s.pos, s.neg);
    if (values.length === 0) values.push(0, 1);
    // Not Math.min(...values): a chart's 20,000 rows times its y columns would overflow the call's arguments.
    let [lo, hi] = values.reduce(([a, b], v) => [Math.min(a, v), Math.max(b, v)], [Infinity, -Infinity]);
    const zero = on.some((i) => markOf(i) !== 'line' && markOf(i) !== 'dots') || (lo >= 0 && lo <= hi / 2) || (hi <= 0 && hi >= lo / 2);
    if (zero) [lo, hi] = [Math.min(0, lo), Math.max(0, hi)];
    return niceTicks(lo, hi, Math.max(2, Math.floor(PLOT_HEIGHT / 45)));
  };
  const leftTicks = domain('left');
  const rightTicks = domain('right');
  const axisWidth = (ticks: number[] | undefined) => (ticks ? Math.max(...ticks.map((t) => measure(formatTick(t)))) + 8 + FONT_HEIGHT + 6 : 12);
  const titleOf = (side: 'left' | 'right') => {
    const names = [...new Set(visible.filter((i) => axisOf(i) === side).map((i) => data.series[i]!.column))].join(', ');
    const max = Math.floor(PLOT_HEIGHT / 6.6);
    return names.length > max ? names.slice(0, max - 1) + '…' : names;
  };

  // x positions: categories at band centres; time and numbers linear, padded for bars and dots.
  const allX = visible.flatMap((i) => xsOf(i).map((p) => p.x));
  const distinct = [...new Set(allX)].sort((a, b) => a - b);
  let x0: number;
  let x1: number;
  let gap: number;
  if (data.xKind === 'category') {
    [x0, x1, gap] = [-0.5, data.categories.length - 0.5, 1];
  } else {
    const lo = distinct[0] ?? 0;
    const hi = distinct[distinct.length - 1] ?? 1;
    gap = distinct.slice(1).reduce((g, v, k) => Math.min(g, v - distinct[k]!), Infinity);
    if (!Number.isFinite(gap)) gap = data.xKind === 'time' ? DAY : 1;
    const pad = barType ? gap / 2 : type === 'scatter' ? (hi - lo || gap) * 0.03 : lo === hi ? gap : 0;
    [x0, x1] = [lo - pad, hi + pad];
  }

  // x labels, for a plot from `left` to `right`.
  const xTicks = (left: number, right: number) => {
    const px = (v: number) => left + ((v - x0) / (x1 - x0 || 1)) * (right - left);
    let ticks: { v: number; label: string; title?: string }[];
    let rotate = false;
    if (data.xKind === 'category') {
      ticks = data.categories.map((c, k) => ({ v: k, label: shortLabel(c), ...(shortLabel(c) !== c ? { title: c } : {}) }));
      const band = (right - left) / Math.max(1, data.categories.length);
      rotate = Math.max(...ticks.map((t) => measure(t.label))) + 6 > band;
    } else {
      const sample = data.xKind === 'time' ? 'Mar 30, 2024' : formatTick(x1);
      const maxCount = Math.max(2, Math.floor((right - left) / (measure(sample) + 24)));
      const time = data.xKind === 'time' ? timeTicks(x0, x1, maxCount) : undefined;
      const values = time?.ticks ?? niceTicks(x0, x1, maxCount).filter((v) => v >= x0 && v <= x1);
      // Values too close for any step to fall between them (within a minute, or float precision): the middle is labelled.
      if (values.length === 0) values.push((x0 + x1) / 2);
      const labels = time ? timeLabels(values, time.unit) : values.map(formatTick);
      ticks = values.map((v, k) => ({ v, label: labels[k]! }));
    }
    const positions = ticks.map((t) => px(t.v));
    // Rotated 45°, labels need only their line height (over sin 45°) of room along the axis.
    const widths = rotate ? ticks.map(() => FONT_HEIGHT * 1.42) : ticks.map((t) => measure(t.label));
    const shown = thinLabels(positions, widths, rotate ? 2 : 10).map((k) => ({ ...ticks[k]!, at: positions[k]!, width: measure(ticks[k]!.label) }));
    return { shown, rotate, px };
  };
  let left = leftTicks || !rightTicks ? axisWidth(leftTicks ?? [0, 1]) : 12;
  const right = width - (rightTicks ? axisWidth(rightTicks) : 16);
  let x = xTicks(left, right);
  // Rotated labels reach left of their ticks: widen the margin rather than cut the first ones.
  // (A wider margin narrows the bands, which moves the first tick less: a few rounds.)
  for (let round = 0; round < 4 && x.rotate && x.shown.length > 0; round++) {
    const reach = Math.max(...x.shown.map((t) => (t.width + FONT_HEIGHT) * 0.71 - (t.at - 2)));
    if (reach <= 0) break;
    left += reach + 1;
    x = xTicks(left, right);
  }
  const labelsHeight = x.rotate ? Math.max(0, ...x.shown.map((t) => t.width)) * 0.71 + FONT_HEIGHT : FONT_HEIGHT;
  const bottom = top + PLOT_HEIGHT;
  const labelY = bottom + 6 + FONT_HEIGHT - 2;
  const titleY = bottom + 6 + labelsHeight + 6 + FONT_HEIGHT - 2;
  const height = titleY + 6;
  const xAxisTicks: AxisTick[] = x.shown.map((t) => {
    // Horizontal labels at the plot's ends are anchored inward rather than clipped by the edge.
    const anchor = x.rotate ? 'end' : t.at - t.width / 2 < 2 ? 'start' : t.at + t.width / 2 > width - 2 ? 'end' : 'middle';
    return { at: t.at, label: t.label, anchor, ...(t.title ? { title: t.title } : {}) };
  });

  const yScale = (ticks: number[]) => (v: number) => bottom - ((v - ticks[0]!) / (ticks[ticks.length - 1]! - ticks[0]! || 1)) * PLOT_HEIGHT;
  const yAxes: ValueAxis[] = [];
  for (const [side, ticks] of [
    ['left', leftTicks ?? (rightTicks ? undefined : [0, 1])],
    ['right', rightTicks],
  ] as const) {
    if (!ticks) continue;
    const y = yScale(ticks);
    yAxes.push({ side, title: titleOf(side), ticks: ticks.map((t) => ({ at: y(t), label: formatTick(t), anchor: side === 'left' ? 'end' : 'start' })) });
  }
  const ticksOf = (i: number) => (axisOf(i) === 'right' ? rightTicks : leftTicks) ?? [0, 1];
  // Bars and areas grow from zero, or from the axis's end nearest to it.
  const zeroIn = (ticks: number[]) => Math.min(Math.max(0, ticks[0]!), ticks[ticks.length - 1]!);
  const baseline = yScale(leftTicks ?? [0, 1])(zeroIn(leftTicks ?? [0, 1]));

  // Marks.
  const slot = (x.px(x0 + gap) - x.px(x0)) * 0.8;
  const grouped = visible.filter((i) => markOf(i) === 'bar');
  const stackBase = new Map<number, { pos: number; neg: number }>();
  const text = (i: number, p: ChartPoint) => `${p.label}: ${data.series[i]!.name} = ${p.y}`;
  const marks: Mark[] = visible.map((i): Mark => {
    const kind = markOf(i);
    const points = xsOf(i);
    const y = yScale(ticksOf(i));
    if (kind === 'bar' || kind === 'stack') {
      const w = kind === 'bar' ? slot / grouped.length : slot;
      const offset = kind === 'bar' ? -slot / 2 + w * grouped.indexOf(i) : -slot / 2;
      const rects = points.flatMap((p) => {
        if (p.y === null) return [];
        let from = 0;
        if (kind === 'stack') {
          const s = stackBase.get(p.x) ?? { pos: 0, neg: 0 };
          from = p.y >= 0 ? s.pos : s.neg;
          if (p.y >= 0) s.pos += p.y;
          else s.neg += p.y;
          stackBase.set(p.x, s);
        }
        const a = y(from);
        const b = y(from + p.y);
        return [{ x: x.px(p.x) + offset, y: Math.min(a, b), width: Math.max(1, w - 1), height: Math.max(0.5, Math.abs(a - b)), title: text(i, p) }];
      });
      return { kind: 'bars', series: i, rects };
    }
    let d = '';
    let area = '';
    let run: string[] = [];
    const base = y(zeroIn(ticksOf(i))).toFixed(1);
    // An area per run of points between NULLs, closed down to the baseline.
    const close = () => {
      if (run.length > 0) area += `M${run[0]!.split(',')[0]},${base}L${run.join('L')}L${run[run.length - 1]!.split(',')[0]},${base}Z`;
      run = [];
    };
    for (const p of points) {
      if (p.y === null) {
        close();
        continue;
      }
      const at = `${x.px(p.x).toFixed(1)},${y(p.y).toFixed(1)}`;
      d += `${run.length ? 'L' : 'M'}${at}`;
      run.push(at);
    }
    close();
    const withDots = kind === 'dots' || points.length <= 60;
    const r = kind === 'dots' ? (points.length > 300 ? 2 : 3) : 2.5;
    const dots = withDots ? points.flatMap((p) => (p.y === null ? [] : [{ cx: x.px(p.x), cy: y(p.y), r, title: text(i, p) }])) : [];
    return { kind, series: i, d: kind === 'dots' ? '' : d, area: kind === 'area' ? area : '', dots };
  });
  return {
    width,
    height,
    plot: { left, top, right, bottom },
    legend: data.series.map((_, i) => ({ series: i, name: legendName(i), x: 12 + legendAt[i]!.x, y: 8 + legendAt[i]!.y, hidden: hidden.has(i) })),
    xAxis: { title: xTitle, ticks: xAxisTicks, rotate: x.rotate, labelY, titleY },
    yAxes,
    baseline,
    marks,
    split,
  };
}
