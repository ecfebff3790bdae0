// Invitations and the waitlist as foreign tables (`object 'invitations'`, `'waitlist_entries'`):
// the simulator's endpoints against the 2026-05-12 spec, the client's complete reads, the status
// filter pushed down, queries through the runtime (IMPORT FOREIGN SCHEMA included), and the
// example notebook's results.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ClerkClient } from '../../src/fdw/clerk/client.js';
import { RateLimiter } from '../../src/fdw/clerk/rateLimiter.js';
import { Invitation, listEnvelope, Organization, OrganizationDomain, OrganizationInvitation, WaitlistEntry } from '../../src/fdw/clerk/schemas.js';
import { z } from 'zod';
import { Runtime, type StatementResult } from '../../src/fdw/runtime/runtime.js';
import { EnvironmentSecretStore } from '../../src/fdw/runtime/secrets.js';
import { startSimulator, type Simulator } from '../../src/fdw/simulator/index.js';
import { loadClerkOpenApi, NEWEST_OPENAPI_SPEC } from '../helpers/openapi.js';
import { simulatorGet } from '../helpers/simulatorHttp.js';
import { readFileSync } from 'node:fs';
import { cellsForRun } from '../../src/notebook/format.js';
import { SqlParser } from '../../src/fdw/sql/parser.js';
import { NotebookAnalyzer } from '../../src/language/analysis/analyze.js';
import { hoverAt } from '../../src/language/analysis/hover.js';

const api = loadClerkOpenApi(NEWEST_OPENAPI_SPEC);
const Entries = listEnvelope(WaitlistEntry);

let sim: Simulator;
let rt: Runtime;
before(async () => {
  sim = await startSimulator({ seed: 5, users: 3_000, waitlist: 1_300, invitations: 700, rateLimit: false });
  rt = await Runtime.start({
    secrets: new EnvironmentSecretStore(sim.secretKey, new URL(sim.url).origin),
    apiUrlOverride: sim.url,
    rateLimit: { requests: 100_000, windowMs: 1000 },
  });
});
after(async () => {
  await rt.close();
  await sim.close();
});

const get = <T = unknown>(path: string) => simulatorGet<T>(sim, path);
const entriesAt = async (path: string) => {
  const reply = await get(path);
  assert.equal(reply.status, 200, path);
  return Entries.parse(reply.body);
};
const all = () => [...sim.dataset.waitlistEntries()];
const allInvitations = () => [...sim.dataset.invitations()];
/** The instance's users by their primary address. */
const usersByPrimaryEmail = () =>
  new Map([...sim.dataset.users()].map((u) => [u.email_addresses?.find((e) => e.id === u.primary_email_address_id)?.email_address, u]));
const Invitations = z.array(Invitation);
const invitationsAt = async (path: string) => {
  const reply = await get(path);
  assert.equal(reply.status, 200, path);
  return Invitations.parse(reply.body);
};
const rowsOf = (r: StatementResult) => r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c.name, row[i]])));

