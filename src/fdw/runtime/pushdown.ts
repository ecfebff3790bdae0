// Filter pushdown: for each Clerk foreign table a statement reads, the narrowest Backend API read
// that still returns every row the statement can use. Postgres applies every condition again to
// the loaded rows, so a plan may fetch more rows than needed (a superset) but never fewer: a
// condition whose meaning is in any doubt is simply not pushed, and the table is read whole.
//
// Pushed, for a table referenced exactly once in the whole statement, directly in the FROM of
// the statement's own SELECT (or of one operand of its UNION/INTERSECT/EXCEPT, or the SELECT of
// INSERT ... SELECT, CREATE TABLE AS, EXPLAIN, COPY (...) TO):
//   - the WHERE clause's top-level AND-ed comparisons of one of its columns with constants;
//   - LIMIT/OFFSET when that SELECT reads only this table and does nothing that needs more rows.
// ON conditions are never pushed: for an outer join they do not remove the table's rows.

import type { A_Const, A_Expr, ColumnRef, FuncCall, Node, RangeVar, SelectStmt, TypeName, WithClause } from 'libpg-query';
import { normalizeType, type PgType } from '../catalog/index.js';
import {
  LIST_ENDPOINTS,
  missingKey,
  type ListedObject,
  type MembershipFilter,
  type OrganizationFilter,
  type ParamFilter,
  type ReadRequest,
  type UserFilter,
} from '../clerk/reads.js';
import type { ClerkObjectName } from '../clerk/schemas.js';
import { relationsRead } from '../sql/relations.js';
import { SourceText } from '../sql/sourceText.js';
import { TableMap } from './tableMap.js';

export interface ForeignTableInfo {
  schema: string;
  name: string;
  object: ClerkObjectName;
  columns: { name: string; type: PgType }[];
}

export interface TablePlan {
  table: ForeignTableInfo;
  /** An empty filter reads every row. */
  request: ReadRequest;
  /** Read at most this many rows. 0 when no row can match (contradictory conditions, LIMIT 0). */
  maxRows?: number;
  /** What was pushed, as SQL (`email = 'a@b.c'`, `LIMIT 10`). Empty exactly when the whole table is read. */
  pushed: string[];
  /** A list that needs keys (sessions) and got none from conditions: the join that gives them, if there is one. */
  keysFrom?: JoinKeys;
}

/**
 * `t.column = other.otherColumn` joins the table to another relation of the same FROM: the
 * table's rows that can be in the result have a key among the other relation's values.
 */
export interface JoinKeys {
  /** The query parameter the keys fill (`user_id`). */
  param: string;
  /** The other relation as the statement names it. */
  relation: { schema?: string; name: string };
  otherColumn: string;
  /** The condition, for the pushed-down line: `s.user_id = u.id`. */
  text: string;
}

export type ForeignTableLookup = (schema: string | undefined, name: string) => ForeignTableInfo | undefined;

/** One plan per distinct foreign table the statement reads, in the order the AST lists them. */
export function planReads(ast: Node, foreignTables: ForeignTableLookup): TablePlan[] {
  // Positions are not needed: any source text will do.
  const reads = relationsRead(ast, new SourceText(''));
  const references = new TableMap<{ table: ForeignTableInfo; count: number }>();
  for (const ref of reads) {
    const table = foreignTables(ref.schema, ref.name);
    if (!table) continue;
    const seen = references.get(table);
    if (seen) seen.count++;
    else references.set(table, { table, count: 1 });
  }
  const plans = new TableMap<TablePlan>();
  for (const [, { table }] of references) plans.set(table, fullRead(table));

  for (const { select, ctes } of plannedSelects(ast, new Set())) {
    const from = select.fromClause ?? [];
    for (const rangeVar of tablesOf(from)) {
      // An unqualified name in scope of a WITH query of that name is the WITH query.
      if (!rangeVar.schemaname && ctes.has(rangeVar.relname ?? '')) continue;
      const table = foreignTables(rangeVar.schemaname, rangeVar.relname ?? '');
      if (!table || references.get(table)?.count !== 1) continue;
      const alone = from.length === 1 && from[0] !== undefined && 'RangeVar' in from[0] && from[0].RangeVar === rangeVar;
      plans.set(table, planTable({ table, rangeVar, alone }, select, ctes));
    }
  }
  return [...plans].map(([, plan]) => plan);
}

