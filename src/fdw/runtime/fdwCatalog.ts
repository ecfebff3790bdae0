// The FDW catalog (wrappers, servers, foreign tables) and the semantics of the statements that
// change it, as Postgres with clerk_fdw gives them: the same checks, messages and SQLSTATEs. This
// is the one place those rules live: `check` finds every problem of a statement, each with the
// text it is about; the runtime raises the first (`plan`), the language server shows them all.
//
// Applying a statement is two steps: the check's plan says which Postgres statements must run (a
// foreign table is a real table in the embedded database, filled before each statement that reads
// it); the runtime runs them and only then calls `commit`, so a statement that fails in Postgres
// leaves the catalog unchanged.
import type {
  AlterForeignServerStmt,
  AlterTableStmt,
  CreateFdwStmt,
  CreateForeignServerStmt,
  CreateForeignTableStmt,
  DefElem,
  DropStmt,
  ImportForeignSchemaStmt,
  ColumnDef,
  Node,
} from 'libpg-query';
import type { ClerkObjectName } from '../clerk/schemas.js';
import { CLERK_OBJECTS, IMPORT_TABLES, normalizeType, validateForeignTable, type DeclaredColumn } from '../catalog/index.js';
import { closestMatch } from '../catalog/suggest.js';
import { alterTableCommands, columnDefs, defElems, droppedNames, listItems, optionName, rangeVars, statementKind, typeNameParts } from '../sql/ast.js';
import type { ValidStatement } from '../sql/parser.js';
import type { SourceText } from '../sql/sourceText.js';
import type { Span } from '../sql/tokens.js';
import { StatementCheck, sqlErrorOf, type DdlCheck, type DdlError, type DdlPlan, type TableChange } from './ddlCheck.js';
import { TABLE_OPTIONS, applyServerOption, invalidOption, stringOption, type OptionAction } from './serverOptions.js';
import { SQLSTATE } from './sqlError.js';
import { TableMap } from './tableMap.js';

export const HANDLER = 'clerk_fdw_handler';
export const VALIDATOR = 'clerk_fdw_validator';
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

/** The parse-tree kinds this module owns; every other statement goes to Postgres unchanged. */
export function isFdwStatement(ast: Node): boolean {
  if ('CreateExtensionStmt' in ast) return isClerkExtension(ast.CreateExtensionStmt.extname);
  if ('DropStmt' in ast) {
    const t = ast.DropStmt.removeType;
    return t === 'OBJECT_FOREIGN_TABLE' || t === 'OBJECT_FOREIGN_SERVER' || t === 'OBJECT_FDW';
  }
  if ('AlterTableStmt' in ast) return ast.AlterTableStmt.objtype === 'OBJECT_FOREIGN_TABLE';
  return (
    'CreateFdwStmt' in ast ||
    'CreateForeignServerStmt' in ast ||
    'CreateForeignTableStmt' in ast ||
    'ImportForeignSchemaStmt' in ast ||
    'AlterForeignServerStmt' in ast ||
    'CreateUserMappingStmt' in ast
  );
}

function isClerkExtension(name: string | undefined): boolean {
  return name === 'clerk_fdw' || name === 'wrappers';
}

export class FdwCatalog {
  private readonly wrappers = new Map<string, Wrapper>();
  private readonly servers = new Map<string, Server>();
  private readonly tables = new TableMap<ForeignTable>();

  /** The catalog as it can be saved: no inline key in it. */
  snapshot(): CatalogState {
    return {
      wrappers: [...this.wrappers.values()],
      servers: [...this.servers.values()].map(({ inlineKey: _key, ...s }) => ({ ...s, options: { ...s.options } })),
      tables: this.allTables(),
    };
  }

  restore(state: CatalogState): void {
    this.wrappers.clear();
    this.servers.clear();
    this.tables.clear();
    for (const w of state.wrappers) this.wrappers.set(w.name, w);
    for (const s of state.servers) this.servers.set(s.name, { ...s });
    for (const t of state.tables) this.tables.set(t, t);
  }

  server(name: string): Server | undefined {
    return this.servers.get(name);
  }

  wrapper(name: string): Wrapper | undefined {
    return this.wrappers.get(name);
  }

