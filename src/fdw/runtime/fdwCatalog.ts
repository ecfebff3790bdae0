// The FDW catalog (wrappers, servers, foreign tables) and the semantics of the statements that
// change it, as Postgres with clerk_fdw gives them: the same checks, messages and SQLSTATEs.
//
// Applying a statement is two steps: `plan` validates it against the current catalog and says
// which Postgres statements must run (a foreign table is a real table in the embedded database,
// filled before each statement that reads it); the runtime runs them and only then calls
// `commit`, so a statement that fails in Postgres leaves the catalog unchanged.
import type {
  AlterForeignServerStmt,
  AlterTableStmt,
  CreateFdwStmt,
  CreateForeignServerStmt,
  CreateForeignTableStmt,
  DefElem,
  DropStmt,
  ImportForeignSchemaStmt,
  Node,
  TypeName,
} from 'libpg-query';
import type { ClerkObjectName } from '../clerk/schemas.js';
import { IMPORT_TABLES, formatType, normalizeType, validateForeignTable, type DeclaredColumn } from '../catalog/index.js';
import { closestMatch } from '../catalog/suggest.js';
import type { SourceText } from '../sql/sourceText.js';
import { apiTarget } from './apiTarget.js';
import { SQLSTATE, SqlError } from './sqlError.js';

export const HANDLER = 'clerk_fdw_handler';
export const VALIDATOR = 'clerk_fdw_validator';
export const SERVER_OPTIONS = ['api_key', 'api_url', 'cache_ttl'] as const;
export const TABLE_OPTIONS = ['object'] as const;
/** How long fetched rows are reused when a server sets no `cache_ttl` (seconds). */
export const DEFAULT_CACHE_TTL_SECONDS = 300;
const DEFAULT_SCHEMA = 'public';

export interface Wrapper {
  name: string;
  handler?: string;
  validator?: string;
}

export interface Server {
  name: string;
  wrapper: string;
  /** Options as written, except `api_key`: an inline key lives in `inlineKey`, never here. */
  options: Record<string, string>;
  /** A key written in the statement. Kept out of `options`, of the persisted catalog and of every message. */
  inlineKey?: string;
}

export interface ForeignTable {
  schema: string;
  name: string;
  server: string;
  object: ClerkObjectName;
  /** The `object` option as written (`junction_table` stays as written). */
  objectOption: string;
  columns: DeclaredColumn[];
}

export interface CatalogState {
  wrappers: Wrapper[];
  servers: Server[];
  tables: ForeignTable[];
}

export interface DdlPlan {
  /** Postgres statements to run, in order, before `commit`. */
  sql: string[];
  notices: string[];
  /** The command tag to report, as Postgres does (`CREATE FOREIGN TABLE`, ...). */
  command: string;
  commit(): void;
}

/** The parse-tree kinds this module owns; every other statement goes to Postgres unchanged. */
export function isFdwStatement(ast: Node): boolean {
  const kind = Object.keys(ast)[0];
  if (kind === 'CreateExtensionStmt') return isClerkExtension((ast as { CreateExtensionStmt: { extname?: string } }).CreateExtensionStmt.extname);
  if (kind === 'DropStmt') {
    const t = (ast as { DropStmt: DropStmt }).DropStmt.removeType;
    return t === 'OBJECT_FOREIGN_TABLE' || t === 'OBJECT_FOREIGN_SERVER' || t === 'OBJECT_FDW';
  }
  if (kind === 'AlterTableStmt') return (ast as { AlterTableStmt: AlterTableStmt }).AlterTableStmt.objtype === 'OBJECT_FOREIGN_TABLE';
  return (
    kind === 'CreateFdwStmt' ||
    kind === 'CreateForeignServerStmt' ||
    kind === 'CreateForeignTableStmt' ||
    kind === 'ImportForeignSchemaStmt' ||
    kind === 'AlterForeignServerStmt' ||
    kind === 'CreateUserMappingStmt'
  );
}

