// The catalog of Clerk objects and columns: the one description of what a clerk_fdw foreign
// table can declare and how API objects become its rows, shared by the runtime (CREATE
// FOREIGN TABLE checks, loading) and the language server (diagnostics, hover, completion).
export { CLERK_OBJECTS, OBJECT_ALIASES, lookupObject, type ObjectLookup } from './objects.js';
export { PG, formatType, normalizeType, sameType, type PgType } from './pgTypes.js';
export { CATALOG, documentedColumns, standardColumns, type ClerkColumn, type ClerkObjectOf, type ColumnOrigin } from './columns.js';
export type { Conversion, Converter } from './values.js';
export { allowedTypes, columnsOf, converterFor, findColumn, type CatalogProblem, type ConversionLookup, type ResolvedColumn } from './lookup.js';
export { validateForeignTable, type CatalogDiagnostic, type DeclaredColumn, type TableCheck } from './validate.js';
export { COPY_OPTIONS, CatalogError, compileCopyRow } from './copy.js';
export { ValueError } from './formats.js';
export { IMPORT_TABLES, type ImportTable } from './importSchema.js';
export { columnMarkdown, objectMarkdown } from './docs.js';
export { closestMatch } from './suggest.js';
