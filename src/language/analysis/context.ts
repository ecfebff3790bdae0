// What the checks of one cell share: the cell's text, where diagnostics and hover symbols go,
// and the notebook's definitions so far (the runtime's own FdwCatalog, kept lenient so that one
// bad statement does not cascade into errors on every later one).
import { lookupObject, type DeclaredColumn } from '../../fdw/catalog/index.js';
import { redactSecrets } from '../../fdw/clerk/errors.js';
import type { ClerkObjectName } from '../../fdw/clerk/schemas.js';
import { FdwCatalog, type CatalogState, type ForeignTable } from '../../fdw/runtime/fdwCatalog.js';
import type { SourceText } from '../../fdw/sql/sourceText.js';
import type { AnalysisDiagnostic, FixData, HoverSymbol, KnownTable, Range, RangeAction, Scope, Severity } from './model.js';
import type { Span } from '../../fdw/sql/tokens.js';
import { NO_CHANGES, type DatabaseChanges, type DatabaseSchema } from './database.js';
import type { ResultColumn } from './resultColumns.js';

/**
 * The notebook's definitions between two cells, frozen: the analysis of a cell depends only on
 * its text and the snapshot before it, so equal snapshots share one object (see `SnapshotInterner`),
 * and a cell analysed after a snapshot can be reused as long as that snapshot comes before it.
 */
export interface StateSnapshot {
  readonly catalog: CatalogState;
  /** Shared, never changed: the states made from the snapshot read it until one adds to it. */
  readonly relations: ReadonlySet<string>;
  readonly brokenForeignTables: readonly string[];
  /** The database the notebook runs on, when its kernel is a Postgres connection, and what the notebook did to it. */
  readonly database: DatabaseSchema | undefined;
  readonly changes: DatabaseChanges;
  /** psql variables set so far (`\set`). */
  readonly variables: ReadonlyMap<string, string>;
  readonly namedResults: ReadonlyMap<string, readonly ResultColumn[]>;
  readonly scope: Scope;
}

export class NotebookState {
  readonly catalog = new FdwCatalog();
  /** Foreign tables whose definition failed so badly that the catalog could not keep them (unknown object). */
  readonly brokenForeignTables = new Set<string>();
  /**
   * Relations created by ordinary statements (tables, views, ...), by name: the snapshot's set
   * until the state adds one, then a copy (copy on write). Most cells create none, and copying
   * for each of them made an analysis quadratic: thousands of views in a 30,000-cell notebook
   * meant copying thousands of names for every cell, gigabytes of garbage per pass.
   */
  private shared: ReadonlySet<string> = new Set();
  private copied: Set<string> | undefined;
  /** Only tracked with a database: without one nothing reads it. */
  changes: DatabaseChanges = NO_CHANGES;
  /** psql variables, as the cells so far set them (a cell's analysis applies its own `\set`s). */
  variables = new Map<string, string>();
  /** Named cell results (`-- name: signups`) so far, with their columns; replaced, never changed. */
  namedResults: ReadonlyMap<string, readonly ResultColumn[]> = new Map();

  constructor(readonly database?: DatabaseSchema) {}

  /** A working copy of a snapshot (the snapshot's own objects are never changed: plans commit new ones). */
  static from(snapshot: StateSnapshot): NotebookState {
    const state = new NotebookState(snapshot.database);
    state.catalog.restore(snapshot.catalog);
    state.shared = snapshot.relations;
    state.changes = snapshot.changes;
    state.variables = new Map(snapshot.variables);
    state.namedResults = snapshot.namedResults;
    for (const name of snapshot.brokenForeignTables) state.brokenForeignTables.add(name);
    return state;
  }

  get relations(): ReadonlySet<string> {
    return this.shared;
  }

  addRelation(name: string): void {
    if (this.shared.has(name)) return;
    this.copied ??= new Set(this.shared);
    this.copied.add(name);
    this.shared = this.copied;
  }

  /** A cell's result kept as a table: a relation later cells read, with the query's columns. */
  nameResult(name: string, columns: readonly ResultColumn[]): void {
    this.addRelation(name);
    this.namedResults = new Map([...this.namedResults, [name, columns]]);
  }

  /** The catalog with the servers' inline keys (whether a server has one decides `alter server ... add api_key`). */
  catalogState(): CatalogState {
    const snapshot = this.catalog.snapshot();
    return { ...snapshot, servers: this.catalog.allServers().map((s) => ({ ...s, options: { ...s.options } })) };
  }

  /** Adds to the runtime catalog what a failed statement meant to define, so later cells see it. */
  lenient(change: (state: CatalogState) => void): void {
    const state = this.catalogState();
    change(state);
    this.catalog.restore(state);
  }

  addWrapper(name: string): void {
    if (this.catalog.wrapper(name)) return;
    this.lenient((s) => s.wrappers.push({ name }));
  }

  addServer(name: string, wrapper: string, options: Record<string, string>): void {
    if (this.catalog.server(name)) return;
    this.lenient((s) => s.servers.push({ name, wrapper, options }));
  }

