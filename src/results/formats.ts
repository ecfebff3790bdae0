// A statement's result as text: psql's aligned table (drawn a page at a time), CSV (RFC 4180
// with a header, as COPY ... CSV HEADER writes it), JSON rows, Markdown table rows, and the line under a result that
// says where its rows came from. Pure: the CLI writes them (src/cli/output.ts), the notebook shows
// and exports them (src/notebook/outputs.ts, export.ts).
import type { Column } from '../fdw/db/protocol.js';
import type { StatementResult } from '../fdw/runtime/runtime.js';
import { csvField, pgText, terminalText } from './valueText.js';
import { columnKind } from './view.js';

/** Numbers are right-aligned, as psql aligns them (money too). */
const rightAligned = (type: string) => columnKind(type) === 'number';

/**
 * psql's aligned table, drawn a page of rows at a time: each page is aligned on the widest value
 * so far (psql does the same with FETCH_COUNT), the header on the first page's. Values and names
 * have their control characters escaped (terminalText).
 */
export class AlignedTable {
  private readonly columns: readonly Column[];
  private readonly right: boolean[];
  private widths: number[];
  private headerDone = false;

  constructor(columns: readonly Column[]) {
    this.columns = columns;
    this.right = columns.map((c) => rightAligned(c.type));
    this.widths = columns.map((c) => terminalText(c.name).length);
  }

  /** The lines of `rows`, after the header's if none was drawn yet. */
  lines(rows: readonly unknown[][]): string[] {
    const cells = rows.map((row) => row.map((v, i) => terminalText(pgText(v, this.columns[i]!.type) ?? '')));
    this.widths = this.widths.map((w, i) => Math.max(w, ...cells.map((r) => r[i]!.length)));
    const line = (values: string[], header = false) =>
      ' ' + values.map((v, i) => (header ? center(v, this.widths[i]!) : this.right[i] ? v.padStart(this.widths[i]!) : v.padEnd(this.widths[i]!))).join(' | ');
    const out: string[] = [];
    if (!this.headerDone) {
      out.push(
        line(
          this.columns.map((c) => terminalText(c.name)),
          true,
        ),
        this.widths.map((w) => '-'.repeat(w + 2)).join('+'),
      );
      this.headerDone = true;
    }
    for (const r of cells) out.push(line(r));
    return out;
  }
}

function center(text: string, width: number): string {
  const left = Math.floor((width - text.length) / 2);
  return ' '.repeat(left) + text + ' '.repeat(width - text.length - left);
}

export function rowsFooter(rowCount: number, notShown: number): string {
  return `(${rowCount} ${rowCount === 1 ? 'row' : 'rows'}${notShown > 0 ? `, ${notShown} not shown` : ''})`;
}

/** psql's aligned format: numbers to the right, NULL as empty, `(N rows)` under it. */
/** `total`: rows of the whole result, when `result.rows` holds only its first ones. */
export function formatTable(result: StatementResult, maxRows = Infinity, total = result.rows.length): string {
  if (result.columns.length === 0) return result.command;
  const shown = result.rows.slice(0, maxRows);
  return [...new AlignedTable(result.columns).lines(shown), rowsFooter(result.rowCount, total - shown.length)].join('\n');
}

/** The CSV header line, as COPY ... CSV HEADER writes it. */
export function csvHeader(columns: readonly Pick<Column, 'name'>[]): string {
  return csvLine(columns.map((c) => c.name));
}

/** One CSV line. */
export function csvRow(columns: readonly Column[], row: readonly unknown[]): string {
  return csvLine(row.map((v, c) => pgText(v, columns[c]!.type)));
}

/** One CSV line of values as Postgres's text (null: NULL). */
export function csvLine(texts: readonly (string | null)[]): string {
  return texts.map(csvField).join(',') + '\r\n';
}

/** A Markdown table's head: the column names, and a rule that right-aligns numbers. */
export function markdownHeader(columns: readonly Pick<Column, 'name' | 'type'>[]): string {
  return markdownLine(columns.map((c) => c.name)) + `|${columns.map((c) => (rightAligned(c.type) ? ' ---: ' : ' --- ')).join('|')}|\n`;
}

/** One Markdown table row; NULL is an empty cell. */
export function markdownRow(columns: readonly Column[], row: readonly unknown[]): string {
  return markdownLine(row.map((v, c) => pgText(v, columns[c]!.type)));
}

/** One Markdown table row of values as Postgres's text; NULL is an empty cell. */
export function markdownLine(texts: readonly (string | null)[]): string {
  return `| ${texts.map((t) => markdownCell(t ?? '')).join(' | ')} |\n`;
}

/** A value in a Markdown table cell: `|` escaped, line breaks as <br> (a cell is one line). */
function markdownCell(text: string): string {
  return text.replace(/[\\|]/g, '\\$&').replace(/\r?\n|\r/g, '<br>');
}

/**
 * One row as a JSON object keyed by column name: bigints exact (a number when it is safe, else a
 * string), bytea as Postgres's hex text. C1 control characters and DEL are escaped as well, which
 * JSON.stringify does not do, so that printing it cannot drive a terminal: the value is the same.
 */
export function jsonRow(columns: readonly Pick<Column, 'name'>[], row: readonly unknown[]): string {
  const text = JSON.stringify(Object.fromEntries(columns.map((c, i) => [c.name, jsonValue(row[i])])));
  return text.replace(/[\x7f-\x9f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function jsonValue(value: unknown): unknown {
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
  // Table names and pushed-down values are the notebook's.
  return terminalText(parts.join(' · '));
}