function fullRead(table: ForeignTableInfo): TablePlan {
  return { table, request: { object: table.object, filter: {} }, pushed: [] };
}

// ---- Which SELECTs are planned ----------------------------------------------------------------

interface PlannedSelect {
  select: SelectStmt;
  /** Names of the WITH queries visible in its FROM. */
  ctes: ReadonlySet<string>;
}

/** The SELECTs whose FROM items the statement's result comes from directly. */
function plannedSelects(node: Node | undefined, ctes: ReadonlySet<string>): PlannedSelect[] {
  if (!node) return [];
  if ('SelectStmt' in node) return setOperands(node.SelectStmt, ctes);
  if ('InsertStmt' in node) return plannedSelects(node.InsertStmt.selectStmt, withNames(ctes, node.InsertStmt.withClause));
  if ('CreateTableAsStmt' in node) return plannedSelects(node.CreateTableAsStmt.query, ctes);
  if ('ExplainStmt' in node) return plannedSelects(node.ExplainStmt.query, ctes);
  if ('CopyStmt' in node) return plannedSelects(node.CopyStmt.query, ctes);
  return [];
}

// Each operand of a set operation is a SELECT of its own: its WHERE filters only its own rows.
function setOperands(select: SelectStmt, outer: ReadonlySet<string>): PlannedSelect[] {
  const ctes = withNames(outer, select.withClause);
  if (select.op && select.op !== 'SETOP_NONE' && select.larg && select.rarg) {
    return [...setOperands(select.larg, ctes), ...setOperands(select.rarg, ctes)];
  }
  return [{ select, ctes }];
}

function withNames(outer: ReadonlySet<string>, withClause: WithClause | undefined): ReadonlySet<string> {
  const names = (withClause?.ctes ?? []).flatMap((cte) => ('CommonTableExpr' in cte ? [cte.CommonTableExpr.ctename ?? ''] : []));
  return names.length === 0 ? outer : new Set([...outer, ...names]);
}

/**
 * The tables of a FROM list, through joins. A join with an alias hides the names of the tables
 * inside it, so they are left out, as are subqueries, functions and TABLESAMPLE.
 */
function tablesOf(items: readonly Node[]): RangeVar[] {
  return items.flatMap((item): RangeVar[] => {
    if ('RangeVar' in item) return [item.RangeVar];
    if ('JoinExpr' in item && !item.JoinExpr.alias) return tablesOf([item.JoinExpr.larg, item.JoinExpr.rarg].filter((n) => n !== undefined));
    return [];
  });
}

// ---- One table's plan ---------------------------------------------------------------------------

interface Target {
  table: ForeignTableInfo;
  rangeVar: RangeVar;
  /** The only item of the FROM list: an unqualified column can only be one of its columns. */
  alone: boolean;
}

function planTable(target: Target, select: SelectStmt, ctes: ReadonlySet<string>): TablePlan {
  const { table } = target;
  const limit = target.alone ? limitOf(select) : undefined;
  if (limit) return { ...fullRead(table), maxRows: limit.rows, pushed: [limit.text] };
  const narrowing = new Narrowing();
  for (const condition of conjuncts(select.whereClause)) {
    const comparison = comparisonOf(condition);
    if (comparison) narrowing.add(target, comparison);
  }
  const plan = narrowing.plan(table);
  if (plan.maxRows === 0 || !missingKey(table.object, plan.request.filter as ParamFilter)) return plan;
  const keysFrom = joinKeys(target, select, ctes);
  return keysFrom ? { ...plan, keysFrom } : plan;
}

// ---- Keys from a join -----------------------------------------------------------------------------

/**
 * The first `t.key = other.column` among the conditions every result row meets: the WHERE's
 * top-level ANDs, and the ON conditions of the joins the table is an inner part of (or the
 * nullable side of: a LEFT JOIN's right, a RIGHT JOIN's left). `key` is a column the list
 * requires one of (sessions: `user_id`, `client_id`), declared text; `other` is another table of
 * the FROM, not a WITH query.
 */
