// The simulator's generated data: determinism, conformance to Clerk's OpenAPI schemas and to
// the client's zod schemas, and the properties that make it realistic (and that the product
// must survive: several addresses with a non-first primary, users without an address,
// memberships without public_user_data, organizations without a creator, ...).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Organization, OrganizationMembership, User } from '../../src/fdw/clerk/schemas.js';
import { Dataset, DAY_MS, DEFAULT_NOW } from '../../src/fdw/simulator/index.js';
import { loadClerkOpenApi } from '../helpers/openapi.js';

const SIZE = { seed: 7, users: 6_000, orgs: 300, memberships: 5_000 };
const ds = new Dataset(SIZE);
const users = [...ds.users()];
const orgs = [...ds.organizations({ includeMembersCount: true })];
const memberships = [...ds.memberships()];
const api = loadClerkOpenApi();

function share(count: number, of: number): number {
  return count / of;
}

test('the same seed gives the same bytes, another seed other data', () => {
  const again = new Dataset(SIZE);
  assert.equal(JSON.stringify([...again.users()]), JSON.stringify(users));
  assert.equal(JSON.stringify([...again.organizations({ includeMembersCount: true })]), JSON.stringify(orgs));
  assert.equal(JSON.stringify([...again.memberships()]), JSON.stringify(memberships));
  const other = new Dataset({ ...SIZE, seed: 8 });
  assert.notEqual(other.user(0)!.id, users[0]!.id);
  // Objects are rebuilt on demand, not stored: building one twice gives the same object.
  assert.deepEqual(ds.user(1234), ds.user(1234));
});

test('every object matches the OpenAPI schemas field for field, and the client zod schemas', () => {
  const validUser = api.schema('User');
  const validOrg = api.schema('Organization');
  const validMembership = api.schema('OrganizationMembership');
  for (const u of users) assert.deepEqual(validUser(u), [], u.id);
  for (const o of orgs) assert.deepEqual(validOrg(o), [], o.id);
  for (const m of memberships) assert.deepEqual(validMembership(m), [], m.id);
  for (const u of users) User.parse(u);
  for (const o of orgs) Organization.parse(o);
  for (const m of memberships) OrganizationMembership.parse(m);
});

test('ids look like Clerk ids: prefix and 27 base62 characters, unique, starting with 1 or 2 (the 2020s)', () => {
  const shapes: [RegExp, string[]][] = [
    [/^user_[12][0-9A-Za-z]{26}$/, users.map((u) => u.id)],
    [/^org_[12][0-9A-Za-z]{26}$/, orgs.map((o) => o.id)],
    [/^orgmem_[12][0-9A-Za-z]{26}$/, memberships.map((m) => m.id)],
    [/^idn_[12][0-9A-Za-z]{26}$/, users.flatMap((u) => [...u.email_addresses!, ...u.phone_numbers!].map((e) => e.id!))],
  ];
  for (const [shape, ids] of shapes) {
    for (const id of ids) assert.match(id, shape);
    assert.equal(new Set(ids).size, ids.length);
  }
});

