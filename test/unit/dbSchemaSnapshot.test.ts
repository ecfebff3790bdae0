// The schema snapshot the language server gets for a notebook on a Postgres connection
// (src/fdw/db/schemaSnapshot.ts), read from a real PostgreSQL server (a throwaway cluster): every
// kind of relation with its columns, the search path's schemas first, the cap that makes it
// partial, the runtime's shared Clerk catalog, and the statement timeout that bounds it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { DbError } from '../../src/fdw/db/errors.js';
import { PostgresEngine } from '../../src/fdw/db/postgres.js';
import { readSchemaSnapshot, SchemaSnapshot, type SnapshotRelation } from '../../src/fdw/db/schemaSnapshot.js';
import { MemorySecretStore } from '../../src/fdw/runtime/secrets.js';
import { Runtime } from '../../src/fdw/runtime/runtime.js';
import { startPostgresCluster, type PostgresCluster } from '../helpers/postgresCluster.js';

let cluster: PostgresCluster;
before(async () => {
  cluster = await startPostgresCluster();
});
after(async () => {
  await cluster?.stop();
});

let databases = 0;
/** A new database made by `ddl`, its URL. */
async function database(ddl: string): Promise<string> {
  const name = `snapshot_${++databases}`;
  await sql(cluster.url, `create database ${name}`);
  const url = new URL(cluster.url);
  url.pathname = `/${name}`;
  if (ddl) await sql(url.toString(), ddl);
  return url.toString();
}

