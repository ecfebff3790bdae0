// Lists the tables a statement refers to, by walking every node of its AST: whatever the statement
// kind (SELECT, INSERT ... SELECT, CREATE TABLE AS, CREATE VIEW, EXPLAIN, COPY, ...) and however
// deeply a reference is nested (joins, subqueries, CTE bodies, set operations, LATERAL), each
// RangeVar is found. Names that refer to a common table expression in scope are left out.
//
// libpg-query's JSON wraps a node in `{ TypeName: {...} }` where a field may hold any node type,
// and leaves it bare where the field has one fixed type (e.g. InsertStmt.relation is a bare
// RangeVar); both forms are handled.

import type { Node, RangeVar, WithClause } from 'libpg-query';
import type { SourceText, TextPosition } from './sourceText.js';

/**
 * - `read`: rows are read from it (FROM, JOIN, subqueries, CTE bodies, COPY ... TO, LIKE, REFERENCES).
 * - `target`: the relation the statement acts on: INSERT/UPDATE/DELETE/MERGE/COPY FROM/TRUNCATE
 *   targets and the subject of ALTER, CREATE INDEX, GRANT, ... (UPDATE, DELETE and MERGE also read
 *   their target's rows; they are still reported once, as `target`).
 * - `create`: the relation being created: CREATE TABLE / FOREIGN TABLE / VIEW / SEQUENCE / TYPE,
 *   CREATE TABLE AS, SELECT INTO.
 */
export type RelationUsage = 'read' | 'target' | 'create';

export interface RelationRef {
  catalog?: string;
  schema?: string;
  name: string;
  alias?: string;
  usage: RelationUsage;
  /** Start of the (possibly qualified) name. */
  position: TextPosition;
}

type NodeObject = Record<string, unknown>;

interface Context {
  /** Type of the nearest enclosing wrapped node: a bare node belongs to the node holding it. */
  owner: string;
  /** The object holding the value, and the field it is held in. */
  parent: NodeObject;
  field: string;
  /** Names of the CTEs visible here. */
  ctes: ReadonlySet<string>;
}

// Fields through which a *Stmt node names the relation it acts on.
const TARGET_FIELDS = new Set(['relation', 'relations', 'sequence', 'table', 'objects']);

/** Every relation reference in the statement, in text order. */
export function listRelations(ast: Node, source: SourceText): RelationRef[] {
  const found: { ref: RangeVar; usage: RelationUsage }[] = [];
  walk(ast, { owner: '', parent: {}, field: '', ctes: new Set() }, found);
  return found.map(({ ref, usage }) => toRelationRef(ref, usage, source)).sort((a, b) => a.position.offset - b.position.offset);
}

/** The relations whose rows the statement reads. */
export function relationsRead(ast: Node, source: SourceText): RelationRef[] {
  return listRelations(ast, source).filter((relation) => relation.usage === 'read');
}

function walk(value: unknown, at: Context, found: { ref: RangeVar; usage: RelationUsage }[]): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, at, found);
    return;
  }
  if (!isObject(value)) return;
  const type = wrappedType(value);
  const node = type ? value[type] : value;
  if (!isObject(node)) return;
  if (type === 'RangeVar' || (!type && isRangeVar(node))) {
    const usage = usageOf(at);
    const rangeVar = node as RangeVar;
    const isCte = usage === 'read' && !rangeVar.schemaname && !rangeVar.catalogname && at.ctes.has(rangeVar.relname ?? '');
    if (!isCte) found.push({ ref: rangeVar, usage });
    return;
  }
  walkFields(node, type ?? at.owner, at.ctes, found);
}

function walkFields(node: NodeObject, owner: string, ctes: ReadonlySet<string>, found: { ref: RangeVar; usage: RelationUsage }[]): void {
  let scope = ctes;
  const withClause = node.withClause as WithClause | undefined;
  if (withClause?.ctes) {
    const names = withClause.ctes.map((cte) => ('CommonTableExpr' in cte ? (cte.CommonTableExpr.ctename ?? '') : ''));
    // A CTE's body sees the CTEs listed before it (all of them under WITH RECURSIVE); the rest of
    // the statement sees them all.
    withClause.ctes.forEach((cte, index) => {
      const visible = withClause.recursive ? names : names.slice(0, index);
      walk(cte, { owner, parent: node, field: 'ctes', ctes: new Set([...ctes, ...visible]) }, found);
    });
    scope = new Set([...ctes, ...names]);
  }
  for (const [field, child] of Object.entries(node)) {
    // FOR UPDATE OF names FROM items (often aliases), not relations.
    if (field === 'withClause' || field === 'lockedRels') continue;
    walk(child, { owner, parent: node, field, ctes: scope }, found);
  }
}

function usageOf({ owner, parent, field }: Context): RelationUsage {
  const creates =
    field === 'rel' || // IntoClause: CREATE TABLE AS, SELECT INTO
    (owner === 'ViewStmt' && field === 'view') ||
    (owner === 'CompositeTypeStmt' && field === 'typevar') ||
    (owner === 'CreateSeqStmt' && field === 'sequence') ||
    ((owner === 'CreateStmt' || owner === 'CreateForeignTableStmt') && field === 'relation');
  if (creates) return 'create';
  if (owner === 'CopyStmt' && field === 'relation') return parent.is_from ? 'target' : 'read';
  return owner.endsWith('Stmt') && TARGET_FIELDS.has(field) ? 'target' : 'read';
}

function toRelationRef(ref: RangeVar, usage: RelationUsage, source: SourceText): RelationRef {
  return {
    ...(ref.catalogname ? { catalog: ref.catalogname } : {}),
    ...(ref.schemaname ? { schema: ref.schemaname } : {}),
    name: ref.relname ?? '',
    ...(ref.alias?.aliasname ? { alias: ref.alias.aliasname } : {}),
    usage,
    // libpg-query's JSON leaves out fields equal to zero, so a name at the very start has no location.
    position: source.positionOfByte(ref.location ?? 0),
  };
}

function isObject(value: unknown): value is NodeObject {
  return typeof value === 'object' && value !== null;
}

// A wrapper has exactly one key, a node type name; node fields start with a lower-case letter.
function wrappedType(value: NodeObject): string | undefined {
  const keys = Object.keys(value);
  return keys.length === 1 && /^[A-Z]/.test(keys[0] ?? '') ? keys[0] : undefined;
}

// A bare RangeVar (in a field whose type is RangeVar) is recognised by the fields only it has.
function isRangeVar(node: NodeObject): boolean {
  return typeof node.relname === 'string' && 'relpersistence' in node;
}