test('email addresses: several with a non-first primary, none at all, unique, company domains shared', () => {
  const several = users.filter((u) => u.email_addresses!.length > 1);
  assert.ok(several.some((u) => u.email_addresses![0]!.id !== u.primary_email_address_id));
  const without = users.filter((u) => u.email_addresses!.length === 0);
  assert.ok(without.length > 0);
  for (const u of without) {
    assert.equal(u.primary_email_address_id, null);
    // Everyone can sign in somehow: a phone number or a username.
    assert.ok(u.phone_numbers!.length > 0 || u.username, u.id);
  }
  for (const u of users) {
    if (u.email_addresses!.length > 0)
      assert.ok(
        u.email_addresses!.some((e) => e.id === u.primary_email_address_id),
        u.id,
      );
  }
  const addresses = users.flatMap((u) => u.email_addresses!.map((e) => e.email_address));
  assert.equal(new Set(addresses).size, addresses.length);

  const domains = new Map<string, number>();
  for (const u of users) {
    const primary = u.email_addresses!.find((e) => e.id === u.primary_email_address_id);
    if (primary) domains.set(primary.email_address.split('@')[1]!, (domains.get(primary.email_address.split('@')[1]!) ?? 0) + 1);
  }
  const [top] = [...domains].sort((a, b) => b[1] - a[1]);
  assert.equal(top![0], 'gmail.com');
  const consumer = /^(gmail|yahoo|outlook|hotmail|icloud|proton|live|aol|gmx|me|hey|fastmail|mail|qq|web|orange)\./;
  const companyDomainsWithSeveral = [...domains].filter(([d, n]) => !consumer.test(d) && n >= 3);
  assert.ok(companyDomainsWithSeveral.length >= 20, `${companyDomainsWithSeveral.length} company domains with 3+ users`);
  const atCompanies = [...domains].filter(([d]) => !consumer.test(d)).reduce((n, [, c]) => n + c, 0);
  assert.ok(share(atCompanies, users.length) > 0.15 && share(atCompanies, users.length) < 0.45);
});

test('names, usernames, phones, MFA, bans, locks, OAuth providers, external ids vary realistically', () => {
  const n = users.length;
  const count = (p: (u: User) => boolean) => users.filter(p).length;
  assert.ok(count((u) => u.first_name === null) > 0 && count((u) => u.last_name === null) > 0);
  assert.ok(
    share(
      count((u) => u.username !== null),
      n,
    ) > 0.2 &&
      share(
        count((u) => u.username === null),
        n,
      ) > 0.2,
  );
  assert.ok(count((u) => u.phone_numbers!.length === 0) > 0);
  const severalPhones = users.filter((u) => u.phone_numbers!.length > 1);
  assert.ok(severalPhones.length > 0 && severalPhones.every((u) => u.phone_numbers!.some((p) => p.id === u.primary_phone_number_id)));
  const mfa = share(
    count((u) => u.two_factor_enabled === true),
    n,
  );
  assert.ok(mfa >= 0.15 && mfa <= 0.3, `MFA adoption ${mfa}`);
  for (const flag of ['banned', 'locked'] as const) {
    const s = share(
      count((u) => u[flag] === true),
      n,
    );
    assert.ok(s > 0.003 && s < 0.05, `${flag} ${s}`);
  }
  const providers = new Set(users.flatMap((u) => u.external_accounts!.map((a) => a.provider)));
  for (const p of ['oauth_google', 'oauth_github', 'oauth_microsoft', 'oauth_apple']) assert.ok(providers.has(p), p);
  assert.ok(users.some((u) => u.external_accounts!.length > 1));
  // An OAuth-verified address links to its account's identification.
  const linked = users.flatMap((u) => u.email_addresses!.filter((e) => (e.linked_to ?? []).length > 0).map((e) => [u, e] as const));
  assert.ok(linked.length > 0);
  for (const [u, e] of linked) assert.ok(u.external_accounts!.some((a) => a.identification_id === e.linked_to![0]!.id));
  const external = share(
    count((u) => u.external_id !== null),
    n,
  );
  assert.ok(external > 0.02 && external < 0.3);
  assert.ok(users.some((u) => u.has_image) && users.some((u) => !u.has_image));
  assert.ok(users.every((u) => u.image_url!.startsWith('https://img.clerk.com/')));
  assert.ok(users.some((u) => u.private_metadata === null) && users.some((u) => Object.keys(u.public_metadata!).length > 0));
});