async function sql(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function snapshotOf(url: string, options?: Parameters<typeof readSchemaSnapshot>[2]): Promise<SchemaSnapshot> {
  const engine = await PostgresEngine.connect({ url });
  try {
    const snapshot = await readSchemaSnapshot(engine, 'postgres://app@db/app', options);
    // It crosses to the language server as JSON, which checks it with the same schema.
    return SchemaSnapshot.parse(JSON.parse(JSON.stringify(snapshot)));
  } finally {
    await engine.close();
  }
}

const relation = (snapshot: SchemaSnapshot, schema: string, name: string): SnapshotRelation | undefined =>
  snapshot.relations.find((r) => r.schema === schema && r.name === name);

test('every kind of relation a query can name, with its columns, types and nullability', async () => {
  const url = await database(`
    create table accounts (account_id bigint primary key, owner_user_id text not null, plan varchar(20), created timestamptz, "Tags" text[]);
    alter table accounts drop column created;
    create view big_accounts as select account_id, plan from accounts;
    create materialized view plans as select distinct plan from accounts;
    create sequence invoice_numbers;
    create table events (at date, kind text) partition by range (at);
    create type money_amount as (currency char(3), cents bigint);
    create foreign data wrapper some_wrapper;
    create server some_server foreign data wrapper some_wrapper;
    create foreign table remote_rows (id int) server some_server;
    create schema billing;
    create table billing.invoices (invoice_id int, account_id bigint);
    create index on accounts (plan);
    create function full_name(accounts) returns text language sql as 'select $1.owner_user_id';
  `);
  const snapshot = await snapshotOf(url);
  assert.equal(snapshot.where, 'postgres://app@db/app');
  assert.deepEqual(snapshot.searchPath, ['public']);
  assert.deepEqual(snapshot.schemas, ['billing', 'public']);
  assert.equal(snapshot.partial, false);
  assert.deepEqual(relation(snapshot, 'public', 'accounts'), {
    schema: 'public',
    name: 'accounts',
    kind: 'table',
    columns: [
      { name: 'account_id', type: 'bigint', nullable: false },
      { name: 'owner_user_id', type: 'text', nullable: false },
      { name: 'plan', type: 'character varying(20)', nullable: true },
      { name: 'Tags', type: 'text[]', nullable: true },
    ],
  });
  const kinds = Object.fromEntries(snapshot.relations.map((r) => [`${r.schema}.${r.name}`, r.kind]));
  assert.deepEqual(kinds, {
    'public.accounts': 'table',
    'public.big_accounts': 'view',
    'public.events': 'partitioned table',
    'public.invoice_numbers': 'sequence',
    'public.money_amount': 'composite type',
    'public.plans': 'materialized view',
    'public.remote_rows': 'foreign table',
    'billing.invoices': 'table',
  });
  assert.deepEqual(
    relation(snapshot, 'public', 'big_accounts')!.columns.map((c) => `${c.name} ${c.type}`),
    ['account_id bigint', 'plan character varying(20)'],
  );
  // `a.full_name` calls full_name(a); so do Postgres's own functions of any row.
  for (const name of ['full_name', 'row_to_json', 'to_jsonb', 'num_nonnulls']) assert.ok(snapshot.rowFunctions.includes(name), name);
  for (const name of ['length', 'upper', 'now']) assert.ok(!snapshot.rowFunctions.includes(name), name);
});

test("the search path's schemas come first; past the cap the snapshot is partial and keeps them", async () => {
  const url = await database(`
    create schema aaa;
    create table aaa.first_by_name (a int);
    create table zeta (z int);
    create table alpha (a int);
    create role reader login;
    grant usage on schema aaa to reader;
    alter role reader set search_path = aaa, public;
  `);
  const all = await snapshotOf(url);
  assert.deepEqual(
    all.relations.map((r) => `${r.schema}.${r.name}`),
    ['public.alpha', 'public.zeta', 'aaa.first_by_name'],
  );
  const cut = await snapshotOf(url, { maxRelations: 2 });
  assert.equal(cut.partial, true);
  assert.deepEqual(
    cut.relations.map((r) => `${r.schema}.${r.name}`),
    ['public.alpha', 'public.zeta'],
  );
  assert.equal((await snapshotOf(url, { maxRelations: 3 })).partial, false);
  const reader = new URL(url);
  reader.username = 'reader';
  const asReader = await snapshotOf(reader.toString());
  assert.deepEqual(asReader.searchPath, ['aaa', 'public']);
  assert.deepEqual(
    asReader.relations.map((r) => `${r.schema}.${r.name}`),
    ['aaa.first_by_name', 'public.alpha', 'public.zeta'],
  );
});

test("the runtime's shared catalog: its Clerk tables are the session's temporary tables, with their declared columns", async () => {
  const url = await database('');
  const runtime = await Runtime.start({ secrets: new MemorySecretStore(), database: url });
  try {
    await runtime.execute(`create foreign data wrapper w handler clerk_fdw_handler validator clerk_fdw_validator;
      create server s foreign data wrapper w options (api_url 'simulator:?users=5');
      create foreign table clerk_users (user_id text, email text, created_at timestamptz) server s options (object 'users');`);
  } finally {
    await runtime.close();
  }
  const snapshot = await snapshotOf(url);
  assert.deepEqual(relation(snapshot, 'pg_temp', 'clerk_users'), {
    schema: 'pg_temp',
    name: 'clerk_users',
    kind: 'Clerk foreign table',
    columns: [
      { name: 'user_id', type: 'text', nullable: true },
      { name: 'email', type: 'text', nullable: true },
      { name: 'created_at', type: 'timestamptz', nullable: true },
    ],
  });
  // The catalog's own table is the database's, in a schema off the search path.
  assert.equal(relation(snapshot, 'clerk_fdw', 'catalog')?.kind, 'table');
  assert.ok(!snapshot.searchPath.includes('clerk_fdw'));
});

test('a statement timeout bounds the read; the connection is usable after it', { timeout: 30_000 }, async () => {
  const url = await database('create table t (a int)');
  const locker = new pg.Client({ connectionString: url });
  await locker.connect();
  const engine = await PostgresEngine.connect({ url });
  try {
    // Catalog reads wait for this lock: the snapshot gives up at its timeout instead of waiting.
    await locker.query('begin; lock table pg_namespace in access exclusive mode');
    const started = performance.now();
    const error = await readSchemaSnapshot(engine, 'x', { timeoutMs: 300 }).then(
      () => assert.fail('expected a timeout'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof DbError && error.code === '57014', String(error));
    assert.ok(performance.now() - started < 5000);
    await locker.query('rollback');
    const snapshot = await readSchemaSnapshot(engine, 'x');
    assert.deepEqual(
      snapshot.relations.map((r) => r.name),
      ['t'],
    );
    // The timeout was the read's own (set local): the engine's statements are not limited by it.
    const { rows } = await engine.query('show statement_timeout');
    assert.deepEqual(rows, [['0']]);
  } finally {
    await locker.end();
    await engine.close();
  }
});
