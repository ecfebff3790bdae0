// Export of a statement's full result (not only the rows in the cell output), as the query gave it
// or as the grid shows it (sorted and filtered, see viewSource): CSV as COPY ... CSV HEADER writes
// it, JSON (an array of the rows as objects), NDJSON (one object a line) or a Markdown table, row by
// row as the CLI writes them (results/formats.ts), produced in chunks so that a large result
// streams to disk without one big string.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { StatementResult } from '../fdw/runtime/runtime.js';
import { rowSlices } from '../fdw/thread/rowSlices.js';
import { csvHeader, csvRow, jsonRow, markdownHeader, markdownRow } from '../results/formats.js';
import type { ExportFormat } from '../results/payload.js';
import type { ViewableRows } from '../results/keptRows.js';
import type { GridView } from '../results/view.js';

/** What an export reads: a result's head, and all its rows in pages, wherever they are kept. */
export interface ExportSource {
  command: string;
  columns: StatementResult['columns'];
  rowCount: number;
  /** Rows of the whole result. */
  total: number;
  pages(): AsyncIterable<unknown[][]>;
}

/** An export source over a result whose rows are all in memory. */
export function sourceOf(result: StatementResult): ExportSource {
  return {
    command: result.command,
    columns: result.columns,
    rowCount: result.rowCount,
    total: result.rows.length,
    async *pages() {
      yield result.rows;
    },
  };
}

/**
 * An export source over a result's rows as a view shows them (`total` of them), read a page at a
 * time wherever they are kept, e.g. the runtime's thread.
 */
export function viewSource(head: Pick<ExportSource, 'command' | 'columns' | 'rowCount'>, rows: ViewableRows, view: GridView, total: number): ExportSource {
  return {
    command: head.command,
    columns: head.columns,
    rowCount: head.rowCount,
    total,
    async *pages() {
      // Pages as rows cross threads: small enough not to hold either one.
      for (const { offset, count } of rowSlices(total, head.columns.length)) yield (await rows.page(view, offset, count)).rows;
    },
  };
}

/** How each format writes its head, a row (`first`: the first one) and its end (`rows`: how many there were). */
const WRITERS: Record<
  ExportFormat,
  { head(columns: ExportSource['columns']): string; row(columns: ExportSource['columns'], row: unknown[], first: boolean): string; tail(rows: number): string }
> = {
  csv: { head: csvHeader, row: csvRow, tail: () => '' },
  json: { head: () => '[', row: (columns, row, first) => (first ? '\n' : ',\n') + jsonRow(columns, row), tail: (rows) => (rows ? '\n]\n' : ']\n') },
  ndjson: { head: () => '', row: (columns, row) => jsonRow(columns, row) + '\n', tail: () => '' },
  markdown: { head: markdownHeader, row: markdownRow, tail: () => '' },
};

/** Chunks of the export text, each of about `rowsPerChunk` rows; their concatenation is the file. */
export async function* exportChunks(source: ExportSource, format: ExportFormat, rowsPerChunk = 2000): AsyncGenerator<string> {
  const { columns } = source;
  const writer = WRITERS[format];
  let chunk = writer.head(columns);
  let n = 0;
  for await (const page of source.pages()) {
    for (const row of page) {
      chunk += writer.row(columns, row, n === 0);
      if (++n % rowsPerChunk === 0) {
        yield chunk;
        chunk = '';
      }
    }
  }
  chunk += writer.tail(n);
  if (chunk) yield chunk;
}

/**
 * Writes the export to a file, waiting for the stream to drain between chunks; `onProgress`
 * gets the rows written so far; `isCancelled` stops it (the partial file is left to the caller).
 * Returns the bytes written.
 */
export async function writeExport(
  source: ExportSource,
  format: ExportFormat,
  path: string,
  onProgress?: (rows: number) => void,
  isCancelled?: () => boolean,
  rowsPerChunk = 2000,
): Promise<{ bytes: number; cancelled: boolean }> {
  const out = createWriteStream(path);
  const failed = new Promise<never>((_, reject) => out.on('error', reject));
  failed.catch(() => undefined);
  let bytes = 0;
  let rows = 0;
  let cancelled = false;
  try {
    for await (const chunk of exportChunks(source, format, rowsPerChunk)) {
      if (isCancelled?.()) {
        cancelled = true;
        break;
      }
      const buf = Buffer.from(chunk, 'utf8');
      bytes += buf.length;
      if (!out.write(buf)) await Promise.race([once(out, 'drain'), failed]);
      rows = Math.min(source.total, rows + rowsPerChunk);
      onProgress?.(rows);
      // Let the extension host breathe between chunks of a large export.
      await new Promise((r) => setImmediate(r));
    }
  } finally {
    out.end();
    await Promise.race([once(out, 'close'), failed]);
  }
  return { bytes, cancelled };
}
