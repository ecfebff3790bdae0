// `clerk-notebook sync` against a real PostgreSQL (a throwaway cluster) and the simulator changed
// through Clerk's own write endpoints between syncs: after every sync the database must hold
// exactly the instance, row by row and every column; failures must leave the previous rows.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ClerkClient } from '../../src/fdw/clerk/client.js';
import { PostgresEngine } from '../../src/fdw/db/postgres.js';
import { startSimulator, type Simulator } from '../../src/fdw/simulator/index.js';
import { SyncBusyError, syncClerk, type SyncOptions, type SyncResult } from '../../src/fdw/sync/sync.js';
import { SYNC_OBJECTS } from '../../src/fdw/sync/tables.js';
import { startHostileClerk } from '../helpers/hostileClerk.js';
import { startPostgresCluster, type PostgresCluster } from '../helpers/postgresCluster.js';

let cluster: PostgresCluster;
let db: PostgresEngine;
let sim: Simulator;
let client: ClerkClient;
const SCHEMA = 'clerk';

before(async () => {
  cluster = await startPostgresCluster();
  db = await PostgresEngine.connect({ url: cluster.url });
  sim = await startSimulator({ seed: 11, users: 2600, orgs: 30, memberships: 500, rateLimit: false });
  client = new ClerkClient({ apiUrl: sim.url, secretKey: sim.secretKey });
});
after(async () => {
  await db?.close();
  await sim?.close();
  await cluster?.stop();
});

async function sync(options: Partial<SyncOptions> = {}, url = cluster.url): Promise<SyncResult> {
  const engine = await PostgresEngine.connect({ url });
  try {
    return await syncClerk({ engine, client, schema: SCHEMA, objects: SYNC_OBJECTS, full: false, overlapMs: 300_000, lockTimeoutMs: 10_000, ...options });
  } finally {
    await engine.close();
  }
}

