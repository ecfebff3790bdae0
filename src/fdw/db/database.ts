// The embedded Postgres (PGlite) as the caller sees it. PGlite runs in a worker thread (worker.ts)
// so a long statement never blocks the caller's event loop; operations run one at a time, in the
// order they were called.
//
// Cancelling: PGlite executes a statement synchronously inside WASM and has no interrupt a second
// thread could raise (its memory is not shared, and statement_timeout never fires since no timer
// signal reaches the backend). So cancel() terminates the worker thread and starts a new one on
// the same data directory; Postgres's crash recovery rolls back what the interrupted transaction
// did, and keeps everything committed. Session state (SET, temporary tables, an open transaction,
// prepared statements) does not survive a cancel. The data directory is always on disk, also for a
// temporary database, which is what makes this work (see cluster.ts). The statement timeout is
// the same mechanism, on a timer.

import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chosenDataDir, removeOrphanTemporaryDirs, temporaryDataDir, type DataDirPlace } from './dataDir.js';
import type { CopyOptions, Engine, TextSource } from './engine.js';
import { DbCancelledError, DbClosedError, DbError } from './errors.js';
import { fromSource, packageRoot, workerScript, type WorkerScript } from '../thread/workerScript.js';
import type { OpenInfo, QueryResult, TableRef, WorkerConfig } from './protocol.js';
import { WorkerHandle } from './workerHandle.js';

/** File name of the initialized-cluster template shipped in dist/ (written by esbuild.mjs). */
const TEMPLATE_FILE_NAME = 'pglite-template.tar.gz';

export interface OpenOptions {
  /**
   * Directory holding the database; created and initialized if missing or empty, reopened if it
   * holds one. Only one Database at a time may use it, however it is spelled (a lock file
   * `<real path>.lock` sits beside it; see lock.ts). Without it the database is temporary: a new
   * directory under the OS temp dir, deleted by close() or when the process exits (see dataDir.ts).
   */
  dataDir?: string;
  /** Where the initialized-cluster template is (made there if missing). Defaults to the one shipped beside the bundle. */
  templateFile?: string;
  /** The database thread's heap, in MB (default: what the caller's thread has); running out of it fails the operation, and the thread is replaced. */
  heapLimitMb?: number;
  /**
   * Longest a call that runs SQL (query, exec, each page of stream) may take, in ms; 0 (the
   * default) for no limit. One that takes longer fails with Postgres's 57014 "canceling statement
   * due to statement timeout", stopped as cancel() stops it.
   */
  statementTimeoutMs?: number;
  /** Most temporary-file space one statement may use, in kB (Postgres's temp_file_limit); -1 (the default) for no limit. */
  tempFileLimitKb?: number;
}

export class Database implements Engine {
  /** The directory's real path. */
  readonly dataDir: string;
  readonly temporary: boolean;
  readonly kind = 'embedded';
  readonly description: string;
  private readonly script: WorkerScript;
  private config: WorkerConfig;
  private worker: WorkerHandle;
  private queue: Promise<unknown> = Promise.resolve();
  private queued = 0;
  private busy = false;
  /** Bumped by cancel(): an operation that was queued under an older generation does not start. */
  private generation = 0;
  private closed = false;
  private readonly place: DataDirPlace;
  /** Removal of temporary databases left by processes that are gone, started by open(). */
  private readonly orphansRemoved: Promise<void>;
  private readonly heapLimitMb: number | undefined;
  private readonly statementTimeoutMs: number;

