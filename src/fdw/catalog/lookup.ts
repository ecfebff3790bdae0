// Questions callers ask the catalog: which columns an object has, what a declared type
// converts to, and the Postgres-style errors when the answer is "none".
import type { ClerkObject, ClerkObjectName } from '../clerk/schemas.js';
import { CATALOG, type ClerkColumn } from './columns.js';
import { formatType, sameType, type PgType } from './pgTypes.js';
import { closestMatch } from './suggest.js';
import type { Conversion } from './values.js';

/** A problem in Postgres's terms: SQLSTATE, message, and optional detail and hint. */
export interface CatalogProblem {
  readonly code: string;
  readonly message: string;
  readonly detail?: string;
  readonly hint?: string;
  /** The likely intended text: the closest column name, the column's default type. */
  readonly suggestion?: string;
}

/** SQLSTATEs of the FDW class: the foreign source has no such column / no such type for it. */
const FDW_COLUMN_NAME_NOT_FOUND = 'HV005';
const FDW_INVALID_DATA_TYPE = 'HV004';

/**
 * The columns of an object, typed for callers that hold "some Clerk object": a table of
 * object N is only ever given objects of N (the runtime reads them with N's schema).
 */
export function columnsOf(object: ClerkObjectName): readonly ClerkColumn[] {
  return CATALOG[object] as readonly ClerkColumn<never>[] as readonly ClerkColumn[];
}

/** Column names are compared exactly, as Postgres compares (already case-folded) identifiers. */
export function findColumn(object: ClerkObjectName, name: string): ClerkColumn | undefined {
  return columnsOf(object).find((c) => c.name === name);
}

/** The declared types a column converts to, in the catalog's order (default type first). */
export function allowedTypes(column: ClerkColumn): PgType[] {
  const all = column.conversions.flatMap((c) => c.types);
  return [column.defaultType, ...all.filter((t) => !sameType(t, column.defaultType))];
}

function unknownColumnProblem(object: ClerkObjectName, name: string): CatalogProblem {
  const names = columnsOf(object).map((c) => c.name);
  const suggestion = closestMatch(name, names);
  const valid = `Valid columns: ${names.join(', ')}.`;
  return {
    code: FDW_COLUMN_NAME_NOT_FOUND,
    message: `column "${name}" is not provided by Clerk object "${object}"`,
    hint: suggestion ? `Did you mean "${suggestion}"? ${valid}` : valid,
    ...(suggestion ? { suggestion } : {}),
  };
}

function typeProblem(column: ClerkColumn, type: PgType): CatalogProblem {
  const allowed = allowedTypes(column).map(formatType).join(', ');
  const unit = column.unit ? ` (${column.unit})` : '';
  return {
    code: FDW_INVALID_DATA_TYPE,
    message: `column "${column.name}" of Clerk object "${column.object}" cannot be declared as ${formatType(type)}; allowed types: ${allowed}`,
    detail: `In Clerk's API, ${column.source} is a JSON ${column.jsonType}${unit}.`,
    hint: `Declare it as ${formatType(column.defaultType)}, its ${column.origin === 'documented' ? 'documented' : 'default'} type, or another allowed type.`,
    suggestion: formatType(column.defaultType),
  };
}

/** A declared column matched to the catalog: the column and how its declared type is filled. */
export interface ResolvedColumn {
  readonly column: ClerkColumn;
  readonly conversion: Conversion<ClerkObject>;
}

export type ConversionLookup = ({ readonly ok: true } & ResolvedColumn) | ({ readonly ok: false } & CatalogProblem);

/** How `column` declared as `type` is filled from an API object of `object`. */
export function converterFor(object: ClerkObjectName, columnName: string, type: PgType): ConversionLookup {
  const column = findColumn(object, columnName);
  if (!column) return { ok: false, ...unknownColumnProblem(object, columnName) };
  const conversion = column.conversions.find((c) => c.types.some((t) => sameType(t, type)));
  return conversion ? { ok: true, column, conversion } : { ok: false, ...typeProblem(column, type) };
}