function joinKeys(target: Target, select: SelectStmt, ctes: ReadonlySet<string>): JoinKeys | undefined {
  const { table, rangeVar } = target;
  const endpoint = LIST_ENDPOINTS[table.object as ListedObject];
  const required = new Set<string>('requires' in endpoint ? endpoint.requires : []);
  const from = select.fromClause ?? [];
  const others = tablesOf(from).filter((r) => r !== rangeVar && (r.schemaname || !ctes.has(r.relname ?? '')));
  const conditions = [...conjuncts(select.whereClause), ...joinConditions(from, rangeVar)];
  for (const condition of conditions) {
    const sides = columnEquality(condition);
    if (!sides) continue;
    for (const [mine, theirs] of [sides, [sides[1], sides[0]]] as const) {
      const column = columnName(mine, rangeVar, table, false);
      const spec = column === undefined ? undefined : (endpoint.filters as Record<string, { param: string }>)[column];
      const declared = table.columns.find((c) => c.name === column);
      if (!spec || !required.has(spec.param) || !declared || declared.type.array || !TEXT_TYPES.has(declared.type.name)) continue;
      for (const other of others) {
        const otherColumn = columnName(theirs, other, { schema: other.schemaname ?? '' }, false);
        if (otherColumn === undefined || other.relname === undefined) continue;
        const relation = other.schemaname ? { schema: other.schemaname, name: other.relname } : { name: other.relname };
        return { param: spec.param, relation, otherColumn, text: `${refText(mine)} = ${refText(theirs)}` };
      }
    }
  }
  return undefined;
}

/** The ON conditions of the joins that drop rows of `target` that fail them. */
function joinConditions(items: readonly Node[], target: RangeVar): Node[] {
  return items.flatMap((item): Node[] => {
    if (!('JoinExpr' in item) || item.JoinExpr.alias) return [];
    const { jointype, larg, rarg, quals } = item.JoinExpr;
    const inside = (node: Node | undefined) => node !== undefined && tablesOf([node]).includes(target);
    const filters = jointype === 'JOIN_INNER' || (jointype === 'JOIN_LEFT' && inside(rarg)) || (jointype === 'JOIN_RIGHT' && inside(larg));
    const nested = joinConditions(
      [larg, rarg].filter((n) => n !== undefined),
      target,
    );
    return filters && (inside(larg) || inside(rarg)) ? [...conjuncts(quals), ...nested] : nested;
  });
}

/** `a.x = b.y`, both plain column references. */
function columnEquality(node: Node): [ColumnRef, ColumnRef] | undefined {
  if (!('A_Expr' in node) || node.A_Expr.kind !== 'AEXPR_OP') return undefined;
  const { name, lexpr, rexpr } = node.A_Expr;
  const op = name?.length === 1 && name[0] && 'String' in name[0] ? name[0].String.sval : undefined;
  if (op !== '=' || !lexpr || !rexpr || !('ColumnRef' in lexpr) || !('ColumnRef' in rexpr)) return undefined;
  return [lexpr.ColumnRef, rexpr.ColumnRef];
}

function refText(ref: ColumnRef): string {
  return (ref.fields ?? []).map((f) => ('String' in f ? f.String.sval : '*')).join('.');
}

function conjuncts(node: Node | undefined): Node[] {
  if (!node) return [];
  if ('BoolExpr' in node && node.BoolExpr.boolop === 'AND_EXPR') return (node.BoolExpr.args ?? []).flatMap(conjuncts);
  return [node];
}

// ---- Comparisons --------------------------------------------------------------------------------

type Operator = '=' | '<' | '<=' | '>' | '>=' | 'IN' | 'BETWEEN';

/** `column op constant(s)`, the column possibly under casts. */
interface Comparison {
  column: ColumnRef;
  columnCasts: TypeName[];
  op: Operator;
  values: Node[];
}

// What `a op b` means as `b op' a`.
const MIRRORED: Readonly<Record<string, Operator>> = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

