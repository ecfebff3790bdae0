// The FDW runtime: runs a notebook cell's statements as Postgres with clerk_fdw would.
// cell text -> parse (libpg-query) -> FDW statements change the FDW catalog; every other
// statement: find the foreign tables it reads -> plan (pushdown) -> fetch from Clerk (or reuse
// fresh rows) -> COPY into the embedded Postgres -> run the statement unchanged -> result.
import { compileCopyRow, ValueError } from '../catalog/index.js';
import { ClerkClient, type ReadProgress } from '../clerk/client.js';
import { ClerkApiError, redactSecrets } from '../clerk/errors.js';
import { Database } from '../db/database.js';
import type { Engine } from '../db/engine.js';
import { StartingEngine } from '../db/startingEngine.js';
import { PostgresEngine } from '../db/postgres.js';
import { DbCancelledError, DbError } from '../db/errors.js';
import type { Column, QueryResult } from '../db/protocol.js';
import { SHARED_CATALOG_SCHEMA, SHARED_CATALOG_TABLE } from '../db/schemaSnapshot.js';
import { SqlParser, type ValidStatement } from '../sql/parser.js';
import { listRelations, type RelationRef } from '../sql/relations.js';
import { SourceText } from '../sql/sourceText.js';
import { expandPsql } from '../sql/psqlVariables.js';
import { resultNameOf } from '../sql/resultName.js';
import { isQuery } from '../sql/ast.js';
import { SimulatorPool } from '../simulator/pool.js';
import { apiTarget } from './apiTarget.js';
import { readAhead, type ReadAhead } from './readAhead.js';
import { TableMap, type QualifiedName } from './tableMap.js';
import { qualified, quoteIdent } from '../sql/identifiers.js';
import { cannotFailOnANewDatabase, createTableSql, placementFor, storageOf, tableChangeSql, type TablePlacement } from './tableStorage.js';
import { DEFAULT_CACHE_TTL_SECONDS, FdwCatalog, isFdwStatement, type CatalogState, type ForeignTable, type Server } from './fdwCatalog.js';
import { planReads, type ForeignTableInfo, type TablePlan } from './pushdown.js';
import { keyedPlan, needsKeys } from './keyedReads.js';
import { raiseLimitHint, withDefaults, type StatementLimits } from './limits.js';
import type { SecretStore } from './secrets.js';
import { SQLSTATE, SqlError } from './sqlError.js';

export interface RuntimeOptions {
  secrets: SecretStore;
  /** Keep the embedded database here (local tables survive restarts); a temporary one when absent. */
  dataDir?: string;
  /**
   * Run on this PostgreSQL server instead of the embedded database: a `postgres://` URL (PG*
   * environment variables and ~/.pgpass fill in what it leaves out, as for psql).
   */
  database?: string;
  /** Replaces every server's api_url (the CLI's --api-url, the demo's simulator). */
  apiUrlOverride?: string;
  /** Overrides the key's rate limit (tests); Clerk's limits otherwise. */
  rateLimit?: { requests: number; windowMs: number };
  /** Statement timeout and temporary-file limit; the defaults of limits.ts for what is not given. */
  limits?: Partial<StatementLimits>;
  /** psql variables (the CLI's --set): cells read them as `:name`, and their `\set` does not override them. */
  variables?: Record<string, string>;
}

export interface ExecuteOptions {
  signal?: AbortSignal;
  onProgress?: (p: FetchProgress) => void;
  /** Refetch every foreign table read, however fresh its rows. */
  refresh?: boolean;
  /** Fetch full tables, ignoring WHERE and LIMIT (to compare results with and without pushdown). */
  noPushdown?: boolean;
  /**
   * Run from this statement (0-based) on: the earlier ones already ran, e.g. before a missing
   * key was asked for. Positions and statement numbers stay those of the whole cell.
   */
  fromStatement?: number;
  /**
   * Receives each statement's result as soon as it has one, with its rows in pages, which it must
   * read before the next statement runs. A query's rows are then read from the database a page at
   * a time as they are consumed (a cursor), so no result is ever held whole, however large: the
   * results execute() returns (and a CellError's) hold no rows. The result given has no rows
   * either; its rowCount and notices are complete once the pages are read.
   */
  onResult?: (result: StatementResult, pages: AsyncIterable<unknown[][]>) => Promise<void>;
}

