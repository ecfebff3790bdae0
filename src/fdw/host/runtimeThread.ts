// One runtime worker thread, seen from the caller: starts it, answers its key requests from the
// caller's SecretStore, forwards aborts, takes results' rows a slice at a time, and rejects every
// pending call when the thread fails or exits.
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { chosenDataDir, temporaryDataDir } from '../db/dataDir.js';
import type { WorkerScript } from '../db/workerHandle.js';
import { PendingCalls } from '../db/pendingCalls.js';
import { CellError, type ExecuteOptions, type RuntimeOptions, type StatementResult } from '../runtime/runtime.js';
import { SqlError } from '../runtime/sqlError.js';
import { errorFrom, errorInfo, type FromWorker, type ResultHead, type ToWorker, type WorkerConfig } from './protocol.js';

/** The runtime thread stopped without being closed (a crash, or running out of memory). */
export class RuntimeStoppedError extends Error {
  override name = 'RuntimeStoppedError';
  constructor(cause: string) {
    super(`the notebook runtime stopped unexpectedly (${cause}); the next statement starts a new runtime, with a new database unless it is kept in a data directory`);
  }
}

/** What HostedRuntime.execute takes: the Runtime's options, and how many rows of each result to bring over. */
export interface HostedExecuteOptions extends ExecuteOptions {
  /** Bring at most this many rows of each result to the caller; the rest stay in the thread (`RemoteRows`). */
  sendRows?: number;
}

/** All rows of a result that came over in part, read from the runtime thread on demand. */
export class RemoteRows {
  constructor(
    private readonly thread: RuntimeThread,
    private readonly ref: number,
    /** Rows of the whole result. */
    readonly total: number,
  ) {}