describe('the simulator serves the waitlist as Clerk does', () => {
  test('responses valid against the spec, in its envelope, filtered, ordered and paged', async () => {
    const valid = api.response('/waitlist_entries', 'get', 200);
    for (const path of ['/waitlist_entries', '/waitlist_entries?limit=500&offset=200', '/waitlist_entries?status=invited&order_by=-invited_at&limit=50']) {
      const reply = await get(path);
      assert.equal(reply.status, 200, path);
      assert.deepEqual(valid(reply.body), [], path);
    }
    const entries = all();
    // Default: newest first, 10 a page, the total of the whole list.
    const first = await entriesAt('/waitlist_entries');
    assert.equal(first.total_count, 1_300);
    const newest = [...entries].sort((a, b) => b.created_at! - a.created_at! || (a.id < b.id ? 1 : -1));
    assert.deepEqual(
      first.data.map((e) => e.id),
      newest.slice(0, 10).map((e) => e.id),
    );
    const oldest = await entriesAt('/waitlist_entries?order_by=%2Bcreated_at&limit=500&offset=1000');
    assert.deepEqual(
      oldest.data.map((e) => e.id),
      newest
        .reverse()
        .slice(1000)
        .map((e) => e.id),
    );
    for (const status of ['pending', 'invited', 'rejected', 'completed']) {
      const page = await entriesAt(`/waitlist_entries?status=${status}&limit=500`);
      const expected = entries.filter((e) => e.status === status);
      assert.ok(expected.length > 20, `${status}: ${expected.length}`);
      assert.equal(page.total_count, expected.length);
      assert.ok(page.data.every((e) => e.status === status));
    }
    const someone = entries[77]!;
    const found = await entriesAt(`/waitlist_entries?query=${encodeURIComponent(someone.email_address!.split('@')[0]!.toUpperCase())}`);
    assert.ok(found.data.some((e) => e.id === someone.id));
    assert.deepEqual((await entriesAt(`/waitlist_entries?query=${someone.id}`)).data, [someone]);
    assert.equal((await get('/waitlist_entries?status=approved')).status, 422);
    assert.equal((await get('/waitlist_entries?order_by=updated_at')).status, 422);
    assert.equal((await get('/waitlist_entries?limit=501')).status, 422);
  });

  test('entries make sense: one per address, an invitation exactly for those invited or completed', () => {
    const entries = all();
    assert.equal(new Set(entries.map((e) => e.email_address)).size, entries.length);
    // Nobody on the waitlist has signed up already.
    const signedUp = new Set([...sim.dataset.users()].flatMap((u) => (u.email_addresses ?? []).map((a) => a.email_address)));
    assert.deepEqual(
      entries.filter((e) => signedUp.has(e.email_address!)),
      [],
    );
    for (const e of entries) {
      assert.ok(e.updated_at! >= e.created_at! && e.created_at! < sim.now, e.id);
      if (e.status === 'pending' || e.status === 'rejected') assert.equal(e.invitation, null, e.id);
      else {
        const invitation = e.invitation!;
        assert.equal(invitation.email_address, e.email_address);
        assert.ok(invitation.created_at! >= e.created_at!);
        assert.ok(e.status === 'completed' ? invitation.status === 'accepted' : ['pending', 'expired'].includes(invitation.status!), e.id);
        if (invitation.status === 'expired') assert.ok(invitation.expires_at! < sim.now);
      }
    }
    // Invitations sent long ago have expired unless accepted; recent ones are still pending.
    const statuses = new Set(entries.flatMap((e) => (e.invitation ? [e.invitation.status] : [])));
    assert.deepEqual([...statuses].sort(), ['accepted', 'expired', 'pending']);
  });
});

describe('the simulator serves the invitations as Clerk does', () => {
  test('a bare array valid against the spec, filtered by status and query, ordered and paged', async () => {
    const valid = api.response('/invitations', 'get', 200);
    for (const path of ['/invitations', '/invitations?limit=500&offset=100', '/invitations?status=expired&order_by=-expires_at&limit=50']) {
      const reply = await get(path);
      assert.equal(reply.status, 200, path);
      assert.deepEqual(valid(reply.body), [], path);
    }
    const invitations = allInvitations();
    // The direct ones, and the waitlist's.
    assert.equal(invitations.length, 700 + all().filter((e) => e.invitation).length);
    const newest = [...invitations].sort((a, b) => b.created_at! - a.created_at! || (a.id < b.id ? 1 : -1));
    assert.deepEqual(
      (await invitationsAt('/invitations')).map((i) => i.id),
      newest.slice(0, 10).map((i) => i.id),
    );
    // No sign means ascending, as the spec says.
    assert.deepEqual(
      (await invitationsAt('/invitations?order_by=created_at&limit=500&offset=500')).map((i) => i.id),
      [...newest]
        .reverse()
        .slice(500, 1000)
        .map((i) => i.id),
    );
    for (const status of ['pending', 'accepted', 'revoked', 'expired']) {
      const expected = invitations.filter((i) => i.status === status);
      assert.ok(expected.length > 10, `${status}: ${expected.length}`);
      const pages = [
        ...(await invitationsAt(`/invitations?status=${status}&limit=500`)),
        ...(await invitationsAt(`/invitations?status=${status}&limit=500&offset=500`)),
      ];
      assert.deepEqual(pages.map((i) => i.id).sort(), expected.map((i) => i.id).sort());
    }
    const someone = invitations[3]!;
    assert.deepEqual(await invitationsAt(`/invitations?query=${someone.id}`), [someone]);
    assert.equal((await get('/invitations?status=sent')).status, 422);
    assert.equal((await get('/invitations?order_by=updated_at')).status, 422);
  });

  test("invitations make sense: accepted ones belong to users who signed up after, the waitlist's are listed too", () => {
    const invitations = allInvitations();
    const users = usersByPrimaryEmail();
    const byId = new Map(invitations.map((i) => [i.id, i]));
    for (const i of invitations) {
      assert.equal(i.revoked, i.status === 'revoked', i.id);
      if (i.status === 'expired') assert.ok(i.expires_at! < sim.now, i.id);
      if (i.status === 'pending') assert.ok(i.expires_at === null || i.expires_at! > sim.now, i.id);
      assert.ok(i.updated_at! >= i.created_at!, i.id);
    }
    // Sent directly (the waitlist's addresses are anyone's): accepted by a user who signed up with the address.
    const fromWaitlist = new Set(all().flatMap((e) => (e.invitation ? [e.invitation.id] : [])));
    const accepted = invitations.filter((i) => i.status === 'accepted' && !fromWaitlist.has(i.id));
    const signedUp = accepted.filter((i) => users.has(i.email_address));
    assert.equal(signedUp.length, accepted.length);
    assert.ok(signedUp.length > 50, `${signedUp.length} of ${accepted.length}`);
    for (const i of signedUp) assert.ok(users.get(i.email_address)!.created_at! > i.created_at!, i.id);
    for (const e of all()) if (e.invitation) assert.deepEqual(byId.get(e.invitation.id), e.invitation);
    assert.ok(invitations.some((i) => i.expires_at === null));
  });
});

