// One database worker thread, seen from the caller: started once the previous worker on the same
// data directory has stopped, with the thread's limits; marked failed when its thread stops or its
// PGlite instance becomes unusable, so that Database replaces it. Calls go through
// src/fdw/thread's RPC to the worker's Session (worker.ts).

import { getHeapStatistics } from 'node:v8';
import type { ResourceLimits } from 'node:worker_threads';
import type { Args, Result } from '../thread/rpc.js';
import { WorkerThread } from '../thread/workerThread.js';
import type { WorkerScript } from '../thread/workerScript.js';
import { DbError, dbErrors } from './errors.js';
import type { DbErrorInfo, OpenInfo, WasmModule, WorkerConfig } from './protocol.js';
import type { DatabaseWorkerApi } from './worker.js';

// The database thread's limits:
// - A native stack far larger than Postgres's max_stack_depth (2 MB, which Postgres counts on the
//   WASM shadow stack): the same recursion takes 8 to 30 times as much native stack for its WASM
//   frames (measured: with 32 MB, deep jsonb nesting and recursive SQL functions still overflowed
//   it first, which PGlite hides; with 128 MB, Postgres's own check tripped first every time, a
//   clean "stack depth limit exceeded" that leaves the database usable). Only the pages a
//   recursion touches are committed. engineGuard.ts catches what still gets past.
// - By default the heap the caller's thread has, but running out of it stops this thread with an
//   error the caller reports (and the statement with it), instead of aborting the whole process.
const STACK_SIZE_MB = 128;
const DEFAULT_HEAP_LIMIT_MB = Math.round(getHeapStatistics().heap_size_limit / 2 ** 20);

type Thread = WorkerThread<DatabaseWorkerApi, DbErrorInfo>;

export class WorkerHandle {
  /** Settles when the worker has opened the database, or failed to. */
  readonly ready: Promise<OpenInfo>;
  private readonly started: Promise<Thread | undefined>;
  private readonly opened: Promise<{ thread: Thread; info: OpenInfo }>;
  /** The thread, once started. */
  private thread: Thread | undefined;
  /** Why the worker is unusable, when its thread did not say: stopped before it started, or failed to open the database. */
  private failure: Error | undefined;
  private module: WasmModule | undefined;

  /** The thread starts once `after` settles (a previous worker on the same data directory has stopped) unless terminated first. */
  constructor(script: WorkerScript, config: WorkerConfig, after: Promise<unknown>, heapLimitMb = DEFAULT_HEAP_LIMIT_MB) {
    const limits: ResourceLimits = { stackSizeMb: STACK_SIZE_MB, maxOldGenerationSizeMb: heapLimitMb };
    const start = () => this.start(script, config, limits);
    this.started = after.then(start, start);
    this.opened = this.started.then(async (thread) => {
      // start() returns no thread only once the failure is set.
      if (!thread) throw this.failure!;
      const { info, wasmModule } = await thread.call('opened');
      this.module = wasmModule;
      return { thread, info };
    });
    // Before `ready` rejects: whoever sees that sees the worker failed.
    this.opened.catch((error: Error) => (this.failure ??= error));
    this.ready = this.opened.then(({ info }) => info);
    // Awaited by calls, but a replacement worker may be started with nobody waiting yet.
    this.ready.catch(() => undefined);
  }

  get failed(): boolean {
    return (this.failure ?? this.thread?.failure) !== undefined;
  }

  /** PGlite's compiled WASM module, once the worker is ready: handed to the next worker. */
  get wasmModule(): WasmModule | undefined {
    return this.module;
  }

  async call<K extends keyof DatabaseWorkerApi>(method: K, ...args: Args<DatabaseWorkerApi, K>): Promise<Result<DatabaseWorkerApi, K>> {
    const { thread } = await this.opened;
    try {
      return await thread.call(method, ...args);
    } catch (error) {
      // Later calls would fail too: mark the worker failed so that it is replaced.
      if (error instanceof DbError && error.fatal) thread.fail(error);
      throw error;
    }
  }

  /** Stops the thread; pending calls are rejected with `reason`. Resolves once the thread has stopped. */
  async terminate(reason: Error): Promise<void> {
    this.failure ??= reason;
    await (await this.started)?.terminate(reason);
  }

  private start(script: WorkerScript, config: WorkerConfig, limits: ResourceLimits): Thread | undefined {
    if (this.failure) return undefined;
    try {
      this.thread = new WorkerThread(script, {
        workerData: config,
        resourceLimits: limits,
        errors: dbErrors,
        stopError: (stop) =>
          'error' in stop ? workerError(stop.error, limits) : new DbError({ message: `database worker exited with code ${stop.exitCode}` }),
      });
    } catch (error) {
      this.failure = new DbError({ message: `cannot start the database worker: ${error instanceof Error ? error.message : String(error)}` });
    }
    return this.thread;
  }
}

function workerError(error: Error, limits: ResourceLimits): DbError {
  if ((error as NodeJS.ErrnoException).code !== 'ERR_WORKER_OUT_OF_MEMORY') return new DbError({ message: `database worker failed: ${error.message}` });
  return new DbError({
    message: 'out of memory',
    code: '53200',
    detail: `The database thread used all of its ${limits.maxOldGenerationSizeMb} MB of heap, and was stopped; the database is reopened for the next statement (what was committed is kept).`,
    hint:
      'A statement that returns many rows is held whole unless it is a query the CLI streams; narrow it (WHERE, LIMIT) or write it to a table. ' +
      'For more data than the embedded database holds, run the notebook on a PostgreSQL server (CLI: --database URL; VS Code: "Clerk SQL: Add Postgres Connection...").',
  });
}