export interface FetchProgress extends ReadProgress {
  table: string;
}

/** Where a foreign table's rows came from for one statement. */
export interface TableSource {
  table: string;
  fromCache: boolean;
  /** Age of the rows when the statement ran. */
  ageMs: number;
  rows: number;
  requests: number;
  /** The conditions sent to Clerk; empty = every row. */
  pushed: string[];
}

export interface StatementResult {
  /** 0-based index of the statement in the cell. */
  statement: number;
  /** The statement's text, as written in the cell. */
  sql: string;
  command: string;
  columns: Column[];
  rows: unknown[][];
  rowCount: number;
  elapsedMs: number;
  /** Clerk API requests made for this statement. */
  requests: number;
  sources: TableSource[];
  notices: string[];
}

/** A cell's failure: a Postgres-style error with its statement and position in the cell. */
export class CellError extends SqlError {
  override name = 'CellError';
  constructor(
    error: SqlError,
    readonly statement: number | undefined,
    /** Results of the statements before the failing one. */
    readonly results: StatementResult[],
  ) {
    super(error);
  }
}

/** The foreign tables a statement reads: named in it, and read by notebook views it names. */
interface TablesRead {
  direct: TableMap<ForeignTable>;
  viaViews: TableMap<ForeignTable>;
}

interface Loaded {
  /** `full`, or the request that filled the table. */
  key: string;
  at: number;
  rows: number;
  /** What the loaded rows carry (holdsLoadedRows): the load's transaction, and its last command. */
  stamp: { xid: string; command: number };
  /** The definition the rows were fetched under (`definition()`): rows of another are not reused. */
  definition: string;
}

const SESSION_CATALOG = 'pg_temp.clerk_fdw_catalog';
const CATALOG_COLUMNS = 'id int PRIMARY KEY, state jsonb NOT NULL';
const CREATE_CATALOG_TABLE = `CREATE SCHEMA IF NOT EXISTS ${SHARED_CATALOG_SCHEMA}; CREATE TABLE IF NOT EXISTS ${SHARED_CATALOG_TABLE} (${CATALOG_COLUMNS})`;
const INSUFFICIENT_PRIVILEGE = '42501';
/** How far a foreign table's fetch may run ahead of its COPY (UTF-16 code units of COPY text). */
const READ_AHEAD_CHARS = 64 * 2 ** 20;

export class Runtime {
  private readonly catalog = new FdwCatalog();
  private readonly loaded = new TableMap<Loaded>();
  /** Views created in the notebook, with the foreign tables they read (transitively). */
  private readonly views = new TableMap<QualifiedName[]>();
  private readonly clients = new Map<string, ClerkClient>();
  private readonly resolvedKeys = new Set<string>();
  /** psql's variables, as the cells run so far have set them. */
  private variables: Map<string, string>;
  /** Variables given with the runtime (the CLI's --set): a cell's `\set` does not change them. */
  private readonly fixedVariables: ReadonlySet<string>;
  /** Simulators that servers with `api_url 'simulator:...'` read, started on first use. */
  private readonly simulators = new SimulatorPool();

  /** Where foreign tables' rows are kept in this engine. */
  private readonly placement: TablePlacement;
  private catalogTable = SHARED_CATALOG_TABLE;
  /** What the runtime has to tell before any statement (a catalog kept for this session only). */
  readonly notices: string[] = [];

  private constructor(
    private readonly db: Engine,
    private readonly parser: SqlParser,
    private readonly options: RuntimeOptions,
  ) {
    this.placement = placementFor(db);
    this.variables = new Map(Object.entries(options.variables ?? {}));
    this.fixedVariables = new Set(this.variables.keys());
  }

  static async start(options: RuntimeOptions): Promise<Runtime> {
    const { statementTimeoutSeconds, tempFileLimitMb } = withDefaults(options.limits);
    const engineLimits = { statementTimeoutMs: statementTimeoutSeconds * 1000, tempFileLimitKb: tempFileLimitMb > 0 ? tempFileLimitMb * 1024 : -1 };
    if (options.database === undefined && options.dataDir === undefined) {
      // A temporary embedded database holds nothing yet: the runtime does not wait for it to start,
      // so that the first statements are planned and their first pages fetched meanwhile.
      const db = new StartingEngine('embedded', 'embedded (temporary)', Database.open(engineLimits));
      const runtime = new Runtime(db, await SqlParser.load(), options);
      // Nothing to restore in a new database: only the table the catalog is saved in is made (one
      // operation, so that it runs before the saves that the first DDL cells defer).
      db.defer((engine) => engine.exec(CREATE_CATALOG_TABLE));
      return runtime;
    }
    const [db, parser] = await Promise.all([
      options.database === undefined
        ? Database.open({ dataDir: options.dataDir, ...engineLimits })
        : PostgresEngine.connect({ url: options.database, ...engineLimits }),
      SqlParser.load(),
    ]);
    const runtime = new Runtime(db, parser, options);
    await runtime.restoreCatalog();
    return runtime;
  }