describe('the simulator serves organization invitations as Clerk does', () => {
  /** Every row of an envelope list, 500 a page, with its total_count. */
  const everyRow = async <T>(path: string, item: z.ZodType<T>) => {
    const Page = listEnvelope(item);
    const rows: T[] = [];
    for (let offset = 0; ; offset += 500) {
      const reply = await get(`${path}${path.includes('?') ? '&' : '?'}limit=500&offset=${offset}`);
      assert.equal(reply.status, 200, path);
      const page = Page.parse(reply.body);
      rows.push(...page.data);
      if (page.data.length < 500) return { rows, total: page.total_count };
    }
  };

  test('valid against the spec, in the envelope, filtered; accepted ones are the members who joined after', async () => {
    const valid = api.response('/organization_invitations', 'get', 200);
    for (const path of ['/organization_invitations', '/organization_invitations?limit=500&status=pending&order_by=email_address']) {
      const reply = await get(path);
      assert.equal(reply.status, 200, path);
      assert.deepEqual(valid(reply.body), [], path);
    }
    const { rows: invitations, total } = await everyRow('/organization_invitations', OrganizationInvitation);
    assert.equal(invitations.length, total);
    const members = new Map([...sim.dataset.memberships()].map((m) => [`${m.organization!.id} ${m.public_user_data?.user_id}`, m]));
    const users = usersByPrimaryEmail();
    const orgs = new Map([...sim.dataset.organizations()].map((o) => [o.id, o]));
    const byStatus: Record<string, number> = {};
    let matched = 0;
    for (const i of invitations) {
      byStatus[i.status!] = (byStatus[i.status!] ?? 0) + 1;
      const org = orgs.get(i.organization_id!)!;
      assert.equal(i.public_organization_data!.name, org.name);
      assert.equal(i.inviter_id ?? null, org.created_by ?? null, i.id);
      const user = users.get(i.email_address);
      if (i.status === 'accepted') {
        // Some memberships come without public_user_data (whose user they are is not said).
        const membership = members.get(`${i.organization_id} ${user!.id}`);
        if (membership) {
          matched++;
          assert.ok(membership.created_at! > i.created_at!, i.id);
          assert.equal(i.role, membership.role);
        }
      } else assert.equal(user, undefined, `${i.id} is to a user's address`);
    }
    assert.deepEqual(Object.keys(byStatus).sort(), ['accepted', 'expired', 'pending', 'revoked']);
    assert.ok(matched > 0.9 * byStatus.accepted!, `${matched} of ${byStatus.accepted}`);
    const pending = await everyRow('/organization_invitations?status=pending', OrganizationInvitation);
    assert.equal(pending.total, byStatus.pending);
    assert.equal((await get('/organization_invitations?status=sent')).status, 422);
  });

  test("an organization's pending_invitations_count counts its pending invitations listed, not those its verified domain sent", async () => {
    const listed = new Map<string, number>();
    for (const i of (await everyRow('/organization_invitations?status=pending', OrganizationInvitation)).rows)
      listed.set(i.organization_id!, (listed.get(i.organization_id!) ?? 0) + 1);
    const orgs = (await everyRow('/organizations?include_members_count=true', Organization)).rows;
    assert.equal(orgs.length, sim.dataset.counts().orgs);
    for (const o of orgs) assert.equal(o.pending_invitations_count, listed.get(o.id) ?? 0, o.id);
    assert.ok(listed.size > 10, `${listed.size} organizations with pending invitations`);
    // Clerk lists no invitation a domain sent (automatic invitation): only the domain counts them.
    const domains = (await everyRow('/organization_domains', OrganizationDomain)).rows;
    assert.ok(domains.some((d) => d.total_pending_invitations! > 0));
  });
});

