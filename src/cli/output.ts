// A statement's result as the CLI prints or saves it: an aligned table (as psql draws it),
// CSV (RFC 4180 with a header, as COPY ... CSV HEADER writes it) or JSON.
import type { StatementResult } from '../fdw/runtime/runtime.js';
import { csvField, pgText } from './valueText.js';

export type OutputFormat = 'table' | 'csv' | 'json';

const NUMERIC = /^(smallint|integer|bigint|numeric|real|double precision|oid)(\(|$)/;

/** psql's aligned format: numbers to the right, NULL as empty, `(N rows)` under it. */
/** `total`: rows of the whole result, when `result.rows` holds only its first ones. */
export function formatTable(result: StatementResult, maxRows = Infinity, total = result.rows.length): string {
  if (result.columns.length === 0) return result.command;
  const shown = result.rows.slice(0, maxRows);
  const cells = shown.map((row) => row.map((v, i) => (pgText(v, result.columns[i]!.type) ?? '').replace(/\r?\n/g, '↵')));
  const widths = result.columns.map((c, i) => Math.max(c.name.length, ...cells.map((r) => r[i]!.length)));
  const right = result.columns.map((c) => NUMERIC.test(c.type));
  const line = (values: string[], header = false) =>
    ' ' + values.map((v, i) => (header ? center(v, widths[i]!) : right[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join(' | ');
  const out = [line(result.columns.map((c) => c.name), true), widths.map((w) => '-'.repeat(w + 2)).join('+').slice(0), ...cells.map((r) => line(r))];
  const more = total - shown.length;
  out.push(`(${result.rowCount} ${result.rowCount === 1 ? 'row' : 'rows'}${more > 0 ? `, ${more} not shown` : ''})`);
  return out.join('\n');
}

function center(text: string, width: number): string {
  const left = Math.floor((width - text.length) / 2);
  return ' '.repeat(left) + text + ' '.repeat(width - text.length - left);
}

export function formatCsv(result: StatementResult): string {
  const lines = [result.columns.map((c) => csvField(c.name)).join(',')];
  for (const row of result.rows) lines.push(row.map((v, i) => csvField(pgText(v, result.columns[i]!.type))).join(','));
  return lines.join('\r\n') + '\r\n';
}

export function formatJson(result: StatementResult): string {
  const rows = result.rows.map((row) => Object.fromEntries(result.columns.map((c, i) => [c.name, jsonValue(row[i])])));
  return JSON.stringify({ command: result.command, columns: result.columns.map(({ name, type }) => ({ name, type })), rowCount: result.rowCount, rows }, null, 2);
}

export function jsonValue(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : String(value);
  if (value instanceof Uint8Array) return pgText(value);
  if (Array.isArray(value)) return value.map(jsonValue);
  return value;
}

/** The line under a result: timing, API requests, and where each foreign table's rows came from. */
export function describeSources(result: StatementResult): string {
  const parts = [`${result.elapsedMs.toFixed(0)} ms`];
  if (result.requests > 0) parts.push(`${result.requests} API ${result.requests === 1 ? 'request' : 'requests'}`);
  for (const s of result.sources) {
    const how = s.fromCache ? `cached ${Math.round(s.ageMs / 1000)} s ago` : 'fetched';
    const pushed = s.pushed.length > 0 ? `, pushed down: ${s.pushed.join(' and ')}` : '';
    parts.push(`${s.table}: ${s.rows} rows ${how}${pushed}`);
  }
  return parts.join(' · ');
}
