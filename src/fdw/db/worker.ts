// Worker thread that owns the PGlite instance, so that a long statement runs off the caller's
// event loop (PGlite executes synchronously inside WASM and would block the VS Code extension host).
// Requests are handled one at a time, in order; see protocol.ts for the messages.

import { parentPort, workerData } from 'node:worker_threads';
import type { PGlite, Results } from '@electric-sql/pglite';
import { openCluster } from './cluster.ts';
import { CopyIn } from './copyIn.ts';
import { EngineFailure } from './engineGuard.ts';
import type { DbErrorInfo, OperationResult, QueryResult, Reply, Request, WorkerConfig } from './protocol.ts';
import { TypeNames } from './resultTypes.ts';
import { refuseUnsupportedCopy } from './copyGuard.ts';

// The one cursor a stream reads (Database.stream), and what the DECLARE around the caller's query
// adds before it: Postgres's error positions count from the start of the DECLARE.
const CURSOR_PREFIX = 'declare clerk_sql_stream no scroll cursor for ';

class Session {
  readonly #pg: PGlite;
  readonly #typeNames = new TypeNames();
  #copy: CopyIn | undefined;
  /** The open cursor, and whether it opened the transaction it runs in. */
  #cursor: { ownsTransaction: boolean } | undefined;

  constructor(pg: PGlite) {
    this.#pg = pg;
  }

