// The second engine: the user's own PostgreSQL server, reached as psql reaches it (a postgres://
// URL, PG* environment variables and ~/.pgpass: node-postgres reads both when the URL leaves them
// out). One connection, so the session's temporary tables (where foreign tables' rows live, see
// tableStorage.ts) are the runtime's; operations run one at a time, in order, as in Database.
// Results are decoded as the embedded engine decodes them (protocol.ts), so a notebook's results
// are the same on both: the per-connection type parsers below match PGlite's (resultTypes.ts) and
// the session's time zone is UTC, as PGlite's.
import pg from 'pg';
import pgTypes from 'pg-types';
import { parse as parseArray } from 'postgres-array';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { qualified, quoteIdent } from '../sql/identifiers.js';
import { refuseUnsupportedCopy } from './copyGuard.js';
import type { CopyOptions, Engine, TextSource } from './engine.js';
import { DbCancelledError, DbClosedError, DbError, dbErrors } from './errors.js';
import type { QueryResult, TableRef } from './protocol.js';
import { TYPE_NAMES_SQL, TypeNames } from './resultTypes.js';

export interface PostgresOptions {
  /** A postgres:// URL; what it leaves out comes from PG* variables and ~/.pgpass. */
  url?: string;
  /** Longest a statement may run (statement_timeout), in ms; 0 for no limit. */
  statementTimeoutMs?: number;
  /** Most temporary-file space a statement may use, in kB; -1 for no limit. Setting it needs a superuser: others keep the server's. */
  tempFileLimitKb?: number;
}

// The cursor a stream reads, and what the DECLARE adds before the caller's query: Postgres's error
// positions count from the start of the DECLARE.
const CURSOR_PREFIX = 'declare clerk_sql_stream no scroll cursor for ';
const INSUFFICIENT_PRIVILEGE = '42501';

const keepText = (text: string) => text;
const bytea = pgTypes.getTypeParser(17, 'text') as (text: string) => Buffer;
/** PGlite's decoding (resultTypes.ts): bigint exact, dates and times as Postgres's text, bytea as a plain Uint8Array. */
const PARSERS: Record<number, (text: string) => unknown> = {
  20: BigInt,
  17: (text) => new Uint8Array(bytea(text)),
  1082: keepText,
  1083: keepText,
  1114: keepText,
  1184: keepText,
  1186: keepText,
  1266: keepText,
};
/** Array type OID -> element type OID, for the element types whose decoding differs from node-postgres's. */
const ARRAYS: Record<number, number> = { 1016: 20, 1001: 17, 1182: 1082, 1183: 1083, 1115: 1114, 1185: 1184, 1187: 1186, 1270: 1266 };

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (text: string) => unknown {
    const element = ARRAYS[oid];
    if (element !== undefined) return (text) => parseArray(text, PARSERS[element]!);
    return PARSERS[oid] ?? (pgTypes.getTypeParser(oid, format ?? 'text') as (text: string) => unknown);
  },
};

export class PostgresEngine implements Engine {
  readonly kind = 'postgres';
  private readonly typeNames = new TypeNames();
  private queue: Promise<unknown> = Promise.resolve();
  private queued = 0;
  /** Bumped by cancel(): an operation queued under an older generation does not start. */
  private generation = 0;
  private closed = false;
  private notices: string[] = [];

  private constructor(
    private readonly client: pg.Client,
    readonly description: string,
    private readonly connection: pg.ClientConfig,
  ) {
    client.on('notice', (notice) => this.notices.push(notice.message ?? ''));
  }

  static async connect(options: PostgresOptions = {}): Promise<PostgresEngine> {
    const connection: pg.ClientConfig = { ...(options.url === undefined ? {} : { connectionString: options.url }), types };
    const client = new pg.Client(connection);
    const description = describe(client);
    // A connection that drops later fails the operation running then; without a listener it would crash the process.
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (error) {
      throw new DbError({ message: `could not connect to ${description}: ${(error as Error).message}` });
    }
    const engine = new PostgresEngine(client, description, connection);
    await client.query(`SET TimeZone = 'UTC'; SET statement_timeout = ${Math.max(0, Math.trunc(options.statementTimeoutMs ?? 0))}`);
    if ((options.tempFileLimitKb ?? -1) >= 0) {
      await client.query(`SET temp_file_limit = ${Math.trunc(options.tempFileLimitKb!)}`).catch((error: unknown) => {
        if ((error as { code?: string }).code !== INSUFFICIENT_PRIVILEGE) throw error;
      });
    }
    return engine;
  }

  query(sql: string, params?: unknown[]): Promise<QueryResult> {
    return this.run(async () => {
      await refuseUnsupportedCopy(sql, 'postgres');
      const result = await this.client.query({ text: sql, values: params ?? [], rowMode: 'array', queryMode: 'extended' } as pg.QueryArrayConfig);
      return this.toQueryResult(result, this.takeNotices());
    });
  }

  exec(sql: string): Promise<QueryResult[]> {
    return this.run(async () => {
      await refuseUnsupportedCopy(sql, 'postgres');
      // Without values, node-postgres uses the simple protocol: several statements, one result each.
      const returned = (await this.client.query({ text: sql, rowMode: 'array' } as pg.QueryArrayConfig)) as pg.QueryArrayResult | pg.QueryArrayResult[];
      const results = Array.isArray(returned) ? returned : [returned];
      const notices = this.takeNotices();
      // As the embedded engine: notices go with the last statement. One at a time: a result may
      // look up type names, and the connection takes one query at a time.
      const decoded: QueryResult[] = [];
      for (const [i, result] of results.entries()) decoded.push(await this.toQueryResult(result, i === results.length - 1 ? notices : []));
      return decoded;
    });
  }

