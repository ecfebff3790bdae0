// Runs a .clerk.sql notebook's code cells in order through one runtime, printing results to
// stdout and progress to stderr; stops at the first error and says where it is. Results are
// written as their rows are read from the database, so a run takes the memory of a page of rows,
// whatever the size of its results.
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { basename, join } from 'node:path';
import { cellsForRun } from '../notebook/format.js';
import { CellError, type Runtime, type StatementResult } from '../fdw/runtime/runtime.js';
import { errorText } from '../results/errorText.js';
import { ResultOutput, type OutputFormat } from './output.js';
import { terminalText } from '../results/valueText.js';

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
  const output = new ResultOutput(opts.format, opts.stdout, opts.maxPrintedRows);
  try {
    for (const cell of cells) {
      const label = `${basename(file)} cell ${cell.index}${cell.title ? ` (${cell.title})` : ''}`;
      try {
        await runtime.execute(cell.source, {
          signal: opts.signal,
          onProgress: (p) =>
            progress.show(
              `${label}: ${p.table} ${p.rows.toLocaleString('en-US')}${p.total !== undefined ? ` of ${p.total.toLocaleString('en-US')}` : ''} rows, ${p.requests} requests`,
            ),
          onResult: (result, pages) => {
            progress.clear();
            return write(output, result, pages, cell.index, opts);
          },
        });
      } catch (err) {
        progress.clear();
        if (!(err instanceof CellError)) throw err;
        const place = { text: cell.source, statement: err.statement, cell: `${basename(file)} cell ${cell.index}`, lineOffset: cell.lineOffset };
        opts.stderr.write(`\n${terminalText(errorText(err, place), 'keep')}\n`);
        return false;
      }
      progress.clear();
    }
    return true;
  } finally {
    await output.end();
  }
}

async function write(
  output: ResultOutput,
  result: StatementResult,
  pages: AsyncIterable<unknown[][]>,
  cellIndex: number,
  opts: RunNotebookOptions,
): Promise<void> {
  const name = `cell${String(cellIndex).padStart(2, '0')}-stmt${result.statement + 1}`;
  const printNotices = (notices: string[]) => {
    for (const notice of notices) opts.stderr.write(`NOTICE:  ${terminalText(notice, 'keep')}\n`);
  };
  // The notices raised before the first rows, then those raised while the rest were read.
  const before = result.notices.length;
  printNotices(result.notices);
  const file = opts.outDir && result.columns.length > 0 ? createWriteStream(join(opts.outDir, `${name}.csv`)) : undefined;
  try {
    await output.write(result, pages, { cell: cellIndex, name }, file);
  } finally {
    if (file) {
      file.end();
      await once(file, 'close');
    }
    printNotices(result.notices.slice(before));
  }
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
    this.out.write(tty ? `\r\x1b[K${terminalText(text)}` : `${terminalText(text)}\n`);
  }

  clear(): void {
    if ((this.out as { isTTY?: boolean }).isTTY) this.out.write('\r\x1b[K');
  }
}
