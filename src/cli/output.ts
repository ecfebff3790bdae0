// A statement's result as the CLI prints or saves it, in the formats of src/results/formats.ts
// (table, CSV, JSON or NDJSON). Results are written as their rows arrive, a page at a time
// (ResultOutput), so a result of any size takes the memory of a page.
import type { StatementResult } from '../fdw/runtime/runtime.js';
import { AlignedTable, csvHeader, csvRow, describeSources, jsonRow, rowsFooter } from '../results/formats.js';

export type OutputFormat = 'table' | 'csv' | 'json' | 'ndjson';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'csv', 'json', 'ndjson'];

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
  private results = 0;

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
      const head = JSON.stringify({
        cell: label.cell,
        statement: result.statement + 1,
        command: result.command,
        columns: columns.map(({ name, type }) => ({ name, type })),
      });
      await to(`${this.results === 0 ? '[\n' : ',\n'}${head.slice(0, -1)},"rows":[`);
    }
    this.results++;
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
    if (this.format === 'json') await writeText(this.out, this.results === 0 ? '[]\n' : '\n]\n');
  }
}