function isClerkExtension(name: string | undefined): boolean {
  return name === 'clerk_fdw' || name === 'wrappers';
}

export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
export const qualified = (t: { schema: string; name: string }) => `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`;
const tableKey = (schema: string, name: string) => `${schema}.${name}`;

export class FdwCatalog {
  private readonly wrappers = new Map<string, Wrapper>();
  private readonly servers = new Map<string, Server>();
  private readonly tables = new Map<string, ForeignTable>();

  /** The catalog as it can be saved: no inline key in it. */
  snapshot(): CatalogState {
    return {
      wrappers: [...this.wrappers.values()],
      servers: [...this.servers.values()].map(({ inlineKey: _key, ...s }) => ({ ...s, options: { ...s.options } })),
      tables: [...this.tables.values()],
    };
  }

  restore(state: CatalogState): void {
    this.wrappers.clear();
    this.servers.clear();
    this.tables.clear();
    for (const w of state.wrappers) this.wrappers.set(w.name, w);
    for (const s of state.servers) this.servers.set(s.name, { ...s });
    for (const t of state.tables) this.tables.set(tableKey(t.schema, t.name), t);
  }

  server(name: string): Server | undefined {
    return this.servers.get(name);
  }

  wrapper(name: string): Wrapper | undefined {
    return this.wrappers.get(name);
  }

  /** The foreign table a (possibly unqualified) name refers to. */
  table(schema: string | undefined, name: string): ForeignTable | undefined {
    return this.tables.get(tableKey(schema ?? DEFAULT_SCHEMA, name));
  }

  allTables(): ForeignTable[] {
    return [...this.tables.values()];
  }

  allServers(): Server[] {
    return [...this.servers.values()];
  }

  /** Every secret written inline, for redaction of any text that leaves the runtime. */
  inlineKeys(): string[] {
    return [...this.servers.values()].flatMap((s) => (s.inlineKey ? [s.inlineKey] : []));
  }

  plan(ast: Node, source: SourceText): DdlPlan {
    const [kind, body] = Object.entries(ast)[0] as [string, unknown];
    const at = (location: number | undefined) => (location === undefined || location < 0 ? undefined : source.positionOfByte(location));
    switch (kind) {
      case 'CreateExtensionStmt':
        return noop('CREATE EXTENSION', ['clerk_fdw is built into this notebook: nothing to install']);
      case 'CreateUserMappingStmt':
        return noop('CREATE USER MAPPING', ['user mappings are ignored: clerk_fdw takes its key from the server (api_key) or from the secret store']);
      case 'CreateFdwStmt':
        return this.createWrapper(body as CreateFdwStmt, at);
      case 'CreateForeignServerStmt':
        return this.createServer(body as CreateForeignServerStmt, at);
      case 'AlterForeignServerStmt':
        return this.alterServer(body as AlterForeignServerStmt, at);
      case 'CreateForeignTableStmt':
        return this.createTable(body as CreateForeignTableStmt, at);
      case 'ImportForeignSchemaStmt':
        return this.importSchema(body as ImportForeignSchemaStmt, at);
      case 'AlterTableStmt':
        return this.alterTable(body as AlterTableStmt, at);
      case 'DropStmt':
        return this.drop(body as DropStmt);
      default:
        throw new SqlError({ code: SQLSTATE.featureNotSupported, message: `${kind} is not a foreign-data statement` });
    }
  }

