// Analysis of a whole notebook: its code cells in order, each statement checked against the
// definitions of the statements before it (a later cell sees the DDL of earlier cells).
//
// FDW statements are checked by the runtime's own FdwCatalog.check(), so the editor shows exactly
// the problems running the cell would meet (all of them, where the runtime stops at the first),
// and ddl.ts adds what only an editor shows (hover, the inline-key warning, quick fixes).
import type { Node } from 'libpg-query';
import { IMPORT_TABLES } from '../../fdw/catalog/index.js';
import type { DdlCheck } from '../../fdw/runtime/ddlCheck.js';
import { declaredColumns, isFdwStatement } from '../../fdw/runtime/fdwCatalog.js';
import { defElems, optionString } from '../../fdw/sql/ast.js';
import type { ParsedCell, SqlParser, ValidStatement } from '../../fdw/sql/parser.js';
import { StatementText } from '../../fdw/sql/statementText.js';

import { CellContext, NotebookState, SnapshotInterner, type StateSnapshot } from './context.js';
import { describeForeignTable, describeServer, describeWrapper } from './ddl.js';
import { Severity, type CellAnalysis, type FixData, type NotebookAnalysis } from './model.js';
import { checkColumns, checkKeyedReads, checkRelations } from './queries.js';
import { afterStatement, type DatabaseSchema } from './database.js';
import { tokenAt } from '../../fdw/sql/tokens.js';
import { checkVariables } from './variables.js';
import { maskPsql, scanPsql, type PsqlItem } from '../../fdw/sql/psqlVariables.js';
import { resultNameOf } from '../../fdw/sql/resultName.js';
import { isQuery } from '../../fdw/sql/ast.js';
import { formatType } from '../../fdw/catalog/index.js';
import { resultColumns } from './resultColumns.js';

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
  /** By text: the cell parsed, and its psql items (scanned once, for the parse and for the variables). */
  private readonly parsed = new Map<string, { cell: ParsedCell; psql: readonly PsqlItem[] }>();
  /** By cell text, then by the snapshot before the cell, least recently used first in both. Keyed
   * by the text itself, not a composite string, so that the key's hash is the one the string caches. */
  private readonly runs = new Map<string, Map<StateSnapshot, CellRun>>();
  private readonly snapshots = new SnapshotInterner();

  constructor(readonly parser: SqlParser) {}

  private parse(text: string): { cell: ParsedCell; psql: readonly PsqlItem[] } {
    let parsed = this.parsed.get(text);
    if (!parsed) {
      const psql = scanPsql(text);
      // psql's meta-commands and variable references are not SQL: placeholders of their length parse instead.
      parsed = { cell: this.parser.parse(maskPsql(text, psql)), psql };
      if (this.parsed.size >= CACHE_LIMIT) this.parsed.clear();
      this.parsed.set(text, parsed);
    }
    return parsed;
  }

  /** `cells` are the code cells' texts in notebook order; `database`, the database its kernel runs on. */
  analyze(cells: readonly string[], database?: DatabaseSchema): NotebookAnalysis {
    return { cells: [...this.cellByCell(cells, database)] };
  }

  /** The analyses of `cells` one by one, so that a caller can publish each before the next is computed. */
  *cellByCell(cells: readonly string[], database?: DatabaseSchema): Generator<CellAnalysis> {
    let before = this.snapshots.initial(database);
    for (const text of cells) {
      const run = this.run(text, before);
      before = run.after;
      yield run.analysis;
    }
  }

  private run(text: string, before: StateSnapshot): CellRun {
    let runs = this.runs.get(text);
    if (runs) this.runs.delete(text);
    else {
      runs = new Map();
      if (this.runs.size >= CACHE_LIMIT) this.runs.delete(this.runs.keys().next().value!);
    }
    this.runs.set(text, runs);
    let run = runs.get(before);
    if (run) runs.delete(before);
    else {
      const state = NotebookState.from(before);
      const { analysis, changed } = this.analyzeCell(text, state);
      const after = this.snapshots.freeze(state, before, changed);
      run = { analysis: { ...analysis, scope: after.scope }, after };
      // What matters is the definitions before the cell now and just before the last edit above
      // it (typing there and undoing); keeping more only makes more work for the GC.
      if (runs.size >= RUNS_PER_TEXT) runs.delete(runs.keys().next().value!);
    }
    runs.set(before, run);
    return run;
  }

  /** The cell's analysis but for its scope (the snapshot after it), and whether it may have changed the definitions. */
  private analyzeCell(text: string, state: NotebookState): { analysis: Omit<CellAnalysis, 'scope'>; changed: boolean } {
    let parsed: ParsedCell;
    let psql: readonly PsqlItem[];
    try {
      ({ cell: parsed, psql } = this.parse(text));
    } catch {
      // The parser reports syntax errors as data; anything thrown is an internal failure.
      return { analysis: { diagnostics: [], symbols: [], actions: [] }, changed: false };
    }
    const relations = state.relations.size;
    const broken = state.brokenForeignTables.size;
    const { changes, variables, namedResults } = state;
    const ctx = new CellContext(parsed.source, state);
    checkVariables(ctx, text, psql);
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
    nameResult(ctx, text, parsed);
    // Only FDW statements change the catalog; the two sets only ever grow; changes and named results are replaced, never changed.
    const changed =
      fdw ||
      state.relations.size !== relations ||
      state.brokenForeignTables.size !== broken ||
      state.changes !== changes ||
      !sameEntries(state.variables, variables) ||
      state.namedResults !== namedResults;
    return { analysis: { diagnostics: ctx.diagnostics, symbols: ctx.symbols, actions: ctx.actions }, changed };
  }
}

