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

import { CellContext, NotebookState } from './context.ts';
import { checkForeignTable, checkServer, checkWrapper, declaredColumnsOf, defElems, type StatementSpan } from './ddl.ts';
import { Severity, type CellAnalysis, type NotebookAnalysis } from './model.ts';
import { checkColumns, checkRelations } from './queries.ts';
import { tokenAt } from './tokens.ts';

const CACHE_LIMIT = 5000;

/**
 * Analyses notebooks. Parsing (the costly part) is cached by cell text, so re-analysing a
 * notebook after one edit parses only the edited cell.
 */
export class NotebookAnalyzer {
  readonly #parsed = new Map<string, ParsedCell>();

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
    const state = new NotebookState();
    return { cells: cells.map((text) => this.#analyzeCell(text, state)) };
  }

  #analyzeCell(text: string, state: NotebookState): CellAnalysis {
    let parsed: ParsedCell;
    try {
      parsed = this.parse(text);
    } catch {
      // The parser reports syntax errors as data; anything thrown is an internal failure.
      return { diagnostics: [], symbols: [], actions: [], scope: state.scope() };
    }
    const ctx = new CellContext(parsed.source, state);
    for (const error of parsed.errors) {
      const span = tokenAt(text, error.position.offset);
      const at = span.end > span.start ? span : { start: Math.max(0, span.start - 1), end: span.start };
      ctx.report(at, Severity.Error, '42601', error.message);
    }
    for (const statement of parsed.statements) {
      if (!statement.ok) continue;
      try {
        analyzeStatement(ctx, statement);
      } catch {
        // A check that fails on an unusual tree must not cost the rest of the notebook its analysis.
      }
    }
    return { diagnostics: ctx.diagnostics, symbols: ctx.symbols, actions: ctx.actions, scope: state.scope() };
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

/** One-shot analysis (tests, CLI): parses every cell. */
export function analyzeNotebook(parser: SqlParser, cells: readonly string[]): NotebookAnalysis {
  return new NotebookAnalyzer(parser).analyze(cells);
}


