// Worker thread that owns a notebook's Runtime: the Clerk reads (HTTP, JSON parsing and
// validation), COPY text, the SQL parser's WASM and the runtime's start all run here, off the
// caller's event loop (the VS Code extension host's, shared by every extension). PGlite runs in
// the runtime's own database worker, started from this thread. See protocol.ts for the messages.
import { parentPort, workerData } from 'node:worker_threads';
import { CellError, Runtime, type StatementResult } from '../runtime/runtime.js';
import { CallerSecrets } from './callerSecrets.js';
import { errorInfo, type FromWorker, type ResultHead, type ToWorker, type WorkerConfig } from './protocol.js';
import { rowSlices } from './rowSlices.js';

function main(): void {
  const port = parentPort;
  if (!port) throw new Error('worker.ts runs as a worker thread');
  const post = (message: FromWorker) => port.postMessage(message);
  const secrets = new CallerSecrets(post);
  const starting = Runtime.start({ ...(workerData as WorkerConfig), secrets });
  starting.then(
    () => post({ kind: 'ready' }),
    (error: unknown) => post({ kind: 'startFailed', error: errorInfo(error) }),
  );
  const aborts = new Map<number, AbortController>();
  /** Calls waiting for the caller to take a slice of rows. */
  const slicesTaken = new Map<number, () => void>();
  /** Full rows of results sent in part, until the caller releases them (see ResultHead). */
  const keptRows = new Map<number, unknown[][]>();
  let nextRef = 1;

  /** Sends the results' rows (at most `limit` of each), a slice at a time; returns the results without them. */
  async function sendRows(id: number, results: StatementResult[], limit: number | undefined): Promise<ResultHead[]> {
    const heads: ResultHead[] = [];
    for (const [result, { rows, ...head }] of results.entries()) {
      const sent = limit !== undefined && rows.length > limit ? rows.slice(0, limit) : rows;
      for (const slice of rowSlices(sent, head.columns.length)) {
        const taken = new Promise<void>((resolve) => slicesTaken.set(id, resolve));
        post({ kind: 'rows', id, result, rows: slice });
        await taken;
      }
      if (sent === rows) heads.push(head);
      else {
        const ref = nextRef++;
        keptRows.set(ref, rows);
        heads.push({ ...head, kept: { ref, total: rows.length } });
      }
    }
    return heads;
  }

  async function execute(message: Extract<ToWorker, { kind: 'execute' }>): Promise<void> {
    const { id, source, refresh, noPushdown, fromStatement, sendRows: limit } = message;
    const abort = new AbortController();
    if (message.aborted) abort.abort();
    aborts.set(id, abort);
    const runtime = await starting;
    const outcome = await runtime
      .execute(source, { signal: abort.signal, refresh, noPushdown, fromStatement, onProgress: (progress) => post({ kind: 'progress', id, progress }) })
      .then((results) => ({ results }), (error: unknown) => ({ error }))
      .finally(() => aborts.delete(id));
    try {
      if ('results' in outcome) {
        post({ kind: 'executed', id, results: await sendRows(id, outcome.results, limit) });
      } else if (outcome.error instanceof CellError) {
        const { statement, results } = outcome.error;
        post({ kind: 'cellError', id, error: { ...outcome.error.fields(), statement, results: await sendRows(id, results, limit) } });
      } else {
        post({ kind: 'failed', id, error: errorInfo(outcome.error) });
      }
    } catch (error) {
      // A value that cannot be cloned fails in postMessage: the call fails rather than hangs.
      post({ kind: 'failed', id, error: errorInfo(error) });
    }
  }

  // The listener also keeps this thread's event loop alive while the runtime starts (see
  // src/fdw/db/worker.ts on why an empty loop there costs time).
  port.on('message', (message: ToWorker) => {
    switch (message.kind) {
      case 'execute':
        void execute(message);
        return;
      case 'abort':
        aborts.get(message.id)?.abort();
        return;
      case 'moreRows':
        slicesTaken.get(message.id)?.();
        slicesTaken.delete(message.id);
        return;
      case 'readRows': {
        const rows = keptRows.get(message.ref);
        if (rows) post({ kind: 'rowsRead', id: message.id, rows: rows.slice(message.offset, message.offset + message.count) });
        else post({ kind: 'failed', id: message.id, error: { name: 'Error', message: 'this result is no longer kept' } });
        return;
      }
      case 'release':
        keptRows.delete(message.ref);
        return;
      case 'invalidate':
        void starting.then((runtime) => runtime.invalidate());
        return;
      case 'close':
        void starting.then((runtime) => runtime.close()).then(
          () => post({ kind: 'closed', id: message.id }),
          (error: unknown) => post({ kind: 'failed', id: message.id, error: errorInfo(error) }),
        );
        return;
      case 'secret':
      case 'secretFailed':
        secrets.answer(message);
        return;
    }
  });
}

main();
