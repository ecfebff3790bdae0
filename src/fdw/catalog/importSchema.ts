// What IMPORT FOREIGN SCHEMA creates: one foreign table per Clerk object, named and declared
// as in the seed document (`clerk_users`, `clerk_organizations`,
// `clerk_organization_memberships`), so imported tables answer the queries people copy from
// it. The Supabase wrapper names its tables after the objects (`users`, ...) in a `clerk`
// schema; we keep the seed's names because `clerk_users` is what clerk_fdw users already
// query. Each table also gets `attrs jsonb` (clerk_fdw >= 0.2.7, and what the Supabase
// wrapper imports), the door to every field the documented columns leave out.
// LIMIT TO / EXCEPT name these tables, as Postgres filters the import by table name.
import type { ClerkObjectName } from '../clerk/schemas.js';
import { standardColumns } from './columns.js';
import { CLERK_OBJECTS } from './objects.js';
import { PG } from './pgTypes.js';
import type { DeclaredColumn } from './validate.js';

export interface ImportTable {
  readonly table: string;
  readonly object: ClerkObjectName;
  readonly columns: readonly DeclaredColumn[];
}

export const IMPORT_TABLES: readonly ImportTable[] = CLERK_OBJECTS.map((object) => ({
  table: `clerk_${object}`,
  object,
  columns: [...standardColumns(object), { name: 'attrs', type: PG.jsonb }],
}));
