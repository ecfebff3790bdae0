// The real tables `clerk-notebook sync` keeps in a PostgreSQL database: one per Clerk object, with
// the seed document's columns (timestamps as timestamptz), the whole object in `attrs`, a primary
// key, and the indexes the incremental sync reads by. Rows are made by the catalog's COPY
// conversion (catalog/copy.ts), the same one foreign tables load with.
import type { ClerkObject, ClerkObjectName } from '../clerk/schemas.js';
import { compileCopyRow, formatType, normalizeType, type DeclaredColumn } from '../catalog/index.js';
import { quoteIdent } from '../sql/identifiers.js';

export interface SyncTable {
  object: ClerkObjectName;
  /** The table's name in the sync schema. */
  name: string;
  /** The primary key column: the object's Clerk id. */
  key: string;
  columns: readonly DeclaredColumn[];
  /** Columns indexed besides the key. */
  indexed: readonly string[];
}

const column = (name: string, type: string): DeclaredColumn => ({ name, type: normalizeType(type) });

const TIMES = [column('created_at', 'timestamptz'), column('updated_at', 'timestamptz')];
const ATTRS = column('attrs', 'jsonb');

export const SYNC_TABLES: readonly SyncTable[] = [
  {
    object: 'users',
    name: 'users',
    key: 'user_id',
    columns: [
      column('user_id', 'text'),
      column('first_name', 'text'),
      column('last_name', 'text'),
      column('email', 'text'),
      column('username', 'text'),
      // All of them, as Clerk lists them (the documented bigint is only how many there are).
      column('phone_numbers', 'text[]'),
      ...TIMES,
      column('last_sign_in_at', 'timestamptz'),
      ATTRS,
    ],
    // created_at: the ranges reconciliation counts; updated_at: the high-water mark.
    indexed: ['created_at', 'updated_at'],
  },
  {
    object: 'organizations',
    name: 'organizations',
    key: 'organization_id',
    columns: [column('organization_id', 'text'), column('name', 'text'), column('slug', 'text'), column('created_by', 'text'), ...TIMES, ATTRS],
    indexed: [],
  },
  {
    object: 'organization_memberships',
    name: 'organization_memberships',
    key: 'id',
    columns: [column('id', 'text'), column('organization_id', 'text'), column('user_id', 'text'), column('role', 'text'), ...TIMES, ATTRS],
    indexed: ['organization_id', 'user_id'],
  },
];

export const SYNC_OBJECTS = SYNC_TABLES.map((t) => t.object);

export function syncTable(object: ClerkObjectName): SyncTable {
  return SYNC_TABLES.find((t) => t.object === object)!;
}

export const columnNames = (table: SyncTable) => table.columns.map((c) => c.name);

/** CREATE TABLE, IF NOT EXISTS. */
export function createTableSql(schema: string, table: SyncTable): string {
  const columns = table.columns.map((c) => `${quoteIdent(c.name)} ${formatType(c.type)}${c.name === table.key ? ' primary key' : ''}`);
  // Clerk objects are 2-5 kB of JSON: kept inline up to a page's size, they are not compressed
  // into TOAST, which halves the time COPY takes (bench/syncBench.ts: 9.9 s -> 4.7 s for 100,000 users).
  return `create table if not exists ${quoteIdent(schema)}.${quoteIdent(table.name)} (${columns.join(', ')}) with (toast_tuple_target = 8160);`;
}

/** The index of each indexed column: its qualified name (for to_regclass) and its CREATE INDEX. */
export function syncIndexes(schema: string, table: SyncTable): { name: string; create: string }[] {
  return table.indexed.map((c) => {
    const index = quoteIdent(`${table.name}_${c}_idx`);
    return {
      name: `${quoteIdent(schema)}.${index}`,
      create: `create index if not exists ${index} on ${quoteIdent(schema)}.${quoteIdent(table.name)} (${quoteIdent(c)});`,
    };
  });
}

/** Turns an API object into the table's COPY text line. */
export function copyRowFor(table: SyncTable): (obj: ClerkObject) => string {
  return compileCopyRow(table.object, table.columns);
}