  /** Resolves when the runtime's database is up (a temporary embedded one starts after `start` returns). */
  get started(): Promise<void> {
    return this.db instanceof StartingEngine ? this.db.started : Promise.resolve();
  }

  async close(): Promise<void> {
    await Promise.all([this.db.close(), this.simulators.close()]);
  }

  /** Forgets every fetched row: the next statement reading a foreign table fetches it. */
  invalidate(): void {
    this.loaded.clear();
  }

  async execute(text: string, opts: ExecuteOptions = {}): Promise<StatementResult[]> {
    const results: StatementResult[] = [];
    // psql's variables first: the parser sees their values (never SQL text, see psqlVariables.ts).
    const variables = new Map(this.variables);
    const expansion = expandPsql(text, variables, this.fixedVariables);
    const cell = new SourceText(text);
    const inCell = (error: SqlError): SqlError =>
      error.position === undefined ? error : new SqlError({ ...error.fields(), position: cell.positionAt(expansion.map.toCell(error.position.offset)) });
    const [problem] = expansion.problems;
    if (problem) {
      throw this.cellError(
        new SqlError({ code: SQLSTATE.syntaxError, message: problem.message, hint: problem.hint, position: cell.positionAt(problem.start) }),
        undefined,
        results,
      );
    }
    // A cell's `\set`s take effect when it runs, all of them, as psql's would by its last line.
    this.variables = variables;
    const parsed = this.parser.parse(expansion.sql);
    const [syntax] = parsed.errors;
    if (syntax) {
      // Postgres's parser quotes the text it stopped at, which may be a key (an unterminated `'sk_live_…`).
      throw this.cellError(
        inCell(new SqlError({ code: syntax.code ?? SQLSTATE.syntaxError, message: syntax.message, position: syntax.position })),
        syntax.statementIndex,
        results,
      );
    }
    // `-- name: signups` keeps the cell's last statement's result as the table signups.
    const named = resultNameOf(text);
    const last = parsed.statements.at(-1) as ValidStatement | undefined;
    for (const stmt of parsed.statements as ValidStatement[]) {
      if (stmt.index < (opts.fromStatement ?? 0)) continue;
      if (opts.signal?.aborted) throw this.cellError(inCell(cancelled()), stmt.index, results);
      try {
        const keep = named && stmt === last ? named.name : undefined;
        const result = await this.run(stmt, parsed.source, opts, keep && isQuery(stmt.ast) ? keep : undefined);
        if (keep && !isQuery(stmt.ast)) {
          result.notices.push(`the cell is named "${keep}" (-- name: ${keep}), but its last statement is not a query: no table "${keep}" was made`);
        }
        results.push(result);
      } catch (err) {
        throw this.cellError(inCell(this.toSqlError(err, stmt, parsed.source)), stmt.index, results);
      }
    }
    return results;
  }

  /** Every error leaves the runtime here, with every key masked out of its text. */
  private cellError(error: SqlError, statement: number | undefined, results: StatementResult[]): CellError {
    const redact = (s: string | undefined) => (s === undefined ? undefined : redactSecrets(s, ...this.catalog.inlineKeys(), ...this.resolvedKeys));
    return new CellError(
      new SqlError({ ...error.fields(), message: redact(error.message)!, detail: redact(error.detail), hint: redact(error.hint) }),
      statement,
      results,
    );
  }