test('timestamps are milliseconds over ~4 years before "now", growing, with consistent activity', () => {
  const now = ds.now;
  assert.equal(now, DEFAULT_NOW);
  for (const u of users) {
    const created = u.created_at!;
    assert.ok(created > now - 4.1 * 365 * DAY_MS && created <= now, u.id);
    assert.ok(u.updated_at! >= created);
    if (u.last_sign_in_at !== null) assert.ok(u.last_sign_in_at! >= created && u.last_sign_in_at! <= now);
    if (u.last_active_at !== null) {
      assert.equal(u.last_active_at! % DAY_MS, 0, 'day precision');
      assert.ok(u.last_active_at! <= now && u.last_active_at! + DAY_MS > created);
    }
  }
  assert.ok(users.some((u) => u.last_sign_in_at === null) && users.some((u) => u.last_active_at === null));
  const lastYear = users.filter((u) => u.created_at! > now - 365 * DAY_MS).length;
  const firstYear = users.filter((u) => u.created_at! < now - 3 * 365 * DAY_MS).length;
  assert.ok(lastYear > 3 * firstYear, `sign-ups grow: ${firstYear} in the first year, ${lastYear} in the last`);
  const active = (days: number) => share(users.filter((u) => u.last_active_at !== null && u.last_active_at! >= now - days * DAY_MS).length, users.length);
  assert.ok(active(7) > 0.05 && active(7) < active(30) && active(30) < 0.5, `active 7 d ${active(7)}, 30 d ${active(30)}`);
  // Users were created in index order: dataset.user(i) is the i-th to sign up.
  for (let i = 1; i < users.length; i++) assert.ok(users[i]!.created_at! >= users[i - 1]!.created_at!);
});

test('"now" is an option: the same seed at another "now" shifts the history', () => {
  const later = new Dataset({ ...SIZE, users: 50, orgs: 2, memberships: 5, now: DEFAULT_NOW + 30 * DAY_MS });
  assert.equal(later.now, DEFAULT_NOW + 30 * DAY_MS);
  assert.ok([...later.users()].every((u) => u.created_at! <= later.now && u.created_at! > later.now - 4.1 * 365 * DAY_MS));
});

test('organizations: unique slugs, some without creator, creators existed before, limits respected', () => {
  assert.equal(new Set(orgs.map((o) => o.slug)).size, orgs.length);
  assert.ok(orgs.some((o) => o.created_by === undefined) && orgs.some((o) => o.created_by !== undefined));
  for (const o of orgs) {
    if (o.created_by) assert.ok(ds.user(o.created_by)!.created_at! < o.created_at!, o.id);
    assert.ok(o.max_allowed_memberships === 0 || o.max_allowed_memberships! >= o.members_count!, o.id);
  }
  assert.ok(orgs.some((o) => o.max_allowed_memberships! > 0));
  // members_count appears only when asked for, as in the API; nothing else differs.
  const { members_count, pending_invitations_count, ...rest } = ds.organization(0, { includeMembersCount: true })!;
  assert.equal(typeof members_count, 'number');
  assert.equal(typeof pending_invitations_count, 'number');
  assert.deepEqual(ds.organization(0), rest);
});

