// `clerk-notebook sync`: keeps real tables of Clerk's users, organizations and memberships in a
// PostgreSQL database (tables.ts), for cron and CI.
//
// - One sync at a time per schema: a session advisory lock, waited for up to `lockTimeoutMs`.
// - Atomic: everything a run changes, in every table, is one transaction, committed at the end;
//   readers see the previous rows until then, and a failed run leaves them as they were. Rows are
//   copied as pages arrive: into the table itself when it is empty, else into a temporary
//   staging table that is then merged (insert new ids, update rows that differ, delete ids Clerk
//   no longer lists).
// - Incremental where the API allows it: users (usersDelta.ts). Organizations and memberships
//   have no list by update time: they are read whole, and only rows that differ are written.
// - Every run, failed ones too, is a row of `sync_runs`.
import type { ClerkClient, ReadProgress } from '../clerk/client.js';
import type { ClerkObjectName } from '../clerk/schemas.js';
import type { RequestStats } from '../clerk/transport.js';
import type { Engine } from '../db/engine.js';
import { DbError } from '../db/errors.js';
import { normalizeType, sameType } from '../catalog/index.js';
import { qualified, quoteIdent } from '../sql/identifiers.js';
import { copyPages, type Relation } from './staging.js';
import { columnNames, createTableSql, syncIndexes, syncTable, type SyncTable } from './tables.js';
import { readUsersDelta } from './usersDelta.js';

export type SyncMode = 'full' | 'incremental';

export interface SyncOptions {
  engine: Engine;
  client: ClerkClient;
  schema: string;
  objects: readonly ClerkObjectName[];
  /** Read everything, even where an incremental read is possible. */
  full: boolean;
  /** How far below the high-water mark an incremental read goes. */
  overlapMs: number;
  /** Longest wait for another sync of the schema to finish, and for any lock a statement of the run needs. */
  lockTimeoutMs: number;
  signal?: AbortSignal;
  onProgress?: (progress: SyncProgress) => void;
}

export interface SyncProgress {
  object: ClerkObjectName;
  phase: 'reading' | 'applying';
  rows: number;
  total?: number;
  requests: number;
}

export interface ObjectSync {
  object: ClerkObjectName;
  mode: SyncMode;
  /** Rows read from Clerk. */
  read: number;
  inserted: number;
  updated: number;
  deleted: number;
  requests: number;
  /** The table's rows after the run. */
  rows: number;
  /** Creation ranges of users read whole to find deletions (incremental users only). */
  reconciledRanges?: number;
}

export interface SyncResult {
  runId: number;
  mode: SyncMode;
  objects: ObjectSync[];
  requests: number;
  durationMs: number;
}

/** Another sync of the schema held the lock past the wait. */
export class SyncBusyError extends Error {
  override name = 'SyncBusyError';
}

const LOCK_NOT_AVAILABLE = '55P03';

export async function syncClerk(o: SyncOptions): Promise<SyncResult> {
  const { engine, schema } = o;
  const started = Date.now();
  await acquireLock(engine, schema, o.lockTimeoutMs);
  const runs = { schema, name: 'sync_runs' };
  const done: ObjectSync[] = [];
  let current: ClerkObjectName | undefined;
  const stats: RequestStats = { requests: 0, throttled: 0, retries: 0 };
  try {
    await ensureTables(engine, schema, o.objects.map(syncTable));
    await engine.exec('begin');
    for (const object of o.objects) {
      current = object;
      const before = stats.requests;
      done.push({ ...(await syncObject(o, syncTable(object), stats)), requests: 0 });
      done.at(-1)!.requests = stats.requests - before;
    }
    current = undefined;
    const mode: SyncMode = done.some((d) => d.mode === 'incremental') ? 'incremental' : 'full';
    const runId = await recordRun(engine, runs, { started, mode, requested: o.objects, objects: done, requests: stats.requests });
    await engine.exec('commit');
    return { runId, mode, objects: done, requests: stats.requests, durationMs: Date.now() - started };
  } catch (error) {
    await engine.exec('rollback').catch(() => undefined);
    const failed = current ? `${current}: ${(error as Error).message}` : (error as Error).message;
    // The record of a failed run is best effort: the database itself may be what failed.
    await recordRun(engine, runs, {
      started,
      mode: o.full ? 'full' : 'incremental',
      requested: o.objects,
      objects: done,
      requests: stats.requests,
      error: failed,
    }).catch(() => undefined);
    throw error;
  } finally {
    await engine.query('select pg_advisory_unlock_all()').catch(() => undefined);
    await engine.exec('set lock_timeout = 0').catch(() => undefined);
  }
}

