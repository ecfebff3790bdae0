// Worker thread that owns the PGlite instance, so that a long statement runs off the caller's
// event loop (PGlite executes synchronously inside WASM and would block the VS Code extension host).
// It serves a Session (WorkerHandle calls it through src/fdw/thread/rpc.ts), one call at a time,
// in order.

import { workerData } from 'node:worker_threads';
import type { PGlite, Results } from '@electric-sql/pglite';
import { connectToParent } from '../thread/workerThread.js';
import { openCluster } from './cluster.js';
import { refuseUnsupportedCopy } from './copyGuard.js';
import { CopyIn } from './copyIn.js';
import { dbErrors } from './errors.js';
import type { OpenInfo, QueryResult, TableRef, WasmModule, WorkerConfig } from './protocol.js';
import { TYPE_NAMES_SQL, TypeNames } from './resultTypes.js';

// The one cursor a stream reads (Database.stream), and what the DECLARE around the caller's query
// adds before it: Postgres's error positions count from the start of the DECLARE.
const CURSOR_PREFIX = 'declare clerk_sql_stream no scroll cursor for ';

/** How the worker opened the database, and PGlite's compiled module, handed to a replacement worker. */
export interface Opened {
  info: OpenInfo;
  wasmModule: WasmModule;
}

/** What the database worker serves. */
export type DatabaseWorkerApi = Session;

class Session {
  private readonly pg: PGlite;
  private readonly howOpened: Opened;
  private readonly typeNames = new TypeNames();
  private copy: CopyIn | undefined;
  /** The open cursor, and whether it opened the transaction it runs in. */
  private cursor: { ownsTransaction: boolean } | undefined;

  constructor(pg: PGlite, opened: Opened) {
    this.pg = pg;
    this.howOpened = opened;
  }

  /** Every call waits for the database to be open; this one returns how it was opened. */
  async opened(): Promise<Opened> {
    return this.howOpened;
  }

  /** Runs one statement (extended protocol). */
  async query(sql: string, params?: unknown[]): Promise<QueryResult> {
    await refuseUnsupportedCopy(sql, 'embedded');
    const notices: string[] = [];
    const result = await this.pg.query<unknown[]>(sql, params, { rowMode: 'array', onNotice: (notice) => notices.push(notice.message ?? '') });
    return this.toQueryResult(result, notices);
  }

  /** Runs any number of statements (simple protocol). */
  async exec(sql: string): Promise<QueryResult[]> {
    await refuseUnsupportedCopy(sql, 'embedded');
    const notices: string[] = [];
    const results = await this.pg.exec(sql, { rowMode: 'array', onNotice: (notice) => notices.push(notice.message ?? '') });
    // PGlite reports notices per call, not per statement: they go with the last statement.
    return Promise.all(results.map((result, index) => this.toQueryResult(result as Results<unknown[]>, index === results.length - 1 ? notices : [])));
  }

  async copyBegin(table: TableRef, columns: readonly string[], replace: boolean): Promise<void> {
    if (this.copy) throw new Error('a COPY is already in progress');
    this.copy = await CopyIn.begin(this.pg, table, columns, replace);
  }

  async copyText(text: string): Promise<void> {
    await this.whileCopying((copy) => copy.addText(text));
  }

  /** Returns the number of rows loaded. */
  async copyEnd(): Promise<number> {
    const rowCount = await this.whileCopying((copy) => copy.finish());
    this.copy = undefined;
    return rowCount;
  }

  async copyAbort(): Promise<void> {
    const copy = this.copy;
    this.copy = undefined;
    await copy?.abort();
  }

  async cursorOpen(sql: string): Promise<void> {
    if (this.cursor) throw new Error('a cursor is already open');
    await refuseUnsupportedCopy(sql, 'embedded');
    const ownsTransaction = !this.pg.isInTransaction();
    if (ownsTransaction) await this.pg.exec('begin');
    try {
      await this.pg.query(CURSOR_PREFIX + sql);
    } catch (error) {
      if (ownsTransaction) await this.pg.exec('rollback');
      const position = (error as { position?: string }).position;
      if (position) (error as { position?: string }).position = String(Number(position) - CURSOR_PREFIX.length);
      throw error;
    }
    this.cursor = { ownsTransaction };
  }

  async cursorFetch(rows: number): Promise<QueryResult> {
    const notices: string[] = [];
    try {
      const result = await this.pg.query<unknown[]>(`fetch forward ${rows} from clerk_sql_stream`, [], {
        rowMode: 'array',
        onNotice: (notice) => notices.push(notice.message ?? ''),
      });
      // The statement the cursor runs is a query, whatever the command that reads it.
      return { ...(await this.toQueryResult(result, notices)), command: 'SELECT' };
    } catch (error) {
      await this.closeCursor(false);
      throw error;
    }
  }

  /** Ends the cursor's transaction when it has its own: committed, or rolled back. */
  async cursorClose(commit: boolean): Promise<void> {
    await this.closeCursor(commit);
  }

  async close(): Promise<void> {
    await this.pg.close();
  }

  private async closeCursor(commit: boolean): Promise<void> {
    const cursor = this.cursor;
    this.cursor = undefined;
    if (!cursor) return;
    if (cursor.ownsTransaction) await this.pg.exec(commit ? 'commit' : 'rollback');
    // In the caller's transaction, which a failed fetch has aborted (then closing fails too, and the
    // transaction's end closes the cursor).
    else
      await this.pg.exec('close clerk_sql_stream').catch((error: unknown) => {
        if (commit) throw error;
      });
  }

  // A failure ends the COPY and rolls back what it loaded.
  private async whileCopying<T>(step: (copy: CopyIn) => Promise<T>): Promise<T> {
    const copy = this.copy;
    if (!copy) throw new Error('no COPY in progress');
    try {
      return await step(copy);
    } catch (error) {
      this.copy = undefined;
      await copy.abort();
      throw error;
    }
  }

  private async toQueryResult(result: Results<unknown[]>, notices: string[]): Promise<QueryResult> {
    const fields = result.fields;
    await this.typeNames.resolve(
      async (oids) => {
        const { rows } = await this.pg.query<[number, string]>(TYPE_NAMES_SQL, [oids], { rowMode: 'array' });
        return rows;
      },
      fields.map((field) => field.dataTypeID),
    );
    return {
      command: result.command ?? '',
      columns: fields.map((field) => ({ name: field.name, type: this.typeNames.name(field.dataTypeID), typeOid: field.dataTypeID })),
      rows: result.rows,
      rowCount: fields.length > 0 ? result.rows.length : (result.affectedRows ?? 0),
      notices,
    };
  }
}

const started = performance.now();
// Connected before the database is open, not only for early calls: a listener keeps this thread's
// event loop alive. Otherwise, while PGlite awaits V8-internal work (WASM instantiation), the loop
// is empty and Node blocks the thread until all of V8's background jobs are done, i.e. until the
// WASM module is optimized: 0.3-0.7 s measured.
connectToParent({
  serve: openCluster(workerData as WorkerConfig).then(
    ({ pg, initializedFrom, wasmModule }) => new Session(pg, { info: { initializedFrom, openMs: performance.now() - started }, wasmModule }),
  ),
  errors: dbErrors,
  inOrder: true,
});