  private createWrapper(stmt: CreateFdwStmt, at: At): DdlPlan {
    const name = stmt.fdwname!;
    const wrapper: Wrapper = { name };
    for (const option of defElems(stmt.func_options)) {
      const fn = functionName(option);
      const expected = option.defname === 'handler' ? HANDLER : option.defname === 'validator' ? VALIDATOR : undefined;
      if (fn !== expected) {
        throw new SqlError({
          code: SQLSTATE.undefinedFunction,
          message: `function ${fn}(${option.defname === 'validator' ? 'text[], oid' : ''}) does not exist`,
          hint: `This notebook runs clerk_fdw: use handler ${HANDLER} and validator ${VALIDATOR}.`,
          position: at(option.location),
        });
      }
      if (option.defname === 'handler') wrapper.handler = fn;
      else wrapper.validator = fn;
    }
    for (const option of defElems(stmt.options)) {
      throw new SqlError({ code: SQLSTATE.fdwInvalidOptionName, message: `invalid option "${option.defname}"`, hint: 'clerk_fdw takes no wrapper options.', position: at(option.location) });
    }
    const existing = this.wrappers.get(name);
    if (existing) {
      if (sameDefinition(existing, wrapper)) return unchanged('CREATE FOREIGN DATA WRAPPER', `foreign-data wrapper "${name}"`);
      throw new SqlError({ code: SQLSTATE.duplicateObject, message: `foreign-data wrapper "${name}" already exists` });
    }
    return { sql: [], notices: [], command: 'CREATE FOREIGN DATA WRAPPER', commit: () => this.wrappers.set(name, wrapper) };
  }

  private createServer(stmt: CreateForeignServerStmt, at: At): DdlPlan {
    const name = stmt.servername!;
    const existing = this.servers.get(name);
    if (existing && stmt.if_not_exists) return noop('CREATE SERVER', [`server "${name}" already exists, skipping`]);
    this.requireWrapper(stmt.fdwname!);
    if (stmt.servertype || stmt.version) {
      throw new SqlError({ code: SQLSTATE.featureNotSupported, message: 'clerk_fdw servers take no TYPE or VERSION' });
    }
    const server: Server = { name, wrapper: stmt.fdwname!, options: {} };
    for (const option of defElems(stmt.options)) setServerOption(server, option, at, 'add');
    const notices = placeholderNotices(server);
    if (existing) {
      // The key is not part of the definition (a saved catalog never holds it): the statement's is used.
      if (sameDefinition({ ...existing, inlineKey: undefined }, { ...server, inlineKey: undefined })) {
        return { ...unchanged('CREATE SERVER', `server "${name}"`), commit: () => this.servers.set(name, { ...existing, inlineKey: server.inlineKey }) };
      }
      throw new SqlError({ code: SQLSTATE.duplicateObject, message: `server "${name}" already exists`, hint: 'Its options differ from this statement\'s: use ALTER SERVER to change them, or DROP SERVER first.' });
    }
    return { sql: [], notices, command: 'CREATE SERVER', commit: () => this.servers.set(name, server) };
  }

  private alterServer(stmt: AlterForeignServerStmt, at: At): DdlPlan {
    const current = this.requireServer(stmt.servername!);
    const next: Server = { ...current, options: { ...current.options } };
    for (const option of defElems(stmt.options)) {
      const action = option.defaction === 'DEFELEM_SET' ? 'set' : option.defaction === 'DEFELEM_DROP' ? 'drop' : 'add';
      setServerOption(next, option, at, action);
    }
    return { sql: [], notices: placeholderNotices(next), command: 'ALTER SERVER', commit: () => this.servers.set(next.name, next) };
  }

