// The columns a query returns, named as Postgres names them (FigureColname): the alias, else a
// column's name, a function's, a cast's type, else "?column?"; `*` and `t.*` expand to the
// columns of the tables the FROM clause names, when the notebook knows them. What a named cell
// result (`-- name: signups`) offers to completion in later cells.
import type { Node, SelectStmt } from 'libpg-query';
import { strings, typeNameParts } from '../../fdw/sql/ast.js';

export interface ResultColumn {
  name: string;
  /** The declared or cast type when the query says it; empty when only running it would tell. */
  type: string;
}

/** The columns of a relation the query reads, by (optional) schema and name; undefined when unknown. */
export type ColumnsOf = (schema: string | undefined, name: string) => readonly ResultColumn[] | undefined;

export function resultColumns(select: SelectStmt, columnsOf: ColumnsOf): ResultColumn[] {
  // A UNION's columns are its first branch's.
  if (select.op && select.op !== 'SETOP_NONE' && select.larg) return resultColumns(select.larg, columnsOf);
  const [firstRow] = select.valuesLists ?? [];
  if (firstRow) return listOf(firstRow).map((_, i) => ({ name: `column${i + 1}`, type: '' }));
  const tables = fromTables(select.fromClause ?? [], columnsOf);
  return (select.targetList ?? []).flatMap((target): ResultColumn[] => {
    if (!('ResTarget' in target)) return [];
    const { name, val } = target.ResTarget;
    if (val && 'ColumnRef' in val) {
      const fields = val.ColumnRef.fields ?? [];
      const last = fields.at(-1);
      if (last && 'A_Star' in last) {
        const qualifier = strings(fields.slice(0, -1)).at(-1);
        return qualifier === undefined ? [...tables.values()].flat() : [...(tables.get(qualifier) ?? [])];
      }
      const column = strings(fields).at(-1) ?? '?column?';
      const qualifier = strings(fields).length > 1 ? strings(fields).at(-2) : undefined;
      const source = qualifier === undefined ? [...tables.values()].flat() : (tables.get(qualifier) ?? []);
      return [{ name: name ?? column, type: source.find((c) => c.name === column)?.type ?? '' }];
    }
    return [{ name: name ?? expressionName(val), type: castType(val) }];
  });
}

function listOf(node: Node): Node[] {
  return 'List' in node ? (node.List.items ?? []) : [node];
}

/** The tables of a FROM clause by alias (or name), joins included, with their columns in order. */
function fromTables(from: readonly Node[], columnsOf: ColumnsOf): Map<string, readonly ResultColumn[]> {
  const tables = new Map<string, readonly ResultColumn[]>();
  const visit = (node: Node) => {
    if ('RangeVar' in node) {
      const { schemaname, relname, alias } = node.RangeVar;
      const columns = relname ? columnsOf(schemaname, relname) : undefined;
      if (columns && relname) tables.set(alias?.aliasname ?? relname, columns);
    } else if ('JoinExpr' in node) {
      if (node.JoinExpr.larg) visit(node.JoinExpr.larg);
      if (node.JoinExpr.rarg) visit(node.JoinExpr.rarg);
    }
  };
  from.forEach(visit);
  return tables;
}

function expressionName(node: Node | undefined): string {
  if (!node) return '?column?';
  if ('ColumnRef' in node) return strings(node.ColumnRef.fields).at(-1) ?? '?column?';
  if ('FuncCall' in node) return strings(node.FuncCall.funcname).at(-1) ?? '?column?';
  if ('TypeCast' in node) {
    const inner = expressionName(node.TypeCast.arg);
    return inner !== '?column?' ? inner : (typeNameParts(node.TypeCast.typeName).names.at(-1) ?? '?column?');
  }
  if ('CaseExpr' in node) return 'case';
  if ('CoalesceExpr' in node) return 'coalesce';
  if ('A_ArrayExpr' in node) return 'array';
  return '?column?';
}

function castType(node: Node | undefined): string {
  if (node && 'TypeCast' in node) {
    const { names, array } = typeNameParts(node.TypeCast.typeName);
    const name = names.filter((n) => n !== 'pg_catalog').join('.');
    return array ? `${name}[]` : name;
  }
  if (node && 'FuncCall' in node && strings(node.FuncCall.funcname).at(-1) === 'count') return 'bigint';
  return '';
}
