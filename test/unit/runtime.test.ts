// The FDW runtime end to end against the simulator: the seed document's DDL unchanged, values
// checked field by field, DDL errors with positions, pushdown request counts and result
// equality, freshness, cancellation, local tables, and the key's secrecy.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CellError, Runtime, type StatementResult } from '../../src/fdw/runtime/runtime.js';
import { EnvironmentSecretStore } from '../../src/fdw/runtime/secrets.js';
import { LIMITS } from '../../src/fdw/runtime/limits.js';
import { startSimulator, type Simulator } from '../../src/fdw/simulator/index.js';
import type { OrganizationMembership, User } from '../../src/fdw/clerk/schemas.js';

const SEED_DOC = readFileSync(join(import.meta.dirname, '../../../shared/seed/clerk_fdw-usage.md'), 'utf8');
/** The seed document's fenced SQL blocks, verbatim. */
const SEED_DDL = [...SEED_DOC.matchAll(/```\n([\s\S]*?)```/g)].map((m) => m[1]!);

let sim: Simulator;
let rt: Runtime;

async function runtimeFor(s: Simulator): Promise<Runtime> {
  return Runtime.start({
    secrets: new EnvironmentSecretStore(s.secretKey, new URL(s.url).origin),
    apiUrlOverride: s.url,
    rateLimit: { requests: 100_000, windowMs: 1000 },
  });
}

async function one(sql: string, opts = {}): Promise<StatementResult> {
  const results = await rt.execute(sql, opts);
  return results.at(-1)!;
}

function rowsOf(r: StatementResult): Record<string, unknown>[] {
  return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c.name, row[i]])));
}

async function failure(sql: string): Promise<CellError> {
  return rt.execute(sql).then(
    () => assert.fail(`expected an error from: ${sql}`),
    (e: unknown) => {
      assert.ok(e instanceof CellError, String(e));
      return e;
    },
  );
}

before(async () => {
  sim = await startSimulator({ seed: 11, users: 1_300, orgs: 60, memberships: 700, rateLimit: false });
  rt = await runtimeFor(sim);
});
after(async () => {
  await rt.close();
  await sim.close();
});