  private createTable(stmt: CreateForeignTableStmt, at: At): DdlPlan {
    const relation = stmt.base!.relation!;
    const schema = relation.schemaname ?? DEFAULT_SCHEMA;
    const name = relation.relname!;
    const existing = this.tables.get(tableKey(schema, name));
    if (existing && stmt.base!.if_not_exists) return noop('CREATE FOREIGN TABLE', [`relation "${name}" already exists, skipping`]);
    this.requireServer(stmt.servername!);
    const options = defElems(stmt.options);
    for (const option of options) {
      if (!(TABLE_OPTIONS as readonly string[]).includes(option.defname!)) {
        throw invalidOption(option, TABLE_OPTIONS, at);
      }
    }
    const objectOption = options.find((o) => o.defname === 'object');
    if (!objectOption) {
      throw new SqlError({
        code: SQLSTATE.fdwOptionNameNotFound,
        message: 'required option "object" is not specified',
        hint: "Add OPTIONS (object 'users'), 'organizations' or 'organization_memberships'.",
        position: at(relation.location),
      });
    }
    const objectValue = stringArg(objectOption, at);
    const columnDefs = (stmt.base!.tableElts ?? []).map((elt) => {
      const def = (elt as { ColumnDef?: { colname?: string; typeName?: TypeName; location?: number } }).ColumnDef;
      if (!def) throw new SqlError({ code: SQLSTATE.featureNotSupported, message: 'table constraints are not supported on clerk_fdw foreign tables' });
      return def;
    });
    const columns: DeclaredColumn[] = columnDefs.map((def) => ({ name: def.colname!, type: declaredType(def.typeName!) }));
    const check = validateForeignTable(objectValue, columns);
    const notices: string[] = [];
    for (const d of check.diagnostics) {
      if (d.severity === 'notice') {
        notices.push(d.message);
        continue;
      }
      const location = d.column === undefined ? objectOption.location : (columnDefs[d.column]!.typeName && d.code === 'HV004' ? columnDefs[d.column]!.typeName!.location : columnDefs[d.column]!.location);
      throw new SqlError({ code: d.code, message: d.message, detail: d.detail, hint: d.hint, position: at(location) });
    }
    const table: ForeignTable = { schema, name, server: stmt.servername!, object: check.object!, objectOption: objectValue, columns };
    if (existing) {
      if (sameDefinition(existing, table)) return unchanged('CREATE FOREIGN TABLE', `foreign table "${name}"`);
      throw new SqlError({ code: '42P07', message: `relation "${name}" already exists`, hint: 'Its definition differs from this statement\'s: DROP FOREIGN TABLE it first.', position: at(relation.location) });
    }
    return {
      sql: [createTableSql(table)],
      notices,
      command: 'CREATE FOREIGN TABLE',
      commit: () => this.tables.set(tableKey(schema, name), table),
    };
  }

  private importSchema(stmt: ImportForeignSchemaStmt, at: At): DdlPlan {
    this.requireServer(stmt.server_name!);
    const schema = stmt.local_schema ?? DEFAULT_SCHEMA;
    const listed = (stmt.table_list ?? []).map((n) => (n as { RangeVar: { relname: string; location?: number } }).RangeVar);
    const known = IMPORT_TABLES.map((t) => t.table);
    for (const ref of listed) {
      if (!known.includes(ref.relname) && stmt.list_type === 'FDW_IMPORT_SCHEMA_LIMIT_TO') {
        const suggestion = closestMatch(ref.relname, known);
        throw new SqlError({
          code: SQLSTATE.fdwInvalidAttributeValue,
          message: `clerk_fdw has no table "${ref.relname}" to import`,
          hint: `${suggestion ? `Did you mean "${suggestion}"? ` : ''}Tables: ${known.join(', ')}.`,
          position: at(ref.location),
        });
      }
    }
    const names = new Set(listed.map((r) => r.relname));
    const chosen = IMPORT_TABLES.filter((t) =>
      stmt.list_type === 'FDW_IMPORT_SCHEMA_LIMIT_TO' ? names.has(t.table) : stmt.list_type === 'FDW_IMPORT_SCHEMA_EXCEPT' ? !names.has(t.table) : true,
    );
    const imported: ForeignTable[] = chosen.map((t) => ({ schema, name: t.table, server: stmt.server_name!, object: t.object, objectOption: t.object, columns: [...t.columns] }));
    const notices: string[] = [];
    const tables = imported.filter((t) => {
      const existing = this.tables.get(tableKey(t.schema, t.name));
      if (!existing) return true;
      if (!sameDefinition(existing, t)) throw new SqlError({ code: '42P07', message: `relation "${t.name}" already exists` });
      notices.push(unchangedNotice(`foreign table "${t.name}"`));
      return false;
    });
    if (tables.length > 0) notices.push(`imported ${tables.map((t) => t.name).join(', ')}`);
    return {
      sql: tables.map(createTableSql),
      notices,
      command: 'IMPORT FOREIGN SCHEMA',
      commit: () => tables.forEach((t) => this.tables.set(tableKey(t.schema, t.name), t)),
    };
  }

