// One runtime worker thread, seen from the caller: starts it with the database place it uses,
// serves it the caller's SecretStore, and calls its runtimeApi (worker.ts) through
// src/fdw/thread's RPC: aborts and progress are forwarded, results' rows are taken a slice at a
// time, and a CellError is rebuilt from its fields. A thread that fails or exits fails every
// pending call with RuntimeStoppedError.
import type { ResourceLimits } from 'node:worker_threads';
import { chosenDataDir, temporaryDataDir } from '../db/dataDir.js';
import { CellError, type ExecuteOptions, type RuntimeOptions, type StatementResult } from '../runtime/runtime.js';
import type { SecretStore } from '../runtime/secrets.js';
import { SqlError } from '../runtime/sqlError.js';
import { WorkerThread } from '../thread/workerThread.js';
import type { ViewableRows, ViewPage } from '../../results/keptRows.js';
import type { ChartColumns, ChartRows } from '../../results/chartRows.js';
import type { ColumnValues, GridView } from '../../results/view.js';
import type { WorkerScript } from '../thread/workerScript.js';
import { runtimeErrors, type ErrorInfo, type ResultHead, type WorkerConfig } from './protocol.js';
import type { RuntimeWorkerApi } from './worker.js';

/** The runtime thread stopped without being closed (a crash, or running out of memory). */
export class RuntimeStoppedError extends Error {
  override name = 'RuntimeStoppedError';
  constructor(cause: string) {
    super(
      `the notebook runtime stopped unexpectedly (${cause}); the next statement starts a new runtime, with a new database unless it is kept in a data directory`,
    );
  }
}

/** What HostedRuntime.execute takes: the Runtime's options, and how many rows of each result to bring over. */
export interface HostedExecuteOptions extends ExecuteOptions {
  /** Bring at most this many rows of each result to the caller; the rest stay in the thread (`RemoteRows`). */
  sendRows?: number;
}

/** All rows of a result that came over in part, read from the runtime thread on demand, through views computed there. */
export class RemoteRows implements ViewableRows {
  constructor(
    private readonly thread: RuntimeThread,
    private readonly ref: number,
    /** Rows of the whole result. */
    readonly total: number,
  ) {}

  /** Rows [offset, offset + count) of a view; rejects once the thread is gone. */
  page(view: GridView, offset: number, count: number): Promise<ViewPage> {
    return this.thread.viewPage(this.ref, view, offset, count);
  }

  values(view: GridView, column: number, limit: number): Promise<ColumnValues> {
    return this.thread.columnValues(this.ref, view, column, limit);
  }

  chart(columns: ChartColumns): Promise<ChartRows> {
    return this.thread.chartRows(this.ref, columns);
  }

  /** Lets the thread free them. */
  release(): void {
    this.thread.release(this.ref);
  }
}

/** A result as the caller gets it: `remote` when only its first `sendRows` rows came over. */
export type HostedResult = StatementResult & { remote?: RemoteRows };

export interface HostedRuntimeOptions extends RuntimeOptions {
  /** Caps the thread's memory: a statement that exhausts it stops the runtime's thread, not the caller. */
  resourceLimits?: ResourceLimits;
}

export class RuntimeThread {
  /** Settles when the runtime has started in the thread, or failed to. */
  readonly ready: Promise<void>;
  /** Resolves when the thread has stopped, and with it the database worker it started, and its temporary database is gone. */
  readonly stopped: Promise<void>;
  private readonly thread: WorkerThread<RuntimeWorkerApi, ErrorInfo>;

  constructor(script: WorkerScript, { secrets, resourceLimits, ...config }: HostedRuntimeOptions) {
    // Database's lock tells this process's own holders apart by per-thread state, which a runtime
    // in another thread does not see: taken here as well, it keeps two runtimes off one directory.
    // A temporary database is made here too, so that it is removed when the thread is gone: the
    // runtime cannot delete it itself if the thread dies. (Removal is asynchronous: deleting a
    // database of 100,000 rows takes seconds, off this thread.)
    const place = config.dataDir === undefined ? temporaryDataDir() : chosenDataDir(config.dataDir);
    const workerData: WorkerConfig = { ...config, dataDir: place.dataDir };
    // What the thread may call: the caller's SecretStore, and nothing else of it.
    const serve: SecretStore = { get: (server, origin) => secrets.get(server, origin) };
    try {
      this.thread = new WorkerThread(script, {
        workerData,
        resourceLimits,
        serve,
        errors: runtimeErrors,
        stopError: (stop) => new RuntimeStoppedError('error' in stop ? stop.error.message : `exit code ${stop.exitCode}`),
      });
    } catch (error) {
      void place.release();
      throw error;
    }
    this.stopped = this.thread.exited.then(() => place.release());
    this.ready = this.thread.call('started').catch(async (error: Error) => {
      void this.thread.terminate(error);
      throw error;
    });
    // Awaited by calls; a thread that dies before anyone waits must not be an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  get failed(): boolean {
    return this.thread.failure !== undefined;
  }

  async execute(source: string, { signal, onProgress, refresh, noPushdown, fromStatement, sendRows }: HostedExecuteOptions): Promise<HostedResult[]> {
    /** Rows received so far, by result. */
    const rows: unknown[][][] = [];
    const takeRows = async (result: number, slice: unknown[][]) => {
      const into = (rows[result] ??= []);
      for (const row of slice) into.push(row);
      // The next slice is asked for only after this thread's other work has had its turn.
      await new Promise<void>((resolve) => setImmediate(resolve));
    };
    const executed = await this.thread.call('execute', source, { refresh, noPushdown, fromStatement, sendRows }, signal, onProgress, takeRows);
    if ('results' in executed) return this.withRows(executed.results, rows);
    const { statement, results, ...fields } = executed.cellError;
    throw new CellError(new SqlError(fields), statement, this.withRows(results, rows));
  }

  invalidate(): void {
    // A thread that is gone has no rows left to forget.
    this.thread.call('invalidate').catch(() => undefined);
  }

  viewPage(ref: number, view: GridView, offset: number, count: number): Promise<ViewPage> {
    return this.thread.call('viewPage', ref, view, offset, count);
  }

  columnValues(ref: number, view: GridView, column: number, limit: number): Promise<ColumnValues> {
    return this.thread.call('columnValues', ref, view, column, limit);
  }

  chartRows(ref: number, columns: ChartColumns): Promise<ChartRows> {
    return this.thread.call('chartRows', ref, columns);
  }

  release(ref: number): void {
    this.thread.call('release', ref).catch(() => undefined);
  }

  /** Closes the runtime (waiting for running statements, as Runtime.close does), then stops the thread. */
  async close(): Promise<void> {
    if (this.failed) return;
    try {
      await this.thread.call('close');
    } finally {
      await this.thread.terminate(new Error('the notebook runtime is closed'));
      await this.stopped;
    }
  }

  private withRows(heads: ResultHead[], rows: unknown[][][]): HostedResult[] {
    return heads.map(({ kept, ...head }, i) => ({ ...head, rows: rows[i] ?? [], ...(kept ? { remote: new RemoteRows(this, kept.ref, kept.total) } : {}) }));
  }
}