describe("the seed document's DDL, unchanged", () => {
  test('every statement of the seed runs', async () => {
    assert.equal(SEED_DDL.length, 5);
    for (const block of SEED_DDL) await rt.execute(block);
  });

  test('clerk_users: every user, values field by field', async () => {
    sim.log.reset();
    const r = await one('select * from clerk_users');
    assert.deepEqual(
      r.columns.map((c) => `${c.name} ${c.type}`),
      [
        'user_id text',
        'first_name text',
        'last_name text',
        'email text',
        'gender text',
        'created_at bigint',
        'updated_at bigint',
        'last_sign_in_at bigint',
        'phone_numbers bigint',
        'username text',
      ],
    );
    assert.equal(r.rowCount, 1_300);
    const byId = new Map(rowsOf(r).map((row) => [row.user_id, row]));
    let severalEmails = 0;
    let noEmail = 0;
    for (const u of sim.dataset.users() as Iterable<User>) {
      const row = byId.get(u.id)!;
      const primary = u.email_addresses?.find((e) => e.id === u.primary_email_address_id) ?? u.email_addresses?.[0];
      if ((u.email_addresses?.length ?? 0) > 1) severalEmails++;
      if ((u.email_addresses?.length ?? 0) === 0) noEmail++;
      assert.equal(row.email, primary?.email_address ?? null);
      assert.equal(row.first_name, u.first_name ?? null);
      assert.equal(row.last_name, u.last_name ?? null);
      assert.equal(row.username, u.username ?? null);
      assert.equal(row.gender, null);
      assert.equal(row.created_at, BigInt(u.created_at!));
      assert.equal(row.last_sign_in_at, u.last_sign_in_at == null ? null : BigInt(u.last_sign_in_at));
      assert.equal(row.phone_numbers, BigInt(u.phone_numbers?.length ?? 0));
    }
    assert.ok(severalEmails > 0 && noEmail > 0, 'the data has users with several emails and with none');
    assert.equal(r.requests, 4, 'a count and three pages of 500');
    assert.equal(r.sources[0]!.fromCache, false);
  });

  test('clerk_organizations: values field by field, NULL created_by where Clerk has none', async () => {
    const r = await one('select * from clerk_organizations');
    assert.equal(r.rowCount, 60);
    const byId = new Map(rowsOf(r).map((row) => [row.organization_id, row]));
    let withoutCreator = 0;
    for (let i = 0; i < 60; i++) {
      const o = sim.dataset.organization(i)!;
      const row = byId.get(o.id)!;
      assert.deepEqual(row, {
        organization_id: o.id,
        name: o.name,
        slug: o.slug,
        created_at: BigInt(o.created_at!),
        updated_at: BigInt(o.updated_at!),
        created_by: o.created_by ?? null,
      });
      if (!o.created_by) withoutCreator++;
    }
    assert.ok(withoutCreator > 0);
  });

  test('memberships: ids from public_user_data and organization, NULL without public_user_data', async () => {
    const r = await one('select * from clerk_organization_memberships');
    assert.equal(r.rowCount, 700);
    const rows = rowsOf(r);
    const all = [...(sim.dataset.memberships() as Iterable<OrganizationMembership>)];
    const without = all.filter((m) => !m.public_user_data);
    assert.ok(without.length > 0);
    assert.equal(rows.filter((row) => row.user_id === null).length, without.length);
    assert.deepEqual(new Set(rows.map((row) => row.role)), new Set(['org:admin', 'org:member']));
  });

  test("the seed's membership filter, pushed down to the organization's endpoint", async () => {
    const org = sim.dataset.organization(0)!;
    rt.invalidate();
    sim.log.reset();
    const r = await one(`select * from clerk_organization_memberships where organization_id='${org.id}'`);
    assert.ok(r.rowCount > 0);
    assert.ok(rowsOf(r).every((row) => row.organization_id === org.id));
    assert.deepEqual(Object.keys(sim.log.countByEndpoint()), ['GET /v1/organizations/{organization_id}/memberships']);
    assert.deepEqual(r.sources[0]!.pushed.length > 0, true);
  });

  test('joins across the three tables, monthly aggregates, a local table', async () => {
    const joined = await one(`
      select o.name, count(*) as members, count(u.email) as with_email
      from clerk_organization_memberships m
      join clerk_organizations o on o.organization_id = m.organization_id
      left join clerk_users u on u.user_id = m.user_id
      group by o.name order by members desc, o.name`);
    assert.equal(
      joined.rows.reduce((n, row) => n + Number(row[1]), 0),
      700,
    );
    const monthly = await one(`select date_trunc('month', to_timestamp(created_at / 1000)) as month, count(*) from clerk_users group by 1 order by 1`);
    assert.equal(
      monthly.rows.reduce((n, row) => n + Number(row[1]), 0),
      1_300,
    );
    await rt.execute('create table local_users as select * from clerk_users');
    const local = await one('select count(*) from local_users');
    assert.equal(local.rows[0]![0], 1_300n);
    assert.equal(local.requests, 0);
  });
});

describe('freshness', () => {
  test('a second read reuses the rows and says how old they are; refresh refetches', async () => {
    rt.invalidate();
    const first = await one('select count(*) from clerk_organizations');
    assert.equal(first.sources[0]!.fromCache, false);
    const second = await one('select count(*) from clerk_organizations');
    assert.equal(second.requests, 0);
    assert.equal(second.sources[0]!.fromCache, true);
    assert.ok(second.sources[0]!.ageMs >= 0);
    const refreshed = await one('select count(*) from clerk_organizations', { refresh: true });
    assert.equal(refreshed.sources[0]!.fromCache, false);
    assert.ok(refreshed.requests > 0);
  });

  test('defining a view reads nothing; reading it loads its tables', async () => {
    rt.invalidate();
    const defined = await one('create view org_names as select name from clerk_organizations');
    assert.deepEqual([defined.requests, defined.sources], [0, []]);
    const read = await one('select count(*)::int from org_names');
    assert.ok(read.requests > 0);
    assert.deepEqual(read.rows, [[60]]);
    await one('drop view org_names');
  });
});