  /** Rows [offset, offset + count); rejects once the thread is gone. */
  read(offset: number, count: number): Promise<unknown[][]> {
    return this.thread.readRows(this.ref, offset, count);
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

interface Call {
  resolve(value: unknown): void;
  reject(error: Error): void;
  onProgress?: ExecuteOptions['onProgress'];
  /** Rows received so far, by result. */
  rows: unknown[][][];
}

export class RuntimeThread {
  /** Settles when the runtime has started in the thread, or failed to. */
  readonly ready: Promise<void>;
  /** Resolves when the thread has stopped, and with it the database worker it started, and its temporary database is gone. */
  readonly stopped: Promise<void>;
  readonly #worker: Worker;
  readonly #secrets: RuntimeOptions['secrets'];
  readonly #calls = new PendingCalls<Call>();
  #nextId = 1;
  #failure: Error | undefined;
  #closing = false;

  constructor(script: WorkerScript, { secrets, resourceLimits, ...config }: HostedRuntimeOptions) {
    this.#secrets = secrets;
    // Database's lock tells this process's own holders apart by per-thread state, which a runtime
    // in another thread does not see: taken here as well, it keeps two runtimes off one directory.
    // A temporary database is made here too, so that it is removed when the thread is gone: the
    // runtime cannot delete it itself if the thread dies. (Removal is asynchronous: deleting a
    // database of 100,000 rows takes seconds, off this thread.)
    const place = config.dataDir === undefined ? temporaryDataDir() : chosenDataDir(config.dataDir);
    const workerData: WorkerConfig = { ...config, dataDir: place.dataDir };
    const release = () => place.release();
    try {
      this.#worker = new Worker(script.file, { workerData, execArgv: script.execArgv, resourceLimits });
    } catch (error) {
      void release();
      throw error;
    }
    this.ready = new Promise<void>((resolve, reject) => this.#calls.set(0, { resolve, reject, rows: [] }));
    // Awaited by calls; a thread that dies before anyone waits must not be an unhandled rejection.
    this.ready.catch(() => undefined);
    this.#worker.on('message', (message: FromWorker) => this.#receive(message));
    this.#worker.on('error', (error) => this.#fail(new RuntimeStoppedError(error.message)));
    this.stopped = new Promise((resolve) =>
      this.#worker.on('exit', (code) => {
        this.#fail(this.#closing ? new Error('the notebook runtime is closed') : new RuntimeStoppedError(`exit code ${code}`));
        void release().then(resolve);
      }),
    );
  }

  get failed(): boolean {
    return this.#failure !== undefined;
  }

  async execute(source: string, { signal, onProgress, refresh, noPushdown, fromStatement, sendRows }: HostedExecuteOptions): Promise<HostedResult[]> {
    const id = this.#nextId++;
    const onAbort = () => this.#post({ kind: 'abort', id });
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return (await this.#call(id, { kind: 'execute', id, source, aborted: signal?.aborted ?? false, refresh, noPushdown, fromStatement, sendRows }, onProgress)) as HostedResult[];
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  invalidate(): void {
    this.#post({ kind: 'invalidate' });
  }

  readRows(ref: number, offset: number, count: number): Promise<unknown[][]> {
    const id = this.#nextId++;
    return this.#call(id, { kind: 'readRows', id, ref, offset, count }) as Promise<unknown[][]>;
  }

  release(ref: number): void {
    this.#post({ kind: 'release', ref });
  }

  /** Closes the runtime (waiting for running statements, as Runtime.close does), then stops the thread. */
  async close(): Promise<void> {
    if (this.#failure) return;
    const id = this.#nextId++;
    try {
      await this.#call(id, { kind: 'close', id });
    } finally {
      this.#closing = true;
      await this.#worker.terminate();
      await this.stopped;
    }
  }

  #call(id: number, message: ToWorker, onProgress?: ExecuteOptions['onProgress']): Promise<unknown> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#calls.set(id, { resolve, reject, onProgress, rows: [] });
      this.#post(message);
    });
  }

  #post(message: ToWorker): void {
    if (!this.#failure) this.#worker.postMessage(message);
  }

  #receive(message: FromWorker): void {
    switch (message.kind) {
      case 'ready':
        this.#calls.take(0)?.resolve(undefined);
        return;
      case 'startFailed':
        this.#fail(errorFrom(message.error));
        void this.#worker.terminate();
        return;
      case 'secret':
        // Through a promise, so that a store throwing synchronously fails the lookup, not this thread.
        Promise.resolve(message).then(({ server, origin }) => this.#secrets.get(server, origin)).then(
          (key) => this.#post({ kind: 'secret', id: message.id, key }),
          (error: unknown) => this.#post({ kind: 'secretFailed', id: message.id, error: errorInfo(error) }),
        );
        return;
      case 'progress':
        this.#calls.get(message.id)?.onProgress?.(message.progress);
        return;
      case 'rows': {
        const call = this.#calls.get(message.id);
        if (!call) return;
        const rows = (call.rows[message.result] ??= []);
        for (const row of message.rows) rows.push(row);
        // The next slice is asked for only after this thread's other work has had its turn.
        setImmediate(() => this.#post({ kind: 'moreRows', id: message.id }));
        return;
      }
      case 'executed': {
        const call = this.#calls.take(message.id);
        call?.resolve(this.#withRows(message.results, call.rows));
        return;
      }
      case 'rowsRead':
        this.#calls.take(message.id)?.resolve(message.rows);
        return;
      case 'cellError': {
        const call = this.#calls.take(message.id);
        const { statement, results, ...fields } = message.error;
        call?.reject(new CellError(new SqlError(fields), statement, this.#withRows(results, call.rows)));
        return;
      }
      case 'failed':
        this.#calls.take(message.id)?.reject(errorFrom(message.error));
        return;
      case 'closed':
        this.#calls.take(message.id)?.resolve(undefined);
        return;
    }
  }

  #withRows(heads: ResultHead[], rows: unknown[][][]): HostedResult[] {
    return heads.map(({ kept, ...head }, i) => ({ ...head, rows: rows[i] ?? [], ...(kept ? { remote: new RemoteRows(this, kept.ref, kept.total) } : {}) }));
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    this.#calls.rejectAll(this.#failure);
  }
}