describe('a foreign table of waitlist entries', () => {
  test('the client reads every entry; a status condition is pushed down, one request per status', async () => {
    const client = new ClerkClient({ apiUrl: sim.url, secretKey: sim.secretKey, limiter: new RateLimiter({ requests: 10_000, windowMs: 1000 }) });
    const ids: string[] = [];
    for await (const page of client.read({ object: 'waitlist_entries' })) ids.push(...page.map((e) => e.id));
    assert.deepEqual(
      ids.sort(),
      all()
        .map((e) => e.id)
        .sort(),
    );

    await rt.execute(`create foreign data wrapper clerk_wrapper handler clerk_fdw_handler validator clerk_fdw_validator;
      create server clerk_server foreign data wrapper clerk_wrapper options (api_key '<clerk secret Key>');
      create foreign table waitlist (id text, email_address text, status text, is_locked boolean, created_at timestamptz, invitation jsonb)
        server clerk_server options (object 'waitlist_entries');`);
    sim.log.reset();
    const [counts] = await rt.execute("select status, count(*) as n from waitlist where status in ('invited', 'completed') group by status order by status");
    const expected = (status: string) => BigInt(all().filter((e) => e.status === status).length);
    assert.deepEqual(rowsOf(counts!), [
      { status: 'completed', n: expected('completed') },
      { status: 'invited', n: expected('invited') },
    ]);
    assert.deepEqual(sim.log.entries.map((e) => e.query.status).sort(), ['completed', 'invited']);

    const [expired] = await rt.execute("select count(*) from waitlist where status = 'invited' and invitation->>'status' = 'expired'");
    assert.equal(expired!.rows[0]![0], BigInt(all().filter((e) => e.invitation?.status === 'expired' && e.status === 'invited').length));
  });

  test('IMPORT FOREIGN SCHEMA creates clerk_waitlist_entries with every plain field and attrs', async () => {
    await rt.execute('create schema imported; import foreign schema clerk limit to (clerk_waitlist_entries) from server clerk_server into imported');
    const [r] = await rt.execute('select * from imported.clerk_waitlist_entries order by created_at limit 1');
    assert.deepEqual(
      r!.columns.map((c) => `${c.name} ${c.type}`),
      ['id text', 'email_address text', 'status text', 'is_locked boolean', 'created_at bigint', 'updated_at bigint', 'attrs jsonb'],
    );
    const oldest = all().sort((a, b) => a.created_at! - b.created_at!)[0]!;
    assert.equal(r!.rows[0]![0], oldest.id);
    assert.deepEqual(r!.rows[0]![6], oldest);
  });
});

