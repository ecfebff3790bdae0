// Analysis of a whole notebook: its code cells in order, each statement checked against the
// definitions of the statements before it (a later cell sees the DDL of earlier cells).
//
// FDW statements are checked twice over: by ddl.ts, which reports every problem with a precise
// range, and by the runtime's own FdwCatalog.plan(), exactly what running the cell would do, so
// the editor and the runtime agree; a runtime error not already reported is added at its position.
import type { CreateFdwStmt, CreateForeignServerStmt, CreateForeignTableStmt, ImportForeignSchemaStmt, Node } from 'libpg-query';
import { IMPORT_TABLES } from '../../fdw/catalog/index.ts';
import { isFdwStatement } from '../../fdw/runtime/fdwCatalog.ts';
import { SqlError } from '../../fdw/runtime/sqlError.ts';
import type { ParsedCell, SqlParser, ValidStatement } from '../../fdw/sql/parser.ts';

import { CellContext, NotebookState, SnapshotInterner, type StateSnapshot } from './context.ts';
import { checkForeignTable, checkServer, checkWrapper, declaredColumnsOf, defElems, type StatementSpan } from './ddl.ts';
import { Severity, type CellAnalysis, type NotebookAnalysis } from './model.ts';
import { checkColumns, checkRelations } from './queries.ts';
import { tokenAt } from './tokens.ts';

const CACHE_LIMIT = 2000;
const RUNS_PER_TEXT = 2;

/** A cell analysed after a given snapshot, and the snapshot after it. */
interface CellRun {
  analysis: CellAnalysis;
  after: StateSnapshot;
}

/**
 * Analyses notebooks incrementally. A cell's analysis depends only on its text and the notebook's
 * definitions before it, so it is cached under both: after an edit, the edited cell is analysed
 * again, and the cells after it only if the definitions they see changed; as soon as a cell ends
 * with the same definitions as before the edit, the rest of the notebook comes from the cache.
 * Parsing is cached by text alone, so a cell re-analysed under new definitions is not re-parsed.
 */
export class NotebookAnalyzer {
  readonly #parsed = new Map<string, ParsedCell>();
  /** By cell text, then by the snapshot before the cell, least recently used first in both. Keyed
   * by the text itself, not a composite string, so that the key's hash is the one the string caches. */
  readonly #runs = new Map<string, Map<StateSnapshot, CellRun>>();
  readonly #snapshots = new SnapshotInterner();

  constructor(readonly parser: SqlParser) {}

  parse(text: string): ParsedCell {
    let parsed = this.#parsed.get(text);
    if (!parsed) {
      parsed = this.parser.parse(text);
      if (this.#parsed.size >= CACHE_LIMIT) this.#parsed.clear();
      this.#parsed.set(text, parsed);
    }
    return parsed;
  }

  /** `cells` are the code cells' texts in notebook order. */
  analyze(cells: readonly string[]): NotebookAnalysis {
    return { cells: [...this.cellByCell(cells)] };
  }

  /** The analyses of `cells` one by one, so that a caller can publish each before the next is computed. */
  *cellByCell(cells: readonly string[]): Generator<CellAnalysis> {
    let before = this.#snapshots.empty;
    for (const text of cells) {
      const run = this.#run(text, before);
      before = run.after;
      yield run.analysis;
    }
  }

  #run(text: string, before: StateSnapshot): CellRun {
    let runs = this.#runs.get(text);
    if (runs) this.#runs.delete(text);
    else {
      runs = new Map();
      if (this.#runs.size >= CACHE_LIMIT) this.#runs.delete(this.#runs.keys().next().value!);
    }
    this.#runs.set(text, runs);
    let run = runs.get(before);
    if (run) runs.delete(before);
    else {
      const state = NotebookState.from(before);
      const { analysis, changed } = this.#analyzeCell(text, state);
      const after = this.#snapshots.freeze(state, before, changed);
      run = { analysis: { ...analysis, scope: after.scope }, after };
      // What matters is the definitions before the cell now and just before the last edit above
      // it (typing there and undoing); keeping more only makes more work for the GC.
      if (runs.size >= RUNS_PER_TEXT) runs.delete(runs.keys().next().value!);
    }
    runs.set(before, run);
    return run;
  }

  /** The cell's analysis but for its scope (the snapshot after it), and whether it may have changed the definitions. */
  #analyzeCell(text: string, state: NotebookState): { analysis: Omit<CellAnalysis, 'scope'>; changed: boolean } {
    let parsed: ParsedCell;
    try {
      parsed = this.parse(text);
    } catch {
      // The parser reports syntax errors as data; anything thrown is an internal failure.
      return { analysis: { diagnostics: [], symbols: [], actions: [] }, changed: false };
    }
    const relations = state.relations.size;
    const broken = state.brokenForeignTables.size;
    const ctx = new CellContext(parsed.source, state);
    for (const error of parsed.errors) {
      const span = tokenAt(text, error.position.offset);
      const at = span.end > span.start ? span : { start: Math.max(0, span.start - 1), end: span.start };
      ctx.report(at, Severity.Error, '42601', error.message);
    }
    let fdw = false;
    for (const statement of parsed.statements) {
      if (!statement.ok) continue;
      fdw ||= isFdwStatement(statement.ast);
      try {
        analyzeStatement(ctx, statement);
      } catch {
        // A check that fails on an unusual tree must not cost the rest of the notebook its analysis.
      }
    }
    // Only FDW statements change the catalog; the two sets only ever grow.
    const changed = fdw || state.relations.size !== relations || state.brokenForeignTables.size !== broken;
    return { analysis: { diagnostics: ctx.diagnostics, symbols: ctx.symbols, actions: ctx.actions }, changed };
  }
}

