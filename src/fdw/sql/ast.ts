// Typed reading of libpg-query's parse trees. A `Node` is a union of one-key objects
// (`{ DefElem: {...} }`); these accessors narrow it with `in`, as pushdown.ts does, so no reader
// casts a node to a shape it hopes for. Absent fields read as empty, never as a throw.
import type { ColumnDef, DefElem, Node, RangeVar, TypeName } from 'libpg-query';

/** The statement's kind, e.g. `CreateForeignServerStmt`. */
export function statementKind(ast: Node): string {
  return Object.keys(ast)[0] ?? '';
}

/** The `DefElem`s of an options list (`options (a 'x', b 'y')`). */
export function defElems(list: readonly Node[] | undefined): DefElem[] {
  return (list ?? []).flatMap((n) => ('DefElem' in n ? [n.DefElem] : []));
}

/** A string node's value, or undefined for any other node. */
export function stringOf(node: Node | undefined): string | undefined {
  return node && 'String' in node ? (node.String.sval ?? '') : undefined;
}

/** The strings of a list of `String` nodes (a qualified name, a type's name); other nodes are skipped. */
export function strings(list: readonly Node[] | undefined): string[] {
  return (list ?? []).flatMap((n) => {
    const value = stringOf(n);
    return value === undefined ? [] : [value];
  });
}

/** The items of a `List` node (or the node itself when it is not a list). */
export function listItems(node: Node | undefined): Node[] {
  if (!node) return [];
  return 'List' in node ? (node.List.items ?? []) : [node];
}

/** An option's value when written as a string literal (`api_key 'x'`). */
export function optionString(option: DefElem): string | undefined {
  return stringOf(option.arg);
}

/** An option whose value is a (qualified) name (`handler schema.fn`), joined with dots as Postgres prints it. */
export function optionName(option: DefElem): string {
  return strings(listItems(option.arg)).join('.');
}

/** The column definitions of a table's element list, and whether it holds anything else (a constraint, LIKE). */
export function columnDefs(elements: readonly Node[] | undefined): { columns: ColumnDef[]; others: number } {
  const columns = (elements ?? []).flatMap((n) => ('ColumnDef' in n ? [n.ColumnDef] : []));
  return { columns, others: (elements?.length ?? 0) - columns.length };
}

/** A type's name parts (`pg_catalog.int8` → `['pg_catalog', 'int8']`) and whether it is an array. */
export function typeNameParts(type: TypeName | undefined): { names: string[]; array: boolean } {
  return { names: strings(type?.names), array: (type?.arrayBounds?.length ?? 0) > 0 };
}

/** The `RangeVar`s of a list (IMPORT FOREIGN SCHEMA's LIMIT TO / EXCEPT). */
export function rangeVars(list: readonly Node[] | undefined): RangeVar[] {
  return (list ?? []).flatMap((n) => ('RangeVar' in n ? [n.RangeVar] : []));
}

/** The names a DROP lists, each as its parts (`drop foreign table s.t, u` → `[['s','t'], ['u']]`). */
export function droppedNames(objects: readonly Node[] | undefined): string[][] {
  return (objects ?? []).map((n) => strings(listItems(n)));
}

/** An ALTER TABLE's subcommands (`options (set object 'users')`, `add column ...`). */
export function alterTableCommands(commands: readonly Node[] | undefined) {
  return (commands ?? []).flatMap((n) => ('AlterTableCmd' in n ? [n.AlterTableCmd] : []));
}

/**
 * A query that only reads: a SELECT (or VALUES, TABLE) without INTO whose WITH queries are
 * SELECTs too. Its rows can be streamed with a cursor, and kept as a table (CREATE TABLE AS).
 */
export function isQuery(ast: Node): boolean {
  if (!('SelectStmt' in ast) || ast.SelectStmt.intoClause) return false;
  return (ast.SelectStmt.withClause?.ctes ?? []).every(
    (cte) => !('CommonTableExpr' in cte) || !cte.CommonTableExpr.ctequery || 'SelectStmt' in cte.CommonTableExpr.ctequery,
  );
}
