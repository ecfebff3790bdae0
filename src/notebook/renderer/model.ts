// The grid's pure logic (no DOM, no vscode): paging, the status line, sort keys from header clicks,
// and filters as the grid names them. Sorting and filtering themselves are results/view.ts's, the
// same wherever the rows are; charts are chartModel.ts's.

import type { ResultPayload } from '../../results/payload.js';
import { counted } from './counted.js';
import { isFiltered, type ColumnFilter, type GridView, type SortKey } from '../../results/view.js';

/** The JSON output item the controller writes (`application/vnd.clerk-sql.result+json`). */
export type GridPayload = ResultPayload;
export type ResultColumn = ResultPayload['columns'][number];

export interface Page {
  /** 0-based page, clamped to the pages there are. */
  page: number;
  pages: number;
  /** 1-based position of the first and last row shown (0, 0 when none). */
  first: number;
  last: number;
}

/** Page `page` (clamped) of a view of `total` rows. */
export function pageOf(total: number, page: number, pageSize: number): Page {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const p = Math.min(Math.max(0, Math.floor(page)), pages - 1);
  const shown = Math.max(0, Math.min(pageSize, total - p * pageSize));
  return { page: p, pages, first: shown ? p * pageSize + 1 : 0, last: shown ? p * pageSize + shown : 0 };
}

/** What a drawn page of a view is: its place, the rows in the view, and the rows the view is over. */
export interface ViewStatus {
  page: Page;
  /** Rows passing the view's filters. */
  matching: number;
  /** Rows the view was computed over: every row of the result, unless `partial`. */
  over: number;
  /**
   * The view covers only the rows in the output: the rest went with a restarted runtime
   * ('stale'), or this output cannot ask the extension for them ('local').
   */
  partial?: 'stale' | 'local';
}

/**
 * "Showing 1–100 of 312 rows, filtered: 312 of 10,000 rows, sorted by created_at ↓ over all
 * 10,000 rows": what is shown, and over which rows it was filtered and sorted.
 */
export function statusText(payload: GridPayload, view: GridView, { page, matching, over, partial }: ViewStatus): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const rowsWord = (x: number) => counted(x, 'row');
  const range =
    page.first === 0
      ? 'no rows'
      : page.first === 1 && page.last === matching
        ? rowsWord(matching)
        : `${n(page.first)}–${n(page.last)} of ${rowsWord(matching)}`;
  const parts = [`Showing ${range}`];
  const scope = partial
    ? `only the ${rowsWord(over)} in the output (of ${n(payload.rowCount)}${partial === 'stale' ? '; run the cell again to see all' : ''})`
    : `all ${rowsWord(over)}`;
  const filtered = isFiltered(view);
  if (filtered) parts.push(`filtered: ${n(matching)} of ${partial ? scope : rowsWord(over)}`);
  if (view.sort.length > 0) parts.push(`sorted by ${sortText(payload, view.sort)} over ${scope}`);
  if (!filtered && view.sort.length === 0 && over < payload.rowCount)
    parts.push(`output truncated to ${rowsWord(over)} of ${rowsWord(payload.rowCount)} (export for all)`);
  return parts.join(', ');
}

/** "created_at ↓, email ↑" */
export function sortText(payload: GridPayload, sort: readonly SortKey[]): string {
  return sort.map((k) => `${payload.columns[k.column]?.name ?? '?'} ${k.descending ? '↓' : '↑'}`).join(', ');
}

/** Sort keys after a click on column `i`'s header: none, ascending, descending, none; with `more` (shift) it is a further key. */
export function nextSort(sort: readonly SortKey[], i: number, more: boolean): SortKey[] {
  const at = sort.findIndex((k) => k.column === i);
  const key = sort[at];
  const next: SortKey | undefined = !key ? { column: i, descending: false } : key.descending ? undefined : { column: i, descending: true };
  if (!more) return next ? [next] : [];
  const rest = sort.filter((k) => k.column !== i);
  if (!next) return rest;
  return at < 0 ? [...rest, next] : sort.map((k) => (k.column === i ? next : k));
}

/** A column filter as a chip says it: `email contains "gmail"`, `created_at 2024-01-01 … 2024-06-30`, `status = active, banned`. */
export function filterText(name: string, f: ColumnFilter): string {
  if (f.kind === 'contains') return `${name} contains "${f.text}"`;
  if (f.kind === 'range')
    return f.min !== undefined && f.max !== undefined ? `${name} ${f.min} … ${f.max}` : f.min !== undefined ? `${name} ≥ ${f.min}` : `${name} ≤ ${f.max}`;
  const shown = f.values.slice(0, 3).map((v) => (v === null ? 'NULL' : v === '' ? "''" : v));
  return `${name} = ${shown.join(', ')}${f.values.length > 3 ? ` (+${f.values.length - 3})` : ''}`;
}