function analyzeStatement(ctx: CellContext, statement: ValidStatement): void {
  const { ast } = statement;
  const at: StatementSpan = { start: statement.start.offset, end: statement.end.offset };
  if (!isFdwStatement(ast)) {
    checkColumns(ctx, ast);
    checkRelations(ctx, ast);
    return;
  }
  const before = ctx.diagnostics.length;
  const [kind, body] = Object.entries(ast)[0] as [string, unknown];
  if (kind === 'CreateFdwStmt') checkWrapper(ctx, body as CreateFdwStmt, at);
  else if (kind === 'CreateForeignServerStmt') checkServer(ctx, body as CreateForeignServerStmt, at);
  else if (kind === 'CreateForeignTableStmt') checkForeignTable(ctx, body as CreateForeignTableStmt, at);
  const reported = ctx.diagnostics.slice(before).map((d) => d.message);
  const failed = runPlan(ctx, ast, at, reported);
  if (failed) defineAnyway(ctx.state, kind, body);
}

/** Runs the runtime's plan of the statement and commits it; returns whether it failed. */
function runPlan(ctx: CellContext, ast: Node, at: StatementSpan, reported: readonly string[]): boolean {
  try {
    ctx.state.catalog.plan(ast, ctx.source).commit();
    return false;
  } catch (error) {
    if (!(error instanceof SqlError)) return true;
    const already = reported.some((m) => m === error.message || m.startsWith(`${error.message}\n`));
    // The notebook's leniency (a table kept despite bad columns) can make the runtime see what
    // a cell never defined; such an error is a consequence, not a new problem.
    if (!already && !isConsequence(ctx, error)) {
      const offset = error.position ? error.position.offset : at.start;
      const details = [error.detail, error.hint].filter(Boolean).join('\n');
      ctx.report(tokenAt(ctx.text, offset), Severity.Error, error.code, error.message, details || undefined);
    }
    return true;
  }
}

function isConsequence(ctx: CellContext, error: SqlError): boolean {
  const missing = /^(?:foreign table|relation) "([^"]+)" does not exist$/.exec(error.message);
  return missing !== null && ctx.state.brokenForeignTables.has(missing[1]!);
}

/** What a failed statement meant to define, so that one mistake is reported once, not in every later cell. */
function defineAnyway(state: NotebookState, kind: string, body: unknown): void {
  if (kind === 'CreateFdwStmt') {
    const stmt = body as CreateFdwStmt;
    if (stmt.fdwname) state.addWrapper(stmt.fdwname);
  } else if (kind === 'CreateForeignServerStmt') {
    const stmt = body as CreateForeignServerStmt;
    if (stmt.servername) state.addServer(stmt.servername, stmt.fdwname ?? '', {});
  } else if (kind === 'CreateForeignTableStmt') {
    const stmt = body as CreateForeignTableStmt;
    const relation = stmt.base?.relation;
    if (!relation?.relname) return;
    const object = defElems(stmt.options).find((o) => o.defname === 'object');
    const value = (object?.arg as { String?: { sval?: string } } | undefined)?.String?.sval;
    state.addTable(relation.schemaname, relation.relname, stmt.servername ?? '', value, declaredColumnsOf(stmt).columns);
  } else if (kind === 'ImportForeignSchemaStmt') {
    const stmt = body as ImportForeignSchemaStmt;
    for (const t of IMPORT_TABLES) state.addTable(stmt.local_schema, t.table, stmt.server_name ?? '', t.object, [...t.columns]);
  }
}