  async run(request: Request): Promise<OperationResult<Request['kind']>> {
    switch (request.kind) {
      case 'query': {
        await refuseUnsupportedCopy(request.sql);
        const notices: string[] = [];
        const result = await this.#pg.query<unknown[]>(request.sql, request.params, {
          rowMode: 'array',
          onNotice: (notice) => notices.push(notice.message ?? ''),
        });
        return this.#toQueryResult(result, notices);
      }
      case 'exec': {
        await refuseUnsupportedCopy(request.sql);
        const notices: string[] = [];
        const results = await this.#pg.exec(request.sql, { rowMode: 'array', onNotice: (notice) => notices.push(notice.message ?? '') });
        // PGlite reports notices per call, not per statement: they go with the last statement.
        return Promise.all(results.map((result, index) => this.#toQueryResult(result as Results<unknown[]>, index === results.length - 1 ? notices : [])));
      }
      case 'copyBegin':
        if (this.#copy) throw new Error('a COPY is already in progress');
        this.#copy = await CopyIn.begin(this.#pg, request.table, request.columns, request.replace);
        return null;
      case 'copyText':
        await this.#whileCopying((copy) => copy.addText(request.text));
        return null;
      case 'copyEnd': {
        const rowCount = await this.#whileCopying((copy) => copy.finish());
        this.#copy = undefined;
        return { rowCount };
      }
      case 'copyAbort': {
        const copy = this.#copy;
        this.#copy = undefined;
        await copy?.abort();
        return null;
      }
      case 'cursorOpen': {
        if (this.#cursor) throw new Error('a cursor is already open');
        await refuseUnsupportedCopy(request.sql);
        const ownsTransaction = !this.#pg.isInTransaction();
        if (ownsTransaction) await this.#pg.exec('begin');
        try {
          await this.#pg.query(CURSOR_PREFIX + request.sql);
        } catch (error) {
          if (ownsTransaction) await this.#pg.exec('rollback');
          const position = (error as { position?: string }).position;
          if (position) (error as { position?: string }).position = String(Number(position) - CURSOR_PREFIX.length);
          throw error;
        }
        this.#cursor = { ownsTransaction };
        return null;
      }
      case 'cursorFetch': {
        const notices: string[] = [];
        try {
          const result = await this.#pg.query<unknown[]>(`fetch forward ${request.rows} from clerk_sql_stream`, [], {
            rowMode: 'array',
            onNotice: (notice) => notices.push(notice.message ?? ''),
          });
          // The statement the cursor runs is a query, whatever the command that reads it.
          return { ...(await this.#toQueryResult(result, notices)), command: 'SELECT' };
        } catch (error) {
          await this.#closeCursor(false);
          throw error;
        }
      }
      case 'cursorClose':
        await this.#closeCursor(request.commit);
        return null;
      case 'close':
        await this.#pg.close();
        return null;
    }
  }

  async #closeCursor(commit: boolean): Promise<void> {
    const cursor = this.#cursor;
    this.#cursor = undefined;
    if (!cursor) return;
    if (cursor.ownsTransaction) await this.#pg.exec(commit ? 'commit' : 'rollback');
    // In the caller's transaction, which a failed fetch has aborted (then closing fails too, and the
    // transaction's end closes the cursor).
    else
      await this.#pg.exec('close clerk_sql_stream').catch((error: unknown) => {
        if (commit) throw error;
      });
  }

  // A failure ends the COPY and rolls back what it loaded.
  async #whileCopying<T>(step: (copy: CopyIn) => Promise<T>): Promise<T> {
    const copy = this.#copy;
    if (!copy) throw new Error('no COPY in progress');
    try {
      return await step(copy);
    } catch (error) {
      this.#copy = undefined;
      await copy.abort();
      throw error;
    }
  }

  async #toQueryResult(result: Results<unknown[]>, notices: string[]): Promise<QueryResult> {
    const fields = result.fields;
    await this.#typeNames.resolve(this.#pg, fields.map((field) => field.dataTypeID));
    return {
      command: result.command ?? '',
      columns: fields.map((field) => ({ name: field.name, type: this.#typeNames.name(field.dataTypeID), typeOid: field.dataTypeID })),
      rows: result.rows,
      rowCount: fields.length > 0 ? result.rows.length : (result.affectedRows ?? 0),
      notices,
    };
  }
}

function toErrorInfo(error: unknown): DbErrorInfo {
  if (error instanceof EngineFailure) return error.info;
  if (typeof error !== 'object' || error === null) return { message: String(error) };
  const fields = error as Partial<Record<'message' | 'code' | 'severity' | 'detail' | 'hint' | 'where' | 'position' | 'name', string>>;
  // PGlite's DatabaseError carries the SQLSTATE; the instance stays usable after it.
  if (typeof fields.code === 'string' && /^[0-9A-Z]{5}$/.test(fields.code)) {
    const info: DbErrorInfo = { message: fields.message ?? 'database error', code: fields.code };
    for (const key of ['severity', 'detail', 'hint', 'where'] as const) if (fields[key]) info[key] = fields[key];
    if (fields.position) info.position = Number(fields.position);
    return info;
  }
  // Postgres exiting (emscripten's ExitStatus) or a WASM trap (WebAssembly.RuntimeError) leaves PGlite unusable.
  const fatal = fields.name === 'ExitStatus' || fields.name === 'RuntimeError';
  return { message: fields.message ?? String(error), ...(fatal ? { fatal } : {}) };
}

function main(): void {
  const port = parentPort;
  if (!port) throw new Error('worker.ts runs as a worker thread');
  const post = (reply: Reply) => port.postMessage(reply);
  const started = performance.now();
  const opening = openCluster(workerData as WorkerConfig).then(({ pg, initializedFrom, wasmModule }) => {
    post({ kind: 'ready', info: { initializedFrom, openMs: performance.now() - started }, wasmModule });
    return new Session(pg);
  });
  opening.catch((error: unknown) => post({ kind: 'openFailed', error: toErrorInfo(error) }));

  // Listening before the database is open is not only for early requests: a listener keeps this
  // thread's event loop alive. Otherwise, while PGlite awaits V8-internal work (WASM
  // instantiation), the loop is empty and Node blocks the thread until all of V8's background
  // jobs are done, i.e. until the WASM module is optimized: 0.3-0.7 s measured.
  let queue: Promise<unknown> = Promise.resolve();
  port.on('message', (request: Request) => {
    queue = queue.then(async () => {
      try {
        const session = await opening;
        post({ kind: 'result', id: request.id, value: await session.run(request) });
      } catch (error) {
        post({ kind: 'error', id: request.id, error: toErrorInfo(error) });
      }
    });
  });
}

main();