async function send(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(sim.url + path, {
    method,
    headers: { Authorization: `Bearer ${sim.secretKey}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  assert.equal(res.status, 200, `${method} ${path}: ${JSON.stringify(json)}`);
  return json;
}

const ms = (field: string) => `(timestamptz 'epoch' + (attrs->>'${field}')::bigint * interval '1 millisecond')`;
/** Each typed column against the object it came from, in SQL: rows where one differs. */
const COLUMN_CHECKS: Record<string, string> = {
  users: `user_id = attrs->>'id'
    and first_name is not distinct from attrs->>'first_name' and last_name is not distinct from attrs->>'last_name'
    and username is not distinct from attrs->>'username'
    and email is not distinct from coalesce(
      (select e->>'email_address' from jsonb_array_elements(attrs->'email_addresses') e where e->>'id' = attrs->>'primary_email_address_id'),
      attrs->'email_addresses'->0->>'email_address')
    and phone_numbers is not distinct from array(select p->>'phone_number' from jsonb_array_elements(attrs->'phone_numbers') p)
    and created_at = ${ms('created_at')} and updated_at = ${ms('updated_at')}
    and last_sign_in_at is not distinct from ${ms('last_sign_in_at')}`,
  organizations: `organization_id = attrs->>'id' and name = attrs->>'name' and slug is not distinct from attrs->>'slug'
    and created_by is not distinct from attrs->>'created_by' and created_at = ${ms('created_at')} and updated_at = ${ms('updated_at')}`,
  organization_memberships: `id = attrs->>'id' and organization_id = attrs->'organization'->>'id' and user_id = attrs->'public_user_data'->>'user_id'
    and role = attrs->>'role' and created_at = ${ms('created_at')} and updated_at = ${ms('updated_at')}`,
};

/** The database holds exactly what the instance serves: the same ids, each object whole in attrs, every column from it. */
async function assertMirrors(): Promise<void> {
  const instance: Record<string, Map<string, unknown>> = {
    users: new Map([...sim.dataset.users()].map((u) => [u.id, u])),
    organizations: new Map([...sim.dataset.organizations({ includeMembersCount: true })].map((o) => [o.id, o])),
    organization_memberships: new Map([...sim.dataset.memberships()].map((m) => [m.id, m])),
  };
  for (const [table, objects] of Object.entries(instance)) {
    const { rows } = await db.query(`select attrs::text from ${SCHEMA}.${table}`);
    assert.equal(rows.length, objects.size, `${table}: rows`);
    for (const [text] of rows) {
      const row = JSON.parse(String(text)) as { id: string };
      assert.deepEqual(row, JSON.parse(JSON.stringify(objects.get(row.id) ?? null)), `${table} ${row.id}`);
    }
    const wrong = await db.query(`select attrs->>'id' from ${SCHEMA}.${table} where not (${COLUMN_CHECKS[table]}) limit 3`);
    assert.deepEqual(wrong.rows, [], `${table}: columns that differ from attrs`);
  }
}

const byObject = (result: SyncResult) => Object.fromEntries(result.objects.map((o) => [o.object, o]));

describe('sync', () => {
  test('the first sync loads every object into real tables with keys and types', async () => {
    const result = await sync();
    assert.equal(result.mode, 'full');
    const o = byObject(result);
    assert.equal(o.users!.inserted, 2600);
    assert.equal(o.organizations!.inserted, 30);
    assert.equal(o.organization_memberships!.inserted, sim.dataset.counts().memberships);
    await assertMirrors();
    const types = await db.query(
      `select table_name, column_name, data_type from information_schema.columns where table_schema = $1 and column_name in ('created_at', 'attrs', 'phone_numbers') order by 1, 2`,
      [SCHEMA],
    );
    assert.ok(types.rows.some(([t, c, d]) => t === 'users' && c === 'created_at' && d === 'timestamp with time zone'));
    assert.ok(types.rows.some(([t, c, d]) => t === 'users' && c === 'attrs' && d === 'jsonb'));
    const keys = await db.query(
      `select tc.table_name, kcu.column_name from information_schema.table_constraints tc join information_schema.key_column_usage kcu using (constraint_name, table_schema)
       where tc.table_schema = $1 and tc.constraint_type = 'PRIMARY KEY' order by 1`,
      [SCHEMA],
    );
    assert.deepEqual(keys.rows, [
      ['organization_memberships', 'id'],
      ['organizations', 'organization_id'],
      ['sync_runs', 'run_id'],
      ['users', 'user_id'],
    ]);
  });

  test('an incremental sync after writes reads only what changed, finds deletions, and mirrors the instance again', async () => {
    const users = [...sim.dataset.users()];
    // Spread over the creation order, so that deletions fall in different ranges.
    await send('PATCH', `/users/${users[10]!.id}`, { first_name: 'Renamed', last_name: null });
    await send('PATCH', `/users/${users[1300]!.id}`, { username: 'changed_username' });
    await send('DELETE', `/users/${users[5]!.id}`);
    await send('DELETE', `/users/${users[2000]!.id}`);
    const created = await send('POST', '/users', { email_address: ['sync-new@example.com'], first_name: 'New' });
    const org = await send('POST', '/organizations', { name: 'Synced Org', created_by: users[20]!.id });
    await send('POST', `/organizations/${String(org.id)}/memberships`, { user_id: users[21]!.id, role: 'org:member' });
    const orgs = [...sim.dataset.organizations()];
    await send('DELETE', `/organizations/${orgs[3]!.id}`);

    const before = sim.log.entries.length;
    const result = await sync();
    assert.equal(result.mode, 'incremental');
    const u = byObject(result).users!;
    assert.equal(u.mode, 'incremental');
    assert.equal(u.inserted, 1);
    assert.equal(u.deleted, 2);
    assert.ok(u.updated >= 2, `updated ${u.updated}`);
    // 2,600 users are 6 pages; the changes and the two deletions cost a few pages and counts.
    assert.ok(u.requests <= 14, `users requests ${u.requests}`);
    assert.ok(u.read <= 3 * 500, `users read ${u.read}`);
    // Pages asked for ahead of the read's last one are counted when sent; cancelled, they may not have arrived.
    const served = sim.log.entries.length - before;
    assert.ok(served <= result.requests && served >= result.requests - 3, `${served} served, ${result.requests} sent`);
    assert.deepEqual((await db.query(`select first_name from ${SCHEMA}.users where user_id = $1`, [created.id])).rows, [['New']]);
    await assertMirrors();

    // Nothing changed: one page of users and a count, and the 3 pages asked for ahead of it.
    const again = byObject(await sync());
    assert.deepEqual([again.users!.inserted, again.users!.updated, again.users!.deleted, again.users!.read], [0, 0, 0, 500]);
    assert.ok(again.users!.requests <= 5, `users requests ${again.users!.requests}`);
    assert.equal(again.organizations!.updated + again.organization_memberships!.updated, 0);
  });

  test('--full reads everything and gives the same tables', async () => {
    await send('PATCH', `/users/${[...sim.dataset.users()][42]!.id}`, { first_name: 'Full' });
    const result = await sync({ full: true });
    assert.equal(byObject(result).users!.mode, 'full');
    assert.equal(byObject(result).users!.updated, 1);
    assert.ok(byObject(result).users!.requests >= 6);
    await assertMirrors();
  });

  test('under faults and 429s the sync retries and still mirrors the instance', async () => {
    const users = [...sim.dataset.users()];
    await send('PATCH', `/users/${users[100]!.id}`, { first_name: 'Faulty' });
    await send('DELETE', `/users/${users[900]!.id}`);
    // Faults at random, a few 429s, and a limit below what the client assumes for the key (more 429s).
    sim.configure({ faultRate: 0.1, faultKinds: ['500', 'reset', 'truncate'], rateLimit: { test: 10, windowMs: 1000 } });
    sim.log.reset();
    sim.injectFaults(['500', 'reset', 'truncate']);
    sim.inject429(2, 1);
    try {
      await sync({ full: true });
      assert.ok(sim.log.count(undefined, 429) >= 2);
      assert.ok(sim.log.entries.filter((e) => e.status !== 200 && e.status !== 429).length >= 1, 'faults');
    } finally {
      sim.configure({ faultRate: 0, rateLimit: false });
    }
    await assertMirrors();
  });

  test('a failed sync changes nothing and is recorded', async () => {
    const users = [...sim.dataset.users()];
    await send('PATCH', `/users/${users[7]!.id}`, { first_name: 'NotYet' });
    const runs = Number((await db.query(`select count(*) from ${SCHEMA}.sync_runs`)).rows[0]![0]);
    // Users are read and staged; from the organizations' request on, every request fails.
    sim.configure({
      onRequest: (r) => {
        if (r.path.endsWith('/organizations')) sim.configure({ faultRate: 1, faultKinds: ['500'] });
      },
    });
    try {
      await assert.rejects(sync(), /Clerk API/);
    } finally {
      sim.configure({ faultRate: 0, onRequest: undefined });
    }
    assert.deepEqual((await db.query(`select first_name from ${SCHEMA}.users where user_id = $1`, [users[7]!.id])).rows, [[users[7]!.first_name]]);
    const last = await db.query(`select error, inserted + updated + deleted from ${SCHEMA}.sync_runs order by run_id desc limit 1`);
    assert.equal(Number((await db.query(`select count(*) from ${SCHEMA}.sync_runs`)).rows[0]![0]), runs + 1);
    assert.match(String(last.rows[0]![0]), /^organization_memberships: Clerk API/);
    assert.equal(Number(last.rows[0]![1]), 0);
    await sync();
    await assertMirrors();
  });

  test('two syncs at once are serialized; a sync that cannot get the lock in time fails with SyncBusyError', async () => {
    const holder = await PostgresEngine.connect({ url: cluster.url });
    try {
      await holder.query('select pg_advisory_lock(hashtextextended($1, 0))', [`clerk-notebook sync ${SCHEMA}`]);
      await assert.rejects(sync({ lockTimeoutMs: 300 }), SyncBusyError);
      const waiting = sync({ lockTimeoutMs: 20_000 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await holder.query('select pg_advisory_unlock_all()');
      await waiting;
    } finally {
      await holder.close();
    }
    const [a, b] = await Promise.all([sync(), sync()]);
    const runs = await db.query(`select run_id, started_at, finished_at from ${SCHEMA}.sync_runs where run_id in ($1, $2) order by finished_at`, [
      a.runId,
      b.runId,
    ]);
    assert.equal(runs.rows.length, 2);
  });

  test('a session holding the table as autovacuum does delays no run; a lock held past --wait fails the run instead of hanging it', async () => {
    await sync();
    const holder = await PostgresEngine.connect({ url: cluster.url });
    try {
      // Autovacuum's lock: CREATE INDEX (even IF NOT EXISTS) would wait for it, reads and writes do not.
      await holder.exec(`begin; lock table ${SCHEMA}.users in share update exclusive mode`);
      const started = Date.now();
      await sync({ lockTimeoutMs: 5_000 });
      assert.ok(Date.now() - started < 3_000, `took ${Date.now() - started} ms`);
      await holder.exec('rollback');
      // A lock that does stop the run's writes: it fails at --wait, with Postgres's reason, and is recorded.
      await send('PATCH', `/users/${[...sim.dataset.users()][7]!.id}`, { first_name: 'Locked' });
      await holder.exec(`begin; lock table ${SCHEMA}.users in exclusive mode`);
      const waited = Date.now();
      await assert.rejects(sync({ lockTimeoutMs: 500 }), /lock timeout/);
      assert.ok(Date.now() - waited < 3_000);
      await holder.exec('rollback');
      const last = await db.query(`select error from ${SCHEMA}.sync_runs order by run_id desc limit 1`);
      assert.match(String(last.rows[0]![0]), /^users: .*lock timeout/);
      await sync();
      await assertMirrors();
    } finally {
      await holder.close();
    }
  });

  test('readers never see a half-loaded table', async () => {
    const schema = 'clerk_readers';
    sim.configure({ latencyMs: 40 });
    const engine = await PostgresEngine.connect({ url: cluster.url });
    const seen = new Set<number>();
    let running = true;
    const load = syncClerk({ engine, client, schema, objects: ['users'], full: false, overlapMs: 0, lockTimeoutMs: 1000 }).finally(() => (running = false));
    try {
      while (running) {
        const count = await db.query(`select count(*) from ${schema}.users`).then(
          (r) => Number(r.rows[0]![0]),
          () => -1, // not created yet
        );
        seen.add(count);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await load;
    } finally {
      sim.configure({ latencyMs: 0 });
      await engine.close();
    }
    seen.add(Number((await db.query(`select count(*) from ${schema}.users`)).rows[0]![0]));
    const total = sim.dataset.counts().users;
    assert.ok(
      [...seen].every((n) => n === -1 || n === 0 || n === total),
      `counts seen: ${[...seen].join(', ')}`,
    );
    assert.ok(seen.has(total));
  });

  test('many deletions: the search stops at the cost of a whole read, and every user is read instead', async () => {
    await sync();
    const users = [...sim.dataset.users()];
    const doomed = users.filter((_, i) => i % 97 === 3).slice(0, 24);
    for (const u of doomed) await send('DELETE', `/users/${u.id}`);
    const before = sim.log.entries.length;
    const result = byObject(await sync());
    const pages = Math.ceil(users.length / 500) + 1;
    assert.equal(result.users!.mode, 'full');
    assert.equal(result.users!.deleted, doomed.length);
    // The incremental page, 3 asked for ahead of it and the count, a search of at most a whole read's pages, then the whole read with its count.
    assert.ok(result.users!.requests <= 5 + 2 * (pages + 1) + pages + 1, `requests ${result.users!.requests}`);
    const sent = result.users!.requests + result.organizations!.requests + result.organization_memberships!.requests;
    const served = sim.log.entries.length - before;
    assert.ok(served <= sent && served >= sent - 3, `${served} served, ${sent} sent`);
    await assertMirrors();
  });

  test('a table with other columns is refused, and nothing is written', async () => {
    await db.exec('create schema odd; create table odd.users (user_id text primary key, nickname text)');
    await assert.rejects(sync({ schema: 'odd' }), /odd\.users exists with other columns \(user_id, nickname\)/);
    assert.deepEqual((await db.query('select count(*) from odd.users')).rows, [[0n]]);
  });
});

describe('a hostile API', () => {
  test('counts that never agree cannot make the search cost more than a whole read: the run fails loudly and changes nothing', async () => {
    const hostile = await startHostileClerk({ users: 1200 });
    const hostileClient = new ClerkClient({ apiUrl: hostile.url, secretKey: hostile.secretKey });
    // Newest updates first is creation order here, so the list is in the order asked for either way.
    const users = Array.from({ length: 1200 }, (_, i) => ({
      id: `user_${i}`,
      object: 'user',
      created_at: 1_700_000_000_000 + i * 1000,
      updated_at: 1_800_000_000_000 - i,
    }));
    hostile.configure({ pageBody: (list, offset) => (list === 'users' ? JSON.stringify(users.slice(offset, offset + 500)) : undefined) });
    const engine = await PostgresEngine.connect({ url: cluster.url });
    try {
      const options = { engine, client: hostileClient, schema: 'hostile_counts', objects: ['users'] as const, full: false, overlapMs: 0, lockTimeoutMs: 1000 };
      await syncClerk(options);
      hostile.configure({
        pageBody: (list, offset) => (list === 'users' ? JSON.stringify(users.slice(offset, offset + 500)) : undefined),
        total: (list, real) => (list === 'users' ? real + 700 : real),
      });
      const before = hostile.requests.length;
      await assert.rejects(syncClerk(options), /Clerk reports 1900 rows but 1200/);
      // 3 pages a whole read: the search spends at most 4 counts, the whole read two passes and their counts.
      assert.ok(hostile.requests.length - before <= 20, `requests ${hostile.requests.length - before}`);
      assert.deepEqual((await engine.query('select count(*) from hostile_counts.users')).rows, [[1200n]]);
    } finally {
      await engine.close();
      await hostile.close();
    }
  });

  test('a user list that ignores order_by=-updated_at fails the sync instead of losing changes', async () => {
    const hostile = await startHostileClerk({ users: 3 });
    const hostileClient = new ClerkClient({ apiUrl: hostile.url, secretKey: hostile.secretKey });
    const users = [0, 1, 2].map((i) => ({
      id: `user_${i}`,
      object: 'user',
      first_name: `User ${i}`,
      created_at: 1_700_000_000_000 + i,
      updated_at: 1_700_000_000_000 + i,
    }));
    hostile.configure({ pageBody: (list, offset) => (list === 'users' ? JSON.stringify(offset === 0 ? users : []) : undefined) });
    const engine = await PostgresEngine.connect({ url: cluster.url });
    try {
      const options = { engine, client: hostileClient, schema: 'hostile', objects: ['users'] as const, full: false, overlapMs: 0, lockTimeoutMs: 1000 };
      await syncClerk(options);
      await assert.rejects(syncClerk(options), /not in -updated_at order/);
    } finally {
      await engine.close();
      await hostile.close();
    }
  });
});

describe('the CLI', () => {
  const cli = join(import.meta.dirname, '../../dist/cli.js');
  const run = (args: string[], env: Record<string, string> = {}) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [cli, 'sync', ...args], { env: { ...process.env, ...env } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  test('prints a summary, reports progress on stderr, and exits 0; the key appears nowhere', async () => {
    const { code, stdout, stderr } = await run(['--database', cluster.url, '--schema', 'clerk_cli', '--api-url', sim.url], { CLERK_API_KEY: sim.secretKey });
    assert.equal(code, 0, stderr);
    assert.match(stdout, /clerk_cli\.users\s+full\s+\d+ read\s+\d+ inserted/);
    assert.match(stdout, /sync run 1 into postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres: full, \d+ requests/);
    assert.match(stderr, /users: reading/);
    assert.ok(!(stdout + stderr).includes(sim.secretKey));
  });

  test('exit codes: 2 for wrong usage, 75 while another sync holds the lock, 1 for a failure', async () => {
    assert.equal((await run(['--schema', 'x'])).code, 2);
    assert.match(
      (await run(['--database', cluster.url, '--objects', 'users,sessions'])).stderr,
      /"sessions" is not one of users, organizations, organization_memberships/,
    );
    const holder = await PostgresEngine.connect({ url: cluster.url });
    try {
      await holder.query('select pg_advisory_lock(hashtextextended($1, 0))', ['clerk-notebook sync clerk_cli']);
      const busy = await run(['--database', cluster.url, '--schema', 'clerk_cli', '--api-url', sim.url, '--wait', '0.2'], { CLERK_API_KEY: sim.secretKey });
      assert.equal(busy.code, 75, busy.stderr);
      assert.match(busy.stderr, /another sync of schema "clerk_cli" is still running/);
    } finally {
      await holder.close();
    }
    const failed = await run(['--database', cluster.url, '--api-url', sim.url], { CLERK_API_KEY: 'sk_test_wrong' });
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /nothing was changed/);
    assert.ok(!failed.stderr.includes('sk_test_wrong'));
  });
});