/** The run's lock, waited for up to `timeoutMs`; so is every lock the run's statements wait for (a table another session holds). */
async function acquireLock(engine: Engine, schema: string, timeoutMs: number): Promise<void> {
  await engine.exec(`set lock_timeout = ${Math.max(1, Math.trunc(timeoutMs))}`);
  try {
    await engine.query('select pg_advisory_lock(hashtextextended($1, 0))', [`clerk-notebook sync ${schema}`]);
  } catch (error) {
    if (error instanceof DbError && error.code === LOCK_NOT_AVAILABLE) {
      throw new SyncBusyError(`another sync of schema "${schema}" is still running after ${timeoutMs / 1000} s (--wait)`);
    }
    throw error;
  }
}

/** Creates the schema, tables and indexes that are missing; an existing table must have the sync's columns. */
async function ensureTables(engine: Engine, schema: string, tables: SyncTable[]): Promise<void> {
  await engine.exec(
    [
      `create schema if not exists ${quoteIdent(schema)};`,
      ...tables.map((t) => createTableSql(schema, t)),
      `create table if not exists ${qualified({ schema, name: 'sync_runs' })} (
        run_id bigint generated always as identity primary key,
        started_at timestamptz not null,
        finished_at timestamptz not null,
        mode text not null,
        objects text[] not null,
        inserted bigint not null,
        updated bigint not null,
        deleted bigint not null,
        requests bigint not null,
        duration_ms bigint not null,
        error text,
        details jsonb not null);`,
    ].join('\n'),
  );
  for (const table of tables) {
    const { rows } = await engine.query(
      `select attname, format_type(atttypid, atttypmod) from pg_attribute where attrelid = $1::regclass and attnum > 0 and not attisdropped order by attnum`,
      [qualified({ schema, name: table.name })],
    );
    const found = rows.map(([name, type]) => ({ name: String(name), type: normalizeType(String(type)) }));
    const same = found.length === table.columns.length && found.every((c, i) => c.name === table.columns[i]!.name && sameType(c.type, table.columns[i]!.type));
    if (!same) {
      const has = found.map((c) => c.name).join(', ');
      throw new Error(
        `${schema}.${table.name} exists with other columns (${has}) than clerk-notebook sync keeps (${columnNames(table).join(', ')}): drop it, or sync into another schema (--schema)`,
      );
    }
  }
  // Only the missing ones: CREATE INDEX, even IF NOT EXISTS, waits for the table's SHARE lock,
  // which autovacuum holds after a run's updates until it gives way (deadlock_timeout, 1 s).
  const indexes = tables.flatMap((t) => syncIndexes(schema, t));
  const { rows: missing } = await engine.query('select i from unnest($1::text[]) i where to_regclass(i) is null', [indexes.map((i) => i.name)]);
  const absent = new Set(missing.map(([name]) => name));
  const create = indexes.filter((i) => absent.has(i.name)).map((i) => i.create);
  if (create.length > 0) await engine.exec(create.join('\n'));
}

async function syncObject(o: SyncOptions, table: SyncTable, stats: RequestStats): Promise<Omit<ObjectSync, 'requests'>> {
  const { engine, client, signal } = o;
  const target = { schema: o.schema, name: table.name };
  const progress = (phase: SyncProgress['phase'], rows: number, total?: number) =>
    o.onProgress?.({ object: table.object, phase, rows, total, requests: stats.requests });
  const onProgress = (p: ReadProgress) => progress('reading', p.rows, p.total);
  const highWater = await engine.query(
    `select exists (select from ${qualified(target)}), (extract(epoch from max(updated_at)) * 1000)::bigint from ${qualified(target)}`,
  );
  const [[present, newest]] = highWater.rows as [[boolean, bigint | null]];
  progress('reading', 0);
  if (!present) {
    // An empty table is loaded in place: nothing to merge, and nobody sees it before the commit.
    const inserted = await copyPages(engine, table, target, client.read({ object: table.object }, { stats, signal, onProgress }));
    return { object: table.object, mode: 'full', read: inserted, inserted, updated: 0, deleted: 0, rows: inserted };
  }

  const before = await storedRows(engine, o.schema, table);
  const staging = { schema: 'pg_temp', name: `clerk_sync_${table.name}` };
  const ranges = { schema: 'pg_temp', name: `clerk_sync_${table.name}_ranges` };
  await engine.exec(
    `create temp table ${qualified(staging)} (like ${qualified(target)}) on commit drop;
     create temp table ${qualified(ranges)} (lo timestamptz, hi timestamptz) on commit drop;`,
  );
  let mode: SyncMode = 'full';
  let read: number;
  let reconciledRanges: number | undefined;
  if (table.object === 'users' && !o.full && newest !== null) {
    mode = 'incremental';
    const delta = await readUsersDelta({
      engine,
      client,
      table,
      target,
      staging,
      ranges,
      highWater: Number(newest),
      rows: before,
      overlapMs: o.overlapMs,
      stats,
      signal,
      onRows: (rows) => progress('reading', rows),
    });
    read = delta.changed + delta.rangeRows;
    reconciledRanges = delta.ranges;
    if (delta.whole) mode = 'full';
  } else {
    read = await copyPages(engine, table, staging, client.read({ object: table.object }, { stats, signal, onProgress }));
  }
  progress('applying', read);
  const changes = await merge(engine, table, target, staging, mode === 'full' ? 'all' : ranges);
  return {
    object: table.object,
    mode,
    read,
    ...changes,
    rows: before + changes.inserted - changes.deleted,
    ...(reconciledRanges === undefined ? {} : { reconciledRanges }),
  };
}