describe('freshness across FDW statements', () => {
  test('an unrelated FDW statement keeps fetched rows; a changed or recreated table fetches again', async () => {
    rt.invalidate();
    await one('select count(*) from clerk_organizations');
    // Another server and table, and a repeated "if not exists": clerk_organizations is untouched.
    await rt.execute("create server if not exists fresh_server foreign data wrapper clerk_wrapper options (cache_ttl '60')");
    await rt.execute("create foreign table fresh_users (user_id text) server fresh_server options (object 'users')");
    await rt.execute('create server if not exists fresh_server foreign data wrapper clerk_wrapper');
    const kept = await one('select count(*) from clerk_organizations');
    assert.equal(kept.sources[0]!.fromCache, true);
    assert.equal(kept.requests, 0);

    // Dropped and created again with the same columns: its Postgres table is new, so it is filled again.
    await one('select count(*) from fresh_users');
    await rt.execute('drop foreign table fresh_users');
    await rt.execute("create foreign table fresh_users (user_id text) server fresh_server options (object 'users')");
    const recreated = await one('select count(*) from fresh_users');
    assert.equal(recreated.sources[0]!.fromCache, false);
    assert.equal(recreated.rows[0]![0], 1_300n);

    // The server's api_url changed: rows from the old address are not reused.
    await rt.execute("alter server fresh_server options (add api_url 'http://127.0.0.1:9/v1')");
    const moved = await one('select count(*) from fresh_users');
    assert.equal(moved.sources[0]!.fromCache, false);
    assert.ok(moved.requests > 0);
    // cache_ttl changed: freshness only, the rows stay.
    await rt.execute("alter server fresh_server options (set cache_ttl '120')");
    assert.equal((await one('select count(*) from fresh_users')).sources[0]!.fromCache, true);
    await rt.execute('drop server fresh_server cascade');
  });
});

describe('cached rows are the rows loaded from Clerk', () => {
  test('rows changed through a function, a DO block or a rolled-back load are fetched again, not reused', async () => {
    await rt.execute(`create function wipe_organizations() returns void language sql as 'delete from clerk_organizations';
      create function rename_organizations() returns void language plpgsql as $$ begin update clerk_organizations set name = 'forged'; end $$;
      create function add_organization() returns void language sql as $$ insert into clerk_organizations (organization_id, name) values ('org_forged', 'forged') $$`);
    const forgeries = [
      'select wipe_organizations()',
      'select rename_organizations()',
      'select add_organization()',
      `do $$ begin truncate clerk_organizations; insert into clerk_organizations (organization_id, name) select 'org_' || n, 'forged' from generate_series(1, 60) as n; end $$`,
      // Changed and put back in the same transaction: other rows all the same.
      `begin; delete from local_users where false; select rename_organizations(); commit`,
    ];
    for (const forgery of forgeries) {
      rt.invalidate();
      await one('select count(*) from clerk_organizations');
      assert.equal((await one('select count(*) from clerk_organizations')).sources[0]!.fromCache, true, 'reused while unchanged');
      await rt.execute(forgery);
      const after = await one(`select count(*), count(*) filter (where name = 'forged') from clerk_organizations`);
      assert.deepEqual(after.rows, [[60n, 0n]], forgery);
      assert.equal(after.sources[0]!.fromCache, false, forgery);
    }
    // Loaded inside the notebook's transaction, which then rolls back: the rows are gone with it.
    rt.invalidate();
    await rt.execute('begin');
    await one('select count(*) from clerk_organizations');
    await rt.execute('select rename_organizations()');
    assert.equal(
      (await one(`select count(*) filter (where name = 'forged') from clerk_organizations`)).rows[0]![0],
      0n,
      "changed in the load's own transaction",
    );
    await rt.execute('rollback');
    assert.deepEqual((await one('select count(*) from clerk_organizations')).rows, [[60n]]);
  });

  test('a trigger or rule put on a foreign table through a function stops its load, with a clear error', async () => {
    rt.invalidate();
    await rt.execute(`create function forge() returns trigger language plpgsql as $$ begin new.name := 'forged'; return new; end $$;
      do $$ begin execute 'create trigger forging before insert on clerk_organizations for each row execute function forge()'; end $$`);
    const e = await failure('select count(*) from clerk_organizations');
    assert.equal(e.code, '55000');
    assert.match(e.message, /foreign table "clerk_organizations" has triggers or rules \(forging\), which would change the rows read from Clerk/);
    assert.match(e.hint!, /DROP TRIGGER name ON clerk_organizations/);
    await rt.execute(`do $$ begin execute 'drop trigger forging on clerk_organizations'; end $$`);
    assert.deepEqual((await one(`select count(*), count(*) filter (where name = 'forged') from clerk_organizations`)).rows, [[60n, 0n]]);
  });
});

