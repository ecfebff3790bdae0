// Checks of ordinary statements against the notebook's definitions (and, on a Postgres connection,
// the database's snapshot, see database.ts): tables that nothing in the notebook creates, and
// columns that a Clerk foreign table or a table of the database does not have. Only what is
// certain is reported: an unqualified column is checked only when its SELECT reads exactly one
// such table and no enclosing query could provide it; anything else unsure is skipped.
import type { Node } from 'libpg-query';
import { closestMatch, findColumn, formatType } from '../../fdw/catalog/index.js';
import type { ForeignTable } from '../../fdw/runtime/fdwCatalog.js';
import { listRelations, type RelationRef } from '../../fdw/sql/relations.js';
import type { CellContext } from './context.js';
import { checkDatabaseRelation, databaseColumnHover, databaseRelation, reportDatabaseColumn, type DatabaseRelation } from './database.js';
import { columnDoc, tableDoc } from './docs.js';
import { Severity } from './model.js';
import { lastNameOfReference, tokenAt } from '../../fdw/sql/tokens.js';
import { planReads } from '../../fdw/runtime/pushdown.js';
import { missingKeysMessage, unkeyed } from '../../fdw/runtime/keyedReads.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null;

// A statement's relations depend on its tree alone, and a parsed cell (so its tree) is cached by
// text: a cell re-analysed because the definitions before it changed does not walk its tree again.
const relationsOf = new WeakMap<Node, RelationRef[]>();

/**
 * Tables read or written that no cell creates: a warning (the database may still have them), or
 * with the database's snapshot, an error when it surely has none of them.
 */
export function checkRelations(ctx: CellContext, ast: Node): void {
  let refs = relationsOf.get(ast);
  if (!refs) {
    refs = listRelations(ast, ctx.source);
    relationsOf.set(ast, refs);
  }
  for (const ref of refs) {
    const nameSpan = { start: ref.position.offset, end: lastNameOfReference(ctx.text, ref.position.offset).end };
    if (ref.usage === 'create') continue;
    if (isSystemRelation(ref.schema, ref.name)) continue;
    const foreign = ctx.state.foreignTable(ref.schema, ref.name);
    if (foreign) {
      ctx.symbol(nameSpan, tableDoc(foreign.name, foreign.object, foreign.columns));
      continue;
    }
    if (ctx.state.relations.has(ref.name) || ctx.state.brokenForeignTables.has(ref.name)) continue;
    if (ctx.state.database) {
      checkDatabaseRelation(ctx, Object.keys(ast)[0] ?? '', ref, nameSpan);
      continue;
    }
    const scope = ctx.state.scope();
    const known = [...scope.foreignTables.map((t) => t.name), ...scope.relations];
    const suggestion = closestMatch(ref.name, known);
    ctx.report(
      nameSpan,
      Severity.Warning,
      'undefined-relation',
      `relation "${ref.schema ? `${ref.schema}.` : ''}${ref.name}" is not created in this notebook`,
      `${suggestion ? `Did you mean "${suggestion}"? ` : ''}It is neither a foreign table nor a table, view or CTE defined before this statement.${
        known.length ? ` Known: ${known.join(', ')}.` : ''
      }`,
      suggestion ? [{ kind: 'replace', text: suggestion, title: `Change to ${suggestion}` }] : [],
    );
  }
  for (const ref of refs) if (ref.usage === 'create') ctx.state.addRelation(ref.name);
}

/** Lists that need keys (sessions) read with none: the error running the statement would give, where it would point. */
export function checkKeyedReads(ctx: CellContext, ast: Node): void {
  const lookup = (schema: string | undefined, name: string) => ctx.state.foreignTable(schema, name);
  for (const plan of planReads(ast, lookup)) {
    const params = unkeyed(plan);
    if (!params) continue;
    for (const ref of relationsOf.get(ast) ?? []) {
      const table = lookup(ref.schema, ref.name);
      if (ref.usage !== 'read' || table?.name !== plan.table.name || table.schema !== plan.table.schema) continue;
      const { message, hint } = missingKeysMessage(plan.table.name, ref.alias ?? ref.name, params);
      ctx.report({ start: ref.position.offset, end: lastNameOfReference(ctx.text, ref.position.offset).end }, Severity.Error, 'keys-required', message, hint);
    }
  }
}

function isSystemRelation(schema: string | undefined, name: string): boolean {
  if (schema) return schema === 'pg_catalog' || schema === 'information_schema' || schema.startsWith('pg_');
  return name.startsWith('pg_');
}

interface FromItem {
  /** The name a qualified reference uses: the alias, else the table name. */
  name: string | undefined;
  table?: ForeignTable;
  /** A relation of the database the notebook runs on. */
  relation?: DatabaseRelation;
}