  private constructor(
    place: DataDirPlace,
    { templateFile, heapLimitMb, statementTimeoutMs = 0, tempFileLimitKb = -1 }: OpenOptions,
    orphansRemoved: Promise<void>,
  ) {
    const location = workerLocation();
    this.dataDir = place.dataDir;
    this.temporary = place.temporary;
    this.description = place.temporary ? 'embedded (temporary)' : `embedded (${place.dataDir})`;
    this.place = place;
    this.orphansRemoved = orphansRemoved;
    this.heapLimitMb = heapLimitMb;
    this.statementTimeoutMs = statementTimeoutMs;
    this.script = location.script;
    this.config = { dataDir: place.dataDir, templateFile: templateFile ?? location.templateFile, wasmFile: location.wasmFile, tempFileLimitKb };
    this.worker = new WorkerHandle(this.script, this.config, Promise.resolve(), heapLimitMb);
  }

  static async open(options: OpenOptions = {}): Promise<Database> {
    const place = options.dataDir === undefined ? temporaryDataDir() : chosenDataDir(options.dataDir);
    const database = new Database(place, options, removeOrphanTemporaryDirs());
    try {
      await database.worker.ready;
    } catch (error) {
      await database.close();
      throw error;
    }
    return database;
  }

  /** How the current worker opened the database (it changes after a cancel). */
  get openInfo(): Promise<OpenInfo> {
    return this.worker.ready;
  }

  /** Runs one statement (extended protocol: a string with several statements is an error). */
  query(sql: string, params?: unknown[]): Promise<QueryResult> {
    return this.run((worker) => this.timed(worker.call('query', sql, params)));
  }

  /**
   * Runs any number of statements (simple protocol: without an explicit BEGIN they run as one
   * transaction, as in psql -c). One result per statement.
   */
  exec(sql: string): Promise<QueryResult[]> {
    return this.run((worker) => this.timed(worker.call('exec', sql)));
  }

  /**
   * Runs a query (SELECT, VALUES, TABLE) through a cursor and hands its rows to `consume`, a page
   * of up to `pageRows` at a time, read as `consume` asks for them: however many rows the query
   * returns, only a page is held at once, here and in the worker. Every page carries the columns.
   * Nothing else runs until `consume` settles; what it returns is returned. The query runs in a
   * transaction of its own (committed once `consume` has read every page, rolled back if it
   * fails), or in the caller's open one.
   */
  stream<T>(sql: string, consume: (pages: AsyncIterable<QueryResult>) => Promise<T>, pageRows = 10_000): Promise<T> {
    return this.run(async (worker) => {
      await this.timed(worker.call('cursorOpen', sql));
      let done = false;
      try {
        const result = await consume(this.pages(worker, pageRows));
        done = true;
        return result;
      } finally {
        const closing = worker.call('cursorClose', done);
        if (done) await closing;
        else await closing.catch(() => undefined);
      }
    });
  }

  // The next page is asked for before this one is handed over, so that the worker reads it while
  // the caller writes this one: two pages at most are held.
  private async *pages(worker: Pick<WorkerHandle, 'call'>, pageRows: number): AsyncGenerator<QueryResult> {
    const fetch = () => this.timed(worker.call('cursorFetch', pageRows));
    let next = fetch();
    for (;;) {
      const page = await next;
      const last = page.rows.length < pageRows;
      if (!last) {
        next = fetch();
        // Awaited by the next round, or dropped with the cursor if the caller stops reading.
        next.catch(() => undefined);
      }
      yield page;
      if (last) return;
    }
  }

  /**
   * Loads rows with COPY FROM, given in COPY text format (tab-separated, \N for NULL, each line
   * ending in a newline): one string, or chunks as they arrive. Values are aligned with `columns`.
   * All or nothing: on an error (from the data or from the iterable) nothing is loaded. Returns the
   * number of rows loaded. With `replace`, the rows replace the table's contents (TRUNCATE in the
   * same transaction), which also makes a large load about twice as fast.
   */
  copyText(table: TableRef, columns: readonly string[], text: TextSource, options: CopyOptions = {}): Promise<number> {
    return this.copy(table, columns, options, async (worker) => {
      for await (const chunk of typeof text === 'string' ? [text] : text) await worker.call('copyText', chunk);
    });
  }

