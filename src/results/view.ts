// A view of a result's rows: sort keys and filters, and which rows it keeps, in what order. The one
// set of rules wherever the rows are: the grid's own rows (the renderer) and a result's rows kept
// in the runtime's thread or the extension (keptRows.ts). Both read a cell as Postgres's text of it,
// so they agree. Pure: no DOM, no Node, no vscode.
//
// Order is Postgres's: NULLs last ascending and first descending; numbers numerically (bigints and
// numeric exactly), dates and timestamps by time, everything else by code point (Postgres's "C"
// collation, not a language's: 'B' < 'a').
import type { Column } from '../fdw/db/protocol.js';
import { shownText } from './valueText.js';

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
  /** Contains, case-insensitively, in any column's text as the grid shows it ("null" finds NULLs, "true" a true boolean). */
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
  const n = Number(text);
  // money: `$1,234.50`.
  return Number.isNaN(n) ? Number(text.replace(/[$,]/g, '')) : n;
}

/**
 * Postgres's text of a date or timestamp as milliseconds since the epoch, to the microsecond (UTC
 * when it has no offset, so a column orders the same on every machine); NaN when it is not one
 * (a time of day, BC). Postgres's ISO output (`2025-01-31`, `2025-01-31 12:00:00.123456+05:30`)
 * is read by hand, as a million of them are parsed for a sort; other forms (typed into a range
 * filter: `2025-01-31T12:00Z`) as JavaScript reads them.
 */
export function parseDate(text: string): number {
  if (text === 'infinity') return Infinity;
  if (text === '-infinity') return -Infinity;
  const iso = isoMillis(text);
  return iso !== undefined ? iso : / BC$/.test(text) ? Number.NaN : Date.parse(text);
}

/** The digits of text[start, end) as a number, -1 when one is not a digit. */
function digits(text: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) {
    const d = text.charCodeAt(i) - 48;
    if (!(d >= 0 && d <= 9)) return -1;
    value = value * 10 + d;
  }
  return value;
}

/** `YYYY-MM-DD[ HH:MM:SS[.f]][±HH[:MM[:SS]]]` as milliseconds; undefined when text is not of that form. */
function isoMillis(text: string): number | undefined {
  const n = text.length;
  if (n < 10 || text[4] !== '-' || text[7] !== '-') return undefined;
  const [year, month, day] = [digits(text, 0, 4), digits(text, 5, 7), digits(text, 8, 10)];
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  let ms = daysFromCivil(year, month, day) * 86_400_000;
  let i = 10;
  if (i < n && (text[i] === ' ' || text[i] === 'T') && text[i + 3] === ':' && text[i + 6] === ':') {
    const [h, m, sec] = [digits(text, i + 1, i + 3), digits(text, i + 4, i + 6), digits(text, i + 7, i + 9)];
    if (h < 0 || m < 0 || sec < 0) return undefined;
    ms += ((h * 60 + m) * 60 + sec) * 1000;
    i += 9;
    if (text[i] === '.') {
      let end = i + 1;
      while (end < n && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end++;
      ms += Number(text.slice(i, end)) * 1000;
      i = end;
    }
  }
  if (i < n && (text[i] === '+' || text[i] === '-')) {
    const sign = text[i] === '-' ? -1 : 1;
    let offset = 0;
    // Hours, then minutes and seconds each after a colon (Postgres writes `+05:30`, `+00:03:58` for LMT).
    for (let unit = 3600; unit >= 1 && i < n; unit /= 60) {
      const part = digits(text, i + 1, i + 3);
      if (part < 0) return undefined;
      offset += part * unit;
      i += 3;
      if (text[i] !== ':') break;
    }
    ms -= sign * offset * 1000;
  }
  return i === n ? ms : undefined;
}

/** Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

/** A cell's number (numbers, dates) for ordering, NaN when it has none; text orders the rest and breaks ties. */
export function numericKey(text: string | null, kind: ColumnKind): number {
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
export function compareKeyed(a: string | null, b: string | null, ka: number, kb: number, kind: ColumnKind): number {
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
    // The same instant written with two offsets is one value, as in Postgres.
    if (!na) return 0;
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
  const kinds = columns.map((c) => columnKind(c.type));
  // Text is matched as the grid shows it: a boolean as true / false.
  const shown = (r: number, c: number) => {
    const text = cell(r, c);
    return text === null || kinds[c] !== 'boolean' ? text : shownText(text, 'boolean');
  };
  const needle = view.filter.trim().toLowerCase();
  if (needle !== '') tests.push((r) => columns.some((_, c) => containsText(shown(r, c), needle)));
  for (const f of view.columns) {
    const c = f.column;
    if (f.kind === 'values') {
      const set = new Set(f.values);
      tests.push((r) => set.has(cell(r, c)));
    } else if (f.kind === 'contains') {
      const text = f.text.trim().toLowerCase();
      tests.push((r) => containsText(shown(r, c), text));
    } else {
      const kind = kinds[c] ?? 'text';
      const { min, max } = f;
      tests.push((r) => {
        const v = cell(r, c);
        return v !== null && (min === undefined || compareValues(v, min, kind) >= 0) && (max === undefined || compareValues(v, max, kind) <= 0);
      });
    }
  }
  return (r) => tests.every((t) => t(r));
}

/** Rows [0, count) passing the view's filters, in query order. */
export function filterRows(count: number, columns: readonly ViewColumn[], cell: CellText, view: GridView): Uint32Array {
  const keep = isFiltered(view) ? rowFilter(columns, cell, view) : undefined;
  const rows = new Uint32Array(count);
  let n = 0;
  for (let r = 0; r < count; r++) if (!keep || keep(r)) rows[n++] = r;
  return n === count ? rows : rows.slice(0, n);
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
  for (const r of filterRows(count, columns, cell, others)) {
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