/** Visible FROM items, innermost query first. */
type Scopes = readonly (readonly FromItem[])[];

/** Columns of Clerk foreign tables used in the statement's queries. */
export function checkColumns(ctx: CellContext, ast: Node): void {
  const kind = Object.keys(ast)[0] ?? '';
  // Subqueries of UPDATE / DELETE / MERGE can refer to the target's columns: an unknown outer item.
  const outer: Scopes = kind === 'UpdateStmt' || kind === 'DeleteStmt' || kind === 'MergeStmt' ? [[{ name: undefined }]] : [];
  walkExpressions(ctx, ast, outer, new Set(), undefined);
}

function selectOf(value: Obj): Obj | undefined {
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'SelectStmt' && isObj(value.SelectStmt)) return value.SelectStmt;
  return undefined;
}

function cteNames(select: Obj): string[] {
  const ctes = isObj(select.withClause) && Array.isArray(select.withClause.ctes) ? (select.withClause.ctes as unknown[]) : [];
  return ctes.flatMap((c) => {
    const cte = isObj(c) && isObj(c.CommonTableExpr) ? c.CommonTableExpr : undefined;
    return typeof cte?.ctename === 'string' ? [cte.ctename] : [];
  });
}

function visitSelect(ctx: CellContext, select: Obj, outer: Scopes, ctes: ReadonlySet<string>): void {
  const visible = new Set([...ctes, ...cteNames(select)]);
  if (select.withClause) walkExpressions(ctx, select.withClause, outer, visible, undefined);
  if (select.op && select.op !== 'SETOP_NONE') {
    // ORDER BY of a UNION names its output columns: not checked.
    for (const side of [select.larg, select.rarg]) if (isObj(side)) visitSelect(ctx, side, outer, visible);
    return;
  }
  const items: FromItem[] = [];
  const deferred: unknown[] = [];
  for (const from of (select.fromClause as unknown[] | undefined) ?? []) collectFrom(ctx, from, items, deferred, visible);
  const scopes: Scopes = [items, ...outer];
  for (const node of deferred) walkExpressions(ctx, node, scopes, visible, undefined);

  const outputNames = new Set<string>();
  for (const target of (select.targetList as unknown[] | undefined) ?? []) {
    const name = isObj(target) && isObj(target.ResTarget) ? target.ResTarget.name : undefined;
    if (typeof name === 'string') outputNames.add(name);
  }
  for (const [field, value] of Object.entries(select)) {
    if (field === 'fromClause' || field === 'withClause' || field === 'larg' || field === 'rarg' || field === 'intoClause') continue;
    // ORDER BY and GROUP BY may name output columns.
    const aliases = field === 'sortClause' || field === 'groupClause' || field === 'distinctClause' ? outputNames : undefined;
    walkExpressions(ctx, value, scopes, visible, aliases);
  }
}

function collectFrom(ctx: CellContext, from: unknown, items: FromItem[], deferred: unknown[], ctes: ReadonlySet<string>): void {
  if (!isObj(from)) return;
  const [kind, body] = Object.entries(from)[0] ?? [];
  if (!isObj(body)) return;
  const alias = isObj(body.alias) && typeof body.alias.aliasname === 'string' ? body.alias.aliasname : undefined;
  if (kind === 'RangeVar') {
    const relname = typeof body.relname === 'string' ? body.relname : '';
    const schema = typeof body.schemaname === 'string' ? body.schemaname : undefined;
    const isCte = !schema && ctes.has(relname);
    const table = isCte ? undefined : ctx.state.foreignTable(schema, relname);
    // `t as a(x, y)` renames the columns: unknown then. A name with a database (`db.s.t`) is not the snapshot's.
    const renamed = isObj(body.alias) && Array.isArray(body.alias.colnames);
    const relation = isCte || table || renamed || body.catalogname ? undefined : databaseRelation(ctx.state, schema, relname);
    items.push({ name: alias ?? relname, ...(table ? { table } : {}), ...(relation ? { relation } : {}) });
  } else if (kind === 'JoinExpr') {
    collectFrom(ctx, body.larg, items, deferred, ctes);
    collectFrom(ctx, body.rarg, items, deferred, ctes);
    if (body.quals) deferred.push(body.quals);
    // `(a join b) as j` hides a and b behind j: an item whose columns are unknown.
    if (alias) items.push({ name: alias });
  } else {
    // Subqueries, functions, VALUES, ...: their columns are not checked; their insides are.
    items.push({ name: alias });
    deferred.push(body);
  }
}