  stream<T>(sql: string, consume: (pages: AsyncIterable<QueryResult>) => Promise<T>, pageRows = 10_000): Promise<T> {
    return this.run(async () => {
      await refuseUnsupportedCopy(sql, 'postgres');
      const ownsTransaction = this.client.getTransactionStatus() === 'I';
      if (ownsTransaction) await this.client.query('begin');
      try {
        await this.client.query(CURSOR_PREFIX + sql).catch((error: unknown) => {
          const fields = error as { position?: string };
          if (fields.position) fields.position = String(Number(fields.position) - CURSOR_PREFIX.length);
          throw error;
        });
        const result = await consume(this.pages(pageRows));
        await this.client.query(ownsTransaction ? 'commit' : 'close clerk_sql_stream');
        return result;
      } catch (error) {
        if (ownsTransaction) await this.client.query('rollback').catch(() => undefined);
        throw error;
      }
    });
  }

  copyText(table: TableRef, columns: readonly string[], text: TextSource, options: CopyOptions = {}): Promise<number> {
    return this.run(async () => {
      const relation = typeof table === 'string' ? quoteIdent(table) : qualified(table);
      const ownsTransaction = this.client.getTransactionStatus() === 'I';
      if (ownsTransaction) await this.client.query('begin');
      try {
        if (options.replace) await this.client.query(`truncate ${relation}`);
        const copy = this.client.query(copyFrom(`copy ${relation} (${columns.map(quoteIdent).join(', ')}) from stdin`));
        await pipeline(Readable.from(typeof text === 'string' ? [text] : text), copy);
        if (ownsTransaction) await this.client.query('commit');
        return Number(copy.rowCount);
      } catch (error) {
        if (ownsTransaction) await this.client.query('rollback').catch(() => undefined);
        throw error;
      }
    });
  }

  /** Stops the running statement (Postgres's cancel request, from a second connection) and drops the queued ones. */
  async cancel(): Promise<void> {
    if (this.queued === 0) return;
    this.generation++;
    const pid = (this.client as unknown as { processID?: number }).processID;
    if (pid === undefined) return;
    const canceller = new pg.Client(this.connection);
    canceller.on('error', () => undefined);
    try {
      await canceller.connect();
      await canceller.query('select pg_cancel_backend($1)', [pid]);
    } finally {
      await canceller.end().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.catch(() => undefined);
    await this.client.end().catch(() => undefined);
  }

  private async *pages(pageRows: number): AsyncGenerator<QueryResult> {
    for (;;) {
      const result = await this.client.query({ text: `fetch forward ${pageRows} from clerk_sql_stream`, rowMode: 'array' });
      // The statement the cursor runs is a query, whatever the command that reads it.
      const page = { ...(await this.toQueryResult(result, this.takeNotices())), command: 'SELECT' };
      yield page;
      if (page.rows.length < pageRows) return;
    }
  }

  /** One operation at a time, in order; a cancel drops those that have not started. */
  private run<T>(operation: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new DbClosedError());
    const generation = this.generation;
    this.queued++;
    const result = this.queue.then(async () => {
      if (this.closed) throw new DbClosedError();
      if (generation !== this.generation) throw new DbCancelledError();
      this.notices = [];
      try {
        return await operation();
      } catch (error) {
        throw toDbError(error, generation !== this.generation);
      }
    });
    this.queue = result.then(
      () => (this.queued--, undefined),
      () => (this.queued--, undefined),
    );
    return result;
  }

  private takeNotices(): string[] {
    const notices = this.notices;
    this.notices = [];
    return notices;
  }

  private async toQueryResult(result: pg.QueryArrayResult, notices: string[]): Promise<QueryResult> {
    const fields = result.fields ?? [];
    await this.typeNames.resolve(
      async (oids) => {
        const { rows } = await this.client.query<[number, string]>({ text: TYPE_NAMES_SQL, values: [oids], rowMode: 'array' });
        return rows;
      },
      fields.map((f) => f.dataTypeID),
    );
    return {
      command: result.command ?? '',
      columns: fields.map((f) => ({ name: f.name, type: this.typeNames.name(f.dataTypeID), typeOid: f.dataTypeID })),
      rows: result.rows,
      rowCount: fields.length > 0 ? result.rows.length : (result.rowCount ?? 0),
      notices,
    };
  }
}

/** The server as people name it, without the password. */
function describe(client: pg.Client): string {
  const socket = client.host.startsWith('/');
  const url = new URL(`postgres://${socket ? 'localhost' : client.host}`);
  if (client.port) url.port = String(client.port);
  url.username = client.user ?? '';
  url.pathname = `/${client.database ?? ''}`;
  return socket ? `${url.toString()}?host=${encodeURIComponent(client.host)}` : url.toString();
}

/**
 * A Postgres error keeps its fields as the embedded engine gives them; a statement stopped by
 * cancel() is a DbCancelledError. Anything else is passed on as it is: an error of the caller's
 * own rows (a COPY's source failing: Clerk's API) must reach the caller with its type.
 */
function toDbError(error: unknown, cancelled: boolean): unknown {
  if (!(error instanceof pg.DatabaseError)) return error;
  if (cancelled && error.code === '57014') return new DbCancelledError();
  return dbErrors.decode(dbErrors.encode(error));
}