function comparisonOf(node: Node): Comparison | undefined {
  if (!('A_Expr' in node)) return undefined;
  const expr: A_Expr = node.A_Expr;
  const name = expr.name?.length === 1 && expr.name[0] && 'String' in expr.name[0] ? expr.name[0].String.sval : undefined;
  const left = columnOf(expr.lexpr);
  const items = expr.rexpr && 'List' in expr.rexpr ? (expr.rexpr.List.items ?? []) : [];
  switch (expr.kind) {
    case 'AEXPR_OP': {
      if (!name || !Object.hasOwn(MIRRORED, name)) return undefined;
      if (left && isConstant(expr.rexpr)) return { ...left, op: name as Operator, values: [expr.rexpr] };
      const right = columnOf(expr.rexpr);
      if (right && isConstant(expr.lexpr)) return { ...right, op: MIRRORED[name]!, values: [expr.lexpr] };
      return undefined;
    }
    case 'AEXPR_IN': // `NOT IN` is the operator `<>`
      return name === '=' && left && items.every(isConstant) ? { ...left, op: 'IN', values: items } : undefined;
    case 'AEXPR_BETWEEN': // not NOT BETWEEN, not BETWEEN SYMMETRIC
      return left && items.length === 2 && items.every(isConstant) ? { ...left, op: 'BETWEEN', values: items } : undefined;
    default:
      return undefined;
  }
}

function columnOf(node: Node | undefined): Pick<Comparison, 'column' | 'columnCasts'> | undefined {
  if (!node) return undefined;
  if ('ColumnRef' in node) return { column: node.ColumnRef, columnCasts: [] };
  if (!('TypeCast' in node) || !node.TypeCast.typeName) return undefined;
  const inner = columnOf(node.TypeCast.arg);
  return inner && { ...inner, columnCasts: [...inner.columnCasts, node.TypeCast.typeName] };
}

function isConstant(node: Node | undefined): node is Node {
  return node !== undefined && literalOf(node) !== undefined;
}

/** A constant as written: text or a number, with the type of at most one cast applied to it. */
interface Literal {
  text: string;
  number: boolean;
  cast?: Cast;
}

interface Cast {
  type: PgType;
  /** Has a type modifier: `varchar(3)`, `numeric(10, 2)`, `timestamp(0)`. */
  modified: boolean;
}

function literalOf(node: Node): Literal | undefined {
  if ('A_Const' in node) return constantOf(node.A_Const);
  if (!('TypeCast' in node) || !node.TypeCast.typeName) return undefined;
  const { arg, typeName } = node.TypeCast;
  const inner = arg && 'A_Const' in arg ? constantOf(arg.A_Const) : undefined;
  return inner && { ...inner, cast: castOf(typeName) };
}

// libpg-query leaves out zero values: `''` has an empty `sval`, `0` an empty `ival`. Integers
// beyond 32 bits come as `fval`, a string.
function constantOf(constant: A_Const): Literal | undefined {
  if (constant.sval) return { text: constant.sval.sval ?? '', number: false };
  if (constant.ival) return { text: String(constant.ival.ival ?? 0), number: true };
  if (constant.fval) return { text: constant.fval.fval ?? '0', number: true };
  return undefined; // NULL, booleans, bit strings
}

function castOf(typeName: TypeName): Cast {
  const names = (typeName.names ?? []).map((n) => ('String' in n ? (n.String.sval ?? '') : ''));
  return { type: normalizeType(names, (typeName.arrayBounds?.length ?? 0) > 0), modified: (typeName.typmods?.length ?? 0) > 0 };
}

// Only `text` and unsized `varchar` keep a string as it is: `char(n)` pads and compares without
// trailing spaces, `varchar(n)` truncates.
function isPlainText(cast: Cast): boolean {
  return !cast.modified && !cast.type.array && (cast.type.name === 'text' || cast.type.name === 'varchar');
}

function describe(literal: Literal): string {
  return literal.number ? literal.text : `'${literal.text.replaceAll("'", "''")}'`;
}

// ---- From comparisons to Clerk's filters --------------------------------------------------------

type FilterOf = {
  users: UserFilter;
  organizations: OrganizationFilter;
  organization_memberships: MembershipFilter;
} & { [O in ListedObject]: ParamFilter };
type AnyFilter = UserFilter & OrganizationFilter & MembershipFilter & ParamFilter;
type ListKey<F> = { [K in keyof F]-?: NonNullable<F[K]> extends string[] ? K : never }[keyof F];

