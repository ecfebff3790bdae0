// One database worker thread, seen from the caller: starts it, matches replies to calls, and
// rejects every pending call when the thread fails, exits or is terminated.

import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { DbError } from './errors.ts';
import type { OpenInfo, OperationArgs, OperationKind, OperationResult, Reply, Request, WasmModule, WorkerConfig } from './protocol.ts';
import { PendingCalls } from './pendingCalls.ts';

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

export interface WorkerScript {
  file: string;
  execArgv: string[];
}

/**
 * A worker run from source (tests, tsx: this file is src/fdw/db/workerHandle.ts in the
 * repository): loaded through tsx, found by its location so that a process started in another
 * working directory finds it too.
 */
export function sourceWorkerScript(file: string): WorkerScript {
  return { file, execArgv: ['--require', join(__dirname, '..', '..', '..', 'node_modules', 'tsx', 'dist', 'cjs', 'index.cjs')] };
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class WorkerHandle {
  /** Settles when the worker has opened the database, or failed to. */
  readonly ready: Promise<OpenInfo>;
  readonly #started: Promise<void>;
  #worker: Worker | undefined;
  #failure: Error | undefined;
  readonly #pending = new PendingCalls<Pending>();
  #nextId = 1;
  #readyCallbacks: Pending | undefined;
  #wasmModule: WasmModule | undefined;

  /** The thread starts once `after` settles (a previous worker on the same data directory has stopped) unless terminated first. */
  constructor(script: WorkerScript, config: WorkerConfig, after: Promise<unknown>, heapLimitMb = DEFAULT_HEAP_LIMIT_MB) {
    this.ready = new Promise<OpenInfo>((resolve, reject) => {
      this.#readyCallbacks = { resolve: resolve as (value: unknown) => void, reject };
    });
    // Awaited by calls, but a replacement worker may be started with nobody waiting yet.
    this.ready.catch(() => undefined);
    const limits: ResourceLimits = { stackSizeMb: STACK_SIZE_MB, maxOldGenerationSizeMb: heapLimitMb };
    this.#started = after.then(
      () => this.#start(script, config, limits),
      () => this.#start(script, config, limits),
    );
  }

  get failed(): boolean {
    return this.#failure !== undefined;
  }

  /** PGlite's compiled WASM module, once the worker is ready: handed to the next worker. */
  get wasmModule(): WasmModule | undefined {
    return this.#wasmModule;
  }

  async call<K extends OperationKind>(kind: K, args: OperationArgs<K>): Promise<OperationResult<K>> {
    await this.ready;
    if (this.#failure || !this.#worker) throw this.#failure ?? new DbError({ message: 'database worker is not running' });
    const id = this.#nextId++;
    const worker = this.#worker;
    return new Promise<OperationResult<K>>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      try {
        worker.postMessage({ id, kind, ...args } as Request);
      } catch (error) {
        // A value that cannot be cloned (a function, a symbol) fails here, not in the worker.
        this.#pending.delete(id);
        reject(error);
      }
    });
  }

  /** Stops the thread; pending calls are rejected with `reason`. Resolves once the thread has stopped. */
  async terminate(reason: Error): Promise<void> {
    this.#fail(reason);
    await this.#started;
    await this.#worker?.terminate();
  }

  #start(script: WorkerScript, config: WorkerConfig, limits: ResourceLimits): void {
    if (this.#failure) return;
    let worker: Worker;
    try {
      worker = new Worker(script.file, { workerData: config, execArgv: script.execArgv, resourceLimits: limits });
    } catch (error) {
      this.#fail(new DbError({ message: `cannot start the database worker: ${error instanceof Error ? error.message : String(error)}` }));
      return;
    }
    this.#worker = worker;
    worker.on('message', (reply: Reply) => this.#receive(reply));
    worker.on('error', (error) => this.#fail(workerError(error, limits)));
    worker.on('exit', (code) => this.#fail(new DbError({ message: `database worker exited with code ${code}` })));
  }

  #receive(reply: Reply): void {
    switch (reply.kind) {
      case 'ready':
        this.#wasmModule = reply.wasmModule;
        this.#readyCallbacks?.resolve(reply.info);
        return;
      case 'openFailed':
        this.#fail(new DbError(reply.error));
        return;
      case 'result':
        this.#pending.take(reply.id)?.resolve(reply.value);
        return;
      case 'error': {
        const error = new DbError(reply.error);
        this.#pending.take(reply.id)?.reject(error);
        // Later calls would fail too: mark the worker failed so that it is replaced.
        if (reply.error.fatal) this.#fail(error);
        return;
      }
    }
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    this.#readyCallbacks?.reject(this.#failure);
    this.#pending.rejectAll(this.#failure);
  }
}

function workerError(error: Error, limits: ResourceLimits): DbError {
  if ((error as NodeJS.ErrnoException).code !== 'ERR_WORKER_OUT_OF_MEMORY') return new DbError({ message: `database worker failed: ${error.message}` });
  return new DbError({
    message: 'out of memory',
    code: '53200',
    detail: `The database thread used all of its ${limits.maxOldGenerationSizeMb} MB of heap, and was stopped; the database is reopened for the next statement (what was committed is kept).`,
    hint: 'A statement that returns many rows is held whole unless it is a query the CLI streams; narrow it (WHERE, LIMIT) or write it to a table.',
  });
}
