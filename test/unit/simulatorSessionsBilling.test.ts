// The simulator's sessions and Clerk Billing lists against the 2026-05-12 spec: the responses'
// shape, Clerk's parameters (sessions need user_id or client_id; billing's filters and
// include_free), paging, and data that makes sense in time and adds up.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BillingStatement, BillingSubscriptionItem, Session, User } from '../../src/fdw/clerk/schemas.js';
import { DAY_MS, startSimulator, type Simulator } from '../../src/fdw/simulator/index.js';
import { loadClerkOpenApi, NEWEST_OPENAPI_SPEC } from '../helpers/openapi.js';
import { simulatorGet } from '../helpers/simulatorHttp.js';

const api = loadClerkOpenApi(NEWEST_OPENAPI_SPEC);

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 5, users: 2_000, rateLimit: false });
});
after(async () => {
  await sim.close();
});

const get = <T = unknown>(path: string) => simulatorGet<T>(sim, path);
/** A 200 whose body the spec accepts. */
async function valid<T>(specPath: string, path: string): Promise<T> {
  const reply = await get<T>(path);
  assert.equal(reply.status, 200, path);
  assert.deepEqual(api.response(specPath, 'get', 200)(reply.body), [], path);
  return reply.body;
}
/** A 422 in Clerk's error shape, with this code. */
async function rejected(path: string, code: string): Promise<{ long_message: string; meta?: Record<string, unknown> }> {
  const reply = await get<{ errors: { code: string; long_message: string; meta?: Record<string, unknown> }[] }>(path);
  assert.equal(reply.status, 422, path);
  assert.deepEqual(api.response('/sessions', 'get', 422)(reply.body), [], path);
  assert.equal(reply.body.errors[0]!.code, code, path);
  return reply.body.errors[0]!;
}
interface Envelope<T> {
  data: T[];
  total_count: number;
}
/** Every row of a billing list, 500 a page; checks each page's total. */
async function everyRow<T>(specPath: string, path: string): Promise<T[]> {
  const rows: T[] = [];
  const separator = path.includes('?') ? '&' : '?';
  for (let offset = 0; ; offset += 500) {
    const page = await valid<Envelope<T>>(specPath, `${path}${separator}limit=500&offset=${offset}`);
    rows.push(...page.data);
    if (page.data.length < 500) {
      assert.equal(page.total_count, rows.length, path);
      return rows;
    }
  }
}
const ids = (rows: readonly { id: string }[]) => rows.map((r) => r.id);
const tally = (values: readonly string[]) => values.reduce((m, v) => m.set(v, (m.get(v) ?? 0) + 1), new Map<string, number>());

/** Live users, and their sessions as the dataset generates them. */
function sessionsByUser(): { user: User; row: number; sessions: Session[] }[] {
  const ds = sim.dataset;
  return [...ds.users()].map((user) => {
    const row = ds.userRows.indexOfId(user.id)!;
    return { user, row, sessions: ds.sessionRows.of(row) };
  });
}