describe('the example notebook examples/invitations.clerk.sql', () => {
  const cells = cellsForRun(readFileSync('examples/invitations.clerk.sql', 'utf8')).filter((c) => c.source.trim() !== '');

  test("its results are the instance's, cell by cell", async () => {
    const runtime = await Runtime.start({
      secrets: new EnvironmentSecretStore(sim.secretKey, new URL(sim.url).origin),
      apiUrlOverride: sim.url,
      rateLimit: { requests: 100_000, windowMs: 1000 },
    });
    try {
      const results: StatementResult[] = [];
      for (const cell of cells) results.push((await runtime.execute(cell.source)).at(-1)!);
      const byTitle = (title: string) => {
        const index = cells.findIndex((c) => c.title?.startsWith(title));
        assert.ok(index >= 0, title);
        return rowsOf(results[index]!);
      };
      const invitations = allInvitations();
      const funnel = byTitle('The invitations funnel');
      assert.deepEqual(
        Object.fromEntries(funnel.map((r) => [r.status, r.invitations])),
        Object.fromEntries(['pending', 'accepted', 'revoked', 'expired'].map((s) => [s, BigInt(invitations.filter((i) => i.status === s).length)])),
      );
      const open = byTitle('Invited and never accepted');
      const pendingSoonest = invitations.filter((i) => i.status === 'pending').sort((a, b) => (a.expires_at ?? Infinity) - (b.expires_at ?? Infinity));
      assert.deepEqual(
        open.map((r) => r.email_address),
        pendingSoonest.slice(0, 5).map((i) => i.email_address),
      );
      const primary = usersByPrimaryEmail();
      const [signedUp] = byTitle('Accepted invitations');
      assert.equal(signedUp!.accepted, BigInt(invitations.filter((i) => i.status === 'accepted' && primary.has(i.email_address)).length));
      const openByOrganization = new Map<string, bigint>();
      for (const i of sim.dataset.organizationInvitations()) {
        const name = i.public_organization_data!.name!;
        if (i.status === 'pending') openByOrganization.set(name, (openByOrganization.get(name) ?? 0n) + 1n);
      }
      const most = [...openByOrganization].sort((a, b) => Number(b[1] - a[1]) || (a[0] < b[0] ? -1 : 1)).slice(0, 5);
      assert.deepEqual(
        byTitle('Organizations with the most invitations still open').map((r) => [r.organization, r.open_invitations]),
        most,
      );
      // Invited first, signed up after: within days.
      assert.ok(Number(signedUp!.hours_to_sign_up) > 0 && Number(signedUp!.hours_to_sign_up) < 24 * 14, String(signedUp!.hours_to_sign_up));
      const entries = all();
      const count = (keep: (e: (typeof entries)[number]) => boolean) => BigInt(entries.filter(keep).length);
      const statuses = byTitle('How long is the waitlist?');
      assert.deepEqual(
        statuses.map((r) => [r.status, r.entries]),
        ['pending', 'invited', 'completed', 'rejected'].map((s) => [s, count((e) => e.status === s)]).sort((a, b) => Number(b[1]) - Number(a[1])),
      );
      const waiting = byTitle('Still waiting');
      const pending = entries.filter((e) => e.status === 'pending').sort((a, b) => a.created_at! - b.created_at!);
      assert.deepEqual(
        waiting.map((r) => r.email_address),
        pending.slice(0, 5).map((e) => e.email_address),
      );
      const fates = byTitle('What became of the invitations');
      for (const row of fates)
        assert.equal(
          row.entries,
          count((e) => e.invitation?.status === row.invitation),
          String(row.invitation),
        );
      const weeks = byTitle('Joined the waitlist per week');
      assert.ok(weeks.length >= 8 && weeks.length <= 9, `${weeks.length} weeks`);
      const newest = Math.max(...entries.map((e) => e.created_at!));
      const inWindow = count((e) => e.created_at! > newest - 8 * 7 * 86_400_000);
      assert.equal(
        weeks.reduce((sum, r) => sum + (r.joined as bigint), 0n),
        inWindow,
      );
    } finally {
      await runtime.close();
    }
  });

  test('the language server finds nothing wrong in it, and explains the object', async () => {
    const analyzer = new NotebookAnalyzer(await SqlParser.load());
    const analysis = analyzer.analyze(cells.map((c) => c.source));
    // Only the note that the placeholder key comes from the secret store.
    assert.deepEqual(
      analysis.cells.flatMap((c) => c.diagnostics.map((d) => d.code)),
      ['api-key-placeholder'],
    );
    const table = cells.findIndex((c) => c.source.includes("object 'waitlist_entries'"));
    assert.match(hoverAt(analysis.cells[table]!, cells[table]!.source.indexOf("'invitations'") + 2)!.markdown, /`expires_at bigint`/);
    const text = cells[table]!.source;
    const hover = hoverAt(analysis.cells[table]!, text.indexOf("'waitlist_entries'") + 2)!.markdown;
    assert.match(hover, /^\*\*Clerk object `waitlist_entries`\*\*/);
    assert.match(hover, /Not an object of clerk_fdw/);
    assert.match(hover, /`invitation jsonb`/);
  });
});