describe('pushdown', () => {
  const queries = [
    (u: User) => `select user_id, email from clerk_users where user_id = '${u.id}'`,
    (u: User) => `select user_id from clerk_users where email = '${u.email_addresses?.[0]?.email_address ?? 'nobody@example.com'}'`,
    (u: User) => `select user_id from clerk_users where username = '${u.username ?? 'nobody'}'`,
    (u: User) => `select count(*) from clerk_users where created_at >= ${u.created_at} and created_at < ${u.created_at! + 86_400_000 * 60}`,
    (u: User) => `select user_id from clerk_users where user_id in ('${u.id}', 'user_missing')`,
  ];
  for (const [i, make] of queries.entries()) {
    test(`query ${i + 1}: same rows with and without pushdown, fewer requests with it`, async () => {
      const u = sim.dataset.user(40 + i * 7)!;
      const sql = make(u);
      rt.invalidate();
      const pushed = await one(sql);
      rt.invalidate();
      const full = await one(sql, { noPushdown: true });
      assert.deepEqual(pushed.rows, full.rows, sql);
      assert.ok(pushed.requests < full.requests, `${sql}: ${pushed.requests} vs ${full.requests} requests`);
      if (i !== 3) assert.equal(pushed.requests, 1, `${sql}: a point lookup is one request`);
    });
  }

  test('a plain LIMIT fetches only the rows asked for', async () => {
    rt.invalidate();
    sim.log.reset();
    const r = await one('select * from clerk_users limit 5');
    assert.equal(r.rowCount, 5);
    assert.equal(sim.log.count(), 1);
    assert.equal(sim.log.entries[0]!.query.limit, '5');
  });
});

