// Export of a statement's full result (not only the rows in the cell output): CSV as
// COPY ... CSV HEADER writes it or JSON, row by row as the CLI writes them (src/cli/output.ts),
// produced in chunks so that a large result streams to disk without one big string.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { StatementResult } from '../fdw/runtime/runtime.js';
import { rowSlices } from '../fdw/thread/rowSlices.js';
import { csvHeader, csvRow, jsonRow } from '../results/formats.js';

export type ExportFormat = 'csv' | 'json';

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

/** An export source whose rows are read a page at a time, e.g. from the runtime's thread. */
export function pagedSource(result: StatementResult, total: number, read: (offset: number, count: number) => Promise<unknown[][]>): ExportSource {
  return {
    ...sourceOf(result),
    total,
    async *pages() {
      // Pages as rows cross threads: small enough not to hold either one.
      for (const { offset, count } of rowSlices(total, result.columns.length)) yield await read(offset, count);
    },
  };
}

/** Chunks of the export text, each of about `rowsPerChunk` rows; their concatenation is the file. */
export async function* exportChunks(source: ExportSource, format: ExportFormat, rowsPerChunk = 2000): AsyncGenerator<string> {
  const { columns } = source;
  const line =
    format === 'csv' ? (row: unknown[]) => csvRow(columns, row) : (row: unknown[], first: boolean) => (first ? '\n    ' : ',\n    ') + jsonRow(columns, row);
  let chunk =
    format === 'csv'
      ? csvHeader(columns)
      : JSON.stringify({ command: source.command, columns: columns.map(({ name, type }) => ({ name, type })), rowCount: source.rowCount }, null, 2).replace(
          /\n}$/,
          ',\n  "rows": [',
        );
  let n = 0;
  for await (const page of source.pages()) {
    for (const row of page) {
      chunk += line(row, n === 0);
      if (++n % rowsPerChunk === 0) {
        yield chunk;
        chunk = '';
      }
    }
  }
  if (format === 'json') chunk += n ? '\n  ]\n}\n' : ']\n}\n';
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
