// What a database holds, for the language server: its tables, views, materialized views, foreign
// tables, sequences and composite types with their columns and types, the schemas it has and the
// search path, read from pg_catalog in one read-only transaction. Read through the Engine
// interface (the extension reads it with the notebook's connection, the language server gets the
// value and never the connection). Bounded: a statement timeout, and at most `maxRelations`
// relations; a snapshot cut there says so (`partial`), and then the language server reports no
// unknown name at all.
import { z } from 'zod';
import { formatType } from '../catalog/index.js';
import type { Engine } from './engine.js';

/** Where the runtime keeps the catalog of Clerk foreign tables in a PostgreSQL database, shared by everyone who connects. */
export const SHARED_CATALOG_SCHEMA = 'clerk_fdw';
export const SHARED_CATALOG_TABLE = `${SHARED_CATALOG_SCHEMA}.catalog`;

/** pg_class.relkind of the relations a query can name, as people call them. */
const KINDS = { r: 'table', p: 'partitioned table', v: 'view', m: 'materialized view', f: 'foreign table', S: 'sequence', c: 'composite type' } as const;

/** The runtime's Clerk foreign tables of the shared catalog: each notebook session has them as temporary tables. */
export const CLERK_TABLE_KIND = 'Clerk foreign table';
/** The schema a session's temporary tables are in, searched before the search path. */
export const SESSION_SCHEMA = 'pg_temp';

export const SnapshotColumn = z.object({
  name: z.string(),
  /** As format_type() spells it: `text`, `character varying(20)`, `timestamp with time zone`. */
  type: z.string(),
  nullable: z.boolean(),
});
export type SnapshotColumn = z.infer<typeof SnapshotColumn>;

export const SnapshotRelation = z.object({
  schema: z.string(),
  name: z.string(),
  kind: z.enum([...Object.values(KINDS), CLERK_TABLE_KIND]),
  columns: z.array(SnapshotColumn),
});
export type SnapshotRelation = z.infer<typeof SnapshotRelation>;

export const SchemaSnapshot = z.object({
  /** The database as people name it, without a password: `postgres://app@db:5432/app`. */
  where: z.string(),
  /** current_schemas(false): the schemas an unqualified name is looked up in, in order (those that exist). */
  searchPath: z.array(z.string()),
  /** Every schema read (all but pg_catalog, information_schema and Postgres's internal ones). */
  schemas: z.array(z.string()),
  relations: z.array(SnapshotRelation),
  /**
   * Functions that `row.name` can call (Postgres's functional notation: `a.row_to_json` is
   * `row_to_json(a)`): one required argument of a composite, record, polymorphic or "any" type.
   */
  rowFunctions: z.array(z.string()),
  /** More relations than the cap: some are missing, so no name can be said not to exist. */
  partial: z.boolean(),
});
export type SchemaSnapshot = z.infer<typeof SchemaSnapshot>;

export interface SnapshotOptions {
  /** Most relations read (default 5,000); more make the snapshot partial. */
  maxRelations?: number;
  /** statement_timeout of the read, in ms (default 10,000). */
  timeoutMs?: number;
}

const SYSTEM_SCHEMA = `(n.nspname ~ '^pg_' or n.nspname = 'information_schema')`;

// Schemas of the search path first, so that a cut keeps what unqualified names find.
const relationsSql = (limit: number) => `
  with rels as (
    select c.oid, n.nspname, c.relname, c.relkind,
      row_number() over (order by coalesce(array_position(current_schemas(false), n.nspname), 2147483647), n.nspname, c.relname) as ord
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in (${Object.keys(KINDS)
      .map((k) => `'${k}'`)
      .join(', ')}) and not ${SYSTEM_SCHEMA}
  )
  select r.nspname::text, r.relname::text, r.relkind::text,
    coalesce((select json_agg(json_build_array(a.attname, format_type(a.atttypid, a.atttypmod), not a.attnotnull) order by a.attnum)
      from pg_attribute a where a.attrelid = r.oid and a.attnum > 0 and not a.attisdropped), '[]'::json)
  from rels r where r.ord <= ${limit} order by r.ord`;

const ROW_FUNCTIONS_SQL = `
  select distinct p.proname::text from pg_proc p join pg_type t on t.oid = p.proargtypes[0]
  where p.pronargs >= 1 and p.pronargs - p.pronargdefaults <= 1 and p.prokind = 'f'
    and (t.typtype = 'c' or t.oid in ('record'::regtype, 'anyelement'::regtype, 'anynonarray'::regtype, 'anycompatible'::regtype,
      'anycompatiblenonarray'::regtype, '"any"'::regtype))
  order by 1`;

/** Reads the snapshot of the database `engine` is connected to (`where` names it, without a password). */
export async function readSchemaSnapshot(engine: Engine, where: string, options: SnapshotOptions = {}): Promise<SchemaSnapshot> {
  const maxRelations = Math.max(0, Math.trunc(options.maxRelations ?? 5000));
  const timeoutMs = Math.max(1, Math.trunc(options.timeoutMs ?? 10_000));
  // One read-only transaction: every part of the snapshot sees the same catalog.
  await engine.exec(`begin transaction isolation level repeatable read read only; set local statement_timeout = ${timeoutMs}`);
  try {
    const [path, schemas, relations, functions, shared] = await engine.exec(
      [
        'select current_schemas(false)::text[]',
        `select n.nspname::text from pg_namespace n where not ${SYSTEM_SCHEMA} order by 1`,
        relationsSql(maxRelations + 1),
        ROW_FUNCTIONS_SQL,
        `select to_regclass('${SHARED_CATALOG_TABLE}') is not null`,
      ].join(';\n'),
    );
    const rows = relations!.rows as [string, string, keyof typeof KINDS, [string, string, boolean][]][];
    const snapshot: SchemaSnapshot = {
      where,
      searchPath: (path!.rows[0]![0] as string[] | null) ?? [],
      schemas: schemas!.rows.map((r) => r[0] as string),
      relations: rows.slice(0, maxRelations).map(([schema, name, kind, columns]) => ({
        schema,
        name,
        kind: KINDS[kind],
        columns: columns.map(([column, type, nullable]) => ({ name: column, type, nullable })),
      })),
      rowFunctions: functions!.rows.map((r) => r[0] as string),
      partial: rows.length > maxRelations,
    };
    if (shared!.rows[0]![0] === true) snapshot.relations.push(...(await clerkTables(engine)));
    return snapshot;
  } finally {
    await engine.exec('rollback');
  }
}

/** What the shared catalog keeps of a foreign table (src/fdw/runtime/fdwCatalog.ts's ForeignTable). */
const SharedTable = z.object({
  name: z.string(),
  columns: z.array(z.object({ name: z.string(), type: z.object({ name: z.string(), array: z.boolean() }) })),
});

/** The shared catalog's foreign tables, as the runtime's session has them: temporary tables of their names. */
async function clerkTables(engine: Engine): Promise<SnapshotRelation[]> {
  const { rows } = await engine.query(`select state->'tables' from ${SHARED_CATALOG_TABLE} where id = 1`);
  // A catalog this version cannot read is not known: its tables are left out, not guessed.
  const tables = z.array(SharedTable).safeParse(rows[0]?.[0] ?? []);
  if (!tables.success) return [];
  return tables.data.map((t) => ({
    schema: SESSION_SCHEMA,
    name: t.name,
    kind: CLERK_TABLE_KIND,
    columns: t.columns.map((c) => ({ name: c.name, type: formatType(c.type), nullable: true })),
  }));
}
