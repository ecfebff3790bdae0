// Export of a statement's full result (not only the rows in the cell output): CSV as
// COPY ... CSV HEADER writes it (the CLI's formatCsv) or JSON (the CLI's formatJson shape),
// produced in chunks so that a large result streams to disk without one big string.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { StatementResult } from '../fdw/runtime/runtime.js';
import { jsonValue } from '../cli/output.js';
import { csvField, pgText } from '../cli/valueText.js';

export type ExportFormat = 'csv' | 'json';

/** Chunks of the export text, each of about `rowsPerChunk` rows; their concatenation is the file. */
export function* exportChunks(result: StatementResult, format: ExportFormat, rowsPerChunk = 2000): Generator<string> {
  const { columns, rows } = result;
  if (format === 'csv') {
    let chunk = columns.map((c) => csvField(c.name)).join(',') + '\r\n';
    for (let i = 0; i < rows.length; i++) {
      chunk += rows[i]!.map((v, c) => csvField(pgText(v, columns[c]!.type))).join(',') + '\r\n';
      if ((i + 1) % rowsPerChunk === 0) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
    return;
  }
  const head = {
    command: result.command,
    columns: columns.map(({ name, type }) => ({ name, type })),
    rowCount: result.rowCount,
  };
  let chunk = JSON.stringify(head, null, 2).replace(/\n}$/, ',\n  "rows": [');
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const obj = Object.fromEntries(columns.map((c, j) => [c.name, jsonValue(row[j])]));
    chunk += (i === 0 ? '\n    ' : ',\n    ') + JSON.stringify(obj);
    if ((i + 1) % rowsPerChunk === 0) {
      yield chunk;
      chunk = '';
    }
  }
  yield chunk + (rows.length ? '\n  ]\n}\n' : ']\n}\n');
}

/**
 * Writes the export to a file, waiting for the stream to drain between chunks; `onProgress`
 * gets the rows written so far; `isCancelled` stops it (the partial file is left to the caller).
 * Returns the bytes written.
 */
export async function writeExport(
  result: StatementResult,
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
    for (const chunk of exportChunks(result, format, rowsPerChunk)) {
      if (isCancelled?.()) {
        cancelled = true;
        break;
      }
      const buf = Buffer.from(chunk, 'utf8');
      bytes += buf.length;
      if (!out.write(buf)) await Promise.race([once(out, 'drain'), failed]);
      rows = Math.min(result.rows.length, rows + rowsPerChunk);
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