describe('DDL errors as Postgres gives them', () => {
  const cases: [string, string, RegExp, string][] = [
    [
      'duplicate wrapper, another definition',
      'create foreign data wrapper clerk_wrapper handler clerk_fdw_handler',
      /foreign-data wrapper "clerk_wrapper" already exists/,
      '42710',
    ],
    [
      'duplicate server, another definition',
      "create server my_clerk_server foreign data wrapper clerk_wrapper options (cache_ttl '1')",
      /server "my_clerk_server" already exists/,
      '42710',
    ],
    ['another handler', 'create foreign data wrapper w2 handler postgres_fdw_handler', /function postgres_fdw_handler\(\) does not exist/, '42883'],
    ['missing wrapper', "create server s2 foreign data wrapper nope options (api_key 'sk_test_x')", /foreign-data wrapper "nope" does not exist/, '42704'],
    ['unknown server option', "create server s3 foreign data wrapper clerk_wrapper options (api_kye 'sk_test_x')", /invalid option "api_kye"/, 'HV00D'],
    ['missing server', "create foreign table t1 (user_id text) server nope options (object 'users')", /server "nope" does not exist/, '42704'],
    ['missing object option', 'create foreign table t2 (user_id text) server my_clerk_server', /required option "object" is not specified/, 'HV00J'],
    ['unknown object', "create foreign table t3 (user_id text) server my_clerk_server options (object 'userz')", /userz/, 'HV024'],
    [
      'unknown column',
      "create foreign table t4 (user_id text, emial text) server my_clerk_server options (object 'users')",
      /column "emial" is not provided by Clerk object "users"/,
      'HV005',
    ],
    ['unconvertible type', "create foreign table t5 (created_at boolean) server my_clerk_server options (object 'users')", /created_at/, 'HV004'],
    [
      'plain http to another host',
      "create server s4 foreign data wrapper clerk_wrapper options (api_url 'http://api.clerk.com/v1')",
      /invalid value for option "api_url": .*plain http/,
      'HV024',
    ],
    [
      'duplicate table, another definition',
      "create foreign table clerk_users (user_id text) server my_clerk_server options (object 'users')",
      /relation "clerk_users" already exists/,
      '42P07',
    ],
    ['writing to a foreign table', "insert into clerk_users (user_id) values ('x')", /cannot insert into foreign table "clerk_users"/, '42809'],
  ];
  for (const [name, sql, message, code] of cases) {
    test(name, async () => {
      const err = await failure(sql);
      assert.match(err.message, message);
      assert.equal(err.code, code);
      assert.ok(err.position, 'points into the cell');
    });
  }

  test('an error points at the offending word, in a later statement of the cell', async () => {
    const cell = "select 1;\n\ncreate foreign table t6 (\n  user_id text,\n  emial text\n) server my_clerk_server options (object 'users')";
    const err = await failure(cell);
    assert.equal(err.statement, 1);
    assert.deepEqual([err.position!.line, err.position!.character], [4, 2]);
    assert.match(err.hint!, /Did you mean "email"\?/);
    assert.equal(err.results.length, 1, 'the first statement ran');
  });

  test('a Postgres error in a query points at its position in the cell', async () => {
    const err = await failure('select 1;\nselect nope from clerk_users');
    assert.equal(err.code, '42703');
    assert.deepEqual([err.position!.line, err.position!.character], [1, 7]);
  });

  test('a syntax error runs nothing and points at the token', async () => {
    const err = await failure('create table never_made (x int);\nselect * frm clerk_users');
    assert.equal(err.code, '42601');
    assert.equal(err.position!.line, 1);
    await assert.rejects(rt.execute('select * from never_made'), /never_made/);
  });

  test('drop server needs CASCADE when tables depend on it', async () => {
    await rt.execute(
      "create server tmp_server foreign data wrapper clerk_wrapper; create foreign table tmp_users (user_id text) server tmp_server options (object 'users')",
    );
    const err = await failure('drop server tmp_server');
    assert.equal(err.code, '2BP01');
    const [dropped] = await rt.execute('drop server tmp_server cascade');
    assert.match(dropped!.notices.join(), /drop cascades to foreign table tmp_users/);
    await assert.rejects(rt.execute('select * from tmp_users'), /tmp_users/);
  });

  test('ALTER SERVER options, IF NOT EXISTS, DROP IF EXISTS, and the old object name', async () => {
    await rt.execute('create server alt_server foreign data wrapper clerk_wrapper');
    assert.equal((await failure("alter server alt_server options (set cache_ttl '5')")).code, '42704');
    await rt.execute("alter server alt_server options (add cache_ttl '0')");
    assert.equal((await failure("alter server alt_server options (add cache_ttl '9')")).code, '42710');
    await rt.execute("alter server alt_server options (set cache_ttl '60')");
    const [again] = await rt.execute('create server if not exists alt_server foreign data wrapper clerk_wrapper');
    assert.match(again!.notices.join(), /server "alt_server" already exists, skipping/);
    const [old] = await rt.execute(
      "create foreign table old_members (user_id text, organization_id text, role text) server alt_server options (object 'junction_table')",
    );
    assert.match(old!.notices.join(), /old name of 'organization_memberships'/);
    const [digits] = await rt.execute("create foreign table users_as_text (user_id text, created_at text) server alt_server options (object 'users')");
    assert.match(
      digits!.notices.join(),
      /column "created_at" declared text holds milliseconds since the Unix epoch as digits .*; declare it timestamptz or bigint/,
    );
    assert.match(String((await one('select created_at from users_as_text limit 1')).rows[0]![0]), /^\d{13}$/);
    const members = await one('select count(*) from old_members');
    assert.equal(members.rows[0]![0], 700n);
    const [gone] = await rt.execute('drop foreign table if exists no_such_table');
    assert.match(gone!.notices.join(), /does not exist, skipping/);
    await rt.execute('drop server alt_server cascade');
  });

  test("running the seed's setup again is a no-op with a NOTICE; rows already fetched stay", async () => {
    await one('select count(*) from clerk_users');
    const again = (await Promise.all(SEED_DDL.slice(0, 3).map((block) => rt.execute(block)))).flat();
    assert.deepEqual(
      again.map((r) => [r.command, r.notices.join()]),
      [
        ['CREATE FOREIGN DATA WRAPPER', 'foreign-data wrapper "clerk_wrapper" already exists with this definition, skipping'],
        ['CREATE SERVER', 'server "my_clerk_server" already exists with this definition, skipping'],
        ['CREATE FOREIGN TABLE', 'foreign table "clerk_users" already exists with this definition, skipping'],
      ],
    );
    // Options in another order are the same definition.
    const [reordered] = await rt.execute(
      "create foreign table clerk_users (user_id text, first_name text, last_name text, email text, gender text, created_at bigint, updated_at bigint, last_sign_in_at bigint, phone_numbers bigint, username text) server my_clerk_server options (object 'users')",
    );
    assert.match(reordered!.notices.join(), /already exists with this definition/);
    sim.log.reset();
    const r = await one('select count(*) from clerk_users');
    assert.equal(r.sources[0]!.fromCache, true);
    assert.equal(sim.log.count(), 0);
  });

  test('fromStatement runs the rest of a cell; numbers and positions stay those of the cell', async () => {
    const cell = 'select 1 as a;\nselect 2 as b;\nselect emial from clerk_users;';
    const rest = await rt.execute(cell, { fromStatement: 1 }).then(
      () => assert.fail('statement 3 fails'),
      (e: CellError) => e,
    );
    assert.equal(rest.statement, 2);
    assert.deepEqual(
      rest.results.map((r) => [r.statement, r.columns[0]!.name]),
      [[1, 'b']],
    );
    assert.deepEqual([rest.position!.line, rest.position!.character], [2, 7]);
  });

  test('IMPORT FOREIGN SCHEMA creates the three tables', async () => {
    await rt.execute('create schema imported; import foreign schema clerk from server my_clerk_server into imported');
    const r = await one('select count(*) from imported.clerk_organizations');
    assert.equal(r.rows[0]![0], 60n);
  });
});