/**
 * The table's rows, as the last successful run that synced it left them (counting a table of
 * 100,000 users reads all of it: 0.3 s), else counted. The tables are the sync's own: rows
 * written by anything else are not accounted for.
 */
async function storedRows(engine: Engine, schema: string, table: SyncTable): Promise<number> {
  const { rows } = await engine.query(
    `select (d->>'rows')::bigint from ${qualified({ schema, name: 'sync_runs' })} r, jsonb_array_elements(r.details) d
     where r.error is null and d->>'object' = $1 order by r.run_id desc limit 1`,
    [table.object],
  );
  const stored = rows[0]?.[0];
  if (stored !== undefined && stored !== null) return Number(stored);
  return Number((await engine.query(`select count(*) from ${qualified({ schema, name: table.name })}`)).rows[0]![0]);
}

/**
 * Applies the staged rows: inserts new ids, updates rows that differ, and deletes the rows Clerk
 * no longer lists: every row not staged (`all`, after a whole read), or those of the creation
 * ranges that were read whole.
 */
async function merge(
  engine: Engine,
  table: SyncTable,
  target: Relation,
  staging: Relation,
  deleteScope: 'all' | Relation,
): Promise<{ inserted: number; updated: number; deleted: number }> {
  const key = quoteIdent(table.key);
  const rest = columnNames(table)
    .filter((c) => c !== table.key)
    .map(quoteIdent);
  const list = (prefix: string) => rest.map((c) => `${prefix}.${c}`).join(', ');
  const upsert = await engine.query(
    `with up as (
       insert into ${qualified(target)} as t
       select distinct on (${key}) * from ${qualified(staging)} order by ${key}, updated_at desc nulls last
       on conflict (${key}) do update set (${rest.join(', ')}) = row(${list('excluded')})
       where (${list('t')}) is distinct from (${list('excluded')})
       returning (xmax = 0) as inserted)
     select count(*) filter (where inserted), count(*) filter (where not inserted) from up`,
  );
  const [[inserted, updated]] = upsert.rows as [[bigint, bigint]];
  const notStaged = `not exists (select 1 from ${qualified(staging)} s where s.${key} = t.${key})`;
  const removed =
    deleteScope === 'all'
      ? await engine.query(`delete from ${qualified(target)} t where ${notStaged}`)
      : await engine.query(
          `delete from ${qualified(target)} t using ${qualified(deleteScope)} r where t.created_at >= r.lo and t.created_at < r.hi and ${notStaged}`,
        );
  return { inserted: Number(inserted), updated: Number(updated), deleted: removed.rowCount };
}

async function recordRun(
  engine: Engine,
  runs: Relation,
  run: { started: number; mode: SyncMode; requested: readonly ClerkObjectName[]; objects: ObjectSync[]; requests: number; error?: string },
): Promise<number> {
  // A failed run's changes were rolled back: it changed no row (`details` still says what it had done).
  const sum = (k: 'inserted' | 'updated' | 'deleted') => (run.error === undefined ? run.objects.reduce((n, d) => n + d[k], 0) : 0);
  const { rows } = await engine.query(
    `insert into ${qualified(runs)} (started_at, finished_at, mode, objects, inserted, updated, deleted, requests, duration_ms, error, details)
     values (timestamptz 'epoch' + $1::bigint * interval '1 millisecond', clock_timestamp(), $2, $3, $4, $5, $6, $7, $8, $9, $10) returning run_id`,
    [
      run.started,
      run.mode,
      run.requested,
      sum('inserted'),
      sum('updated'),
      sum('deleted'),
      run.requests,
      Date.now() - run.started,
      run.error ?? null,
      JSON.stringify(run.objects),
    ],
  );
  return Number(rows[0]![0]);
}