  private alterTable(stmt: AlterTableStmt, at: At): DdlPlan {
    const relation = stmt.relation!;
    const table = this.table(relation.schemaname, relation.relname!);
    if (!table) {
      if (stmt.missing_ok) return noop('ALTER FOREIGN TABLE', [`relation "${relation.relname}" does not exist, skipping`]);
      throw new SqlError({ code: '42P01', message: `relation "${relation.relname}" does not exist`, position: at(relation.location) });
    }
    const next: ForeignTable = { ...table };
    for (const cmd of stmt.cmds ?? []) {
      const c = (cmd as { AlterTableCmd: { subtype?: string; def?: Node } }).AlterTableCmd;
      if (c.subtype !== 'AT_GenericOptions') {
        throw new SqlError({ code: SQLSTATE.featureNotSupported, message: 'only ALTER FOREIGN TABLE ... OPTIONS is supported; drop and create the table to change its columns' });
      }
      for (const option of defElems((c.def as { List?: { items?: Node[] } } | undefined)?.List?.items)) {
        if (option.defname !== 'object') throw invalidOption(option, TABLE_OPTIONS, at);
        if (option.defaction === 'DEFELEM_DROP') throw new SqlError({ code: SQLSTATE.fdwOptionNameNotFound, message: 'option "object" is required', position: at(option.location) });
        const value = stringArg(option, at);
        const check = validateForeignTable(value, table.columns);
        const error = check.diagnostics.find((d) => d.severity === 'error');
        if (error) throw new SqlError({ code: error.code, message: error.message, hint: error.hint, position: at(option.location) });
        next.object = check.object!;
        next.objectOption = value;
      }
    }
    return { sql: [], notices: [], command: 'ALTER FOREIGN TABLE', commit: () => this.tables.set(tableKey(next.schema, next.name), next) };
  }

