// The objects beyond clerk_fdw's first six as foreign tables: every one read whole through the
// runtime (IMPORT FOREIGN SCHEMA), their filters pushed down with the requests counted, the
// sessions' required keys (from conditions, from a join, else a clear error, in the runtime and
// in the editor), and the example notebooks' results checked against the simulated instance.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CellError, Runtime, type StatementResult } from '../../src/fdw/runtime/runtime.js';
import { EnvironmentSecretStore } from '../../src/fdw/runtime/secrets.js';
import { MAX_KEYS } from '../../src/fdw/runtime/keyedReads.js';
import { startSimulator, type Simulator } from '../../src/fdw/simulator/index.js';
import type { Session, User } from '../../src/fdw/clerk/schemas.js';
import { cellsForRun } from '../../src/notebook/format.js';
import { SqlParser } from '../../src/fdw/sql/parser.js';
import { NotebookAnalyzer } from '../../src/language/analysis/analyze.js';

const SETUP = `create foreign data wrapper clerk_wrapper handler clerk_fdw_handler validator clerk_fdw_validator;
create server clerk_server foreign data wrapper clerk_wrapper options (api_key '<clerk secret Key>');
import foreign schema clerk from server clerk_server into public;`;

let sim: Simulator;
let rt: Runtime;
let parser: SqlParser;
before(async () => {
  // More users than a keyed read may ask for, so that the ceiling is reachable.
  sim = await startSimulator({ seed: 9, users: MAX_KEYS + 200, rateLimit: false });
  rt = await startRuntime();
  await rt.execute(SETUP);
  parser = await SqlParser.load();
});
after(async () => {
  await rt.close();
  await sim.close();
});

function startRuntime(): Promise<Runtime> {
  return Runtime.start({
    secrets: new EnvironmentSecretStore(sim.secretKey, new URL(sim.url).origin),
    apiUrlOverride: sim.url,
    rateLimit: { requests: 100_000, windowMs: 1000 },
  });
}