  /** The foreign table a (possibly unqualified) name refers to. */
  table(schema: string | undefined, name: string): ForeignTable | undefined {
    return this.tables.get({ schema: schema ?? DEFAULT_SCHEMA, name });
  }

  allTables(): ForeignTable[] {
    return [...this.tables].map(([, t]) => t);
  }

  allServers(): Server[] {
    return [...this.servers.values()];
  }

  /** Every secret written inline, for redaction of any text that leaves the runtime. */
  inlineKeys(): string[] {
    return [...this.servers.values()].flatMap((s) => (s.inlineKey ? [s.inlineKey] : []));
  }

  /** What running the statement would do: its plan, or the error Postgres would raise (the first of its problems). */
  plan(statement: ValidStatement, source: SourceText): DdlPlan {
    const { errors, plan } = this.check(statement, source);
    if (errors[0]) throw sqlErrorOf(errors[0], source);
    return plan!;
  }

  /** Every problem of the statement against the catalog as it is, and its plan when there is none. */
  check(statement: ValidStatement, source: SourceText): DdlCheck {
    const { ast } = statement;
    const c = new StatementCheck(source, { start: statement.start.offset, end: statement.end.offset });
    if ('CreateExtensionStmt' in ast) return noop('CREATE EXTENSION', ['clerk_fdw is built into this notebook: nothing to install']);
    if ('CreateUserMappingStmt' in ast) {
      return noop('CREATE USER MAPPING', ['user mappings are ignored: clerk_fdw takes its key from the server (api_key) or from the secret store']);
    }
    if ('CreateFdwStmt' in ast) return this.createWrapper(ast.CreateFdwStmt, c);
    if ('CreateForeignServerStmt' in ast) return this.createServer(ast.CreateForeignServerStmt, c);
    if ('AlterForeignServerStmt' in ast) return this.alterServer(ast.AlterForeignServerStmt, c);
    if ('CreateForeignTableStmt' in ast) return this.createTable(ast.CreateForeignTableStmt, c);
    if ('ImportForeignSchemaStmt' in ast) return this.importSchema(ast.ImportForeignSchemaStmt, c);
    if ('AlterTableStmt' in ast) return this.alterTable(ast.AlterTableStmt, c);
    if ('DropStmt' in ast) return this.drop(ast.DropStmt, c);
    return failed({ code: SQLSTATE.featureNotSupported, message: `${statementKind(ast)} is not a foreign-data statement` });
  }

  private createWrapper(stmt: CreateFdwStmt, c: StatementCheck): DdlCheck {
    const name = stmt.fdwname ?? '';
    const wrapper: Wrapper = { name };
    for (const option of defElems(stmt.func_options)) {
      const fn = optionName(option);
      const expected = option.defname === 'handler' ? HANDLER : option.defname === 'validator' ? VALIDATOR : undefined;
      if (fn !== expected) {
        c.error({
          code: SQLSTATE.undefinedFunction,
          message: `function ${fn}(${option.defname === 'validator' ? 'text[], oid' : ''}) does not exist`,
          hint: `This notebook runs clerk_fdw: use handler ${HANDLER} and validator ${VALIDATOR}.`,
          span: fn ? c.optionReference(option) : c.token(option.location),
          replacement: fn ? expected : undefined,
        });
      } else if (option.defname === 'handler') wrapper.handler = fn;
      else wrapper.validator = fn;
    }
    for (const option of defElems(stmt.options)) {
      c.error({
        code: SQLSTATE.fdwInvalidOptionName,
        message: `invalid option "${option.defname}"`,
        hint: 'clerk_fdw takes no wrapper options.',
        span: c.token(option.location),
      });
    }
    const existing = this.wrappers.get(name);
    if (existing) {
      if (!c.failed && sameDefinition(existing, wrapper)) return unchanged('CREATE FOREIGN DATA WRAPPER', `foreign-data wrapper "${name}"`);
      c.error({ code: SQLSTATE.duplicateObject, message: `foreign-data wrapper "${name}" already exists`, span: c.nameAfter(['foreign', 'data', 'wrapper']) });
    }
    return c.result((notices) => ({ tables: [], notices, command: 'CREATE FOREIGN DATA WRAPPER', commit: () => this.wrappers.set(name, wrapper) }));
  }