function walkExpressions(ctx: CellContext, value: unknown, scopes: Scopes, ctes: ReadonlySet<string>, aliases: ReadonlySet<string> | undefined): void {
  if (Array.isArray(value)) {
    for (const item of value) walkExpressions(ctx, item, scopes, ctes, aliases);
    return;
  }
  if (!isObj(value)) return;
  const select = selectOf(value);
  if (select) {
    visitSelect(ctx, select, scopes, ctes);
    return;
  }
  if (isObj(value.ColumnRef) && Object.keys(value).length === 1) {
    checkColumnRef(ctx, value.ColumnRef, scopes, aliases);
    return;
  }
  // A bare SelectStmt (a field whose type is fixed, e.g. RangeSubselect.subquery is wrapped, but
  // CommonTableExpr.ctequery is wrapped too): wrapped nodes are handled above.
  for (const child of Object.values(value)) walkExpressions(ctx, child, scopes, ctes, aliases);
}

function checkColumnRef(ctx: CellContext, ref: Obj, scopes: Scopes, aliases: ReadonlySet<string> | undefined): void {
  const fields = (ref.fields as unknown[] | undefined) ?? [];
  const names: string[] = [];
  for (const field of fields) {
    const sval = isObj(field) && isObj(field.String) ? field.String.sval : undefined;
    if (typeof sval !== 'string') return; // `t.*`, `*`
    names.push(sval);
  }
  const start = ctx.offset(ref.location as number | undefined);
  const span = lastNameOfReference(ctx.text, start);
  if (names.length === 1) {
    const column = names[0]!;
    if (aliases?.has(column)) return;
    const innermost = scopes[0];
    if (!innermost || innermost.length !== 1) return;
    const item = innermost[0]!;
    if (item.name === column) return;
    const has = provides(item, column, false);
    if (has === undefined) return;
    if (has) {
      hover(ctx, span, item, column);
      return;
    }
    // An enclosing query might provide it, unless every enclosing item surely does not.
    for (const level of scopes.slice(1)) {
      for (const other of level) if (other.name === column || provides(other, column, false) !== false) return;
    }
    report(ctx, span, item, column, `column "${column}" does not exist`);
    return;
  }
  if (names.length !== 2) return;
  const [qualifier, column] = names as [string, string];
  for (const level of scopes) {
    const item = level.find((i) => i.name === qualifier);
    if (!item) continue;
    const has = provides(item, column, true);
    if (has === true) hover(ctx, span, item, column);
    else if (has === false) report(ctx, span, item, column, `column ${qualifier}.${column} does not exist`);
    return;
  }
}

/**
 * Whether the item has the column: true, false when surely not, undefined when unknown (not a
 * table whose columns are known; a snapshot that is not sure of them; `row.name` that may call a
 * function).
 */
function provides(item: FromItem, column: string, qualified: boolean): boolean | undefined {
  if (item.table) return item.table.columns.some((c) => c.name === column);
  if (!item.relation) return undefined;
  const { relation, sure } = item.relation;
  if (relation.columns.some((c) => c.name === column)) return true;
  return sure && !(qualified && item.relation.database.isRowFunction(column)) ? false : undefined;
}

function hover(ctx: CellContext, span: { start: number; end: number }, item: FromItem, name: string): void {
  if (item.relation) databaseColumnHover(ctx, span, item.relation, name);
  else if (item.table) foreignColumnHover(ctx, span, item.table, name);
}

function report(ctx: CellContext, span: { start: number; end: number }, item: FromItem, column: string, message: string): void {
  if (item.relation) reportDatabaseColumn(ctx, span, item.relation, column, message);
  else if (item.table) reportForeignColumn(ctx, span, item.table, column, message);
}

function foreignColumnHover(ctx: CellContext, span: { start: number; end: number }, table: ForeignTable, name: string): void {
  const declared = table.columns.find((c) => c.name === name);
  const column = findColumn(table.object, name);
  if (column) ctx.symbol(span, `${columnDoc(column, declared?.type)}\n\n(foreign table \`${table.name}\`)`);
}

function reportForeignColumn(ctx: CellContext, span: { start: number; end: number }, table: ForeignTable, column: string, message: string): void {
  const declared = table.columns.map((c) => c.name);
  const clerk = findColumn(table.object, column);
  if (clerk) {
    ctx.report(
      span,
      Severity.Error,
      '42703',
      message,
      `Clerk object "${table.object}" has a column "${column}", but foreign table "${table.name}" does not declare it: add "${column} ${formatType(clerk.defaultType)}" to its CREATE FOREIGN TABLE.`,
    );
    return;
  }
  const suggestion = closestMatch(column, declared);
  ctx.report(
    span.end > span.start ? span : tokenAt(ctx.text, span.start),
    Severity.Error,
    '42703',
    message,
    `${suggestion ? `Did you mean "${suggestion}"? ` : ''}Columns of ${table.name}: ${declared.join(', ')}.`,
    suggestion ? [{ kind: 'replace', text: suggestion, title: `Change to ${suggestion}` }] : [],
  );
}