  private drop(stmt: DropStmt): DdlPlan {
    const cascade = stmt.behavior === 'DROP_CASCADE';
    const names = (stmt.objects ?? []).map(objectName);
    const notices: string[] = [];
    const sql: string[] = [];
    const commits: (() => void)[] = [];
    const dropTables = (tables: ForeignTable[]) => {
      for (const t of tables) {
        sql.push(`DROP TABLE IF EXISTS ${qualified(t)}${cascade ? ' CASCADE' : ''}`);
        commits.push(() => this.tables.delete(tableKey(t.schema, t.name)));
      }
    };
    const dependents = (what: string, deps: string[]) => {
      if (deps.length === 0) return;
      if (!cascade) {
        throw new SqlError({
          code: SQLSTATE.dependentObjectsStillExist,
          message: `cannot drop ${what} because other objects depend on it`,
          detail: deps.map((d) => `${d} depends on ${what}`).join('\n'),
          hint: 'Use DROP ... CASCADE to drop the dependent objects too.',
        });
      }
      notices.push(deps.length === 1 ? `drop cascades to ${deps[0]}` : `drop cascades to ${deps.length} other objects`);
    };
    for (const path of names) {
      const name = path.at(-1)!;
      if (stmt.removeType === 'OBJECT_FOREIGN_TABLE') {
        const table = this.table(path.length > 1 ? path.at(-2) : undefined, name);
        if (!table) {
          if (stmt.missing_ok) notices.push(`foreign table "${name}" does not exist, skipping`);
          else throw new SqlError({ code: '42P01', message: `foreign table "${name}" does not exist` });
          continue;
        }
        dropTables([table]);
      } else if (stmt.removeType === 'OBJECT_FOREIGN_SERVER') {
        if (!this.servers.has(name)) {
          if (stmt.missing_ok) notices.push(`server "${name}" does not exist, skipping`);
          else throw new SqlError({ code: SQLSTATE.undefinedObject, message: `server "${name}" does not exist` });
          continue;
        }
        const tables = this.allTables().filter((t) => t.server === name);
        dependents(`server ${name}`, tables.map((t) => `foreign table ${t.name}`));
        dropTables(tables);
        commits.push(() => this.servers.delete(name));
      } else {
        if (!this.wrappers.has(name)) {
          if (stmt.missing_ok) notices.push(`foreign-data wrapper "${name}" does not exist, skipping`);
          else throw new SqlError({ code: SQLSTATE.undefinedObject, message: `foreign-data wrapper "${name}" does not exist` });
          continue;
        }
        const servers = this.allServers().filter((s) => s.wrapper === name);
        const tables = this.allTables().filter((t) => servers.some((s) => s.name === t.server));
        dependents(`foreign-data wrapper ${name}`, [...servers.map((s) => `server ${s.name}`), ...tables.map((t) => `foreign table ${t.name}`)]);
        dropTables(tables);
        for (const s of servers) commits.push(() => this.servers.delete(s.name));
        commits.push(() => this.wrappers.delete(name));
      }
    }
    const command = stmt.removeType === 'OBJECT_FOREIGN_TABLE' ? 'DROP FOREIGN TABLE' : stmt.removeType === 'OBJECT_FOREIGN_SERVER' ? 'DROP SERVER' : 'DROP FOREIGN DATA WRAPPER';
    return { sql, notices, command, commit: () => commits.forEach((c) => c()) };
  }

  private requireWrapper(name: string): Wrapper {
    const wrapper = this.wrappers.get(name);
    if (!wrapper) throw new SqlError({ code: SQLSTATE.undefinedObject, message: `foreign-data wrapper "${name}" does not exist` });
    return wrapper;
  }

  private requireServer(name: string): Server {
    const server = this.servers.get(name);
    if (!server) throw new SqlError({ code: SQLSTATE.undefinedObject, message: `server "${name}" does not exist` });
    return server;
  }
}

type At = (location: number | undefined) => ReturnType<SourceText['positionOfByte']> | undefined;

/** A Clerk secret key: anything else written as api_key is a placeholder. */
export const SECRET_KEY = /^sk_(test|live)_\S+$/;

/** Written in place of a key the extension moved to its secret store (inlineKeys.ts). */
export const KEY_PLACEHOLDER = '<clerk secret key in VS Code SecretStorage>';

// Documentation writes `api_key '<clerk secret Key>'`: such a value is not sent anywhere; the key
// is looked up in the secret store, as when no api_key is given. The extension's own placeholder
// says so itself.
function placeholderNotices(server: Server): string[] {
  if (server.inlineKey === undefined || SECRET_KEY.test(server.inlineKey)) return [];
  const own = server.inlineKey === KEY_PLACEHOLDER;
  delete server.inlineKey;
  return own ? [] : [`api_key of server "${server.name}" is not a Clerk secret key (sk_test_... or sk_live_...): the key is taken from the secret store`];
}

function noop(command: string, notices: string[]): DdlPlan {
  return { sql: [], notices, command, commit: () => undefined };
}

/**
 * Running a setup cell again is harmless: creating what exists with the same definition does
 * nothing and says so, as IF NOT EXISTS would; a different definition is Postgres's error.
 */
function unchanged(command: string, what: string): DdlPlan {
  return noop(command, [unchangedNotice(what)]);
}

function unchangedNotice(what: string): string {
  return `${what} already exists with this definition, skipping`;
}

