// A view of a result's rows: sort keys and filters, and which rows it keeps, in what order. The one
// set of rules wherever the rows are: the grid's own rows (the renderer) and a result's rows kept
// in the runtime's thread or the extension (keptRows.ts). Both read a cell as Postgres's text of it,
// so they agree. Pure: no DOM, no Node, no vscode.
//
// Order is Postgres's: NULLs last ascending and first descending; numbers numerically (bigints and
// numeric exactly), dates and timestamps by time, everything else by code point (Postgres's "C"
// collation, not a language's: 'B' < 'a').
import type { Column } from '../fdw/db/protocol.js';

export type ViewColumn = Pick<Column, 'name' | 'type'>;
export type ColumnKind = 'number' | 'date' | 'boolean' | 'json' | 'text';

export interface SortKey {
  column: number;
  descending: boolean;
}

/** One column's filter: its value is one of `values`, contains `text`, or lies in [min, max] (either may be open). */
export type ColumnFilter =
  | { column: number; kind: 'values'; values: (string | null)[] }
  | { column: number; kind: 'contains'; text: string }
  | { column: number; kind: 'range'; min?: string; max?: string };

/** What the grid shows: rows matching the global filter and every column filter, sorted by the keys in turn. */
export interface GridView {
  sort: SortKey[];
  /** Contains, case-insensitively, in any column's text ("null" finds NULLs). */
  filter: string;
  columns: ColumnFilter[];
}

export const QUERY_ORDER: GridView = { sort: [], filter: '', columns: [] };

/** A cell's text as Postgres prints it (null: SQL NULL), by row and column. */
export type CellText = (row: number, column: number) => string | null;

const NUMBER = /^(smallint|integer|int|int2|int4|int8|bigint|numeric|decimal|real|double precision|float4|float8|oid|money)\b/;
const DATE = /^(date|timestamp|timestamptz|timestamp with(out)? time zone|timestamp\(\d+\)|time\b)/;

export function columnKind(type: string): ColumnKind {
  const t = type.toLowerCase().trim();
  if (t.endsWith('[]')) return 'text';
  if (NUMBER.test(t)) return 'number';
  if (DATE.test(t)) return 'date';
  if (t === 'boolean' || t === 'bool') return 'boolean';
  if (t === 'json' || t === 'jsonb') return 'json';
  return 'text';
}

export function isFiltered(view: GridView): boolean {
  return view.filter.trim() !== '' || view.columns.length > 0;
}

/** Postgres's text of a number as a JS number (NaN / Infinity as Postgres prints them). */
export function parseNumber(text: string): number {
  if (text === 'NaN') return Number.NaN;
  if (text === 'Infinity') return Infinity;
  if (text === '-Infinity') return -Infinity;
  return Number(text.replace(/[$,]/g, ''));
}

/** Postgres's text of a date or timestamp as milliseconds; NaN when it is not one (a time of day, BC). */
export function parseDate(text: string): number {
  if (text === 'infinity') return Infinity;
  if (text === '-infinity') return -Infinity;
  // Postgres writes a whole-hour offset as `+00`, which Date.parse does not read.
  return Date.parse(text.replace(' ', 'T').replace(/(:\d\d(?:\.\d+)?[+-]\d\d)$/, '$1:00'));
}

/** A cell's number (numbers, dates) for ordering, NaN when it has none; text orders the rest and breaks ties. */
function numericKey(text: string | null, kind: ColumnKind): number {
  if (text === null) return Number.NaN;
  return kind === 'number' ? parseNumber(text) : kind === 'date' ? parseDate(text) : Number.NaN;
}

const PLAIN_DECIMAL = /^(-?)0*(\d*)(?:\.(\d*?)0*)?$/;

/** Exact order of two decimals whose floats are equal (bigints past 2^53, long numerics); 0 when either is not plain. */
function compareDecimals(a: string, b: string): number {
  const x = PLAIN_DECIMAL.exec(a);
  const y = PLAIN_DECIMAL.exec(b);
  if (!x || !y || x[1] !== y[1]) return 0;
  const sign = x[1] === '-' ? -1 : 1;
  const [xi, yi] = [x[2]!, y[2]!];
  if (xi.length !== yi.length) return sign * (xi.length - yi.length);
  return sign * compareText(xi + '.' + (x[3] ?? ''), yi + '.' + (y[3] ?? ''));
}

/** Code point order (UTF-16 order differs for characters past U+FFFF against U+E000–U+FFFF). */
export function compareText(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Surrogates (characters past U+FFFF) rank above U+E000–U+FFFF. */
function codePointRank(unit: number): number {
  return unit >= 0xd800 && unit <= 0xdfff ? unit + 0x2000 : unit >= 0xe000 ? unit - 0x800 : unit;
}

/** Ascending order of two cells given their texts and numericKeys: NULLs last, then numbers (NaN after them), then text. */
function compareKeyed(a: string | null, b: string | null, ka: number, kb: number, kind: ColumnKind): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (kind === 'number' || kind === 'date') {
    const na = Number.isNaN(ka);
    const nb = Number.isNaN(kb);
    // Postgres: NaN is greater than every number; a date that is not one orders after the dates.
    if (na !== nb) return na ? 1 : -1;
    if (!na && ka !== kb) return ka < kb ? -1 : 1;
    if (kind === 'number') return na ? 0 : compareDecimals(a, b);
  }
  return compareText(a, b);
}

