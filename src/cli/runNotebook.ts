// Runs a .clerk.sql notebook's code cells in order through one runtime, printing results to
// stdout and progress to stderr; stops at the first error and says where it is.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { cellsForRun } from '../notebook/format.js';
import { CellError, type Runtime, type StatementResult } from '../fdw/runtime/runtime.js';
import { describeSources, formatCsv, formatJson, formatTable, type OutputFormat } from './output.js';

export interface RunNotebookOptions {
  format: OutputFormat;
  /** Write one CSV per result here, named after cell and statement. */
  outDir?: string;
  /** Rows printed per result in table format (all rows go to --out files). */
  maxPrintedRows?: number;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Stops the run: the running statement is cancelled and no further cell runs. */
  signal?: AbortSignal;
}

/** Returns true when every cell ran. */
export async function runNotebook(file: string, runtime: Runtime, opts: RunNotebookOptions): Promise<boolean> {
  const cells = cellsForRun(readFileSync(file, 'utf8')).filter((c) => c.source.trim() !== '');
  if (opts.outDir) mkdirSync(opts.outDir, { recursive: true });
  const progress = new ProgressLine(opts.stderr);
  for (const cell of cells) {
    const label = `${basename(file)} cell ${cell.index}${cell.title ? ` (${cell.title})` : ''}`;
    let results: StatementResult[];
    try {
      results = await runtime.execute(cell.source, {
        signal: opts.signal,
        onProgress: (p) => progress.show(`${label}: ${p.table} ${p.rows.toLocaleString('en-US')}${p.total !== undefined ? ` of ${p.total.toLocaleString('en-US')}` : ''} rows, ${p.requests} requests`),
      });
    } catch (err) {
      progress.clear();
      if (!(err instanceof CellError)) throw err;
      for (const r of err.results) print(r, cell.index, opts);
      const at = err.position;
      const where = at ? `, line ${at.line + 1}, column ${at.character + 1} (file line ${at.line + cell.lineOffset + 1})` : '';
      opts.stderr.write(`\nERROR:  ${err.message}\n  at ${basename(file)} cell ${cell.index}${where}\n  SQLSTATE ${err.code}\n`);
      if (err.detail) opts.stderr.write(`  DETAIL:  ${err.detail}\n`);
      if (err.hint) opts.stderr.write(`  HINT:  ${err.hint}\n`);
      return false;
    }
    progress.clear();
    for (const r of results) print(r, cell.index, opts);
  }
  return true;
}

function print(result: StatementResult, cellIndex: number, opts: RunNotebookOptions): void {
  const name = `cell${String(cellIndex).padStart(2, '0')}-stmt${result.statement + 1}`;
  for (const notice of result.notices) opts.stderr.write(`NOTICE:  ${notice}\n`);
  if (opts.format === 'table') {
    opts.stdout.write(`-- ${name}: ${describeSources(result)}\n${formatTable(result, opts.maxPrintedRows)}\n\n`);
  } else if (result.columns.length > 0) {
    opts.stdout.write(opts.format === 'csv' ? formatCsv(result) + '\n' : formatJson(result) + '\n');
  }
  if (opts.outDir && result.columns.length > 0) writeFileSync(join(opts.outDir, `${name}.csv`), formatCsv(result));
}

/** One status line on stderr, rewritten in place on a terminal, printed sparingly otherwise. */
class ProgressLine {
  private last = 0;
  constructor(private readonly out: NodeJS.WritableStream) {}

  show(text: string): void {
    const tty = (this.out as { isTTY?: boolean }).isTTY;
    const now = Date.now();
    if (!tty && now - this.last < 1000) return;
    this.last = now;
    this.out.write(tty ? `\r\x1b[K${text}` : `${text}\n`);
  }

  clear(): void {
    if ((this.out as { isTTY?: boolean }).isTTY) this.out.write('\r\x1b[K');
  }
}
