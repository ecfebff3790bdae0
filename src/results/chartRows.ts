// The rows a chart is drawn from, read from every row of the result where it is kept (the
// runtime's thread, the extension, or the output when it is the whole result). Few enough to draw:
// all of them. More, with a time or number x: per series and per step of x, the rows holding each
// y's lowest and highest value and the step's first and last x, which keeps the drawn shape of a
// line, its peaks and dips (M4, as plotting tools reduce long series). More with a category x: the
// first rows, said so. Pure.
import { parseDate, parseNumber, type CellText } from './view.js';

/** Series a chart draws; rows of the others are left out. */
export const MAX_GROUPS = 12;
/** Rows sent to a chart at most. */
export const CHART_ROW_LIMIT = 20_000;

/** The columns a chart draws (indexes into the result's), and how its x is read. */
export interface ChartColumns {
  x: number;
  /** `number` for numbers, epoch milliseconds included. */
  xRead: 'date' | 'number' | 'category';
  series?: number;
  y: number[];
}

/** The result's columns a ChartRows row holds, in its order: x, the series (when chosen), each y. */
export function chartRowColumns(columns: ChartColumns): number[] {
  return [columns.x, ...(columns.series !== undefined ? [columns.series] : []), ...columns.y];
}

/** Rows of chartRowColumns, in query order. */
export interface ChartRows {
  rows: (string | null)[][];
  /** Rows of the result. */
  total: number;
  /** How `rows` came from them: all; per step of x (`steps` of them); the first ones. */
  drawn: { from: 'all' } | { from: 'steps'; steps: number } | { from: 'first' };
  /** Rows left out here: no x, or a series past MAX_GROUPS. */
  omitted: number;
}

export function chartRows(count: number, cell: CellText, columns: ChartColumns, limit = CHART_ROW_LIMIT): ChartRows {
  const picked = chartRowColumns(columns);
  const rowsOf = (rows: Iterable<number>) => Array.from(rows, (r) => picked.map((c) => cell(r, c)));
  const range = (n: number) => Array.from({ length: n }, (_, r) => r);
  if (count <= limit) return { rows: rowsOf(range(count)), total: count, drawn: { from: 'all' }, omitted: 0 };
  if (columns.xRead === 'category') return { rows: rowsOf(range(limit)), total: count, drawn: { from: 'first' }, omitted: 0 };

  const read = columns.xRead === 'date' ? parseDate : parseNumber;
  const xs = new Float64Array(count);
  const group = new Int32Array(count).fill(-1);
  const groups = new Map<string | null, number>();
  let [min, max, omitted] = [Infinity, -Infinity, 0];
  for (let r = 0; r < count; r++) {
    const text = cell(r, columns.x);
    const x = text === null ? Number.NaN : read(text);
    const key = columns.series === undefined ? '' : cell(r, columns.series);
    if (!groups.has(key) && groups.size < MAX_GROUPS) groups.set(key, groups.size);
    const g = groups.get(key);
    if (!Number.isFinite(x) || g === undefined) {
      omitted++;
      continue;
    }
    xs[r] = x;
    group[r] = g;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  // Per step: the first and last x, and each y's lowest and highest.
  const perStep = 2 + 2 * columns.y.length;
  const steps = Math.max(1, Math.floor(limit / (Math.max(1, groups.size) * perStep)));
  const slots = groups.size * steps;
  const best = Array.from({ length: perStep }, () => new Int32Array(slots).fill(-1));
  const bestValue = Array.from({ length: perStep }, () => new Float64Array(slots));
  const span = max - min;
  for (let r = 0; r < count; r++) {
    if (group[r]! < 0) continue;
    const x = xs[r]!;
    const slot = group[r]! * steps + (span > 0 ? Math.min(steps - 1, Math.floor(((x - min) / span) * steps)) : 0);
    // Lower is kept for even measures (first x, each y's lowest), higher for odd ones.
    const offer = (m: number, value: number) => {
      const cur = best[m]![slot]!;
      if (cur < 0 || (m % 2 === 0 ? value < bestValue[m]![slot]! : value > bestValue[m]![slot]!)) {
        best[m]![slot] = r;
        bestValue[m]![slot] = value;
      }
    };
    offer(0, x);
    offer(1, x);
    columns.y.forEach((c, k) => {
      const text = cell(r, c);
      const y = text === null ? Number.NaN : parseNumber(text);
      if (Number.isFinite(y)) {
        offer(2 + 2 * k, y);
        offer(3 + 2 * k, y);
      }
    });
  }
  const kept = new Set<number>();
  for (const rows of best) for (const r of rows) if (r >= 0) kept.add(r);
  return { rows: rowsOf([...kept].sort((a, b) => a - b)), total: count, drawn: { from: 'steps', steps }, omitted };
}