  addTable(schema: string | undefined, name: string, server: string, objectOption: string | undefined, columns: DeclaredColumn[]): void {
    if (this.catalog.table(schema, name)) return;
    const found = objectOption === undefined ? undefined : lookupObject(objectOption);
    if (!found?.ok) {
      this.brokenForeignTables.add(name);
      return;
    }
    const object: ClerkObjectName = found.object;
    const table: ForeignTable = { schema: schema ?? 'public', name, server, object, objectOption: objectOption!, columns };
    this.lenient((s) => s.tables.push(table));
  }

  /** A foreign table known by the catalog, by (optional) schema and name. */
  foreignTable(schema: string | undefined, name: string): ForeignTable | undefined {
    return this.catalog.table(schema, name);
  }

  scope(): Scope {
    const snapshot = this.catalog.snapshot();
    const foreignTables: KnownTable[] = snapshot.tables.map((t) => ({ name: t.name, schema: t.schema, object: t.object, columns: t.columns }));
    for (const name of this.brokenForeignTables) foreignTables.push({ name, schema: 'public', columns: [] });
    return {
      servers: snapshot.servers.map((s) => s.name),
      wrappers: snapshot.wrappers.map((w) => w.name),
      foreignTables,
      relations: [...this.relations],
      variables: [...this.variables].map(([name, value]) => ({ name, value })),
      namedResults: [...this.namedResults].map(([name, columns]) => ({ name, columns })),
      ...(this.database ? { database: this.database } : {}),
    };
  }
}

const SNAPSHOT_LIMIT = 2000;

/** Freezes working states into snapshots, one object per distinct content. */
export class SnapshotInterner {
  private readonly byContent = new Map<string, StateSnapshot>();
  /** Databases by object: a snapshot's content names its database by number, not by its (large) content. */
  private readonly databaseIds = new WeakMap<DatabaseSchema, number>();
  private databases = 0;

  /** The definitions before a notebook's first cell: none, and the database it runs on, if any. */
  initial(database?: DatabaseSchema): StateSnapshot {
    return this.freeze(new NotebookState(database));
  }

  /** `before` is returned as is when the cell changed nothing (saves serializing the state). */
  freeze(state: NotebookState, before?: StateSnapshot, changed = true): StateSnapshot {
    if (before && !changed) return before;
    const catalog = state.catalogState();
    const relations = [...state.relations];
    const brokenForeignTables = [...state.brokenForeignTables];
    // The analysis depends on whether a server has an inline key, not on the key itself.
    const servers = catalog.servers.map(({ inlineKey, ...s }) => ({ ...s, inlineKey: inlineKey !== undefined }));
    const { database, changes } = state;
    let databaseId = database && this.databaseIds.get(database);
    if (database && databaseId === undefined) this.databaseIds.set(database, (databaseId = ++this.databases));
    const content = JSON.stringify([
      catalog.wrappers,
      servers,
      catalog.tables,
      relations,
      brokenForeignTables,
      databaseId ?? 0,
      [...changes.redefined],
      changes.searchPath,
      changes.opaque,
      [...state.variables],
      [...state.namedResults],
    ]);
    const known = this.byContent.get(content);
    if (known) return known;
    // Analyses are cached by snapshot object: forgetting snapshots only costs re-analysis.
    if (this.byContent.size >= SNAPSHOT_LIMIT) this.byContent.clear();
    // The state is dropped after this: the snapshot keeps its set of relations as it is.
    const snapshot: StateSnapshot = {
      catalog,
      relations: state.relations,
      brokenForeignTables,
      database,
      changes,
      variables: new Map(state.variables),
      namedResults: state.namedResults,
      scope: state.scope(),
    };
    this.byContent.set(content, snapshot);
    return snapshot;
  }
}

export class CellContext {
  readonly diagnostics: AnalysisDiagnostic[] = [];
  readonly symbols: HoverSymbol[] = [];
  readonly actions: RangeAction[] = [];

  constructor(
    readonly source: SourceText,
    readonly state: NotebookState,
  ) {}

  get text(): string {
    return this.source.text;
  }

  range(span: Span): Range {
    const start = this.source.positionAt(span.start);
    const end = this.source.positionAt(span.end);
    return { start: { line: start.line, character: start.character }, end: { line: end.line, character: end.character } };
  }

  /** UTF-16 offset of an AST byte location (absent means 0 in libpg-query's JSON). */
  offset(location: number | undefined): number {
    return this.source.offsetOfByte(location === undefined || location < 0 ? 0 : location);
  }

  /** Every diagnostic is made here, with any key masked out: messages quote the cell's text (a parser's `near "'sk_live_…"`, an option's value). */
  report(span: Span, severity: Severity, code: string, message: string, hint?: string, fixes: FixData[] = []): void {
    this.diagnostics.push({ range: this.range(span), severity, code, message: redactSecrets(hint ? `${message}\n${hint}` : message), fixes });
  }

  symbol(span: Span, markdown: string): void {
    if (span.end <= span.start) return;
    this.symbols.push({ start: span.start, end: span.end, markdown });
  }
}