  private createServer(stmt: CreateForeignServerStmt, c: StatementCheck): DdlCheck {
    const name = stmt.servername ?? '';
    const existing = this.servers.get(name);
    if (existing && stmt.if_not_exists) return noop('CREATE SERVER', [`server "${name}" already exists, skipping`]);
    const wrapperName = stmt.fdwname ?? '';
    if (!this.wrappers.has(wrapperName)) c.error(this.missingWrapper(wrapperName, c.nameAfter(['foreign', 'data', 'wrapper'])));
    if (stmt.servertype || stmt.version) c.error({ code: SQLSTATE.featureNotSupported, message: 'clerk_fdw servers take no TYPE or VERSION' });
    const server: Server = { name, wrapper: wrapperName, options: {} };
    for (const option of defElems(stmt.options)) applyServerOption(server, option, 'add', c);
    if (existing) {
      // The key is not part of the definition (a saved catalog never holds it): the statement's is used.
      if (!c.failed && sameDefinition({ ...existing, inlineKey: undefined }, { ...server, inlineKey: undefined })) {
        const keep = () => this.servers.set(name, { ...existing, inlineKey: server.inlineKey });
        return { errors: [], notices: [], plan: noopPlan('CREATE SERVER', [unchangedNotice(`server "${name}"`)], keep) };
      }
      c.error({
        code: SQLSTATE.duplicateObject,
        message: `server "${name}" already exists`,
        hint: "Its options differ from this statement's: use ALTER SERVER to change them, or DROP SERVER first.",
        span: c.nameAfter(['server']),
      });
    }
    return c.result((notices) => ({ tables: [], notices, command: 'CREATE SERVER', commit: () => this.servers.set(name, server) }));
  }

  private alterServer(stmt: AlterForeignServerStmt, c: StatementCheck): DdlCheck {
    const current = this.servers.get(stmt.servername ?? '');
    if (!current) return failed(this.missingServer(stmt.servername ?? '', c.nameAfter(['alter', 'server'])));
    const next: Server = { ...current, options: { ...current.options } };
    for (const option of defElems(stmt.options)) applyServerOption(next, option, optionAction(option), c);
    return c.result((notices) => ({ tables: [], notices, command: 'ALTER SERVER', commit: () => this.servers.set(next.name, next) }));
  }

  private createTable(stmt: CreateForeignTableStmt, c: StatementCheck): DdlCheck {
    const relation = stmt.base?.relation ?? {};
    const schema = relation.schemaname ?? DEFAULT_SCHEMA;
    const name = relation.relname ?? '';
    const tableName = c.lastName(relation.location);
    const existing = this.tables.get({ schema, name });
    if (existing && stmt.base?.if_not_exists) return noop('CREATE FOREIGN TABLE', [`relation "${name}" already exists, skipping`]);
    const serverName = stmt.servername ?? '';
    if (!this.servers.has(serverName)) c.error(this.missingServer(serverName, c.nameAfter([')', 'server'])));
    const options = defElems(stmt.options);
    for (const option of options) {
      if (!(TABLE_OPTIONS as readonly string[]).includes(option.defname ?? '')) c.error(invalidOption(option, TABLE_OPTIONS, c));
    }
    const { defs, columns, others } = declaredColumns(stmt);
    if (others > 0) c.error({ code: SQLSTATE.featureNotSupported, message: 'table constraints are not supported on clerk_fdw foreign tables' });
    const objectOption = options.find((o) => o.defname === 'object');
    if (!objectOption) {
      c.error({
        code: SQLSTATE.fdwOptionNameNotFound,
        message: 'required option "object" is not specified',
        hint: `Add OPTIONS (object 'users'); the objects: ${CLERK_OBJECTS.map((o) => `'${o}'`).join(', ')}.`,
        span: tableName,
      });
      return c.result();
    }
    const objectValue = stringOption(objectOption, c);
    if (objectValue === undefined) return c.result();
    const object = this.checkColumns(objectOption, objectValue, columns, c, (i) => defs[i]);
    if (!object) return c.result();
    const table: ForeignTable = { schema, name, server: serverName, object, objectOption: objectValue, columns };
    if (existing) {
      if (!c.failed && sameDefinition(existing, table)) return unchanged('CREATE FOREIGN TABLE', `foreign table "${name}"`);
      c.error({
        code: SQLSTATE.duplicateTable,
        message: `relation "${name}" already exists`,
        hint: "Its definition differs from this statement's: DROP FOREIGN TABLE it first.",
        span: tableName,
      });
    }
    return c.result((notices) => ({ tables: [{ create: table }], notices, command: 'CREATE FOREIGN TABLE', commit: () => this.tables.set(table, table) }));
  }

