// The database a notebook's kernel runs on, as the language server knows it: a schema snapshot
// (src/fdw/db/schemaSnapshot.ts) the extension sends for a notebook on a Postgres connection. Names
// are looked up as Postgres looks them up, and what the notebook itself does to the database
// (tables it alters or drops, a changed search path, a DO block) makes the analysis say less: an
// unknown table or column is reported only when the snapshot is sure of it.
import type { Node, RangeVar } from 'libpg-query';
import { closestMatch } from '../../fdw/catalog/index.js';
import { CLERK_TABLE_KIND, SESSION_SCHEMA, type SchemaSnapshot, type SnapshotRelation } from '../../fdw/db/schemaSnapshot.js';
import { quoteIdent } from '../../fdw/sql/identifiers.js';
import type { RelationRef } from '../../fdw/sql/relations.js';
import { tokenAt, type Span } from '../../fdw/sql/tokens.js';
import type { CellContext, NotebookState } from './context.js';
import { Severity, type FixData } from './model.js';

/** The kinds of relation a FROM reads, offered by completion (sequences and composite types are not). */
const READABLE = new Set<SnapshotRelation['kind']>(['table', 'partitioned table', 'view', 'materialized view', 'foreign table', CLERK_TABLE_KIND]);

/** Statements whose target relation must exist and be a table or view: the only targets reported unknown. */
const DATA_STATEMENTS = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', 'CopyStmt', 'TruncateStmt']);

/** A snapshot indexed for lookups, built once per snapshot the server receives. */
export class DatabaseSchema {
  private readonly bySchema = new Map<string, Map<string, SnapshotRelation>>();
  private readonly schemas: ReadonlySet<string>;
  private readonly rowFunctions: ReadonlySet<string>;
  private readonly docs = new WeakMap<SnapshotRelation, string>();

  constructor(readonly snapshot: SchemaSnapshot) {
    for (const relation of snapshot.relations) {
      const names = this.bySchema.get(relation.schema) ?? new Map<string, SnapshotRelation>();
      this.bySchema.set(relation.schema, names);
      names.set(relation.name, relation);
    }
    this.schemas = new Set(snapshot.schemas);
    this.rowFunctions = new Set(snapshot.rowFunctions);
  }

  get where(): string {
    return this.snapshot.where;
  }

  /** The relation a reference means, as Postgres finds it: in its schema, else the session's temporary tables, then the search path. */
  find(schema: string | undefined, name: string): SnapshotRelation | undefined {
    if (schema !== undefined) return this.bySchema.get(schema)?.get(name);
    for (const s of [SESSION_SCHEMA, ...this.snapshot.searchPath]) {
      const found = this.bySchema.get(s)?.get(name);
      if (found) return found;
    }
    return undefined;
  }

  /** Whether the snapshot can tell that a name in `schema` (unqualified: along the search path) does not exist. */
  covers(schema: string | undefined): boolean {
    return !this.snapshot.partial && (schema === undefined || this.schemas.has(schema));
  }

  /** Whether `row.name` may call a function (Postgres's functional notation) rather than name a column. */
  isRowFunction(name: string): boolean {
    return this.rowFunctions.has(name);
  }

  /** Whether an unqualified name finds the relation. */
  reachable(relation: SnapshotRelation): boolean {
    return this.find(undefined, relation.name) === relation;
  }

  /** How a query names the relation: bare when an unqualified name finds it, else schema-qualified. */
  nameOf(relation: SnapshotRelation): string {
    const bare = ident(relation.name);
    return this.reachable(relation) ? bare : `${ident(relation.schema)}.${bare}`;
  }

  /** The relations a FROM can read: those an unqualified name finds first, then the others by schema. */
  readable(schema?: string): SnapshotRelation[] {
    return this.snapshot.relations.filter((r) => READABLE.has(r.kind) && (schema === undefined || r.schema === schema));
  }

  /** Relations of that name in schemas the search path does not reach. */
  elsewhere(name: string): SnapshotRelation[] {
    const onPath = new Set([SESSION_SCHEMA, ...this.snapshot.searchPath]);
    return this.snapshot.relations.filter((r) => r.name === name && !onPath.has(r.schema));
  }

  hasSchema(schema: string): boolean {
    return this.schemas.has(schema);
  }