/** Definitions are plain data: their JSON with sorted keys compares them (options in any order). */
function sameDefinition<T extends Wrapper | Server | ForeignTable>(a: T, b: T): boolean {
  const canonical = (value: unknown): string =>
    JSON.stringify(value, (_key, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).sort(([x], [y]) => (x < y ? -1 : 1))) : v,
    );
  return canonical(a) === canonical(b);
}

function defElems(list: Node[] | undefined): DefElem[] {
  return (list ?? []).map((n) => (n as { DefElem: DefElem }).DefElem);
}

function functionName(option: DefElem): string {
  const items = (option.arg as { List?: { items?: Node[] } } | undefined)?.List?.items ?? [];
  return items.map((i) => (i as { String: { sval: string } }).String.sval).join('.');
}

function stringArg(option: DefElem, at: At): string {
  const value = (option.arg as { String?: { sval?: string } } | undefined)?.String?.sval;
  if (value === undefined) {
    throw new SqlError({ code: SQLSTATE.syntaxError, message: `option "${option.defname}" needs a value in quotes`, position: at(option.location) });
  }
  return value;
}

function invalidOption(option: DefElem, valid: readonly string[], at: At): SqlError {
  const suggestion = closestMatch(option.defname!, [...valid]);
  return new SqlError({
    code: SQLSTATE.fdwInvalidOptionName,
    message: `invalid option "${option.defname}"`,
    hint: `${suggestion ? `Did you mean "${suggestion}"? ` : ''}Valid options in this context are: ${valid.join(', ')}`,
    position: at(option.location),
  });
}

/** ADD / SET / DROP of one server option, with Postgres's errors for each. */
function setServerOption(server: Server, option: DefElem, at: At, action: 'add' | 'set' | 'drop'): void {
  const name = option.defname!;
  if (!(SERVER_OPTIONS as readonly string[]).includes(name)) throw invalidOption(option, SERVER_OPTIONS, at);
  const present = name === 'api_key' ? server.inlineKey !== undefined || server.options.api_key !== undefined : server.options[name] !== undefined;
  if (action === 'add' && present) throw new SqlError({ code: SQLSTATE.duplicateObject, message: `option "${name}" provided more than once`, position: at(option.location) });
  if (action !== 'add' && !present) throw new SqlError({ code: SQLSTATE.undefinedObject, message: `option "${name}" not found`, position: at(option.location) });
  if (action === 'drop') {
    if (name === 'api_key') {
      delete server.inlineKey;
      delete server.options.api_key;
    } else delete server.options[name];
    return;
  }
  const value = stringArg(option, at);
  if (name === 'api_key') {
    server.inlineKey = value;
    return;
  }
  if (name === 'api_url') {
    try {
      apiTarget(value);
    } catch (err) {
      throw new SqlError({ code: SQLSTATE.fdwInvalidAttributeValue, message: `invalid value for option "api_url": ${(err as Error).message}`, position: at(option.location) });
    }
  }
  if (name === 'cache_ttl' && !/^\d+$/.test(value)) {
    throw new SqlError({ code: SQLSTATE.fdwInvalidAttributeValue, message: `invalid value for option "cache_ttl": "${value}"`, hint: 'cache_ttl is a number of seconds, e.g. \'300\'; \'0\' refetches every time.', position: at(option.location) });
  }
  server.options[name] = value;
}

function declaredType(typeName: TypeName): DeclaredColumn['type'] {
  const names = (typeName.names ?? []).map((n) => (n as { String: { sval: string } }).String.sval);
  return normalizeType(names, (typeName.arrayBounds?.length ?? 0) > 0);
}

function objectName(node: Node): string[] {
  const list = (node as { List?: { items?: Node[] } }).List?.items;
  const items = list ?? [node];
  return items.map((i) => (i as { String: { sval: string } }).String.sval);
}

function createTableSql(t: ForeignTable): string {
  const columns = t.columns.map((c) => `${quoteIdent(c.name)} ${formatType(c.type)}`).join(', ');
  return `CREATE TABLE ${qualified(t)} (${columns})`;
}