  /**
   * The `object` option and the declared columns against the Clerk catalog; each problem points
   * at what it is about (the object's value, a column's name or its type). The object, if known.
   */
  private checkColumns(
    objectOption: DefElem,
    objectValue: string,
    columns: readonly DeclaredColumn[],
    c: StatementCheck,
    def: (i: number) => ColumnDef | undefined,
  ): ClerkObjectName | undefined {
    const result = validateForeignTable(objectValue, columns);
    const valueSpan = c.optionValue(objectOption);
    for (const d of result.diagnostics) {
      const { code, message, detail, hint, suggestion } = d;
      if (d.column === undefined) {
        if (d.severity === 'error') c.error({ code, message, detail, hint, span: valueSpan, replacement: suggestion && `'${suggestion}'` });
        else if (valueSpan) c.notice({ kind: 'old-object-name', message, span: valueSpan, replacements: [`'${result.object}'`] });
        continue;
      }
      const column = def(d.column);
      const span = c.token(column?.location);
      if (d.severity === 'notice') {
        const typeSpan = d.betterTypes ? c.type(column?.typeName?.location) : undefined;
        if (typeSpan) c.notice({ kind: 'column-notice', message, span: typeSpan, replacements: d.betterTypes });
        else if (span) c.notice({ kind: 'column-notice', message, span });
      } else {
        const typeSpan = code === 'HV004' ? c.type(column?.typeName?.location) : undefined;
        c.error({ code, message, detail, hint, span: typeSpan ?? span, replacement: suggestion });
      }
    }
    return result.object;
  }

  private importSchema(stmt: ImportForeignSchemaStmt, c: StatementCheck): DdlCheck {
    const serverName = stmt.server_name ?? '';
    if (!this.servers.has(serverName)) c.error(this.missingServer(serverName, c.nameAfter(['from', 'server'])));
    const schema = stmt.local_schema ?? DEFAULT_SCHEMA;
    const listed = rangeVars(stmt.table_list);
    const known = IMPORT_TABLES.map((t) => t.table);
    for (const ref of listed) {
      const relname = ref.relname ?? '';
      if (known.includes(relname) || stmt.list_type !== 'FDW_IMPORT_SCHEMA_LIMIT_TO') continue;
      const suggestion = closestMatch(relname, known);
      c.error({
        code: SQLSTATE.fdwInvalidAttributeValue,
        message: `clerk_fdw has no table "${relname}" to import`,
        hint: `${suggestion ? `Did you mean "${suggestion}"? ` : ''}Tables: ${known.join(', ')}.`,
        span: c.token(ref.location),
        replacement: suggestion,
      });
    }
    const names = new Set(listed.map((r) => r.relname));
    const chosen = IMPORT_TABLES.filter((t) =>
      stmt.list_type === 'FDW_IMPORT_SCHEMA_LIMIT_TO' ? names.has(t.table) : stmt.list_type === 'FDW_IMPORT_SCHEMA_EXCEPT' ? !names.has(t.table) : true,
    );
    const imported: ForeignTable[] = chosen.map((t) => ({
      schema,
      name: t.table,
      server: serverName,
      object: t.object,
      objectOption: t.object,
      columns: [...t.columns],
    }));
    const skipped: string[] = [];
    const tables = imported.filter((t) => {
      const existing = this.tables.get(t);
      if (!existing) return true;
      if (sameDefinition(existing, t)) skipped.push(unchangedNotice(`foreign table "${t.name}"`));
      else c.error({ code: SQLSTATE.duplicateTable, message: `relation "${t.name}" already exists` });
      return false;
    });
    return c.result(() => ({
      tables: tables.map((t) => ({ create: t })),
      notices: [...skipped, ...(tables.length > 0 ? [`imported ${tables.map((t) => t.name).join(', ')}`] : [])],
      command: 'IMPORT FOREIGN SCHEMA',
      commit: () => tables.forEach((t) => this.tables.set(t, t)),
    }));
  }

