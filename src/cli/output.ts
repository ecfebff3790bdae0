// A statement's result as the CLI prints or saves it: an aligned table (as psql draws it), CSV
// (RFC 4180 with a header, as COPY ... CSV HEADER writes it), JSON or NDJSON. Results are written
// as their rows arrive, a page at a time (ResultOutput), so a result of any size takes the memory
// of a page; the row serializers are also the notebook export's (src/notebook/export.ts).
import type { Column } from '../fdw/db/protocol.js';
import type { StatementResult } from '../fdw/runtime/runtime.js';
import { csvField, pgText, terminalText } from './valueText.js';

export type OutputFormat = 'table' | 'csv' | 'json' | 'ndjson';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'csv', 'json', 'ndjson'];

const NUMERIC = /^(smallint|integer|bigint|numeric|real|double precision|oid)(\(|$)/;

/**
 * psql's aligned table, drawn a page of rows at a time: each page is aligned on the widest value
 * so far (psql does the same with FETCH_COUNT), the header on the first page's. Values and names
 * have their control characters escaped (terminalText).
 */
class AlignedTable {
  readonly #columns: readonly Column[];
  readonly #right: boolean[];
  #widths: number[];
  #headerDone = false;

  constructor(columns: readonly Column[]) {
    this.#columns = columns;
    this.#right = columns.map((c) => NUMERIC.test(c.type));
    this.#widths = columns.map((c) => terminalText(c.name).length);
  }

  /** The lines of `rows`, after the header's if none was drawn yet. */
  lines(rows: readonly unknown[][]): string[] {
    const cells = rows.map((row) => row.map((v, i) => terminalText(pgText(v, this.#columns[i]!.type) ?? '')));
    this.#widths = this.#widths.map((w, i) => Math.max(w, ...cells.map((r) => r[i]!.length)));
    const line = (values: string[], header = false) =>
      ' ' + values.map((v, i) => (header ? center(v, this.#widths[i]!) : this.#right[i] ? v.padStart(this.#widths[i]!) : v.padEnd(this.#widths[i]!))).join(' | ');
    const out: string[] = [];
    if (!this.#headerDone) {
      out.push(line(this.#columns.map((c) => terminalText(c.name)), true), this.#widths.map((w) => '-'.repeat(w + 2)).join('+'));
      this.#headerDone = true;
    }
    for (const r of cells) out.push(line(r));
    return out;
  }
}

function center(text: string, width: number): string {
  const left = Math.floor((width - text.length) / 2);
  return ' '.repeat(left) + text + ' '.repeat(width - text.length - left);
}

function rowsFooter(rowCount: number, notShown: number): string {
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
export function csvHeader(columns: readonly Column[]): string {
  return columns.map((c) => csvField(c.name)).join(',') + '\r\n';
}

/** One CSV line. */
export function csvRow(columns: readonly Column[], row: readonly unknown[]): string {
  return row.map((v, c) => csvField(pgText(v, columns[c]!.type))).join(',') + '\r\n';
}

/**
 * One row as a JSON object keyed by column name: bigints exact (a number when it is safe, else a
 * string), bytea as Postgres's hex text. C1 control characters and DEL are escaped as well, which
 * JSON.stringify does not do, so that printing it cannot drive a terminal: the value is the same.
 */
export function jsonRow(columns: readonly Column[], row: readonly unknown[]): string {
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

/** Writes text, waiting while the stream's buffer is full: what waits to be written stays bounded. */
export async function writeText(out: NodeJS.WritableStream, text: string): Promise<void> {
  if (text === '' || out.write(text)) return;
  await new Promise<void>((resolve, reject) => {
    const done = (error?: Error) => {
      out.off('drain', done);
      out.off('error', done);
      if (error) reject(error);
      else resolve();
    };
    out.on('drain', done);
    out.on('error', done);
  });
}

export interface ResultLabel {
  cell: number;
  /** `cell04-stmt1`: the name of the result's --out file. */
  name: string;
}

/**
 * The results of a run, written to `out` in one format as their rows arrive (and, with `outDir`
 * given by the caller, to a CSV file each). JSON is one document, an array of the results with
 * columns (`{cell, statement, command, columns, rows, rowCount}`), closed by end() whatever
 * happened; NDJSON is one line per row, `{cell, statement, row}`.
 */
export class ResultOutput {
  #results = 0;

  constructor(
    private readonly format: OutputFormat,
    private readonly out: NodeJS.WritableStream,
    /** Rows printed per result in table format. */
    private readonly maxPrintedRows = Infinity,
  ) {}

  /** Writes one result, reading its pages; `file` gets it as CSV too. */
  async write(result: StatementResult, pages: AsyncIterable<unknown[][]>, label: ResultLabel, file?: NodeJS.WritableStream): Promise<void> {
    const { columns } = result;
    const to = (text: string) => writeText(this.out, text);
    if (file) await writeText(file, csvHeader(columns));
    if (this.format === 'table') {
      await to(`-- ${label.name}: ${describeSources(result)}\n`);
      if (columns.length === 0) {
        for await (const page of pages) void page;
        return to(`${result.command}\n\n`);
      }
    } else if (columns.length === 0) {
      for await (const page of pages) void page;
      return;
    } else if (this.format === 'csv') {
      await to(csvHeader(columns));
    } else if (this.format === 'json') {
      const head = JSON.stringify({ cell: label.cell, statement: result.statement + 1, command: result.command, columns: columns.map(({ name, type }) => ({ name, type })) });
      await to(`${this.#results === 0 ? '[\n' : ',\n'}${head.slice(0, -1)},"rows":[`);
    }
    this.#results++;
    const table = new AlignedTable(columns);
    let rows = 0;
    let printed = 0;
    try {
      for await (const page of pages) {
        let text = '';
        if (this.format === 'table') {
          const shown = page.slice(0, Math.max(0, this.maxPrintedRows - printed));
          printed += shown.length;
          if (shown.length > 0 || rows === 0) text = table.lines(shown).join('\n') + '\n';
        } else if (this.format === 'csv') {
          for (const row of page) text += csvRow(columns, row);
        } else if (this.format === 'json') {
          for (const [i, row] of page.entries()) text += (rows + i === 0 ? '\n' : ',\n') + jsonRow(columns, row);
        } else {
          const prefix = `{"cell":${label.cell},"statement":${result.statement + 1},"row":`;
          for (const row of page) text += `${prefix}${jsonRow(columns, row)}}\n`;
        }
        rows += page.length;
        await to(text);
        if (file) await writeText(file, page.map((row) => csvRow(columns, row)).join(''));
      }
    } finally {
      // Closed also when the rows stop with an error, so that a JSON document stays whole.
      if (this.format === 'table') await to(`${rowsFooter(rows, rows - printed)}\n\n`);
      else if (this.format === 'csv') await to('\n');
      else if (this.format === 'json') await to(`${rows > 0 ? '\n' : ''}],"rowCount":${rows}}`);
    }
  }

  /** Ends the output: closes the JSON document. */
  async end(): Promise<void> {
    if (this.format === 'json') await writeText(this.out, this.#results === 0 ? '[]\n' : '\n]\n');
  }
}
