// What the runtime asks of a database, whichever runs it: the embedded PGlite (Database, the
// default) or a real PostgreSQL server (PostgresEngine). Both give results in the same shapes
// (protocol.ts's QueryResult: bigint as bigint, dates and times as Postgres's text, type names as
// format_type() spells them) and fail with the same errors (errors.ts: DbError with SQLSTATE and
// position, DbCancelledError, DbClosedError), so the runtime and the notebooks cannot tell them apart.
import type { QueryResult, TableRef } from './protocol.js';

export type TextSource = string | Iterable<string> | AsyncIterable<string>;

export interface CopyOptions {
  /** Empty the table first, in the same transaction. */
  replace?: boolean;
}

export interface Engine {
  /** Which engine it is: the runtime keeps foreign tables' rows differently in each (tableStorage.ts). */
  readonly kind: 'embedded' | 'postgres';
  /** Where the notebook runs, for people: "embedded (temporary)", "postgres://app@db:5432/app". No password in it. */
  readonly description: string;
  /** Runs one statement (extended protocol: a string with several statements is an error). */
  query(sql: string, params?: unknown[]): Promise<QueryResult>;
  /** Runs any number of statements (simple protocol; without an explicit BEGIN, one transaction). One result per statement. */
  exec(sql: string): Promise<QueryResult[]>;
  /**
   * Runs a query through a cursor and hands its rows to `consume` a page at a time, as it asks for
   * them; only a page is held at once. Every page carries the columns. Nothing else runs until
   * `consume` settles.
   */
  stream<T>(sql: string, consume: (pages: AsyncIterable<QueryResult>) => Promise<T>, pageRows?: number): Promise<T>;
  /**
   * Loads rows in COPY text format (one string, or chunks as they arrive), aligned with `columns`.
   * All or nothing. Returns the number of rows loaded.
   */
  copyText(table: TableRef, columns: readonly string[], text: TextSource, options?: CopyOptions): Promise<number>;
  /** Stops the running operation and drops the queued ones (they reject with DbCancelledError). */
  cancel(): Promise<void>;
  /** Waits for queued operations, then closes (a temporary embedded database is deleted). */
  close(): Promise<void>;
}
