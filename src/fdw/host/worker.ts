// Worker thread that owns a notebook's Runtime: the Clerk reads (HTTP, JSON parsing and
// validation), COPY text, the SQL parser's WASM and the runtime's start all run here, off the
// caller's event loop (the VS Code extension host's, shared by every extension). PGlite runs in
// the runtime's own database worker, started from this thread. It serves runtimeApi (RuntimeThread
// calls it through src/fdw/thread/rpc.ts) and asks the caller's SecretStore for keys: they stay on
// the caller's thread (VS Code's SecretStorage lives on the extension host's).
import { workerData } from 'node:worker_threads';
import { CellError, Runtime, type FetchProgress, type StatementResult } from '../runtime/runtime.js';
import type { SecretStore } from '../runtime/secrets.js';
import type { Connection } from '../thread/rpc.js';
import { rowSlices } from '../thread/rowSlices.js';
import { KeptRows, type ViewPage } from '../../results/keptRows.js';
import type { ChartColumns, ChartRows } from '../../results/chartRows.js';
import type { ColumnValues, GridView } from '../../results/view.js';
import { connectToParent } from '../thread/workerThread.js';
import { runtimeErrors, type ErrorInfo, type Executed, type ResultHead, type ThreadExecuteOptions, type WorkerConfig } from './protocol.js';

/** Takes a slice of the rows of result number `result`, appended in order; resolves once taken. */
type TakeRows = (result: number, rows: unknown[][]) => Promise<void>;

function runtimeApi(runtime: Runtime) {
  /** Full rows of results sent in part, until the caller releases them (see ResultHead); views of them are computed here. */
  const keptRows = new Map<number, KeptRows>();
  const kept = (ref: number) => {
    const rows = keptRows.get(ref);
    if (!rows) throw new Error('this result is no longer kept');
    return rows;
  };
  let nextRef = 1;

  /** Sends the results' rows (at most `limit` of each), a slice at a time; returns the results without them. */
  async function sendRows(results: StatementResult[], limit: number | undefined, takeRows: TakeRows): Promise<ResultHead[]> {
    const heads: ResultHead[] = [];
    for (const [result, { rows, ...head }] of results.entries()) {
      const sent = limit === undefined ? rows.length : Math.min(limit, rows.length);
      for (const { offset, count } of rowSlices(sent, head.columns.length)) await takeRows(result, rows.slice(offset, offset + count));
      if (sent === rows.length) heads.push(head);
      else {
        const ref = nextRef++;
        keptRows.set(ref, new KeptRows(rows, head.columns));
        heads.push({ ...head, kept: { ref, total: rows.length } });
      }
    }
    return heads;
  }

  return {
    /** Every call waits for the runtime to have started; this one does nothing else. */
    async started(): Promise<void> {},

    async execute(
      source: string,
      { sendRows: limit, ...options }: ThreadExecuteOptions,
      signal: AbortSignal | undefined,
      onProgress: ((progress: FetchProgress) => void) | undefined,
      takeRows: TakeRows,
    ): Promise<Executed> {
      const outcome = await runtime.execute(source, { ...options, signal, onProgress }).then(
        (results) => ({ results }),
        (error: unknown) => ({ error }),
      );
      if ('results' in outcome) return { results: await sendRows(outcome.results, limit, takeRows) };
      if (!(outcome.error instanceof CellError)) throw outcome.error;
      const { statement, results } = outcome.error;
      return { cellError: { ...outcome.error.fields(), statement, results: await sendRows(results, limit, takeRows) } };
    },

    /** Rows [offset, offset + count) of a view of a result kept here (its order is cached: the next page costs a slice). */
    async viewPage(ref: number, view: GridView, offset: number, count: number): Promise<ViewPage> {
      return kept(ref).page(view, offset, count);
    },

    /** A column's most frequent values among a kept result's rows passing the view's other filters. */
    async columnValues(ref: number, view: GridView, column: number, limit: number): Promise<ColumnValues> {
      return kept(ref).values(view, column, limit);
    },

    /** What a chart of these columns of a kept result is drawn from, read from every row. */
    async chartRows(ref: number, columns: ChartColumns): Promise<ChartRows> {
      return kept(ref).chart(columns);
    },

    async release(ref: number): Promise<void> {
      keptRows.delete(ref);
    },

    async invalidate(): Promise<void> {
      runtime.invalidate();
    },

    async close(): Promise<void> {
      await runtime.close();
    },
  };
}

/** What the runtime worker serves. */
export type RuntimeWorkerApi = ReturnType<typeof runtimeApi>;

// Connected at once: the connection's listener also keeps this thread's event loop alive while
// the runtime starts (see src/fdw/db/worker.ts on why an empty loop there costs time).
const secrets: SecretStore = { get: (server, origin) => caller.call('get', server, origin) };
const caller: Connection<SecretStore, ErrorInfo> = connectToParent({
  serve: Runtime.start({ ...(workerData as WorkerConfig), secrets }).then(runtimeApi),
  errors: runtimeErrors,
});
