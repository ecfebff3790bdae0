// Where a foreign table's rows live in the database. In the embedded database, in a table of the
// same schema and name, kept with the database. In the user's own PostgreSQL, in a table of that
// name in the session's temporary schema: it is the session's copy, found first by an
// unqualified name (Postgres searches pg_temp before the search_path), seen by no other
// connection and gone when the session ends, so the runtime leaves nothing in the user's database.
import { formatType } from '../catalog/index.js';
import type { Engine } from '../db/engine.js';
import { qualified, quoteIdent } from '../sql/identifiers.js';
import type { TableChange } from './ddlCheck.js';
import type { ForeignTable } from './fdwCatalog.js';
import type { QualifiedName } from './tableMap.js';

export type TablePlacement = 'schema' | 'session';

export function placementFor(engine: Engine): TablePlacement {
  return engine.kind === 'postgres' ? 'session' : 'schema';
}

/** The table that holds a foreign table's rows. */
export function storageOf(table: QualifiedName, placement: TablePlacement): QualifiedName {
  return placement === 'session' ? { schema: 'pg_temp', name: table.name } : { schema: table.schema, name: table.name };
}

/**
 * Whether the change's SQL surely succeeds on a new embedded database (and so may run once it has
 * started): a DROP ... IF EXISTS, or a table in `public`. The catalog has already refused a name
 * that is taken by another foreign table; a table in another schema needs that schema to exist.
 */
export function cannotFailOnANewDatabase(change: TableChange): boolean {
  return 'drop' in change || change.create.schema === 'public';
}

/** The SQL that makes a DDL plan's table change in the database. */
export function tableChangeSql(change: TableChange, placement: TablePlacement): string {
  if ('drop' in change) return `DROP TABLE IF EXISTS ${qualified(storageOf(change.drop, placement))}${change.cascade ? ' CASCADE' : ''}`;
  return createTableSql(change.create, placement);
}

export function createTableSql(table: ForeignTable, placement: TablePlacement): string {
  const columns = table.columns.map((c) => `${quoteIdent(c.name)} ${formatType(c.type)}`).join(', ');
  const temporary = placement === 'session' ? 'TEMPORARY ' : '';
  return `CREATE ${temporary}TABLE ${qualified(storageOf(table, placement))} (${columns})`;
}