  /** `keepAs`: also keep the query's rows as this temporary table (a named cell result). */
  private async run(stmt: ValidStatement, source: SourceText, opts: ExecuteOptions, keepAs?: string): Promise<StatementResult> {
    const started = performance.now();
    const base = {
      statement: stmt.index,
      sql: stmt.text,
      columns: [] as Column[],
      rows: [] as unknown[][],
      rowCount: 0,
      requests: 0,
      sources: [] as TableSource[],
    };
    if (isFdwStatement(stmt.ast)) {
      const plan = this.catalog.plan(stmt, source);
      const changes = plan.tables.map((change) => tableChangeSql(change, this.placement));
      if (this.db instanceof StartingEngine && !this.db.ready && plan.tables.every(cannotFailOnANewDatabase)) {
        // The database is still starting, and new: these run there once it is up, in order.
        for (const sql of changes) this.db.defer((engine) => engine.exec(sql));
        plan.commit();
        const save = this.catalogSave();
        this.db.defer((engine) => engine.query(save.sql, save.params));
      } else {
        for (const sql of changes) await this.db.exec(sql);
        plan.commit();
        await this.saveCatalog();
      }
      // A dropped table's rows went with it. Other tables keep theirs: rows fetched under a
      // definition that has changed since (columns, object, api_url, key) are not reused.
      for (const t of [...this.loaded.keys()]) if (!this.catalog.table(t.schema, t.name)) this.loaded.delete(t);
      return deliverWhole({ ...base, command: plan.command, notices: plan.notices, elapsedMs: performance.now() - started }, [], opts.onResult);
    }

    // The statement's relations, listed once: for the write check, the loads and a view's tables.
    const relations = listRelations(stmt.ast, source);
    this.refuseChangesToForeignTables(stmt, relations);
    const reads = this.foreignTablesRead(relations);
    const sources = await this.loadForeignTables(stmt, reads, relations, opts);
    const resultOf = ({ command, columns, rowCount, notices }: Omit<QueryResult, 'rows'>): StatementResult => ({
      ...base,
      command,
      columns,
      rowCount,
      notices,
      requests: sources.reduce((n, s) => n + s.requests, 0),
      sources,
      elapsedMs: performance.now() - started,
    });
    const { onResult } = opts;
    const sql = keepAs === undefined ? stmt.text : await this.keepResult(stmt, keepAs, opts.signal);
    let result: StatementResult;
    if (onResult && isQuery(stmt.ast)) {
      result = await this.cancellable(opts.signal, () => this.db.stream(sql, (pages) => deliver(pages, resultOf, onResult)));
    } else {
      const { rows, ...rest } = await this.cancellable(opts.signal, () => this.db.query(sql));
      result = await deliverWhole(resultOf(rest), rows, onResult);
    }
    result.elapsedMs = performance.now() - started;
    this.rememberView(stmt, reads);
    return result;
  }

  /**
   * Runs the query once, into the temporary table `name` (replacing the one an earlier run made),
   * and gives the statement that reads it back: the cell shows the rows later cells query. A
   * temporary table lives as long as the runtime's session and never lands in the user's database.
   */
  private async keepResult(stmt: ValidStatement, name: string, signal: AbortSignal | undefined): Promise<string> {
    const table = `pg_temp.${quoteIdent(name)}`;
    const create = `CREATE TEMP TABLE ${quoteIdent(name)} AS `;
    await this.cancellable(signal, () => this.db.exec(`DROP TABLE IF EXISTS ${table}`));
    try {
      await this.cancellable(signal, () => this.db.exec(create + stmt.text));
    } catch (err) {
      // Postgres's position counts from the start of what it was given: the statement's is past the prefix.
      if (!(err instanceof DbError) || err.position === undefined) throw err;
      const { message, code, severity, detail, hint, where, fatal } = err;
      const position = err.position > create.length ? err.position - create.length : undefined;
      throw new DbError({ message, code, severity, detail, hint, where, fatal, position });
    }
    // A new table's rows come back in the order they were written: the query's.
    return `TABLE ${table}`;
  }