/** Ascending order of two cells of a column of this kind. */
export function compareValues(a: string | null, b: string | null, kind: ColumnKind): number {
  return compareKeyed(a, b, numericKey(a, kind), numericKey(b, kind), kind);
}

function containsText(text: string | null, needle: string): boolean {
  return text === null ? needle === 'null' : text.toLowerCase().includes(needle);
}

/** Whether a row passes the view's filters. */
function rowFilter(columns: readonly ViewColumn[], cell: CellText, view: GridView): (row: number) => boolean {
  const tests: ((row: number) => boolean)[] = [];
  const needle = view.filter.trim().toLowerCase();
  if (needle !== '') tests.push((r) => columns.some((_, c) => containsText(cell(r, c), needle)));
  for (const f of view.columns) {
    const c = f.column;
    if (f.kind === 'values') {
      const set = new Set(f.values);
      tests.push((r) => set.has(cell(r, c)));
    } else if (f.kind === 'contains') {
      const text = f.text.trim().toLowerCase();
      tests.push((r) => containsText(cell(r, c), text));
    } else {
      const kind = columnKind(columns[c]?.type ?? 'text');
      const { min, max } = f;
      tests.push((r) => {
        const v = cell(r, c);
        return v !== null && (min === undefined || compareValues(v, min, kind) >= 0) && (max === undefined || compareValues(v, max, kind) <= 0);
      });
    }
  }
  return (r) => tests.every((t) => t(r));
}

/** Rows [0, count) in the view: those passing its filters, in its order (stable: ties keep query order). */
export function viewRows(count: number, columns: readonly ViewColumn[], cell: CellText, view: GridView): Uint32Array {
  const keep = rowFilter(columns, cell, view);
  let rows = new Uint32Array(count);
  let n = 0;
  for (let r = 0; r < count; r++) if (keep(r)) rows[n++] = r;
  rows = rows.slice(0, n);
  if (view.sort.length === 0) return rows;
  // Each key's texts and numbers once per row, not once per comparison.
  const keys = view.sort.map(({ column, descending }) => {
    const kind = columnKind(columns[column]?.type ?? 'text');
    const texts = new Array<string | null>(count);
    const numbers = new Float64Array(count);
    for (const r of rows) {
      texts[r] = cell(r, column);
      numbers[r] = numericKey(texts[r], kind);
    }
    return { kind, texts, numbers, dir: descending ? -1 : 1 };
  });
  return rows.sort((i, j) => {
    for (const k of keys) {
      const c = compareKeyed(k.texts[i]!, k.texts[j]!, k.numbers[i]!, k.numbers[j]!, k.kind);
      if (c !== 0) return k.dir * c;
    }
    return i - j;
  });
}

/** A column's most frequent values, and how many distinct ones it has. */
export interface ColumnValues {
  values: { value: string | null; count: number }[];
  distinct: number;
}

/**
 * The `limit` most frequent values of a column among the rows passing the view's other filters
 * (its own would hide the values it leaves out), most frequent first, ties in the column's order.
 */
export function columnValues(count: number, columns: readonly ViewColumn[], cell: CellText, view: GridView, column: number, limit: number): ColumnValues {
  const others: GridView = { sort: [], filter: view.filter, columns: view.columns.filter((f) => f.column !== column) };
  const counts = new Map<string | null, number>();
  for (const r of viewRows(count, columns, cell, others)) {
    const v = cell(r, column);
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const kind = columnKind(columns[column]?.type ?? 'text');
  const values = [...counts]
    .map(([value, n]) => ({ value, count: n }))
    .sort((a, b) => b.count - a.count || compareValues(a.value, b.value, kind))
    .slice(0, limit);
  return { values, distinct: counts.size };
}

/** One view at a time over rows, its order kept so that paging through it costs a slice. */
export class ViewCache {
  private cached: { key: string; rows: Uint32Array } | undefined;

  constructor(
    private readonly count: number,
    private readonly columns: readonly ViewColumn[],
    private readonly cell: CellText,
  ) {}

  /** The rows of the view (indexes into the rows), in its order. */
  rows(view: GridView): Uint32Array {
    const key = JSON.stringify(view);
    if (this.cached?.key !== key) this.cached = { key, rows: viewRows(this.count, this.columns, this.cell, view) };
    return this.cached.rows;
  }

  /** Rows [offset, offset + count) of the view, and how many it has. */
  page(view: GridView, offset: number, count: number): { rows: Uint32Array; total: number } {
    const rows = this.rows(view);
    return { rows: rows.subarray(offset, offset + count), total: rows.length };
  }

  values(view: GridView, column: number, limit: number): ColumnValues {
    return columnValues(this.count, this.columns, this.cell, view, column, limit);
  }
}