function analyzeStatement(ctx: CellContext, statement: ValidStatement): void {
  const { ast } = statement;
  if (!isFdwStatement(ast)) {
    checkColumns(ctx, ast);
    checkRelations(ctx, ast);
    checkKeyedReads(ctx, ast);
    if (ctx.state.database) ctx.state.changes = afterStatement(ctx.state.changes, ast);
    return;
  }
  const at = new StatementText(ctx.source, { start: statement.start.offset, end: statement.end.offset });
  const before = ctx.diagnostics.length;
  const check = ctx.state.catalog.check(statement, ctx.source);
  reportCheck(ctx, at, check);
  if ('CreateFdwStmt' in ast) describeWrapper(ctx, at, ast.CreateFdwStmt);
  else if ('CreateForeignServerStmt' in ast) describeServer(ctx, at, ast.CreateForeignServerStmt);
  else if ('CreateForeignTableStmt' in ast) describeForeignTable(ctx, at, ast.CreateForeignTableStmt);
  // The statement's diagnostics in the order of its text, whichever check found them.
  const own = ctx.diagnostics.splice(before).sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  ctx.diagnostics.push(...own);
  if (check.plan) check.plan.commit();
  else defineAnyway(ctx.state, ast);
}

/** The catalog's findings as diagnostics; one about the whole statement marks its first word. */
function reportCheck(ctx: CellContext, at: StatementText, check: DdlCheck): void {
  const statementStart = tokenAt(ctx.text, at.range.start);
  const fixes = (replacements: readonly (string | undefined)[] = []): FixData[] =>
    replacements.flatMap((text) => (text ? [{ kind: 'replace' as const, text, title: `Change to ${text}` }] : []));
  for (const error of check.errors) {
    // The notebook's leniency (a table kept despite bad columns) can make the catalog miss what
    // a cell meant to define; that is a consequence of the error reported there, not a new one.
    if (error.missingTable !== undefined && ctx.state.brokenForeignTables.has(error.missingTable)) continue;
    const message = error.detail ? `${error.message}\n${error.detail}` : error.message;
    ctx.report(error.span ?? statementStart, Severity.Error, error.code, message, error.hint, fixes([error.replacement]));
  }
  for (const notice of check.notices) {
    ctx.report(
      notice.span,
      notice.kind === 'old-object-name' ? Severity.Hint : Severity.Information,
      notice.kind,
      notice.message,
      undefined,
      fixes(notice.replacements),
    );
  }
}

/** What a failed statement meant to define, so that one mistake is reported once, not in every later cell. */
function defineAnyway(state: NotebookState, ast: Node): void {
  if ('CreateFdwStmt' in ast) {
    if (ast.CreateFdwStmt.fdwname) state.addWrapper(ast.CreateFdwStmt.fdwname);
  } else if ('CreateForeignServerStmt' in ast) {
    const stmt = ast.CreateForeignServerStmt;
    if (stmt.servername) state.addServer(stmt.servername, stmt.fdwname ?? '', {});
  } else if ('CreateForeignTableStmt' in ast) {
    const stmt = ast.CreateForeignTableStmt;
    const relation = stmt.base?.relation;
    if (!relation?.relname) return;
    const object = defElems(stmt.options).find((o) => o.defname === 'object');
    state.addTable(relation.schemaname, relation.relname, stmt.servername ?? '', object && optionString(object), declaredColumns(stmt).columns);
  } else if ('ImportForeignSchemaStmt' in ast) {
    const stmt = ast.ImportForeignSchemaStmt;
    for (const t of IMPORT_TABLES) state.addTable(stmt.local_schema, t.table, stmt.server_name ?? '', t.object, [...t.columns]);
  }
}

/** `-- name: signups`: the cell's last query is kept as the table signups (the runtime's rule, isQuery). */
function nameResult(ctx: CellContext, text: string, parsed: ParsedCell): void {
  const named = resultNameOf(text);
  if (!named) return;
  const last = parsed.statements.at(-1);
  if (!last?.ok || !isQuery(last.ast) || !('SelectStmt' in last.ast)) {
    const what = last?.ok === false ? 'does not parse' : 'is not a query';
    ctx.report(
      named,
      Severity.Warning,
      'named-result-not-query',
      `the cell's last statement ${what}: no table "${named.name}" is kept`,
      'A named cell keeps the result of its last statement, a SELECT.',
    );
    return;
  }
  const { state } = ctx;
  const columns = resultColumns(last.ast.SelectStmt, (schema, name) => {
    const table = state.foreignTable(schema, name);
    if (table) return table.columns.map((c) => ({ name: c.name, type: formatType(c.type) }));
    return schema === undefined || schema === 'pg_temp' ? state.namedResults.get(name) : undefined;
  });
  state.nameResult(named.name, columns);
  const list = columns.map((c) => `\`${c.name}\`${c.type ? ` ${c.type}` : ''}`).join(', ');
  ctx.symbol(
    named,
    `**${named.name}**: this cell's result, kept as a table that later cells query (\`select * from ${named.name}\`), made again each time the cell runs.\n\nColumns: ${list || 'none known'}`,
  );
}

function sameEntries(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  return a.size === b.size && [...a].every(([name, value]) => b.get(name) === value);
}
