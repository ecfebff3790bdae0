// An engine that is still starting: operations wait for it and then run in the order they were
// asked for. The runtime hands one out at once, so a notebook's first statements are planned and
// its first pages fetched while the embedded database starts (1-2 s: the worker, PGlite, the
// cluster from its template).
import type { CopyOptions, Engine, TextSource } from './engine.js';
import { DbCancelledError } from './errors.js';
import type { QueryResult, TableRef } from './protocol.js';

export class StartingEngine implements Engine {
  private engine: Engine | undefined;
  /** The first failure of an operation nobody waited for, thrown by the next operation. */
  private deferredFailure: Error | undefined;
  /** Bumped by a cancel() before the engine is up: the operations asked for until then do not run. */
  private cancels = 0;
  /** Resolves when the engine is up (rejects if it cannot start). */
  readonly started: Promise<void>;

  constructor(
    readonly kind: Engine['kind'],
    readonly description: string,
    private readonly starting: Promise<Engine>,
  ) {
    this.started = starting.then((engine) => {
      this.engine = engine;
    });
    // Observed here; each operation sees the failure through `starting`.
    this.started.catch(() => undefined);
  }

  /** Whether the engine is up: until then, work that cannot fail on a new database may be deferred. */
  get ready(): boolean {
    return this.engine !== undefined;
  }

  /**
   * Runs `operation` once the engine is up, in order with every other operation, without the
   * caller waiting: its failure is thrown by the next operation.
   */
  defer(operation: (engine: Engine) => Promise<unknown>): void {
    this.starting.then(operation).catch((error: unknown) => {
      this.deferredFailure ??= error instanceof Error ? error : new Error(String(error));
    });
  }

  query(sql: string, params?: unknown[]): Promise<QueryResult> {
    return this.use((engine) => engine.query(sql, params));
  }

  exec(sql: string): Promise<QueryResult[]> {
    return this.use((engine) => engine.exec(sql));
  }

  stream<T>(sql: string, consume: (pages: AsyncIterable<QueryResult>) => Promise<T>, pageRows?: number): Promise<T> {
    return this.use((engine) => engine.stream(sql, consume, pageRows));
  }

  copyText(table: TableRef, columns: readonly string[], text: TextSource, options?: CopyOptions): Promise<number> {
    return this.use((engine) => engine.copyText(table, columns, text, options));
  }

  async cancel(): Promise<void> {
    if (this.engine) await this.engine.cancel();
    else this.cancels++;
  }

  async close(): Promise<void> {
    const engine = await this.starting.catch(() => undefined);
    await engine?.close();
  }

  // `starting.then` keeps the callers' order: the callbacks run in the order they were registered.
  private use<T>(operation: (engine: Engine) => Promise<T>): Promise<T> {
    const cancels = this.cancels;
    return this.starting.then((engine) => {
      if (this.cancels !== cancels) throw new DbCancelledError();
      const failure = this.deferredFailure;
      if (failure !== undefined) {
        this.deferredFailure = undefined;
        throw failure;
      }
      return operation(engine);
    });
  }
}