describe('the simulator lists sessions as Clerk does', () => {
  test('a bare array valid against the spec, for a user or a client, by status, newest first, paged', async () => {
    const users = sessionsByUser();
    const busy = users.find((u) => new Set(u.sessions.map((s) => s.client_id)).size >= 2 && u.sessions.length >= 5)!;
    assert.ok(busy, 'a user with five sessions on two clients');
    const { user, sessions } = busy;
    const listed = await valid<Session[]>('/sessions', `/sessions?user_id=${user.id}&limit=500`);
    assert.deepEqual(listed, sessions);
    assert.ok(
      sessions.every((s, i) => i === 0 || sessions[i - 1]!.created_at! >= s.created_at!),
      'newest first',
    );

    // Paging: consecutive pages cover the list once; Clerk's limit bounds.
    const pages: Session[] = [];
    for (let offset = 0; offset < sessions.length + 2; offset += 2)
      pages.push(...(await valid<Session[]>('/sessions', `/sessions?user_id=${user.id}&limit=2&offset=${offset}`)));
    assert.deepEqual(ids(pages), ids(sessions));
    await rejected(`/sessions?user_id=${user.id}&limit=501`, 'form_param_value_invalid');
    await rejected(`/sessions?user_id=${user.id}&limit=0`, 'form_param_value_invalid');
    await rejected(`/sessions?user_id=${user.id}&offset=-1`, 'form_param_value_invalid');

    // A client's sessions are that client's, of its one user; an id that is not a client's has none.
    const clientId = sessions[sessions.length - 1]!.client_id!;
    const onClient = sessions.filter((s) => s.client_id === clientId);
    assert.ok(onClient.length < sessions.length);
    assert.deepEqual(await valid<Session[]>('/sessions', `/sessions?client_id=${clientId}&limit=500`), onClient);
    assert.deepEqual(await valid<Session[]>('/sessions', `/sessions?client_id=${clientId}&user_id=${user.id}`), onClient.slice(0, 10));
    const stranger = users.find((u) => u.sessions.length > 0 && u.row !== busy.row)!;
    assert.deepEqual(await valid<Session[]>('/sessions', `/sessions?client_id=${clientId}&user_id=${stranger.user.id}`), []);
    const forged = `client_${'1'.repeat(22)}${clientId.slice(-5)}`;
    assert.deepEqual(await valid<Session[]>('/sessions', `/sessions?client_id=${forged}`), []);
    assert.deepEqual(await valid<Session[]>('/sessions', '/sessions?user_id=user_2NotARealUser000000000000'), []);

    // By status: exactly the user's sessions with it, across users with several.
    const byStatus = users.filter((u) => new Set(u.sessions.map((s) => s.status)).size >= 3).slice(0, 12);
    assert.ok(byStatus.length === 12);
    for (const { user: u, sessions: theirs } of byStatus) {
      for (const status of new Set(theirs.map((s) => s.status!))) {
        const expected = theirs.filter((s) => s.status === status);
        assert.deepEqual(await valid<Session[]>('/sessions', `/sessions?user_id=${u.id}&status=${status}`), expected.slice(0, 10));
      }
    }
    await rejected(`/sessions?user_id=${user.id}&status=pending_review`, 'form_param_value_invalid');
  });

  test('Clerk requires user_id or client_id: a 422 naming both', async () => {
    for (const path of ['/sessions', '/sessions?status=active', '/sessions?user_id=&limit=5']) {
      const error = await rejected(path, 'form_param_missing');
      assert.match(error.long_message, /user_id/);
      assert.match(error.long_message, /client_id/);
      assert.equal(error.meta?.param_name, 'user_id');
    }
  });

  test('sessions make sense in time: none before sign-up or after now, at most two active, recent ones only', () => {
    const { now } = sim;
    const users = sessionsByUser();
    const { membershipRows, orgRows } = sim.dataset;
    /** By user row: the organizations they are a member of. */
    const memberOf = new Map<number, Set<string>>();
    for (let m = 0; m < membershipRows.size; m++) {
      const u = membershipRows.user[m]!;
      if (!membershipRows.deleted[m]) memberOf.set(u, (memberOf.get(u) ?? new Set()).add(orgRows.id[membershipRows.organization[m]!]!));
    }
    const counts = tally(users.map((u) => String(u.sessions.length)));
    for (const { user, row, sessions } of users) {
      if (user.last_sign_in_at === null) assert.deepEqual(sessions, [], user.id);
      assert.ok(sessions.filter((s) => s.status === 'active').length <= 2, user.id);
      assert.ok(new Set(sessions.map((s) => s.client_id)).size <= 3, user.id);
      for (const s of sessions) {
        assert.equal(s.user_id, user.id);
        assert.ok(s.created_at! >= user.created_at! && s.created_at! <= now, s.id);
        assert.ok(s.last_active_at! >= s.created_at! && s.last_active_at! <= Math.min(s.expire_at!, now), s.id);
        // The user's last_active_at keeps the day only.
        assert.ok(s.last_active_at! - (s.last_active_at! % DAY_MS) <= user.last_active_at!, s.id);
        assert.ok(s.updated_at! >= s.last_active_at! && s.updated_at! <= now, s.id);
        assert.equal(s.expire_at, s.created_at! + 7 * DAY_MS);
        assert.equal(s.abandon_at, s.created_at! + 30 * DAY_MS);
        if (s.status === 'active') assert.ok(s.expire_at > now && Array.isArray(s.tasks), s.id);
        if (s.status === 'expired') assert.equal(s.updated_at, s.expire_at);
        if (s.status === 'abandoned') assert.ok(s.abandon_at < now && s.updated_at === s.abandon_at, s.id);
        if (s.last_active_organization_id) assert.ok(memberOf.get(row)?.has(s.last_active_organization_id), s.id);
      }
    }
    // Most users have 1-3; a few recently active ones up to 6.
    const oneToThree = ['1', '2', '3'].reduce((n, k) => n + (counts.get(k) ?? 0), 0);
    assert.ok(oneToThree > 0.7 * users.length, JSON.stringify([...counts]));
    assert.ok((counts.get('6') ?? 0) > 0 && !counts.has('7'), JSON.stringify([...counts]));
    const statuses = tally(users.flatMap((u) => u.sessions.map((s) => s.status!)));
    for (const status of ['abandoned', 'active', 'ended', 'expired', 'removed', 'replaced', 'revoked']) assert.ok(statuses.get(status)! > 20, status);
    assert.ok(users.some((u) => u.sessions.some((s) => s.last_active_organization_id)));
  });

  test("the newest session carries the user's last activity and is active while it lasts: the latest active users are signed in", async () => {
    const { now } = sim;
    const users: User[] = [];
    for (let offset = 0; users.length === offset; offset += 500) users.push(...(await valid<User[]>('/users', `/users?limit=500&offset=${offset}`)));
    assert.equal(users.length, sim.dataset.counts().users);
    // Activity is in a session, which lasts 7 days: the last sign-in's lasts past the day of the last activity.
    for (const u of users) if (u.last_active_at !== null) assert.ok(u.last_sign_in_at! + 7 * DAY_MS >= u.last_active_at! + DAY_MS, u.id);

    const recent = users.filter((u) => u.last_active_at! >= now - 14 * DAY_MS);
    assert.ok(recent.length > 100, `${recent.length} active in the last two weeks`);
    const activeNow = new Set<string>();
    for (const u of recent) {
      const sessions = await valid<Session[]>('/sessions', `/sessions?user_id=${u.id}&limit=500`);
      const [newest] = sessions;
      assert.equal(newest!.created_at, u.last_sign_in_at, u.id);
      assert.equal(newest!.last_active_at! - (newest!.last_active_at! % DAY_MS), u.last_active_at, `${u.id}: the day the user's last_active_at keeps`);
      assert.ok(
        sessions.every((s) => s.last_active_at! <= newest!.last_active_at!),
        u.id,
      );
      assert.equal(newest!.status === 'active', newest!.expire_at! > now && !u.banned, `${u.id}: ${newest!.status}`);
      if (newest!.status === 'active') activeNow.add(u.id);
    }
    // Whoever was active on the latest day is signed in (banned users' sessions are revoked).
    const latestDay = Math.max(...users.map((u) => u.last_active_at ?? -Infinity));
    const latest = users.filter((u) => u.last_active_at === latestDay);
    assert.ok(latest.length > 0 && !latest[0]!.banned);
    for (const u of latest) assert.equal(activeNow.has(u.id), !u.banned, u.id);
    assert.ok(activeNow.size < recent.length, 'some sessions of the last two weeks have expired');
  });
});