  private alterTable(stmt: AlterTableStmt, c: StatementCheck): DdlCheck {
    const relation = stmt.relation ?? {};
    const name = relation.relname ?? '';
    const table = this.table(relation.schemaname, name);
    if (!table) {
      if (stmt.missing_ok) return noop('ALTER FOREIGN TABLE', [`relation "${name}" does not exist, skipping`]);
      return failed({ code: SQLSTATE.undefinedTable, message: `relation "${name}" does not exist`, span: c.lastName(relation.location), missingTable: name });
    }
    const next: ForeignTable = { ...table };
    for (const cmd of alterTableCommands(stmt.cmds)) {
      if (cmd.subtype !== 'AT_GenericOptions') {
        c.error({
          code: SQLSTATE.featureNotSupported,
          message: 'only ALTER FOREIGN TABLE ... OPTIONS is supported; drop and create the table to change its columns',
        });
        continue;
      }
      for (const option of defElems(listItems(cmd.def))) {
        if (option.defname !== 'object') c.error(invalidOption(option, TABLE_OPTIONS, c));
        else if (option.defaction === 'DEFELEM_DROP')
          c.error({ code: SQLSTATE.fdwOptionNameNotFound, message: 'option "object" is required', span: c.token(option.location) });
        else {
          const value = stringOption(option, c);
          const object = value === undefined ? undefined : this.checkColumns(option, value, table.columns, c, () => undefined);
          if (object && value !== undefined) Object.assign(next, { object, objectOption: value });
        }
      }
    }
    return c.result(() => ({ tables: [], notices: [], command: 'ALTER FOREIGN TABLE', commit: () => this.tables.set(next, next) }));
  }

  private drop(stmt: DropStmt, c: StatementCheck): DdlCheck {
    const cascade = stmt.behavior === 'DROP_CASCADE';
    const kind = stmt.removeType === 'OBJECT_FOREIGN_TABLE' ? 'table' : stmt.removeType === 'OBJECT_FOREIGN_SERVER' ? 'server' : 'wrapper';
    const spans = c.namesAfter(
      kind === 'table' ? ['drop', 'foreign', 'table'] : kind === 'server' ? ['drop', 'server'] : ['drop', 'foreign', 'data', 'wrapper'],
    );
    const notices: string[] = [];
    const changes: TableChange[] = [];
    const commits: (() => void)[] = [];
    const dropTables = (tables: ForeignTable[]) => {
      for (const t of tables) {
        changes.push({ drop: t, cascade });
        commits.push(() => this.tables.delete(t));
      }
    };
    const dependents = (what: string, deps: string[], span: Span | undefined) => {
      if (deps.length === 0) return;
      if (!cascade) {
        c.error({
          code: SQLSTATE.dependentObjectsStillExist,
          message: `cannot drop ${what} because other objects depend on it`,
          detail: deps.map((d) => `${d} depends on ${what}`).join('\n'),
          hint: 'Use DROP ... CASCADE to drop the dependent objects too.',
          span,
        });
      }
      notices.push(deps.length === 1 ? `drop cascades to ${deps[0]}` : `drop cascades to ${deps.length} other objects`);
    };
    const missing = (what: string, error: DdlError) => {
      if (stmt.missing_ok) notices.push(`${what} does not exist, skipping`);
      else c.error(error);
    };
    for (const [i, path] of droppedNames(stmt.objects).entries()) {
      const name = path.at(-1) ?? '';
      const span = spans[i];
      if (kind === 'table') {
        const table = this.table(path.length > 1 ? path.at(-2) : undefined, name);
        if (table) dropTables([table]);
        else missing(`foreign table "${name}"`, { code: SQLSTATE.undefinedTable, message: `foreign table "${name}" does not exist`, span, missingTable: name });
      } else if (kind === 'server') {
        if (!this.servers.has(name)) {
          missing(`server "${name}"`, this.missingServer(name, span));
          continue;
        }
        const tables = this.allTables().filter((t) => t.server === name);
        dependents(
          `server ${name}`,
          tables.map((t) => `foreign table ${t.name}`),
          span,
        );
        dropTables(tables);
        commits.push(() => this.servers.delete(name));
      } else {
        if (!this.wrappers.has(name)) {
          missing(`foreign-data wrapper "${name}"`, this.missingWrapper(name, span));
          continue;
        }
        const servers = this.allServers().filter((s) => s.wrapper === name);
        const tables = this.allTables().filter((t) => servers.some((s) => s.name === t.server));
        dependents(`foreign-data wrapper ${name}`, [...servers.map((s) => `server ${s.name}`), ...tables.map((t) => `foreign table ${t.name}`)], span);
        dropTables(tables);
        for (const s of servers) commits.push(() => this.servers.delete(s.name));
        commits.push(() => this.wrappers.delete(name));
      }
    }
    const command = kind === 'table' ? 'DROP FOREIGN TABLE' : kind === 'server' ? 'DROP SERVER' : 'DROP FOREIGN DATA WRAPPER';
    return c.result(() => ({ tables: changes, notices, command, commit: () => commits.forEach((commit) => commit()) }));
  }