  /**
   * Stops the running operation and drops the queued ones; they reject with DbCancelledError.
   * Resolves when the interrupted worker has stopped; the next operation waits for its replacement.
   */
  async cancel(): Promise<void> {
    if (this.queued === 0) return;
    this.generation++;
    if (this.busy) await this.replaceWorker(new DbCancelledError());
  }

  /** Waits for queued operations, then shuts the database down (and deletes a temporary one). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    const worker = this.worker;
    if (!worker.failed) await worker.call('close').catch(() => undefined);
    await worker.terminate(new DbClosedError());
    await this.place.release();
    await this.orphansRemoved;
  }

  private copy(
    table: TableRef,
    columns: readonly string[],
    options: CopyOptions,
    send: (worker: Pick<WorkerHandle, 'call'>) => Promise<void>,
  ): Promise<number> {
    return this.run(async (worker) => {
      await worker.call('copyBegin', table, columns, options.replace ?? false);
      try {
        await send(worker);
      } catch (error) {
        await worker.call('copyAbort').catch(() => undefined);
        throw error;
      }
      return worker.call('copyEnd');
    });
  }

  /** A call that runs SQL, stopped if it outlasts the statement timeout. */
  private async timed<T>(call: Promise<T>): Promise<T> {
    if (this.statementTimeoutMs <= 0) return call;
    const timer = setTimeout(
      () => void this.replaceWorker(new DbError({ code: '57014', message: 'canceling statement due to statement timeout' })),
      this.statementTimeoutMs,
    );
    try {
      return await call;
    } finally {
      clearTimeout(timer);
    }
  }

  private run<T>(operation: (worker: Pick<WorkerHandle, 'call'>) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new DbClosedError());
    const generation = this.generation;
    this.queued++;
    const result = this.queue.then(async () => {
      if (generation !== this.generation) throw new DbCancelledError();
      const worker = await this.liveWorker();
      if (generation !== this.generation) throw new DbCancelledError();
      this.busy = true;
      try {
        return await operation(worker);
      } finally {
        this.busy = false;
      }
    });
    const settled = result.finally(() => this.queued--).catch(() => undefined);
    this.queue = settled;
    return result;
  }

  /** The worker, replaced first if it died (crash, or a fatal PGlite error). */
  private async liveWorker(): Promise<WorkerHandle> {
    await this.worker.ready.catch(() => undefined);
    if (this.worker.failed) await this.replaceWorker(new DbError({ message: 'database worker restarted' }));
    await this.worker.ready;
    return this.worker;
  }

  // The new worker starts only when the old thread has stopped: two PGlite instances must never
  // open the same data directory.
  private replaceWorker(reason: Error): Promise<void> {
    const { wasmModule } = this.worker;
    if (wasmModule) this.config = { ...this.config, wasmModule };
    const stopped = this.worker.terminate(reason);
    this.worker = new WorkerHandle(this.script, this.config, stopped, this.heapLimitMb);
    return stopped;
  }
}

// Bundled, the template ships beside the worker in dist/. From source, PGlite's files are in
// node_modules, and the template is made on first use in a cache under the OS temp dir, keyed by
// the PGlite version.
function workerLocation(): { script: WorkerScript; templateFile: string; wasmFile: string } {
  const script = workerScript('db-worker', 'src/fdw/db/worker.ts');
  if (!fromSource) return { script, templateFile: join(packageRoot, 'dist', TEMPLATE_FILE_NAME), wasmFile: join(packageRoot, 'dist', 'pglite.wasm') };
  const pgliteDir = join(packageRoot, 'node_modules', '@electric-sql', 'pglite');
  const { version } = JSON.parse(readFileSync(join(pgliteDir, 'package.json'), 'utf8')) as { version: string };
  return {
    script,
    templateFile: join(tmpdir(), 'clerk-sql-notebook', `pglite-${version}-${TEMPLATE_FILE_NAME}`),
    wasmFile: join(pgliteDir, 'dist', 'pglite.wasm'),
  };
}