/** The query parameters of a listed object's filters, by column. */
const listedFilters = (object: ListedObject): ReadonlyMap<string, string> =>
  new Map(Object.entries(LIST_ENDPOINTS[object].filters).map(([column, spec]) => [column, spec.param]));

/** Columns whose `=` and `IN` become a list filter, and the filter. */
const LIST_FILTERS: { readonly [O in ClerkObjectName]: ReadonlyMap<string, ListKey<FilterOf[O]>> } = {
  users: new Map([
    ['user_id', 'user_id'],
    ['id', 'user_id'],
    // Clerk matches any of the user's addresses, `email` is the primary one: a superset.
    ['email', 'email_address'],
    ['username', 'username'],
    ['external_id', 'external_id'],
  ]),
  organizations: new Map([
    ['organization_id', 'organization_id'],
    ['id', 'organization_id'],
  ]),
  organization_memberships: new Map([
    ['organization_id', 'organization_id'],
    ['user_id', 'user_id'],
    ['role', 'role'],
  ]),
  ...(Object.fromEntries(Object.keys(LIST_ENDPOINTS).map((o) => [o, listedFilters(o as ListedObject)])) as Record<ListedObject, ReadonlyMap<string, string>>),
};

/** The column whose range becomes `created_at_after` / `created_at_before`. */
const CREATED_AT: Partial<Record<ClerkObjectName, string>> = { users: 'created_at' };

const TEXT_TYPES = new Set(['text', 'varchar']);
/** Declared types that hold the milliseconds themselves. */
const MILLIS_TYPES = new Set(['int8', 'numeric', 'float8']);
const TIME_TYPES = new Set(['timestamptz', 'timestamp', 'date']);
const INTEGER_TYPES = new Set(['int8', 'int4', 'int2']);
/** Casts that keep a number's value (float4 rounds today's milliseconds). */
const NUMBER_CASTS = new Set([...INTEGER_TYPES, 'numeric', 'float8']);
const DECIMAL = /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i;
/** ISO 8601 dates mean the same under every DateStyle; `BC`, time zone names, `now` are not matched. */
const ISO_TIMESTAMP = /^\s*(\d{4}-\d{2}-\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:\s*(?:z|utc|[+-]\d{2}(?::?\d{2})?))?\s*$/i;
const DAY_MS = 86_400_000;

/** The pushable conditions of one table, combined: lists intersect, ranges take the tightest bound. */
class Narrowing {
  private readonly lists = new Map<ListKey<AnyFilter>, string[]>();
  private after: number | undefined;
  private before: number | undefined;
  private readonly pushed: string[] = [];

  add({ table, rangeVar, alone }: Target, comparison: Comparison): void {
    const name = columnName(comparison.column, rangeVar, table, alone);
    const column = table.columns.find((c) => c.name === name);
    if (!column || column.type.array) return;
    const literals = comparison.values.map(literalOf).filter((l) => l !== undefined);
    const listKey = LIST_FILTERS[table.object].get(column.name);
    if (listKey && TEXT_TYPES.has(column.type.name) && comparison.columnCasts.map(castOf).every(isPlainText)) {
      this.addList(listKey, comparison, literals, column.name);
    } else if (column.name === CREATED_AT[table.object] && comparison.columnCasts.length === 0) {
      this.addRange(column.type, comparison, literals, column.name);
    }
  }

  private addList(key: ListKey<AnyFilter>, { op }: Comparison, literals: Literal[], column: string): void {
    if (op !== '=' && op !== 'IN') return;
    const values = literals.map(textOf);
    if (!values.every((v) => v !== undefined)) return;
    const previous = this.lists.get(key);
    const kept = previous ? new Set(previous) : undefined;
    this.lists.set(key, [...new Set(kept ? values.filter((v) => kept.has(v)) : values)]);
    this.pushed.push(describeComparison(column, op, literals));
  }