  /** Hover for a relation: its kind, name, database and columns. */
  relationDoc(relation: SnapshotRelation): string {
    let doc = this.docs.get(relation);
    if (doc === undefined) {
      const columns = relation.columns.map((c) => `\`${c.name} ${c.type}\``).join(', ');
      const kind = relation.kind === CLERK_TABLE_KIND ? `${CLERK_TABLE_KIND} (the shared catalog's)` : capitalized(relation.kind);
      const name = relation.schema === SESSION_SCHEMA ? relation.name : `${relation.schema}.${relation.name}`;
      doc = `**${kind} \`${name}\`** — ${this.where}\n\nColumns: ${columns || '(none)'}.`;
      this.docs.set(relation, doc);
    }
    return doc;
  }

  /** Hover for a column: `accounts.owner_user_id text`, whether it may be null, and where it is. */
  columnDoc(relation: SnapshotRelation, name: string): string | undefined {
    const column = relation.columns.find((c) => c.name === name);
    if (!column) return undefined;
    return `\`${relation.name}.${column.name} ${column.type}\`${column.nullable ? '' : ' not null'}\n\nColumn of ${relation.kind} \`${relation.schema}.${relation.name}\` in ${this.where}.`;
  }
}

/** A relation of the database that a reference means, and whether its columns are surely all it has. */
export interface DatabaseRelation {
  database: DatabaseSchema;
  relation: SnapshotRelation;
  sure: boolean;
}

/**
 * The database relation a name in a statement means, unless the notebook makes it something else:
 * a relation a cell creates (or a foreign table) is the notebook's, and one it altered or dropped
 * is not the snapshot's any more.
 */
export function databaseRelation(state: NotebookState, schema: string | undefined, name: string): DatabaseRelation | undefined {
  const { database, changes } = state;
  if (!database || state.relations.has(name) || state.brokenForeignTables.has(name) || changes.redefined.has(name)) return undefined;
  if (schema === undefined && changes.searchPath) return undefined;
  const relation = database.find(schema, name);
  if (!relation) return undefined;
  // A Clerk table's columns are the shared catalog's when the session started, which may be older.
  const sure = !database.snapshot.partial && !changes.opaque && relation.kind !== CLERK_TABLE_KIND;
  return { database, relation, sure };
}

/**
 * A relation the notebook does not define, against the database: its hover when the database has
 * it, an error when the database surely has none of that name (Postgres's "relation ... does not
 * exist"), else nothing. `statement`: the statement's node type.
 */
export function checkDatabaseRelation(ctx: CellContext, statement: string, ref: RelationRef, span: Span): void {
  const { database, changes } = ctx.state;
  if (!database) return;
  const found = databaseRelation(ctx.state, ref.schema, ref.name);
  if (found) {
    ctx.symbol(span, database.relationDoc(found.relation));
    return;
  }
  const unqualified = ref.schema === undefined;
  const sure =
    !ref.catalog &&
    database.covers(ref.schema) &&
    !changes.opaque &&
    !changes.redefined.has(ref.name) &&
    !(unqualified && changes.searchPath) &&
    (ref.usage === 'read' || DATA_STATEMENTS.has(statement));
  if (!sure) return;
  const written = unqualified ? ref.name : `${ref.schema}.${ref.name}`;
  const where = unqualified ? `the search path (${database.snapshot.searchPath.join(', ') || 'empty'})` : `schema ${ref.schema}`;
  const hint: string[] = [];
  let fix: string | undefined;
  const [other] = unqualified ? database.elsewhere(ref.name) : [];
  if (other) {
    fix = database.nameOf(other);
    hint.push(`There is ${other.kind} ${fix}, in a schema the search path does not reach: write ${fix}.`);
  } else {
    const scope = ctx.state.scope();
    const notebook = unqualified ? [...scope.foreignTables.map((t) => t.name), ...scope.relations] : [];
    const candidates = [...notebook, ...database.readable(ref.schema).map((r) => r.name)];
    const suggestion = closestMatch(ref.name, candidates);
    if (suggestion) {
      fix = unqualified ? suggestion : `${ident(ref.schema!)}.${ident(suggestion)}`;
      hint.push(`Did you mean "${fix}"?`);
    }
  }
  hint.push(`${database.where} has no table, view or other relation of that name in ${where}, and no cell before this statement creates one.`);
  const fixes: FixData[] = fix ? [{ kind: 'replace', text: fix, title: `Change to ${fix}` }] : [];
  ctx.report(span, Severity.Error, '42P01', `relation "${written}" does not exist`, hint.join(' '), fixes);
}

export function databaseColumnHover(ctx: CellContext, span: Span, { database, relation }: DatabaseRelation, column: string): void {
  const doc = database.columnDoc(relation, column);
  if (doc) ctx.symbol(span, doc);
}