  /** Runs a database operation that an abort of `signal` cancels. */
  private async cancellable<T>(signal: AbortSignal | undefined, operation: () => Promise<T>): Promise<T> {
    if (signal?.aborted) throw cancelled();
    const onAbort = () => void this.db.cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await operation();
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** clerk_fdw's tables are read-only: writing to one is Postgres's "cannot change" error. */
  private refuseChangesToForeignTables(stmt: ValidStatement, relations: RelationRef[]): void {
    const kind = Object.keys(stmt.ast)[0]!;
    for (const ref of relations) {
      if (ref.usage !== 'target' || !this.catalog.table(ref.schema, ref.name)) continue;
      if (kind === 'DropStmt') {
        throw new SqlError({
          code: SQLSTATE.wrongObjectType,
          message: `"${ref.name}" is not a table`,
          hint: 'Use DROP FOREIGN TABLE to remove a foreign table.',
          position: ref.position,
        });
      }
      const verb = kind === 'InsertStmt' ? 'insert into' : kind === 'UpdateStmt' ? 'update' : kind === 'DeleteStmt' ? 'delete from' : 'change';
      throw new SqlError({
        code: SQLSTATE.wrongObjectType,
        message: `cannot ${verb} foreign table "${ref.name}"`,
        detail: 'clerk_fdw foreign tables are read-only.',
        hint: 'Copy the rows into a local table first: create table t as select * from ...',
        position: ref.position,
      });
    }
  }

  /** Fills every foreign table the statement reads (directly or through notebook views). */
  private async loadForeignTables(stmt: ValidStatement, reads: TablesRead, relations: RelationRef[], opts: ExecuteOptions): Promise<TableSource[]> {
    // A view's query runs when the view is read: defining it needs the tables, not their rows.
    if ('ViewStmt' in stmt.ast) return [];
    const lookup = (schema: string | undefined, name: string): ForeignTableInfo | undefined => this.catalog.table(schema, name);
    const plans = new TableMap<TablePlan>();
    for (const plan of planReads(stmt.ast, lookup)) {
      // A list that needs keys (sessions) is never read whole: its plan stands without pushdown too.
      if (!opts.noPushdown || needsKeys(plan)) plans.set(plan.table, plan);
    }
    const { direct, viaViews } = reads;
    const tables = new TableMap<ForeignTable>();
    for (const [name, table] of [...direct, ...viaViews]) tables.set(name, table);
    const planned = [...tables].map(
      ([name, table]): TablePlan =>
        // The planner sees only the statement's text: a table a view reads too is read whole.
        (!viaViews.has(name) && plans.get(name)) || { table, request: { object: table.object }, pushed: [] },
    );
    // Lists that need keys load last: their keys may come from the other tables' rows.
    planned.sort((a, b) => Number(needsKeys(a)) - Number(needsKeys(b)));
    const sources: TableSource[] = [];
    for (const plan of planned) {
      const table = tables.get(plan.table)!;
      const keyed = needsKeys(plan) ? await keyedPlan(this.db, plan, relations, lookup) : plan;
      sources.push(await this.ensureLoaded(table, keyed, opts));
    }
    return sources;
  }

  private async ensureLoaded(table: ForeignTable, plan: TablePlan, opts: ExecuteOptions): Promise<TableSource> {
    const server = this.catalog.server(table.server)!;
    const ttlMs = Number(server.options.cache_ttl ?? DEFAULT_CACHE_TTL_SECONDS) * 1000;
    const want = plan.pushed.length === 0 ? 'full' : JSON.stringify([plan.request, plan.maxRows]);
    const have = this.loaded.get(table);
    const now = Date.now();
    const definition = this.definition(table);
    const fresh = have && !opts.refresh && have.definition === definition && now - have.at < ttlMs && (have.key === 'full' || have.key === want);
    if (fresh && (await this.holdsLoadedRows(table, have))) {
      return { table: table.name, fromCache: true, ageMs: now - have.at, rows: have.rows, requests: 0, pushed: plan.pushed };
    }
    this.loaded.delete(table);
    const toLine = compileCopyRow(table.objectOption, table.columns);
    let requests = 0;
    let rows: number;
    let apiUrl: string | undefined;
    // The fetch starts before the database's checks and its COPY, which may wait (for a database
    // still starting, or busy), and runs ahead of them by at most READ_AHEAD_CHARS of COPY text.
    const abort = new AbortController();
    const onAbort = () => abort.abort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    let ahead: ReadAhead | undefined;
    try {
      const client = await this.clientFor(server);
      apiUrl = client.apiUrl;
      const fetched = client.read(plan.request, {
        signal: abort.signal,
        maxRows: plan.maxRows,
        onProgress: (p) => {
          requests = p.requests;
          opts.onProgress?.({ ...p, table: table.name });
        },
      });
      async function* lines() {
        for await (const batch of fetched) yield batch.map(toLine).join('');
      }
      ahead = readAhead(lines(), READ_AHEAD_CHARS);
      await this.refuseHiddenWriters(table);
      // `replace` empties the table in the load's own transaction: atomic, and Postgres skips WAL for it.
      rows = await this.db.copyText(
        storageOf(table, this.placement),
        table.columns.map((c) => c.name),
        ahead,
        { replace: true },
      );
    } catch (err) {
      throw loadError(table, server, apiUrl, err);
    } finally {
      abort.abort();
      ahead?.stop();
      opts.signal?.removeEventListener('abort', onAbort);
    }
    const stamp = await this.db.query(
      `SELECT coalesce(min(xmin::text), ''), coalesce(max(cmin::text::int8), 0) FROM ${qualified(storageOf(table, this.placement))}`,
    );
    const [xid, command] = stamp.rows[0] as [string, bigint];
    this.loaded.set(table, { key: want, at: Date.now(), rows, stamp: { xid, command: Number(command) }, definition });
    return { table: table.name, fromCache: false, ageMs: 0, rows, requests, pushed: plan.pushed };
  }

  // A notebook can change a foreign table's rows without naming the table, where
  // refuseChangesToForeignTables does not see it: in a function, a DO block, a trigger or rule on
  // another table. No database role can prevent it (the embedded Postgres has one session, a
  // superuser's, and whatever SET ROLE takes away, RESET ROLE gives back), so rows are checked
  // before they are reused instead. Loaded rows carry the load's transaction id (xmin) and command
  // ids (cmin); an INSERT, UPDATE, DELETE, TRUNCATE or table rewrite since (committed, or in the
  // load's own open transaction), and a rollback of the load, change the count or leave rows with
  // another xmin or a later cmin. Rows that are not the loaded ones are fetched again. The check
  // reads the table once (measured on 100,000 users: count(*) of the cached rows took 49-78 ms
  // with it, 49-53 ms on a local copy; fetching them takes seconds).
  private async holdsLoadedRows(table: ForeignTable, loaded: Loaded): Promise<boolean> {
    const check = await this.db
      .query(`SELECT count(*), count(*) FILTER (WHERE xmin::text <> $1 OR cmin::text::int8 > $2) FROM ${qualified(storageOf(table, this.placement))}`, [
        loaded.stamp.xid,
        loaded.stamp.command,
      ])
      .catch(() => undefined);
    const [rows, changed] = (check?.rows[0] ?? []) as [bigint?, bigint?];
    return rows === BigInt(loaded.rows) && changed === 0n;
  }

  /** Triggers and rules on a foreign table would change the rows loaded into it. */
  private async refuseHiddenWriters(table: ForeignTable): Promise<void> {
    const { rows } = await this.db.query(
      `SELECT array(SELECT tgname::text FROM pg_trigger WHERE tgrelid = $1::regclass AND NOT tgisinternal) || array(SELECT rulename::text FROM pg_rewrite WHERE ev_class = $1::regclass)`,
      [qualified(storageOf(table, this.placement))],
    );
    const names = rows[0]![0] as string[];
    if (names.length === 0) return;
    throw new SqlError({
      code: SQLSTATE.objectNotInPrerequisiteState,
      message: `foreign table "${table.name}" has triggers or rules (${names.join(', ')}), which would change the rows read from Clerk`,
      hint: `Foreign tables are read-only: drop them (DROP TRIGGER name ON ${table.name}, DROP RULE name ON ${table.name}).`,
    });
  }

  /** What a foreign table's rows depend on: its columns and object, and its server's wrapper, API URL and inline key (not cache_ttl). */
  private definition(table: ForeignTable): string {
    const server = this.catalog.server(table.server);
    const { cache_ttl: _ttl, ...options } = server?.options ?? {};
    return JSON.stringify([table, server && this.catalog.wrapper(server.wrapper), options, server?.inlineKey ?? null]);
  }

  private async clientFor(server: Server): Promise<ClerkClient> {
    const wrapper = this.catalog.wrapper(server.wrapper);
    if (!wrapper?.handler) {
      throw new SqlError({
        code: SQLSTATE.objectNotInPrerequisiteState,
        message: `foreign-data wrapper "${server.wrapper}" has no handler`,
        hint: 'Create it with HANDLER clerk_fdw_handler VALIDATOR clerk_fdw_validator.',
      });
    }
    const target = apiTarget(this.options.apiUrlOverride ?? server.options.api_url);
    if (target.kind === 'simulator') {
      const sim = await this.simulators.get(target.spec);
      return this.client(sim.url, sim.secretKey);
    }
    const { apiUrl, origin } = target;
    const secretKey = server.inlineKey ?? (await this.options.secrets.get(server.name, origin));
    if (!secretKey) {
      throw new SqlError({
        code: SQLSTATE.fdwUnableToEstablishConnection,
        message: `no api_key for server "${server.name}" (${origin})`,
        hint: 'Store the Clerk secret key for this server (VS Code: "Clerk SQL: Set API Key"; CLI: the CLERK_API_KEY environment variable).',
        needsKey: { server: server.name, origin },
      });
    }
    return this.client(apiUrl, secretKey);
  }

  /** One client per API URL and key, so that its rate limiter sees every request made with the key. */
  private client(apiUrl: string, secretKey: string): ClerkClient {
    this.resolvedKeys.add(secretKey);
    const id = `${apiUrl}\n${secretKey}`;
    let client = this.clients.get(id);
    if (!client) {
      client = new ClerkClient({ apiUrl, secretKey, rateLimit: this.options.rateLimit });
      this.clients.set(id, client);
    }
    return client;
  }

  private foreignTablesRead(relations: RelationRef[]): TablesRead {
    const direct = new TableMap<ForeignTable>();
    const viaViews = new TableMap<ForeignTable>();
    for (const ref of relations) {
      if (ref.usage === 'create') continue;
      const table = this.catalog.table(ref.schema, ref.name);
      if (table) direct.set(table, table);
      for (const name of this.views.get({ schema: ref.schema ?? 'public', name: ref.name }) ?? []) {
        const read = this.catalog.table(name.schema, name.name);
        if (read) viaViews.set(read, read);
      }
    }
    return { direct, viaViews };
  }

  /** A CREATE VIEW over foreign tables: later reads of the view load those tables. */
  private rememberView(stmt: ValidStatement, { direct, viaViews }: TablesRead): void {
    const view = 'ViewStmt' in stmt.ast ? stmt.ast.ViewStmt.view : undefined;
    if (!view?.relname) return;
    this.views.set({ schema: view.schemaname ?? 'public', name: view.relname }, [...direct.keys(), ...viaViews.keys()]);
  }

  private toSqlError(err: unknown, stmt: ValidStatement, source: SourceText): SqlError {
    if (err instanceof SqlError) return new SqlError({ ...err.fields(), position: err.position ?? stmt.start });
    if (err instanceof DbCancelledError || (err as Error)?.name === 'AbortError') return cancelled(stmt.start);
    if (err instanceof DbError) {
      // Postgres counts characters (code points) from 1 within the statement it was given.
      const position =
        err.position === undefined ? stmt.start : source.positionAt(stmt.start.offset + new SourceText(stmt.text).offsetOfCodePoint(err.position - 1));
      return new SqlError({
        code: err.code ?? 'XX000',
        message: err.message,
        detail: err.detail,
        hint: err.hint ?? raiseLimitHint(err.code, err.message),
        position,
      });
    }
    return new SqlError({ code: 'XX000', message: err instanceof Error ? err.message : String(err), position: stmt.start });
  }

  /**
   * The catalog is read from the database: a database kept on disk, or a PostgreSQL server, keeps
   * its foreign tables (on a server, shared by everyone who connects). A role that may not create
   * the catalog's schema keeps it for its session, and is told so.
   */
  private async restoreCatalog(): Promise<void> {
    const exists = await this.db.query(`SELECT to_regclass($1) IS NOT NULL`, [SHARED_CATALOG_TABLE]);
    if (exists.rows[0]?.[0] !== true) {
      try {
        await this.db.exec(CREATE_CATALOG_TABLE);
      } catch (err) {
        if (!(err instanceof DbError) || err.code !== INSUFFICIENT_PRIVILEGE) throw err;
        this.catalogTable = SESSION_CATALOG;
        await this.db.exec(`CREATE TEMPORARY TABLE IF NOT EXISTS ${SESSION_CATALOG} (${CATALOG_COLUMNS})`);
        this.notices.push(`cannot create schema ${SHARED_CATALOG_SCHEMA} (${err.message}): the foreign tables defined here last for this session only`);
      }
    }
    const saved = await this.db.query(`SELECT state FROM ${this.catalogTable} WHERE id = 1`);
    const state = saved.rows[0]?.[0] as CatalogState | undefined;
    if (state) this.catalog.restore(state);
    // A new session has none of the session tables its foreign tables' rows live in.
    if (this.placement === 'session') for (const table of this.catalog.allTables()) await this.db.exec(createTableSql(table, this.placement));
  }

  private async saveCatalog(): Promise<void> {
    const { sql, params } = this.catalogSave();
    await this.db.query(sql, params);
  }

  /** The statement that saves the catalog as it is now. */
  private catalogSave(): { sql: string; params: unknown[] } {
    return {
      sql: `INSERT INTO ${this.catalogTable} (id, state) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET state = excluded.state`,
      params: [JSON.stringify(this.catalog.snapshot())],
    };
  }
}

/** A query DECLARE CURSOR takes: SELECT, VALUES or TABLE, without INTO, without a data-modifying WITH. */
/** A result whose rows are all here: handed to `onResult` as one page (and then not kept), or returned with them. */
async function deliverWhole(result: StatementResult, rows: unknown[][], onResult: ExecuteOptions['onResult']): Promise<StatementResult> {
  if (!onResult) return { ...result, rows };
  await onResult(
    result,
    (async function* () {
      yield rows;
    })(),
  );
  return result;
}

/** Hands a streamed query's rows to `onResult` page by page; its result, once they are read. */
async function deliver(
  pages: AsyncIterable<QueryResult>,
  resultOf: (head: Omit<QueryResult, 'rows'>) => StatementResult,
  onResult: NonNullable<ExecuteOptions['onResult']>,
): Promise<StatementResult> {
  const iterator = pages[Symbol.asyncIterator]();
  // A cursor's first fetch always answers, with the columns, whether or not there are rows.
  const first = (await iterator.next()).value as QueryResult;
  const result = resultOf({ ...first, rowCount: 0 });
  async function* rows(): AsyncGenerator<unknown[][]> {
    for (let page = first; ;) {
      result.rowCount += page.rows.length;
      if (page !== first) result.notices.push(...page.notices);
      yield page.rows;
      const next = await iterator.next();
      if (next.done) return;
      page = next.value;
    }
  }
  await onResult(result, rows());
  return result;
}

/**
 * A failure to fill a foreign table, naming the table: from Clerk's API, told with the server and
 * address and what to do about it (a key Clerk refused, 401, asks for another unless the statement
 * itself carries the key), or a value Postgres cannot take.
 */
function loadError(table: ForeignTable, server: Server, apiUrl: string | undefined, err: unknown): unknown {
  const where = `foreign table "${table.name}": `;
  if (err instanceof ValueError) return new SqlError({ code: err.code, message: where + err.message });
  if (!(err instanceof ClerkApiError) || apiUrl === undefined) return err;
  const origin = new URL(apiUrl).origin;
  const { status, attempts } = err.details;
  const unreachable = status === undefined && attempts !== undefined;
  const keyHint = server.inlineKey ? 'Correct the api_key option' : 'Set the key again (VS Code: "Clerk SQL: Set API Key"; CLI: CLERK_API_KEY)';
  const hint =
    status === 401
      ? `Clerk did not accept the key of server "${server.name}" for ${origin}. ${keyHint}, from the Clerk Dashboard's API keys page of this instance.`
      : status === 403
        ? "Clerk refused the request for this key: check the instance's plan and the key's permissions in the Clerk Dashboard."
        : status === 429
          ? "Clerk's rate limit held after every retry: run the cell again in a minute, or raise cache_ttl so that fewer reads are needed."
          : status !== undefined && status >= 500
            ? "Clerk's API failed after every retry: run the cell again later (Clerk's status page tells of outages)."
            : unreachable
              ? `Check that ${origin} is reachable from this machine and that server "${server.name}"'s api_url is right.`
              : undefined;
  return new SqlError({
    code: unreachable ? SQLSTATE.fdwUnableToEstablishConnection : SQLSTATE.fdwError,
    message: where + err.message,
    detail: `Server "${server.name}" at ${apiUrl}.`,
    hint,
    needsKey: status === 401 && !server.inlineKey ? { server: server.name, origin } : undefined,
  });
}

function cancelled(position?: SqlError['position']): SqlError {
  return new SqlError({ code: SQLSTATE.queryCanceled, message: 'canceling statement due to user request', position });
}