describe('keys', () => {
  test('an inline key works, and appears in no result, error or saved catalog', async () => {
    const key = sim.secretKey;
    const results = await rt.execute(`create server inline_server foreign data wrapper clerk_wrapper options (api_key '${key}');
      create foreign table inline_users (user_id text) server inline_server options (object 'users');
      select count(*) from inline_users`);
    assert.equal(results.at(-1)!.rows[0]![0], 1_300n);
    const saved = await one('select state::text from clerk_fdw.catalog');
    assert.ok(!JSON.stringify(saved.rows).includes(key));
    const err = await failure(`select '${key}'::int`);
    assert.ok(!err.message.includes(key), err.message);
  });

  test('without a stored key for the origin, a clear error and no request', async () => {
    const other = await Runtime.start({ secrets: new EnvironmentSecretStore(sim.secretKey, 'https://api.clerk.com'), apiUrlOverride: sim.url });
    try {
      sim.log.reset();
      await other.execute(SEED_DDL.slice(0, 3).join(';\n'));
      await assert.rejects(other.execute('select * from clerk_users'), (e: CellError) => {
        assert.match(e.message, /no api_key for server "my_clerk_server"/);
        assert.deepEqual(e.needsKey, { server: 'my_clerk_server', origin: new URL(sim.url).origin });
        return true;
      });
      assert.equal(sim.log.count(), 0);
    } finally {
      await other.close();
    }
  });

  test('a key Clerk refuses (401): the table, server and address, a hint, and the key asked for again', async () => {
    const origin = new URL(sim.url).origin;
    const wrong = await Runtime.start({ secrets: new EnvironmentSecretStore('sk_test_' + 'x'.repeat(40), origin), apiUrlOverride: sim.url });
    try {
      await wrong.execute(SEED_DDL.slice(0, 3).join(';\n'));
      const e = await wrong.execute('select 1;\nselect * from clerk_users').then(
        () => assert.fail('401'),
        (err: CellError) => err,
      );
      assert.equal(e.code, 'HV000');
      assert.match(e.message, /^foreign table "clerk_users": Clerk API users, GET \/v1\/users(\/count)? request failed: HTTP 401/);
      assert.equal(e.detail, `Server "my_clerk_server" at ${sim.url}.`);
      assert.match(e.hint!, new RegExp(`Clerk did not accept the key of server "my_clerk_server" for ${origin}`));
      assert.deepEqual(e.needsKey, { server: 'my_clerk_server', origin });
      assert.equal(e.statement, 1);
      assert.ok(!`${e.message}${e.detail}${e.hint}`.includes('x'.repeat(20)));
    } finally {
      await wrong.close();
    }
  });

  test('an address nothing answers at: connection failure, with where and what to check', async () => {
    const wrong = await Runtime.start({ secrets: new EnvironmentSecretStore(sim.secretKey, 'http://127.0.0.1:9'), apiUrlOverride: 'http://127.0.0.1:9/v1' });
    try {
      await wrong.execute(SEED_DDL.slice(0, 3).join(';\n'));
      const e = await wrong.execute('select * from clerk_users').then(
        () => assert.fail('refused'),
        (err: CellError) => err,
      );
      assert.equal(e.code, 'HV00N');
      assert.match(e.message, /ECONNREFUSED/);
      assert.match(e.hint!, /Check that http:\/\/127\.0\.0\.1:9 is reachable/);
      assert.equal(e.needsKey, undefined);
    } finally {
      await wrong.close();
    }
  });
});