  private addRange(type: PgType, { op }: Comparison, literals: Literal[], column: string): void {
    const millis = MILLIS_TYPES.has(type.name);
    if (!millis && !TIME_TYPES.has(type.name)) return;
    const values = literals.map(millis ? millisOf : dayOf);
    if (!values.every((v) => v !== undefined)) return;
    const { low, high } = interval(op, values);
    // Clerk's bounds are exclusive. A date or timestamp literal only gives its day: a day more on
    // each side covers the time of day, the literal's or the session's time zone and `date`'s
    // truncation.
    const after = low && (millis ? (low.inclusive ? Math.ceil(low.value) - 1 : Math.floor(low.value)) : low.value - DAY_MS);
    const before = high && (millis ? (high.inclusive ? Math.floor(high.value) + 1 : Math.ceil(high.value)) : high.value + 2 * DAY_MS);
    // A bound at or below 0 excludes nothing Clerk has; past 2^53 it is not exact.
    const usable = (bound: number | undefined): bound is number => bound !== undefined && Number.isSafeInteger(bound) && bound > 0;
    if (!usable(after) && !usable(before)) return;
    if (usable(after)) this.after = Math.max(after, this.after ?? after);
    if (usable(before)) this.before = Math.min(before, this.before ?? before);
    this.pushed.push(describeComparison(column, op, literals));
  }

  plan(table: ForeignTableInfo): TablePlan {
    const pushed = this.pushed;
    // An empty list would read like "no filter": a contradiction reads nothing instead.
    const contradiction =
      [...this.lists.values()].some((values) => values.length === 0) ||
      (this.after !== undefined && this.before !== undefined && this.before - this.after <= 1);
    if (contradiction) return { ...fullRead(table), maxRows: 0, pushed };
    const filter: AnyFilter = Object.fromEntries(this.lists);
    if (this.after !== undefined) filter.created_at_after = this.after;
    if (this.before !== undefined) filter.created_at_before = this.before;
    return { table, request: { object: table.object, filter }, pushed };
  }
}

/**
 * The column's name when the reference is to this table: qualified by its alias (else its name,
 * or schema and name), or unqualified when the table is the only item of the FROM list.
 */
function columnName(ref: ColumnRef, rangeVar: RangeVar, table: Pick<ForeignTableInfo, 'schema'>, alone: boolean): string | undefined {
  const parts = (ref.fields ?? []).map((field) => ('String' in field ? field.String.sval : undefined));
  const column = parts.pop();
  if (column === undefined || parts.some((p) => p === undefined)) return undefined; // `t.*`
  const [first, second, ...more] = parts;
  const visible = rangeVar.alias?.aliasname ?? rangeVar.relname;
  const refersToTable =
    first === undefined
      ? alone
      : second === undefined
        ? first === visible
        : more.length === 0 && !rangeVar.alias && first === table.schema && second === rangeVar.relname;
  return refersToTable ? column : undefined;
}

function textOf(literal: Literal): string | undefined {
  return !literal.number && (!literal.cast || isPlainText(literal.cast)) ? literal.text : undefined;
}

/** A number compared with milliseconds: a numeric literal, or text Postgres reads as a number. */
function millisOf({ text, number, cast }: Literal): number | undefined {
  if (cast && (cast.modified || cast.type.array || !NUMBER_CASTS.has(cast.type.name))) return undefined;
  const value = number || DECIMAL.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(value)) return undefined;
  // Casting a fraction to an integer rounds it: rather than reproduce Postgres's rounding, skip it.
  return cast && INTEGER_TYPES.has(cast.type.name) && !Number.isInteger(value) ? undefined : value;
}

/** The UTC midnight of the day a date or timestamp literal names. */
function dayOf({ text, number, cast }: Literal): number | undefined {
  if (number || (cast && (cast.type.array || !TIME_TYPES.has(cast.type.name)))) return undefined;
  const day = ISO_TIMESTAMP.exec(text)?.[1];
  const value = day === undefined ? NaN : Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(value) ? undefined : value;
}

interface Bound {
  value: number;
  inclusive: boolean;
}

/** The values a comparison accepts, as an interval: `=` and `IN` give their smallest to largest value. */
function interval(op: Operator, values: number[]): { low?: Bound; high?: Bound } {
  const closed = (value: number | undefined): Bound | undefined => (value === undefined ? undefined : { value, inclusive: true });
  switch (op) {
    case '>':
    case '>=':
      return { low: { value: values[0]!, inclusive: op === '>=' } };
    case '<':
    case '<=':
      return { high: { value: values[0]!, inclusive: op === '<=' } };
    case 'BETWEEN':
      return { low: closed(values[0]), high: closed(values[1]) };
    case '=':
    case 'IN':
      return { low: closed(Math.min(...values)), high: closed(Math.max(...values)) };
  }
}

