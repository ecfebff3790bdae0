// What a cell's run leaves in its output: a statement's result (the grid's JSON, a psql-like
// table as the fallback), an error as psql prints it (with "Set key for <origin>" when a key is
// what it needs), "Cancelled", live fetch progress, and the mark of outputs whose runtime has
// been restarted since.
import * as vscode from 'vscode';
import type { FetchProgress } from '../fdw/runtime/runtime.js';
import type { SqlErrorFields } from '../fdw/runtime/sqlError.js';
import type { HostedResult } from '../fdw/host/hostedRuntime.js';
import { describeSources, formatTable } from '../results/formats.js';
import { errorText, type ErrorPlace } from '../results/errorText.js';
import { ERROR_MIME, RESULT_MIME } from '../ids.js';
import { resultPayload, type ErrorPayload, type ResultPayload } from '../results/payload.js';
import type { ChartChoice } from '../results/chartComment.js';

/** `cell`: the cell's URI, and `chart` what its `-- chart:` comment says, for the renderer's chart. */
export function resultOutput(result: HostedResult, resultId: string, maxRows: number, cell: string, chart: ChartChoice | undefined): vscode.NotebookCellOutput {
  const total = result.remote?.total ?? result.rows.length;
  const notices = result.notices.map((n) => `NOTICE:  ${n}\n`).join('');
  const text = `${notices}${formatTable(result, maxRows, total)}\n${describeSources(result)}`;
  return new vscode.NotebookCellOutput(
    // The JSON item first, so that the renderer draws it; the text table is the fallback.
    [
      vscode.NotebookCellOutputItem.json({ ...resultPayload(result, maxRows, resultId, total), cell, ...(chart ? { chart } : {}) }, RESULT_MIME),
      vscode.NotebookCellOutputItem.text(text, 'text/plain'),
    ],
    { statement: result.statement },
  );
}

/** `cell`: the failed cell's URI, for the "Set key" button to run it again. */
export function errorOutput(err: SqlErrorFields, place: ErrorPlace, cell: string): vscode.NotebookCellOutput {
  const text = errorText(err, place);
  const payload: ErrorPayload = { version: 1, kind: 'error', text, code: err.code, ...(err.needsKey ? { setKey: { ...err.needsKey, cell } } : {}) };
  return payloadOutput(payload, { sqlstate: err.code });
}

export function cancelledOutput(what: string): vscode.NotebookCellOutput {
  return payloadOutput({ version: 1, kind: 'cancelled', text: what }, { cancelled: true });
}

function payloadOutput(payload: ErrorPayload, metadata: Record<string, unknown>): vscode.NotebookCellOutput {
  return new vscode.NotebookCellOutput(
    [vscode.NotebookCellOutputItem.json(payload, ERROR_MIME), vscode.NotebookCellOutputItem.text(payload.text, 'text/plain')],
    metadata,
  );
}

const STALE_LINE = '(from a runtime that has been restarted since: run the cell again to refresh)';

/**
 * The outputs again, marked as coming from a runtime that is gone: the grid says so and offers no
 * export (the rows beyond the output went with the runtime), an error no longer offers a key.
 */
export function staleOutputs(outputs: readonly vscode.NotebookCellOutput[]): vscode.NotebookCellOutput[] {
  return outputs.map((output) => {
    const items = output.items.map((item) => {
      if (item.mime === RESULT_MIME) {
        const { resultId: _gone, ...payload } = JSON.parse(new TextDecoder().decode(item.data)) as ResultPayload;
        return vscode.NotebookCellOutputItem.json({ ...payload, stale: true }, RESULT_MIME);
      }
      if (item.mime === ERROR_MIME) {
        const { setKey: _gone, ...payload } = JSON.parse(new TextDecoder().decode(item.data)) as ErrorPayload;
        return vscode.NotebookCellOutputItem.json({ ...payload, stale: true }, ERROR_MIME);
      }
      if (item.mime === 'text/plain') return vscode.NotebookCellOutputItem.text(`${STALE_LINE}\n${new TextDecoder().decode(item.data)}`, 'text/plain');
      return item;
    });
    return new vscode.NotebookCellOutput(items, { ...output.metadata, stale: true });
  });
}

export function isStale(output: vscode.NotebookCellOutput): boolean {
  return output.metadata?.stale === true;
}

/** "users: 12,000 of 45,000 rows, 24 requests" in the running cell, at most every 250 ms. */
export class ProgressOutput {
  private last = 0;
  private pending: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly execution: vscode.NotebookCellExecution,
    private readonly onShow: (text: string) => void,
  ) {}

  show(p: FetchProgress): void {
    const now = Date.now();
    if (this.stopped || now - this.last < 250) return;
    this.last = now;
    const text = progressText(p);
    this.onShow(text);
    this.pending = this.pending.then(() =>
      this.stopped
        ? undefined
        : this.execution.replaceOutput([new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.text(text, 'text/plain')], { progress: true })]),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.pending.catch(() => undefined);
  }
}

export function progressText(p: FetchProgress): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const total = p.total !== undefined ? ` of ${n(p.total)}` : '';
  return `${p.table}: ${n(p.rows)}${total} rows, ${n(p.requests)} ${p.requests === 1 ? 'request' : 'requests'}`;
}