describe('scale and persistence', () => {
  test('a 100,000-user scan', async () => {
    const big = await startSimulator({ seed: 5, users: 100_000, orgs: 20, memberships: 20, rateLimit: false });
    const bigRt = await runtimeFor(big);
    try {
      await bigRt.execute(SEED_DDL.slice(0, 3).join(';\n'));
      const started = Date.now();
      const r = (await bigRt.execute('select count(*), count(distinct user_id), count(email) from clerk_users')).at(-1)!;
      assert.equal(r.rows[0]![0], 100_000n);
      assert.equal(r.rows[0]![1], 100_000n);
      // Successful requests: a count, 200 pages and the empty one that ends the read (a
      // retried request, e.g. a keep-alive socket closed by the server just as it was reused,
      // is not the runtime's doing).
      assert.equal(big.log.count('GET /v1/users', 200), 201);
      assert.equal(big.log.count('GET /v1/users/count', 200), 1);
      assert.ok(Date.now() - started < 60_000);
      // Reused rows are checked first (they are the ones loaded): what that costs on 100,000 users.
      await bigRt.execute('create table users_copy as select * from clerk_users');
      const again = (await bigRt.execute('select count(*) from clerk_users')).at(-1)!;
      assert.equal(again.sources[0]!.fromCache, true);
      const copy = (await bigRt.execute('select count(*) from users_copy')).at(-1)!;
      console.log(
        `count(*) of 100,000 cached users: ${again.elapsedMs.toFixed(0)} ms with the check that they are the loaded rows; of a local copy: ${copy.elapsedMs.toFixed(0)} ms`,
      );
    } finally {
      await bigRt.close();
      await big.close();
    }
  });

  test('a database kept on disk keeps its local tables and foreign tables across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clerk-rt-'));
    const secrets = new EnvironmentSecretStore(sim.secretKey, new URL(sim.url).origin);
    try {
      const first = await Runtime.start({ secrets, apiUrlOverride: sim.url, dataDir: dir });
      await first.execute(SEED_DDL.slice(0, 3).join(';\n'));
      await first.execute('create table kept as select user_id from clerk_users');
      await first.close();
      const second = await Runtime.start({ secrets, apiUrlOverride: sim.url, dataDir: dir });
      try {
        assert.equal((await second.execute('select count(*) from kept'))[0]!.rows[0]![0], 1_300n);
        const again = (await second.execute('select count(*) from clerk_users'))[0]!;
        assert.equal(again.rows[0]![0], 1_300n);
        assert.equal(again.sources[0]!.fromCache, false, 'rows of an earlier run are fetched again');
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('statement limits', () => {
  test('a runaway statement meets the statement timeout or the temporary-file limit, and the error says how to raise them', async () => {
    const secrets = new EnvironmentSecretStore(sim.secretKey, new URL(sim.url).origin);
    const limited = await Runtime.start({ secrets, apiUrlOverride: sim.url, limits: { statementTimeoutSeconds: 1, tempFileLimitMb: 10 } });
    try {
      const timedOut = await limited.execute('select 1;\ndo $$ begin loop end loop; end $$').then(
        () => assert.fail('expected a timeout'),
        (e: CellError) => e,
      );
      assert.equal(timedOut.code, '57014');
      assert.equal(timedOut.message, 'canceling statement due to statement timeout');
      assert.deepEqual([timedOut.statement, timedOut.position?.line, timedOut.position?.character], [1, 1, 0]);
      assert.equal(
        timedOut.hint,
        'Raise the statement timeout with --statement-timeout SECONDS (CLI) or the clerkSql.statementTimeout setting (VS Code); 0 turns it off.',
      );
      // Rows of 1 kB reach the 10 MB well within the 1 s timeout, even on a loaded machine.
      const spilled = await limited
        .execute("with recursive r(n, pad) as (select 1, repeat('x', 1000) union all select n + 1, pad from r) select count(*) from r")
        .then(
          () => assert.fail('expected the temporary-file limit'),
          (e: CellError) => e,
        );
      assert.equal(spilled.code, '53400');
      assert.equal(
        spilled.hint,
        'Raise the temporary-file limit with --temp-file-limit MB (CLI) or the clerkSql.tempFileLimit setting (VS Code); 0 turns it off.',
      );
      assert.deepEqual((await limited.execute('select 1 as fine'))[0]!.rows, [[1]]);
    } finally {
      await limited.close();
    }
    // The defaults: five minutes, 5 GB, the same in VS Code's settings.
    assert.deepEqual((await one('show temp_file_limit')).rows, [['5GB']]);
    const settings = (
      JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as {
        contributes: { configuration: { properties: Record<string, { default: number }> } };
      }
    ).contributes.configuration.properties;
    for (const limit of Object.values(LIMITS)) assert.equal(settings[`clerkSql.${limit.setting}`]?.default, limit.default, limit.setting);
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 300);
    await assert.rejects(
      rt.execute('select count(*) from generate_series(1, 1e10)', { signal: ctrl.signal }),
      (e: CellError) => e.code === '57014' && e.hint === undefined,
      'a cancel is not a timeout',
    );
  });
});

describe('streamed results', () => {
  test("each result reaches onResult as the statement runs, a query's rows page by page; nothing is held", async () => {
    const seen: { command: string; columns: string[]; pages: number[]; rowCount: number }[] = [];
    const results = await rt.execute(
      'create temporary table streamed (n int);\nselect n, n % 7 as bucket from generate_series(1, 25000) as n;\ninsert into streamed values (1), (2) returning n',
      {
        onResult: async (result, pages) => {
          const entry = { command: result.command, columns: result.columns.map((c) => c.name), pages: [] as number[], rowCount: 0 };
          for await (const page of pages) entry.pages.push(page.length);
          entry.rowCount = result.rowCount;
          seen.push(entry);
        },
      },
    );
    assert.deepEqual(seen, [
      { command: 'CREATE', columns: [], pages: [0], rowCount: 0 },
      { command: 'SELECT', columns: ['n', 'bucket'], pages: [10_000, 10_000, 5_000], rowCount: 25_000 },
      { command: 'INSERT', columns: ['n'], pages: [2], rowCount: 2 },
    ]);
    assert.deepEqual(
      results.map((r) => [r.rows.length, r.rowCount]),
      [
        [0, 0],
        [0, 25_000],
        [0, 2],
      ],
    );
  });
});

describe('cancellation', () => {
  test('stops a running statement; earlier tables and rows are still there', async () => {
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 300);
    await assert.rejects(rt.execute('select count(*) from generate_series(1, 1e10)', { signal: ctrl.signal }), (e: CellError) => e.code === '57014');
    assert.equal((await one('select count(*) from local_users')).rows[0]![0], 1_300n);
  });

  test('stops the API reads; the runtime stays usable', async () => {
    sim.configure({ latencyMs: 300 });
    rt.invalidate();
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 150);
    const started = Date.now();
    await assert.rejects(rt.execute('select count(*) from clerk_users', { signal: ctrl.signal }), (e: CellError) => e.code === '57014');
    assert.ok(Date.now() - started < 1000);
    sim.configure({ latencyMs: 0 });
    const r = await one('select count(*) from clerk_users');
    assert.equal(r.rows[0]![0], 1_300n);
  });
});