/** Long IN lists are counted rather than listed: the line is for people. */
const LISTED_VALUES = 5;

/** The comparison as SQL, the column first: `email = 'a@b.c'`, `created_at BETWEEN 1 AND 2`. */
function describeComparison(column: string, op: Operator, literals: Literal[]): string {
  const described = literals.map(describe);
  if (op === 'BETWEEN') return `${column} BETWEEN ${described[0]} AND ${described[1]}`;
  if (op !== 'IN') return `${column} ${op} ${described[0]}`;
  return `${column} IN (${described.length <= LISTED_VALUES ? described.join(', ') : `${described.length} values`})`;
}

// ---- LIMIT --------------------------------------------------------------------------------------

/**
 * Functions known not to aggregate, not to be window functions and to return one row per call.
 * Any other function in the target list might be an aggregate (`max`, user-defined ones) or
 * return no rows for some input (`jsonb_array_elements`), so LIMIT is not pushed past it.
 */
const SCALAR_FUNCTIONS = new Set([
  'lower',
  'upper',
  'initcap',
  'length',
  'char_length',
  'concat',
  'concat_ws',
  'format',
  'substr',
  'substring',
  'left',
  'right',
  'trim',
  'btrim',
  'ltrim',
  'rtrim',
  'replace',
  'split_part',
  'md5',
  'to_char',
  'to_timestamp',
  'date_trunc',
  'date_part',
  'extract',
  'timezone',
  'now',
  'abs',
  'round',
  'array_to_string',
  'array_length',
  'cardinality',
  'jsonb_typeof',
  'jsonb_array_length',
  'jsonb_extract_path_text',
  'jsonb_build_object',
]);

/**
 * LIMIT n [OFFSET m] as a row count, when reading any n + m rows of the table gives the SELECT
 * a valid answer: it reads only the table (checked by the caller) and nothing filters,
 * orders, groups or aggregates its rows.
 */
function limitOf(select: SelectStmt): { rows: number; text: string } | undefined {
  const reshaped = select.whereClause || select.havingClause || select.distinctClause || select.groupClause?.length || select.sortClause?.length;
  if (reshaped || !everyFuncCall(select.targetList, isScalarCall)) return undefined;
  const count = countOf(select.limitCount);
  const offset = countOf(select.limitOffset);
  if (count === undefined || offset === undefined || count === null) return undefined; // LIMIT ALL / NULL: no limit
  const rows = count + (offset ?? 0);
  return Number.isSafeInteger(rows) ? { rows, text: `LIMIT ${count}${offset ? ` OFFSET ${offset}` : ''}` } : undefined;
}

/** A constant count: the number; null for NULL, ALL or no clause; undefined for anything else. */
function countOf(node: Node | undefined): number | null | undefined {
  if (!node) return null;
  if (!('A_Const' in node)) return undefined;
  if (node.A_Const.isnull) return null;
  const literal = constantOf(node.A_Const);
  const value = literal?.number ? Number(literal.text) : NaN;
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

function isScalarCall(call: FuncCall): boolean {
  const names = (call.funcname ?? []).map((n) => ('String' in n ? n.String.sval : undefined));
  const [schema, name] = names.length === 1 ? ['pg_catalog', names[0]] : names;
  return names.length <= 2 && schema === 'pg_catalog' && name !== undefined && SCALAR_FUNCTIONS.has(name) && !call.over;
}

/** Walks every node below `value`, subqueries included (an outer aggregate can hide in one). */
function everyFuncCall(value: unknown, test: (call: FuncCall) => boolean): boolean {
  if (Array.isArray(value)) return value.every((item) => everyFuncCall(item, test));
  if (typeof value !== 'object' || value === null) return true;
  return Object.entries(value).every(([key, child]) => (key !== 'FuncCall' || test(child as FuncCall)) && everyFuncCall(child, test));
}