describe('the simulator serves Clerk Billing', () => {
  const FREE_SLUGS = ['free', 'free_org'];
  const allItems = () => sim.dataset.billing.allSubscriptionItems();

  test('plans: valid, by payer type, with their fees and trials', async () => {
    const plans = await valid<Envelope<{ id: string; slug: string; for_payer_type: string; fee: { amount: number } }>>('/billing/plans', '/billing/plans');
    assert.deepEqual(plans.data, sim.dataset.billing.allPlans());
    assert.equal(plans.total_count, 5);
    for (const type of ['user', 'org']) {
      const page = await valid<Envelope<{ id: string }>>('/billing/plans', `/billing/plans?payer_type=${type}`);
      assert.deepEqual(ids(page.data), ids(plans.data.filter((p) => p.for_payer_type === type)));
    }
    const pro = sim.dataset.billing.allPlans().find((p) => p.slug === 'pro')!;
    assert.deepEqual([pro.fee?.amount, pro.annual_monthly_fee?.amount, pro.annual_fee?.amount, pro.free_trial_days], [2000, 1600, 19200, 14]);
    assert.equal(pro.fee?.amount_formatted, '20.00');
    assert.deepEqual(
      sim.dataset.billing
        .allPlans()
        .filter((p) => p.is_default)
        .map((p) => p.slug)
        .sort(),
      FREE_SLUGS,
    );
    assert.deepEqual(ids((await valid<Envelope<{ id: string }>>('/billing/plans', '/billing/plans?limit=2&offset=3')).data), ids(plans.data.slice(3)));
    await rejected('/billing/plans?payer_type=team', 'form_param_value_invalid');
  });

  test('subscription items: paged once each, free ones only with include_free, every filter the exact subset', async () => {
    const items = allItems();
    const spec = '/billing/subscription_items';
    assert.deepEqual(ids(await everyRow<BillingSubscriptionItem>(spec, '/billing/subscription_items?include_free=true')), ids(items));
    const paid = items.filter((i) => !FREE_SLUGS.includes(i.plan!.slug!));
    assert.ok(paid.length > 100 && paid.length < items.length);
    assert.deepEqual(ids(await everyRow<BillingSubscriptionItem>(spec, '/billing/subscription_items')), ids(paid));
    assert.deepEqual(ids(await everyRow<BillingSubscriptionItem>(spec, '/billing/subscription_items?include_free=false')), ids(paid));
    const first = await valid<Envelope<BillingSubscriptionItem>>(spec, '/billing/subscription_items');
    assert.equal(first.total_count, paid.length);
    assert.deepEqual(ids(first.data), ids(paid.slice(0, 10)));
    assert.ok(
      items.every((it, k) => k === 0 || items[k - 1]!.created_at! >= it.created_at!),
      'newest first',
    );

    // Each filter (with free items, to see them all), against the items themselves.
    const inService = new Set(['active', 'canceled']);
    const statusFilters: Record<string, (i: BillingSubscriptionItem) => boolean> = {
      active: (i) => inService.has(i.status!),
      ended: (i) => i.status === 'ended',
      past_due: (i) => i.status === 'past_due',
      upcoming: (i) => i.status === 'upcoming',
      free_trial: (i) => i.is_free_trial === true,
    };
    const check = async (query: string, keep: (i: BillingSubscriptionItem) => boolean) => {
      const expected = items.filter(keep);
      assert.ok(expected.length > 0, query);
      assert.deepEqual(ids(await everyRow<BillingSubscriptionItem>(spec, `/billing/subscription_items?include_free=true&${query}`)), ids(expected), query);
    };
    for (const [status, keep] of Object.entries(statusFilters)) await check(`status=${status}`, keep);
    await check('payer_type=user', (i) => i.payer!.user_id !== null);
    await check('payer_type=org', (i) => i.payer!.organization_id !== null);
    for (const plan of sim.dataset.billing.allPlans()) await check(`plan_id=${plan.id}`, (i) => i.plan_id === plan.id);
    await check('status=active&payer_type=org', (i) => inService.has(i.status!) && i.payer!.organization_id !== null);
    const user = items.find((i) => i.payer!.email && i.payer!.last_name)!;
    const local = user.payer!.email!.split('@')[0]!;
    // Part of the email address, the name, or the organization's name, whatever the case.
    const mentions = (i: BillingSubscriptionItem, part: string) =>
      [i.payer!.email, [i.payer!.first_name, i.payer!.last_name].filter(Boolean).join(' '), i.payer!.organization_name].some((v) =>
        v?.toLowerCase().includes(part),
      );
    await check(`query=${encodeURIComponent(local.toUpperCase())}`, (i) => mentions(i, local));
    await check(`query=${user.payer!.user_id}`, (i) => i.payer!.user_id === user.payer!.user_id);
    await check(`query=${user.id}`, (i) => i.id === user.id);
    const org = items.find((i) => i.payer!.organization_name)!;
    const word = org.payer!.organization_name!.split(' ')[0]!.toLowerCase();
    await check(`query=${encodeURIComponent(word)}`, (i) => mentions(i, word));
    // Without include_free, every filter leaves the free items out too.
    const upcomingPaid = await everyRow<BillingSubscriptionItem>(spec, '/billing/subscription_items?status=upcoming');
    assert.deepEqual(ids(upcomingPaid), ids(paid.filter((i) => i.status === 'upcoming')));
    for (const bad of ['status=canceled', 'status=trialing', 'payer_type=team', 'include_free=yes', 'limit=501', 'offset=x']) {
      await rejected(`/billing/subscription_items?${bad}`, 'form_param_value_invalid');
    }
  });

  test('subscription items make sense: trials, cancellations, past due, upgrades, several plans monthly and annual', () => {
    const { now } = sim;
    const ds = sim.dataset;
    const items = allItems();
    const byStatus = tally(items.map((i) => i.status!));
    for (const status of ['active', 'canceled', 'ended', 'past_due', 'upcoming']) assert.ok(byStatus.get(status)! >= 5, `${status}: ${byStatus.get(status)}`);
    const plans = tally(items.map((i) => `${i.plan!.slug}/${i.plan_period}`));
    for (const key of ['free/month', 'free_org/month', 'pro/month', 'pro/annual', 'business/month', 'business/annual', 'enterprise/month']) {
      assert.ok(plans.get(key)! > 3, `${key}: ${JSON.stringify([...plans])}`);
    }
    // About a quarter of the users have an item, and most organizations.
    const payingUsers = new Set(items.flatMap((i) => (i.payer!.user_id ? [i.payer!.user_id] : [])));
    const payingOrgs = new Set(items.flatMap((i) => (i.payer!.organization_id ? [i.payer!.organization_id] : [])));
    assert.ok(payingUsers.size > 0.15 * 2_000 && payingUsers.size < 0.35 * 2_000, `${payingUsers.size} users`);
    assert.ok(payingOrgs.size > 0.6 * ds.orgRows.size, `${payingOrgs.size} of ${ds.orgRows.size} organizations`);

    const trials = items.filter((i) => i.is_free_trial);
    assert.ok(trials.length >= 5);
    for (const i of trials) {
      assert.equal(i.plan!.free_trial_enabled, true, i.id);
      assert.equal(i.lifetime_paid!.amount, 0, i.id);
      if (i.status !== 'ended') assert.equal(i.period_end! - i.period_start!, i.plan!.free_trial_days! * DAY_MS, i.id);
    }
    assert.ok(trials.some((i) => i.status === 'active'));

    const payerCreated = (i: BillingSubscriptionItem) =>
      i.payer!.user_id ? ds.user(i.payer!.user_id)!.created_at! : ds.organization(i.payer!.organization_id!)!.created_at!;
    const byPayer = new Map<string, BillingSubscriptionItem[]>();
    for (const i of items) byPayer.set(i.payer_id!, [...(byPayer.get(i.payer_id!) ?? []), i]);
    for (const i of items) {
      const free = FREE_SLUGS.includes(i.plan!.slug!);
      const payerSince = i.payer!.created_at as number;
      assert.ok(i.created_at! >= payerSince && payerSince >= payerCreated(i), i.id);
      for (const t of [i.created_at, i.updated_at, i.canceled_at, i.past_due_at, i.ended_at]) assert.ok(t === null || t! <= now, i.id);
      assert.ok(i.updated_at! >= i.created_at!, i.id);
      // Ended items were canceled (and lapsed) or replaced (not canceled).
      if (i.status !== 'ended') assert.equal(i.canceled_at !== null, i.status === 'canceled', i.id);
      if (i.status === 'canceled') assert.ok(i.canceled_at! >= i.period_start! && i.period_end! > now, i.id);
      if (i.status === 'ended') assert.ok(i.ended_at! === i.period_end && i.ended_at! <= now, i.id);
      else assert.equal(i.ended_at, null, i.id);
      assert.equal(i.past_due_at !== null, i.status === 'past_due', i.id);
      if (i.status === 'upcoming') assert.ok(i.period_start! > now && i.period_end === null, i.id);
      assert.equal(i.next_payment !== null, i.status === 'active' && !free, i.id);
      if (i.next_payment) assert.ok(i.next_payment.date === i.period_end && i.next_payment.date! > now, i.id);
      if (free) assert.ok(i.lifetime_paid!.amount === 0 && i.plan_period === 'month' && i.payment_method === undefined, i.id);
      assert.equal(i.plan!.for_payer_type, i.payer!.user_id ? 'user' : 'org', i.id);
    }
    // One current item a payer; earlier ones ended when the next began (upgrades, switches, lapses).
    let switched = 0;
    for (const [payer, theirs] of byPayer) {
      const oldestFirst = [...theirs].reverse();
      assert.ok(oldestFirst.filter((i) => ['active', 'canceled', 'past_due'].includes(i.status!)).length === 1, payer);
      for (let k = 1; k < oldestFirst.length; k++) {
        const [before, item] = [oldestFirst[k - 1]!, oldestFirst[k]!];
        if (item.status === 'upcoming') assert.ok(before.status === 'canceled' && item.period_start === before.period_end, payer);
        else {
          assert.ok(before.status === 'ended' && before.ended_at === item.created_at, payer);
          switched++;
        }
      }
    }
    assert.ok(switched > 50, `${switched} switches`);
  });

  test('statements: valid, paged once each, totals that add up to the groups and to what items paid', async () => {
    const { now } = sim;
    const statements = sim.dataset.billing.allStatements();
    assert.deepEqual(ids(await everyRow<BillingStatement>('/billing/statements', '/billing/statements')), ids(statements));
    assert.ok(
      statements.every((s, k) => k === 0 || statements[k - 1]!.timestamp! >= s.timestamp!),
      'newest first',
    );
    const items = new Map(allItems().map((i) => [i.id, i]));
    const paidByItem = new Map<string, number>();
    const failed = new Set<string>();
    type Attempt = { amount: { amount: number }; status: string; subscription_item_id: string; payer_id: string; statement_id: string; paid_at: number | null };
    for (const s of statements) {
      const totals = s.totals!;
      assert.equal(totals.grand_total!.amount, totals.subtotal!.amount + totals.tax_total!.amount, s.id);
      const attempts = s.groups!.flatMap((g) => (g as { items: Attempt[] }).items);
      assert.equal(
        attempts.reduce((sum, a) => sum + a.amount.amount, 0),
        totals.grand_total!.amount,
        s.id,
      );
      assert.ok(s.timestamp! <= now, s.id);
      for (const a of attempts) {
        const item = items.get(a.subscription_item_id)!;
        assert.ok(item && a.payer_id === s.payer!.id && item.payer_id === s.payer!.id && a.statement_id === s.id, s.id);
        assert.ok(s.timestamp! >= item.created_at!, s.id);
        if (a.status === 'paid') paidByItem.set(item.id, (paidByItem.get(item.id) ?? 0) + a.amount.amount);
        else failed.add(item.id);
      }
    }
    for (const item of items.values()) assert.equal(item.lifetime_paid!.amount, paidByItem.get(item.id) ?? 0, item.id);
    assert.deepEqual(
      [...failed].sort(),
      [...items.values()]
        .filter((i) => i.status === 'past_due')
        .map((i) => i.id)
        .sort(),
    );
    // The current period's statement is open, older ones closed.
    const status = tally(statements.map((s) => s.status!));
    assert.ok(status.get('open')! > 20 && status.get('closed')! > status.get('open')!, JSON.stringify([...status]));
    const open = statements.filter((s) => s.status === 'open');
    assert.ok(open.every((s) => s.timestamp! > now - 366 * DAY_MS));
  });

  test('a deleted user has no sessions and no billing rows', async () => {
    const items = allItems();
    const payer = items.find((i) => i.payer!.user_id && !FREE_SLUGS.includes(i.plan!.slug!))!;
    const userId = payer.payer!.user_id!;
    assert.ok(sim.dataset.sessionRows.of(sim.dataset.userRows.indexOfId(userId)!).length > 0);
    const reply = await fetch(`${sim.url}/users/${userId}`, { method: 'DELETE', headers: { Authorization: `Bearer ${sim.secretKey}` } });
    assert.equal(reply.status, 200);
    assert.deepEqual(await valid<Session[]>('/sessions', `/sessions?user_id=${userId}`), []);
    const left = await valid<Envelope<BillingSubscriptionItem>>('/billing/subscription_items', '/billing/subscription_items?include_free=true');
    assert.equal(left.total_count, items.length - items.filter((i) => i.payer!.user_id === userId).length);
    assert.ok(sim.dataset.billing.allStatements().every((s) => s.payer!.user_id !== userId));
  });
});