test('memberships: consistent with users and organizations, sized like real instances', () => {
  const withUser = memberships.filter((m) => m.public_user_data);
  const pairs = new Set(withUser.map((m) => `${m.organization!.id}/${m.public_user_data!.user_id}`));
  assert.equal(pairs.size, withUser.length, 'no user twice in an organization');
  const byOrg = new Map<string, OrganizationMembership[]>();
  for (const m of memberships) byOrg.set(m.organization!.id, [...(byOrg.get(m.organization!.id) ?? []), m]);
  for (const o of orgs) {
    const members = byOrg.get(o.id) ?? [];
    assert.equal(o.members_count, members.length, o.id);
    if (members.length > 0)
      assert.ok(
        members.some((m) => m.role === 'org:admin'),
        `${o.id} has an admin`,
      );
    if (o.created_by && members.length > 0) {
      const creator = members.find((m) => m.public_user_data?.user_id === o.created_by);
      if (creator) assert.equal(creator.role, 'org:admin');
    }
  }
  assert.ok(orgs.some((o) => o.members_count === 0));
  const sizes = orgs.map((o) => o.members_count!).sort((a, b) => b - a);
  assert.ok(sizes[0]! > 500, `largest organization ${sizes[0]}`);
  assert.ok(share(sizes.filter((s) => s <= 5).length, sizes.length) > 0.5, 'most organizations are small');

  const without = memberships.filter((m) => m.public_user_data === undefined);
  assert.ok(without.length > 0 && share(without.length, memberships.length) < 0.1);
  for (const m of memberships.slice(0, 500)) {
    assert.deepEqual(m.organization, ds.organization(m.organization!.id, { includeMembersCount: true }));
    assert.equal(m.role_name, m.role === 'org:admin' ? 'Admin' : 'Member');
    const pud = m.public_user_data;
    if (!pud) continue;
    const user = ds.user(pud.user_id)!;
    const primary = user.email_addresses!.find((e) => e.id === user.primary_email_address_id)?.email_address;
    assert.equal(pud.identifier, primary ?? user.phone_numbers!.find((p) => p.id === user.primary_phone_number_id)?.phone_number ?? user.username);
    assert.deepEqual([pud.first_name, pud.last_name, pud.image_url, pud.has_image], [user.first_name, user.last_name, user.image_url, user.has_image]);
    assert.ok(m.created_at! >= Math.max(user.created_at!, m.organization!.created_at!), m.id);
  }
});

test('removing users removes their memberships and updates members_count; added users are the newest', () => {
  const small = new Dataset({ seed: 11, users: 400, orgs: 12, memberships: 300 });
  const victim = [...small.memberships()][0]!.public_user_data?.user_id ?? small.user(0)!.id;
  const before = small.counts();
  small.removeUsers([victim]);
  const after = small.counts();
  assert.equal(after.users, before.users - 1);
  assert.ok(after.memberships < before.memberships || ![...small.memberships()].length);
  assert.equal(small.user(victim), undefined);
  assert.ok([...small.memberships()].every((m) => m.public_user_data?.user_id !== victim));
  for (const o of small.organizations({ includeMembersCount: true })) {
    assert.equal(o.members_count, [...small.memberships()].filter((m) => m.organization!.id === o.id).length);
  }
  const newest = Math.max(...[...small.users()].map((u) => u.created_at!));
  const added = small.addUsers(3).map((id) => small.user(id)!);
  assert.ok(added.every((u) => u.created_at! > newest));
  assert.equal(small.counts().users, after.users + 3);
});

/** A full garbage collection, so heap sizes measure what is retained. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

test('100,000 users generate well under 2 s, in little memory, at ~3.5 KB of JSON each', () => {
  collectGarbage();
  const heapBefore = process.memoryUsage().heapUsed;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const big = new Dataset({ seed: 1, users: 100_000, orgs: 2_000, memberships: 20_000 });
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  collectGarbage();
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  let bytes = 0;
  for (let i = 0; i < 100_000; i += 100) bytes += JSON.stringify(big.user(i)).length;
  const perUser = bytes / 1_000;
  console.log(
    `# 100k users: ${Math.round(wallMs)} ms wall, ${Math.round((cpu.user + cpu.system) / 1000)} ms CPU, ~${Math.round(heapMb)} MB heap, ${Math.round(perUser)} bytes/user`,
  );
  // CPU time, not wall time: the assertion must hold on a machine busy with other tests.
  assert.ok((cpu.user + cpu.system) / 1000 < 2_000, `generation took ${Math.round((cpu.user + cpu.system) / 1000)} ms of CPU`);
  assert.ok(heapMb < 150, `${Math.round(heapMb)} MB`);
  assert.ok(perUser > 3_400 && perUser < 4_100, `${Math.round(perUser)} bytes per user`);
  assert.equal(big.counts().memberships, 20_000);
});