  private missingWrapper(name: string, span: Span | undefined): DdlError {
    const suggestion = closestMatch(name, [...this.wrappers.keys()]);
    return {
      code: SQLSTATE.undefinedObject,
      message: `foreign-data wrapper "${name}" does not exist`,
      hint: suggestion
        ? `Did you mean "${suggestion}"?`
        : `Create it first, in this cell or an earlier one: create foreign data wrapper ${name} handler ${HANDLER} validator ${VALIDATOR};`,
      span,
      replacement: suggestion,
    };
  }

  private missingServer(name: string, span: Span | undefined): DdlError {
    const suggestion = closestMatch(name, [...this.servers.keys()]);
    return {
      code: SQLSTATE.undefinedObject,
      message: `server "${name}" does not exist`,
      hint: suggestion ? `Did you mean "${suggestion}"?` : 'Create it first, in this cell or an earlier one, with CREATE SERVER.',
      span,
      replacement: suggestion,
    };
  }
}

function optionAction(option: DefElem): OptionAction {
  return option.defaction === 'DEFELEM_SET' ? 'set' : option.defaction === 'DEFELEM_DROP' ? 'drop' : 'add';
}

function noopPlan(command: string, notices: string[], commit: () => void = () => undefined): DdlPlan {
  return { tables: [], notices, command, commit };
}

function noop(command: string, notices: string[]): DdlCheck {
  return { errors: [], notices: [], plan: noopPlan(command, notices) };
}

function failed(error: DdlError): DdlCheck {
  return { errors: [error], notices: [] };
}

/**
 * Running a setup cell again is harmless: creating what exists with the same definition does
 * nothing and says so, as IF NOT EXISTS would; a different definition is Postgres's error.
 */
function unchanged(command: string, what: string): DdlCheck {
  return noop(command, [unchangedNotice(what)]);
}

function unchangedNotice(what: string): string {
  return `${what} already exists with this definition, skipping`;
}

/** Definitions are plain data: their JSON with sorted keys compares them (options in any order). */
function sameDefinition<T extends Wrapper | Server | ForeignTable>(a: T, b: T): boolean {
  const canonical = (value: unknown): string =>
    JSON.stringify(value, (_key, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(
            Object.entries(v)
              .filter(([, x]) => x !== undefined)
              .sort(([x], [y]) => (x < y ? -1 : 1)),
          )
        : v,
    );
  return canonical(a) === canonical(b);
}

/** A CREATE FOREIGN TABLE's column definitions and the columns they declare; `others` counts its constraints. */
export function declaredColumns(stmt: CreateForeignTableStmt): { defs: ColumnDef[]; columns: DeclaredColumn[]; others: number } {
  const { columns: defs, others } = columnDefs(stmt.base?.tableElts);
  const columns = defs.map((def) => {
    const { names, array } = typeNameParts(def.typeName);
    return { name: def.colname ?? '', type: normalizeType(names, array) };
  });
  return { defs, columns, others };
}