const rowsOf = (r: StatementResult) => r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c.name, row[i]])));
async function query(sql: string) {
  return rowsOf((await rt.execute(sql, { refresh: true })).at(-1)!);
}
/** Requests to `endpoint` made by `run`. */
async function requestsOf(endpoint: string, run: () => Promise<unknown>): Promise<number> {
  const before = sim.log.count(`GET /v1/${endpoint}`);
  await run();
  return sim.log.count(`GET /v1/${endpoint}`) - before;
}
async function failure(sql: string): Promise<CellError> {
  const err = await rt.execute(sql, { refresh: true }).then(
    () => assert.fail('expected the statement to fail'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof CellError, String(err));
  return err;
}

const users = (): User[] => [...sim.dataset.users()];
const sessionsOf = (u: User): Session[] => sim.dataset.sessionRows.of(sim.dataset.userRows.indexOfId(u.id)!);
const primaryEmail = (u: User) => u.email_addresses?.find((e) => e.id === u.primary_email_address_id)?.email_address;
const byId = <T extends { id: string }>(rows: T[]) => rows.map((r) => r.id).sort();

describe('sessions need a user_id or client_id', () => {
  test('without one the statement fails before any request, saying which condition to add, where the table is named', async () => {
    const sql = "select count(*)\nfrom clerk_sessions s\nwhere s.status = 'active'";
    let err: CellError | undefined;
    assert.equal(await requestsOf('sessions', async () => (err = await failure(sql))), 0);
    assert.equal(
      err!.message,
      'foreign table "clerk_sessions" can only be read for given user_id or client_id values: Clerk lists them by user_id or client_id',
    );
    assert.match(err!.hint!, /WHERE s\.user_id = '\.\.\.' or s\.user_id IN \(\.\.\.\)/);
    assert.match(err!.hint!, /JOIN \.\.\. ON s\.user_id = u\.id/);
    assert.deepEqual([err!.position?.line, err!.position?.character], [1, 5]);

    // Through a view, or when the other side of the join keeps every session row: the same.
    await rt.execute('create view every_session as select * from clerk_sessions');
    assert.match((await failure('select * from every_session')).message, /can only be read for given user_id/);
    assert.match((await failure('select * from clerk_sessions s left join clerk_users u on u.user_id = s.user_id')).message, /can only be read/);
  });

  test('the editor says the same, on the table', () => {
    const analyzer = new NotebookAnalyzer(parser);
    const text = "select *\nfrom clerk_sessions s where s.status = 'active'";
    const [, cell] = analyzer.analyze([SETUP, text]).cells;
    const diagnostics = cell!.diagnostics.filter((d) => d.code === 'keys-required');
    assert.equal(diagnostics.length, 1);
    assert.deepEqual(diagnostics[0]!.range, { start: { line: 1, character: 5 }, end: { line: 1, character: 19 } });
    assert.match(diagnostics[0]!.message, /^foreign table "clerk_sessions" can only be read for given user_id or client_id values/);
    const keyed = analyzer.analyze([
      SETUP,
      "select * from clerk_sessions where user_id = 'u'",
      'select * from clerk_users u join clerk_sessions s on s.user_id = u.user_id',
    ]);
    for (const c of keyed.cells.slice(1))
      assert.deepEqual(
        c.diagnostics.filter((d) => d.code === 'keys-required'),
        [],
      );
  });

  test('a user_id condition: one request per user, exactly their sessions', async () => {
    const some = users()
      .filter((u) => sessionsOf(u).length >= 2)
      .slice(0, 3);
    let rows: Record<string, unknown>[] = [];
    const requests = await requestsOf('sessions', async () => {
      rows = await query(`select id, user_id, status, device_type from clerk_sessions where user_id in (${some.map((u) => `'${u.id}'`).join(', ')})`);
    });
    assert.equal(requests, 3);
    const expected = some.flatMap(sessionsOf);
    assert.deepEqual(byId(rows as { id: string }[]), byId(expected));
    const first = expected[0]!;
    const row = rows.find((r) => r.id === first.id)!;
    assert.deepEqual([row.user_id, row.status, row.device_type], [first.user_id, first.status, first.latest_activity?.device_type]);
  });

  test('keys from a join: the other side is read first (with its own pushdown), then one request per key', async () => {
    const someone = users().find((u) => primaryEmail(u) && sessionsOf(u).length >= 2)!;
    let rows: Record<string, unknown>[] = [];
    const byUser = await requestsOf('users', async () => {
      const sessions = await requestsOf('sessions', async () => {
        rows = await query(
          `select s.id, s.status from clerk_users u join clerk_sessions s on s.user_id = u.user_id where u.email = '${primaryEmail(someone)}'`,
        );
      });
      assert.equal(sessions, 1);
    });
    assert.equal(byUser, 1, 'the email is pushed down: one user read');
    assert.deepEqual(byId(rows as { id: string }[]), byId(sessionsOf(someone)));

    // A local table gives the keys too; a LEFT JOIN keeps users without sessions.
    const three = users().slice(10, 13);
    await rt.execute(`create table vips as select * from (values ${three.map((u) => `('${u.id}')`).join(', ')}) v(id)`);
    const perUser = await query(
      "select v.id, count(s.id) as sessions, count(*) filter (where s.status = 'active') as active from vips v left join clerk_sessions s on s.user_id = v.id group by v.id order by v.id",
    );
    assert.deepEqual(
      perUser.map((r) => [r.id, r.sessions, r.active]),
      [...three]
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .map((u) => [u.id, BigInt(sessionsOf(u).length), BigInt(sessionsOf(u).filter((s) => s.status === 'active').length)]),
    );
    const [last] = (await rt.execute('select * from vips v join clerk_sessions s on s.user_id = v.id', { refresh: true }))
      .at(-1)!
      .sources.filter((s) => s.table === 'clerk_sessions');
    assert.deepEqual(last!.pushed, ['s.user_id = v.id (3 values)']);

    // No keys, no request: an empty side reads nothing.
    await rt.execute('create table nobody (id text)');
    assert.equal(await requestsOf('sessions', () => query('select * from nobody n join clerk_sessions s on s.user_id = n.id')), 0);
  });

  test(`more than ${MAX_KEYS} keys from a join: a clear error, no session requested`, async () => {
    let err: CellError | undefined;
    const requests = await requestsOf(
      'sessions',
      async () => (err = await failure('select count(*) from clerk_users u join clerk_sessions s on s.user_id = u.user_id')),
    );
    assert.equal(requests, 0);
    assert.equal(err!.message, `s.user_id = u.user_id gives more than ${MAX_KEYS} user_id values: reading "clerk_sessions" would take a request for each`);
    assert.match(err!.hint!, /Narrow clerk_users with a condition Clerk can filter on/);
  });

  test('a client_id condition is a key too', async () => {
    const session = users().flatMap(sessionsOf)[5]!;
    const rows = await query(`select id, user_id from clerk_sessions where client_id = '${session.client_id}'`);
    assert.ok(rows.some((r) => r.id === session.id));
    assert.ok(rows.every((r) => r.user_id === session.user_id));
  });
});

describe('the other objects read whole, with their filters pushed down', () => {
  const { configuration, billing } = { configuration: () => sim.dataset.configuration, billing: () => sim.dataset.billing };
  const expectedCounts = (): [table: string, rows: number, requests: number][] => [
    ['clerk_organization_domains', configuration().allOrganizationDomains().length, 1],
    ['clerk_organization_roles', configuration().allOrganizationRoles().length, 1],
    ['clerk_organization_permissions', configuration().allOrganizationPermissions().length, 1],
    ['clerk_role_sets', configuration().allRoleSets().length, 1],
    ['clerk_domains', configuration().allDomains().length, 1],
    ['clerk_allowlist_identifiers', configuration().allAllowlistIdentifiers().length, 1],
    ['clerk_blocklist_identifiers', configuration().allBlocklistIdentifiers().length, 1],
    ['clerk_oauth_applications', configuration().allOauthApplications().length, 1],
    ['clerk_saml_connections', configuration().allSamlConnections().length, 1],
    ['clerk_enterprise_connections', configuration().allEnterpriseConnections().length, 1],
    ['clerk_billing_plans', billing().allPlans().length, 1],
    // Free-plan items included (Clerk leaves them out unless asked).
    ['clerk_billing_subscription_items', billing().allSubscriptionItems().length, Math.ceil((billing().allSubscriptionItems().length + 1) / 500)],
    ['clerk_billing_statements', billing().allStatements().length, Math.ceil((billing().allStatements().length + 1) / 500)],
  ];

  test('every row, in the fewest requests', async () => {
    for (const [table, rows, requests] of expectedCounts()) {
      assert.ok(rows > 0, `${table} has rows to read`);
      const result = (await rt.execute(`select count(*) as n from ${table}`, { refresh: true })).at(-1)!;
      assert.equal(rowsOf(result)[0]!.n, BigInt(rows), table);
      assert.ok(result.requests <= requests, `${table}: ${result.requests} requests, expected at most ${requests}`);
    }
    // Lists without paging parameters are asked for without them.
    for (const endpoint of ['GET /v1/domains', 'GET /v1/blocklist_identifiers']) {
      const asked = sim.log.entries.filter((e) => e.endpoint === endpoint);
      assert.ok(asked.length > 0 && asked.every((e) => e.query.limit === undefined && e.query.offset === undefined), endpoint);
    }
    assert.ok(
      billing()
        .allSubscriptionItems()
        .some((i) => i.plan?.fee?.amount === 0),
      'the instance has free-plan items',
    );
  });

  test('pushed down: organization domains by organization (one request for a list), items by plan (one request per plan)', async () => {
    const domains = configuration().allOrganizationDomains();
    const orgs = [...new Set(domains.map((d) => d.organization_id!))].slice(0, 2);
    let rows: Record<string, unknown>[] = [];
    assert.equal(
      await requestsOf('organization_domains', async () => {
        rows = await query(`select id from clerk_organization_domains where organization_id in ('${orgs[0]}', '${orgs[1]}')`);
      }),
      1,
    );
    assert.deepEqual(byId(rows as { id: string }[]), byId(domains.filter((d) => orgs.includes(d.organization_id!))));

    const items = billing().allSubscriptionItems();
    const plans = [...new Set(items.map((i) => i.plan_id!))].slice(0, 2);
    assert.equal(
      await requestsOf('billing/subscription_items', async () => {
        rows = await query(`select id, plan_slug, monthly_fee_amount from clerk_billing_subscription_items where plan_id in ('${plans[0]}', '${plans[1]}')`);
      }),
      2,
    );
    const expected = items.filter((i) => plans.includes(i.plan_id!));
    assert.deepEqual(byId(rows as { id: string }[]), byId(expected));
    const annual = items.find((i) => i.plan_period === 'annual' && (i.plan?.annual_monthly_fee?.amount ?? 0) > 0)!;
    const [row] = await query(
      `select monthly_fee_amount, payer_user_id, payer_organization_id from clerk_billing_subscription_items where plan_id = '${annual.plan_id}' and id = '${annual.id}'`,
    );
    assert.equal(row!.monthly_fee_amount, BigInt(annual.plan!.annual_monthly_fee!.amount), "an annual item's fee by the month");
    assert.deepEqual([row!.payer_user_id, row!.payer_organization_id], [annual.payer?.user_id ?? null, annual.payer?.organization_id ?? null]);
  });
});

/** Runs a notebook's cells in a runtime of its own; the last result of each cell, by title. */
async function runNotebook(file: string): Promise<(title: string) => Record<string, unknown>[]> {
  const cells = cellsForRun(readFileSync(file, 'utf8')).filter((c) => c.source.trim() !== '');
  const runtime = await startRuntime();
  const results: (StatementResult | undefined)[] = [];
  try {
    for (const cell of cells) results.push((await runtime.execute(cell.source)).at(-1));
  } finally {
    await runtime.close();
  }
  return (title) => {
    const index = cells.findIndex((c) => c.title?.startsWith(title));
    assert.ok(index >= 0, title);
    return rowsOf(results[index]!);
  };
}

const utcMonth = (ms: number) => new Date(ms).toISOString().slice(0, 7);

describe('the example notebooks, checked against the instance', () => {
  test('examples/dashboard.clerk.sql: test users hidden, sign-ups per month, active users, organization growth', async () => {
    const result = await runNotebook('examples/dashboard.clerk.sql');
    const all = users();
    const isTest = (u: User) => (u.email_addresses ?? []).some((e) => e.email_address.includes('+clerk_test@'));
    const real = all.filter((u) => !isTest(u));
    assert.deepEqual(result('How many test users'), [
      { test_users: BigInt(all.length - real.length), all_users: BigInt(all.length), counted: BigInt(real.length) },
    ]);
    assert.ok(all.length - real.length > 10);

    const asOf = Math.max(...all.map((u) => Math.max(u.created_at!, u.last_active_at ?? 0)));
    const months = result('Sign-ups per month');
    assert.equal(months.length, 12);
    for (const row of months) {
      const month = (row.month as string).slice(0, 7);
      assert.equal(row.sign_ups, BigInt(real.filter((u) => utcMonth(u.created_at!) === month).length), month);
      assert.equal(row.incomplete, month === utcMonth(asOf), month);
    }
    // Sign-ups per day: 30 whole days (no partial first day), the last one, the as-of day, incomplete.
    const days = result('Sign-ups per day');
    const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    assert.equal(days.length, 30);
    assert.deepEqual(
      days.map((row) => row.incomplete),
      [...Array<boolean>(29).fill(false), true],
    );
    assert.equal(days.at(-1)!.day, utcDay(asOf));
    for (const row of days) assert.equal(row.sign_ups, BigInt(real.filter((u) => utcDay(u.created_at!) === row.day).length), String(row.day));
    const [active] = result('Active in the last day');
    const activeWithin = (days: number) => BigInt(real.filter((u) => u.last_active_at != null && u.last_active_at > asOf - days * 86_400_000).length);
    assert.deepEqual(
      [active!.active_1_day, active!.active_7_days, active!.active_30_days, active!.users],
      [activeWithin(1), activeWithin(7), activeWithin(30), BigInt(real.length)],
    );

    const cohorts = result('Retention cohorts');
    for (const row of cohorts) {
      const month1 = row.pct_month_1 === null ? null : Number(row.pct_month_1);
      const month3 = row.pct_month_3 === null ? null : Number(row.pct_month_3);
      if (month1 !== null && month3 !== null) assert.ok(month3 <= month1, 'seen 3 months on is seen 1 month on');
    }
    assert.equal(cohorts.at(-1)!.pct_month_1, null, "the youngest cohort's month 1 is not over");

    const growth = result('Organization growth');
    const orgs = [...sim.dataset.organizations()];
    for (const row of growth) {
      const month = (row.month as string).slice(0, 7);
      assert.equal(row.new, BigInt(orgs.filter((o) => utcMonth(o.created_at!) === month).length), month);
      assert.equal(row.new, (row.retained as bigint) + (row.churned as bigint), month);
    }
  });

  test('examples/billing.clerk.sql: MRR by plan, items by status', async () => {
    const result = await runNotebook('examples/billing.clerk.sql');
    const items = sim.dataset.billing.allSubscriptionItems();
    const paying = items.filter((i) => ['active', 'past_due'].includes(i.status!) && !i.is_free_trial);
    const monthly = (i: (typeof items)[number]) => (i.plan_period === 'annual' ? i.plan?.annual_monthly_fee?.amount : i.plan?.fee?.amount) ?? 0;
    const mrr = new Map<string, number>();
    for (const i of paying) if (monthly(i) > 0) mrr.set(i.plan!.name!, (mrr.get(i.plan!.name!) ?? 0) + monthly(i));
    assert.ok(mrr.size >= 2);
    assert.deepEqual(
      result('MRR by plan').map((r) => [r.plan_name, Number(r.mrr_usd)]),
      [...mrr].sort((a, b) => b[1] - a[1]).map(([plan, cents]) => [plan, cents / 100]),
    );
    const byStatus = result('Items by plan and status');
    assert.equal(
      byStatus.reduce((n, r) => n + (r.items as bigint), 0n),
      BigInt(items.length),
    );
    assert.equal(result('The plans').length, sim.dataset.billing.allPlans().length);
  });

  test("examples/access.clerk.sql: the recent users' sessions, roles and their members", async () => {
    const result = await runNotebook('examples/access.clerk.sql');
    const recent = users()
      .sort((a, b) => (b.last_active_at ?? -Infinity) - (a.last_active_at ?? -Infinity) || (a.id < b.id ? -1 : 1))
      .slice(0, 25);
    const live = recent.flatMap(sessionsOf).filter((s) => s.status === 'active');
    const devices = result('Devices of the recently active');
    assert.equal(
      devices.reduce((n, r) => n + (r.sessions as bigint), 0n),
      BigInt(live.length),
    );
    const latest = result('Active sessions of the most recently active user');
    assert.deepEqual(
      latest.map((r) => r.id).sort(),
      sessionsOf(recent[0]!)
        .filter((s) => s.status === 'active')
        .map((s) => s.id)
        .sort(),
    );
    const roles = result('Roles, their permissions');
    const memberships = [...sim.dataset.memberships()];
    for (const row of roles) assert.equal(row.members, BigInt(memberships.filter((m) => m.role === row.key).length), String(row.key));
    assert.equal(
      roles.reduce((n, r) => n + (r.members as bigint), 0n),
      BigInt(memberships.length),
      'every membership has one of the roles',
    );
  });
});
