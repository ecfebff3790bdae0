// `clerk-notebook run --database URL`: the same notebooks on a real PostgreSQL server (a throwaway
// cluster of Debian's postgresql), with the same results as the embedded database; Clerk's tables
// join the database's own tables and leave nothing behind; the catalog is shared by connections.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startSimulator, type Simulator } from '../../src/fdw/simulator/index.js';
import { runCli } from '../helpers/cli.js';
import { startPostgresCluster, type PostgresCluster } from '../helpers/postgresCluster.js';

const SETUP = `-- %%
create foreign data wrapper clerk_wrapper handler clerk_fdw_handler validator clerk_fdw_validator;
create server my_clerk_server foreign data wrapper clerk_wrapper options (api_key '<clerk secret Key>');
create foreign table clerk_users (user_id text, email text, created_at bigint) server my_clerk_server options (object 'users');
`;

let cluster: PostgresCluster;
let sim: Simulator;
let dir: string;
before(async () => {
  [cluster, sim] = await Promise.all([startPostgresCluster(), startSimulator({ seed: 21, users: 700, orgs: 20, memberships: 100, rateLimit: false })]);
  dir = mkdtempSync(join(tmpdir(), 'clerk-cli-pg-'));
});
after(async () => {
  await Promise.all([cluster?.stop(), sim?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

let databases = 0;
/** A new database on the cluster, its URL. */
async function freshDatabase(): Promise<string> {
  const name = `notebook_${++databases}`;
  await sql(cluster.url, `create database ${name}`);
  const url = new URL(cluster.url);
  url.pathname = `/${name}`;
  return url.toString();
}

async function sql(url: string, text: string, params: unknown[] = []): Promise<unknown[][]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query({ text, values: params, rowMode: 'array' })).rows as unknown[][];
  } finally {
    await client.end();
  }
}

function notebook(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const run = (args: string[]) => runCli(['run', ...args, '--api-url', sim.url], { CLERK_API_KEY: sim.secretKey });

test('the example notebook gives the same results on PostgreSQL as embedded, file by file', async () => {
  const example = 'examples/clerk-analytics.clerk.sql';
  const embedded = join(dir, 'embedded');
  const server = join(dir, 'server');
  const a = await run([example, '--out', embedded, '--format', 'csv']);
  assert.equal(a.code, 0, a.stderr);
  const b = await run([example, '--out', server, '--format', 'csv', '--database', await freshDatabase()]);
  assert.equal(b.code, 0, b.stderr);
  const files = readdirSync(embedded).sort();
  assert.ok(files.length >= 5, files.join(', '));
  assert.deepEqual(readdirSync(server).sort(), files);
  for (const f of files) assert.equal(readFileSync(join(server, f), 'utf8'), readFileSync(join(embedded, f), 'utf8'), f);
});

test("Clerk's users join the database's own tables; foreign tables leave nothing behind, a CREATE TABLE AS stays", async () => {
  const url = await freshDatabase();
  const users = [3, 5, 8].map((i) => sim.dataset.user(i)!);
  await sql(url, 'create table accounts (id int primary key, owner_user_id text not null)');
  for (const [i, u] of users.entries()) await sql(url, 'insert into accounts values ($1, $2)', [i + 1, u.id]);
  const file = notebook(
    'join.clerk.sql',
    `${SETUP}-- %%\nselect a.id, u.email from accounts a join clerk_users u on u.user_id = a.owner_user_id order by a.id;\ncreate table kept_users as select user_id, email from clerk_users;\n`,
  );
  const out = join(dir, 'join');
  const r = await run([file, '--out', out, '--format', 'csv', '--database', url]);
  assert.equal(r.code, 0, r.stderr);
  const emails = users.map((u) => u.email_addresses!.find((e) => e.id === u.primary_email_address_id)!.email_address);
  assert.equal(readFileSync(join(out, 'cell02-stmt1.csv'), 'utf8'), `id,email\r\n${emails.map((e, i) => `${i + 1},${e}`).join('\r\n')}\r\n`);
  // After the run: the session's copy of clerk_users is gone, the materialized table is a real one.
  assert.deepEqual(await sql(url, "select to_regclass('public.clerk_users') is null, (select count(*) from kept_users)::int"), [[true, 700]]);
});

test('the catalog is kept in the database (schema clerk_fdw): a later run, or another connection, reads the foreign tables without the DDL', async () => {
  const url = await freshDatabase();
  const setup = await run([notebook('setup.clerk.sql', SETUP), '--database', url]);
  assert.equal(setup.code, 0, setup.stderr);
  const query = await run([notebook('query.clerk.sql', '-- %%\nselect count(*) as users from clerk_users;\n'), '--database', url, '--format', 'csv']);
  assert.equal(query.code, 0, query.stderr);
  assert.match(query.stdout, /^users\r\n700\r\n/m);
  const [[tables]] = (await sql(url, "select jsonb_array_length(state->'tables') from clerk_fdw.catalog")) as [[number]];
  assert.equal(tables, 1);
});

test('a role that may not create the catalog schema keeps the catalog for its session, and is told so', async () => {
  const url = await freshDatabase();
  const name = new URL(url).pathname.slice(1);
  await sql(url, "create role reader login password 'reader'");
  await sql(url, `revoke create on database ${name} from public; grant connect on database ${name} to reader; grant create, usage on schema public to reader`);
  const reader = new URL(url);
  reader.username = 'reader';
  reader.password = 'reader';
  const r = await run([
    notebook('reader.clerk.sql', `${SETUP}-- %%\nselect count(*) as users from clerk_users;\n`),
    '--database',
    reader.toString(),
    '--format',
    'csv',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /NOTICE: {2}cannot create schema clerk_fdw .*: the foreign tables defined here last for this session only/);
  assert.match(r.stdout, /^users\r\n700\r\n/m);
  assert.ok(!r.stderr.includes('reader:reader'), 'no password in the output');
});

test('--database and --data-dir together are refused; an unreachable server is a clear error', async () => {
  const both = await run([notebook('x.clerk.sql', 'select 1;\n'), '--database', cluster.url, '--data-dir', join(dir, 'dd')]);
  assert.equal(both.code, 1);
  assert.match(both.stderr, /give one of them/);
  const down = await run([notebook('y.clerk.sql', 'select 1;\n'), '--database', 'postgres://nobody:secret@127.0.0.1:9/none']);
  assert.notEqual(down.code, 0);
  assert.match(down.stderr, /127\.0\.0\.1:9/);
  assert.ok(!down.stderr.includes('secret'), down.stderr);
});