/** A column the relation surely does not have (Postgres's 42703), with the closest one it has. */
export function reportDatabaseColumn(ctx: CellContext, span: Span, { relation }: DatabaseRelation, column: string, message: string): void {
  const columns = relation.columns.map((c) => c.name);
  const suggestion = closestMatch(column, columns);
  ctx.report(
    span.end > span.start ? span : tokenAt(ctx.text, span.start),
    Severity.Error,
    '42703',
    message,
    `${suggestion ? `Did you mean "${suggestion}"? ` : ''}Columns of ${relation.kind} ${relation.schema}.${relation.name}: ${columns.join(', ') || '(none)'}.`,
    suggestion ? [{ kind: 'replace', text: ident(suggestion), title: `Change to ${ident(suggestion)}` }] : [],
  );
}

const capitalized = (text: string) => text[0]!.toUpperCase() + text.slice(1);

/** A name as a query writes it: quoted when it is not a lower-case identifier. */
const ident = (name: string) => (/^[a-z_][a-z0-9_$]*$/.test(name) ? name : quoteIdent(name));

/**
 * What the notebook's statements so far did to the database, beyond creating relations (which the
 * notebook's relations list): never changed, replaced when a statement adds to it.
 */
export interface DatabaseChanges {
  /** Relations altered, renamed, moved or dropped: their columns, or whether they exist, are not the snapshot's. */
  readonly redefined: ReadonlySet<string>;
  /** The search path (or the role that `$user` names) was set: unqualified names may find other relations. */
  readonly searchPath: boolean;
  /** A statement may have changed anything (DO, CALL, DROP SCHEMA, ...): no name is reported unknown after it. */
  readonly opaque: boolean;
}

export const NO_CHANGES: DatabaseChanges = { redefined: new Set(), searchPath: false, opaque: false };

const RELATION_OBJECTS = new Set(['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_SEQUENCE', 'OBJECT_TYPE']);
const PATH_SETTINGS = new Set(['search_path', 'role', 'session_authorization']);

/** The changes after `ast`; `changes` itself when it changed nothing. */
export function afterStatement(changes: DatabaseChanges, ast: Node): DatabaseChanges {
  const names: string[] = [];
  let searchPath = false;
  let opaque = false;
  if ('AlterTableStmt' in ast) names.push(relname(ast.AlterTableStmt.relation));
  else if ('AlterObjectSchemaStmt' in ast) names.push(relname(ast.AlterObjectSchemaStmt.relation));
  else if ('RenameStmt' in ast) {
    const stmt = ast.RenameStmt;
    if (stmt.relation) names.push(relname(stmt.relation), ...(stmt.renameType === 'OBJECT_COLUMN' ? [] : [stmt.newname ?? '']));
    else opaque = true; // a schema renamed: every name in it moves
  } else if ('DropStmt' in ast) {
    const stmt = ast.DropStmt;
    if (RELATION_OBJECTS.has(stmt.removeType ?? '')) names.push(...(stmt.objects ?? []).map(lastName));
    // CASCADE drops what depends on the objects (views, columns of a type), named nowhere.
    opaque = stmt.removeType === 'OBJECT_SCHEMA' || stmt.behavior === 'DROP_CASCADE';
  } else if ('VariableSetStmt' in ast) searchPath = ast.VariableSetStmt.kind === 'VAR_RESET_ALL' || PATH_SETTINGS.has(ast.VariableSetStmt.name ?? '');
  else if ('AlterRoleSetStmt' in ast || 'AlterDatabaseSetStmt' in ast) searchPath = true;
  else opaque = 'DoStmt' in ast || 'CallStmt' in ast || 'DropOwnedStmt' in ast;
  const added = names.filter((n) => n && !changes.redefined.has(n));
  if (added.length === 0 && (!searchPath || changes.searchPath) && (!opaque || changes.opaque)) return changes;
  return {
    redefined: added.length ? new Set([...changes.redefined, ...added]) : changes.redefined,
    searchPath: changes.searchPath || searchPath,
    opaque: changes.opaque || opaque,
  };
}

const relname = (relation: RangeVar | undefined) => relation?.relname ?? '';

/** The name a DROP's object ends with (`schema.table` is a list of strings). */
function lastName(object: Node): string {
  const items = 'List' in object ? (object.List.items ?? []) : [object];
  const last = items.at(-1);
  return last && 'String' in last ? (last.String.sval ?? '') : '';
}