describe("Clerk's failures after every retry, told with what to do", () => {
  test('5xx and 429: the status, and a hint', async () => {
    const flaky = await startSimulator({ seed: 12, users: 40, rateLimit: false });
    const runtime = await Runtime.start({ secrets: new EnvironmentSecretStore(flaky.secretKey, new URL(flaky.url).origin), apiUrlOverride: flaky.url });
    try {
      await runtime.execute(SEED_DDL.slice(0, 3).join(';\n'));
      flaky.configure({ faultRate: 1, faultKinds: ['500'] });
      const e500 = await runtime.execute('select count(*) from clerk_users').then(
        () => assert.fail('500s'),
        (err: CellError) => err,
      );
      assert.match(e500.message, /HTTP 500/);
      assert.match(e500.hint!, /Clerk's API failed after every retry/);
      flaky.configure({ faultRate: 0 });
      flaky.inject429(1000, 0);
      const e429 = await runtime.execute('select count(*) from clerk_users', { refresh: true }).then(
        () => assert.fail('429s'),
        (err: CellError) => err,
      );
      assert.match(e429.message, /429/);
      assert.match(e429.hint!, /Clerk's rate limit held after every retry/);
      assert.equal(e429.needsKey, undefined);
    } finally {
      await runtime.close();
      await flaky.close();
    }
  });
});
