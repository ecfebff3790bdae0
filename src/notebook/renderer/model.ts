// The grid's pure logic (no DOM, no vscode): column kinds from Postgres types, sorting,
// filtering and paging. Shared by the renderer and the tests.

import type { ResultPayload } from '../../results/payload.js';

/** The JSON output item the controller writes (`application/vnd.clerk-sql.result+json`). */
export type GridPayload = ResultPayload;
export type ResultColumn = ResultPayload['columns'][number];

export type ColumnKind = 'number' | 'date' | 'boolean' | 'json' | 'text';

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

export interface SortKey {
  column: number;
  descending: boolean;
}

/** Postgres's text of a number as a JS number (NaN / Infinity as Postgres prints them). */
export function parseNumber(text: string): number {
  if (text === 'NaN') return Number.NaN;
  if (text === 'Infinity') return Infinity;
  if (text === '-Infinity') return -Infinity;
  return Number(text.replace(/[$,]/g, ''));
}

/** Compares two cell values of a column; NULLs sort last ascending (as Postgres does), first descending. */
export function compareValues(a: string | null, b: string | null, kind: ColumnKind): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (kind === 'number') {
    const x = parseNumber(a);
    const y = parseNumber(b);
    // Postgres: NaN is greater than every number.
    if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : 1) : -1;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (kind === 'date') {
    const x = Date.parse(a.replace(' ', 'T'));
    const y = Date.parse(b.replace(' ', 'T'));
    if (!Number.isNaN(x) && !Number.isNaN(y) && x !== y) return x < y ? -1 : 1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Row indexes in sorted order (stable: equal rows keep their query order). */
export function sortRows(rows: (string | null)[][], columns: ResultColumn[], sort: SortKey | undefined): number[] {
  const order = rows.map((_, i) => i);
  if (!sort) return order;
  const kind = columnKind(columns[sort.column]?.type ?? 'text');
  const dir = sort.descending ? -1 : 1;
  return order.sort((i, j) => dir * compareValues(rows[i]![sort.column] ?? null, rows[j]![sort.column] ?? null, kind) || i - j);
}

/** Rows (of `order`) whose any value contains the filter text, case-insensitively; "null" matches NULL. */
export function filterRows(rows: (string | null)[][], order: number[], filter: string): number[] {
  const needle = filter.trim().toLowerCase();
  if (needle === '') return order;
  return order.filter((i) => rows[i]!.some((v) => (v === null ? 'null' === needle : v.toLowerCase().includes(needle))));
}

export interface Page {
  /** 0-based page, clamped to the pages there are. */
  page: number;
  pages: number;
  /** Row indexes on this page. */
  rows: number[];
  /** 1-based position of the first and last row shown (0, 0 when none). */
  first: number;
  last: number;
}

export function pageOf(order: number[], page: number, pageSize: number): Page {
  const pages = Math.max(1, Math.ceil(order.length / pageSize));
  const p = Math.min(Math.max(0, Math.floor(page)), pages - 1);
  const rows = order.slice(p * pageSize, (p + 1) * pageSize);
  return { page: p, pages, rows, first: rows.length ? p * pageSize + 1 : 0, last: rows.length ? p * pageSize + rows.length : 0 };
}

/** "Showing 1–100 of 250 rows" and what the output holds when it was truncated or filtered. */
export function statusText(payload: GridPayload, page: Page, matching: number, filtered: boolean): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const rowsWord = (x: number) => `${n(x)} ${x === 1 ? 'row' : 'rows'}`;
  const range =
    page.first === 0 ? 'no rows' : page.first === 1 && page.last === matching ? `${rowsWord(matching)}` : `${n(page.first)}–${n(page.last)} of ${n(matching)}`;
  const parts = [`Showing ${range}`];
  if (filtered) parts.push(`matching the filter among ${rowsWord(payload.rows.length)} in the output`);
  if (payload.truncated) parts.push(`output truncated to ${rowsWord(payload.rows.length)} of ${rowsWord(payload.rowCount)} (export for all)`);
  else if (page.first !== 1 || page.last !== matching) parts.push(`of ${rowsWord(payload.rowCount)}`);
  return parts.join(', ');
}
