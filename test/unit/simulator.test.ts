// The simulator over HTTP: every endpoint's responses against Clerk's OpenAPI spec, filters
// and paging, Clerk's error bodies (from the fixtures), per-key rate limits, faults, the
// request log, data changing during a read, and serving at scale.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { ClerkErrors, listEnvelope, Organization, OrganizationMembership, TotalCount, User } from '../../src/fdw/clerk/schemas.js';
import { parseSimulateArgs, runSimulateCommand, startSimulator, type Simulator } from '../../src/fdw/simulator/index.js';
import { join } from 'node:path';
import { loadClerkOpenApi, CLERK_API_DIR } from '../helpers/openapi.js';
import { simulatorRequest, type Reply } from '../helpers/simulatorHttp.js';

const SIZE = { seed: 42, users: 2_000, orgs: 120, memberships: 4_000 };
const FIXTURES = join(CLERK_API_DIR, 'fixtures');
const api = loadClerkOpenApi();
const validErrors = api.schema('ClerkErrors');

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ ...SIZE, rateLimit: false });
});
after(() => sim.close());

/** A GET with `key` (none when null), or with this Authorization header. */
const call = (s: Simulator, path: string, key: string | null = s.secretKey, authorization?: string) =>
  simulatorRequest(s, path, { authorization: authorization ?? (key === null ? null : `Bearer ${key}`) });
const get = (path: string) => call(sim, path);

async function ok(path: string): Promise<unknown> {
  const reply = await get(path);
  assert.equal(reply.status, 200, `${path}: ${reply.text.slice(0, 300)}`);
  return reply.body;
}

// A 200's body as the client's schemas read it.
const UserList = z.array(User);
const OrganizationList = listEnvelope(Organization);
const MembershipList = listEnvelope(OrganizationMembership);
const usersAt = async (path: string) => UserList.parse(await ok(path));
const organizationsAt = async (path: string) => OrganizationList.parse(await ok(path));
const membershipsAt = async (path: string) => MembershipList.parse(await ok(path));
const countAt = async (path: string) => TotalCount.parse(await ok(path)).total_count;
/** An error reply's body, or a fixture's. */
const errorsOf = (body: unknown) => ClerkErrors.parse(body).errors;

/** A fixture: an error body Clerk sent. */
function fixture(name: string): ClerkErrors {
  return ClerkErrors.parse(JSON.parse(readFileSync(`${FIXTURES}/${name}`, 'utf8')));
}

/** Every user through `order_by`, in pages of 500. */
async function allUsers(orderBy: string, extra = ''): Promise<User[]> {
  const out: User[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await usersAt(`/users?limit=500&offset=${offset}&order_by=${encodeURIComponent(orderBy)}${extra}`);
    out.push(...page);
    if (page.length < 500) return out;
  }
}

const primaryEmail = (u: User) => u.email_addresses!.find((e) => e.id === u.primary_email_address_id)?.email_address ?? null;
const dsUsers = () => [...sim.dataset.users()];

/** Ascending with nulls last (Postgres' default), ties by id. */
function assertSorted<T extends { id: string }>(rows: T[], key: (row: T) => string | number | null | undefined, label: string): void {
  for (let i = 1; i < rows.length; i++) {
    const a = key(rows[i - 1]!) ?? null;
    const b = key(rows[i]!) ?? null;
    const inOrder = a === b ? rows[i - 1]!.id < rows[i]!.id : b === null || (a !== null && a < b);
    assert.ok(inOrder, `${label}: ${JSON.stringify(a)} (${rows[i - 1]!.id}) before ${JSON.stringify(b)} (${rows[i]!.id})`);
  }
}

describe('responses match the spec', () => {
  test('every endpoint answers 200 application/json with a body valid against its OpenAPI response schema', async () => {
    const user = sim.dataset.user(17)!;
    const org = [...sim.dataset.organizations({ includeMembersCount: true })].find((o) => o.members_count! > 3)!;
    const member = [...sim.dataset.memberships()].find((m) => m.public_user_data)!.public_user_data!.user_id;
    const cases: [string, string][] = [
      ['/users?limit=50', '/users'],
      ['/users?limit=20&order_by=-email_address', '/users'],
      ['/users/count', '/users/count'],
      [`/users/${user.id}`, '/users/{user_id}'],
      [`/users/${member}/organization_memberships`, '/users/{user_id}/organization_memberships'],
      ['/organizations?limit=40', '/organizations'],
      ['/organizations?limit=40&include_members_count=true', '/organizations'],
      [`/organizations/${org.id}`, '/organizations/{organization_id}'],
      [`/organizations/${org.slug}?include_members_count=true`, '/organizations/{organization_id}'],
      [`/organizations/${org.id}/memberships?limit=100`, '/organizations/{organization_id}/memberships'],
      ['/organization_memberships?limit=300', '/organization_memberships'],
    ];
    for (const [path, specPath] of cases) {
      const reply = await get(path);
      assert.equal(reply.status, 200, path);
      assert.equal(reply.headers.get('content-type'), 'application/json', path);
      assert.deepEqual(api.response(specPath, 'get', 200)(reply.body), [], path);
    }
  });

  test('objects are the dataset objects; lists have the documented envelopes', async () => {
    const user = sim.dataset.user(5)!;
    assert.deepEqual(await ok(`/users/${user.id}`), user);
    assert.ok(Array.isArray(await ok('/users')), '/users is a bare array');
    assert.deepEqual(await ok('/users/count'), { object: 'total_count', total_count: SIZE.users });
    const orgs = await organizationsAt('/organizations');
    assert.deepEqual(Object.keys(orgs).sort(), ['data', 'total_count']);
    assert.equal(orgs.total_count, SIZE.orgs);
    const org = sim.dataset.organization(3)!;
    assert.deepEqual(await ok(`/organizations/${org.slug}`), org);
    assert.equal(Organization.parse(await ok(`/organizations/${org.id}`)).members_count, undefined);
    assert.equal(typeof Organization.parse(await ok(`/organizations/${org.id}?include_members_count=true`)).members_count, 'number');
    assert.equal((await membershipsAt('/organization_memberships')).total_count, sim.dataset.counts().memberships);
  });

  test('the same seed serves the same bytes and the same keys', async () => {
    const twin = await startSimulator({ ...SIZE, rateLimit: false });
    try {
      assert.equal(twin.secretKey, sim.secretKey);
      assert.equal(twin.liveKey, sim.liveKey);
      assert.match(sim.secretKey, /^sk_test_[0-9A-Za-z]{40}$/);
      assert.match(sim.liveKey, /^sk_live_[0-9A-Za-z]{40}$/);
      for (const path of ['/users?limit=500&offset=1000', '/organization_memberships?limit=500', '/organizations?limit=100']) {
        assert.equal((await call(twin, path)).text, (await get(path)).text, path);
      }
    } finally {
      await twin.close();
    }
  });
});

describe('paging and ordering', () => {
  test('pages of +created_at cover every user once in creation order; -created_at (the default) reverses it', async () => {
    const ascending = await allUsers('+created_at');
    assert.deepEqual(
      ascending.map((u) => u.id),
      dsUsers().map((u) => u.id),
    );
    const newest = await usersAt('/users?limit=500');
    assert.deepEqual(
      newest.map((u) => u.id),
      ascending
        .slice(-500)
        .reverse()
        .map((u) => u.id),
    );
    assert.equal((await usersAt('/users')).length, 10, 'limit defaults to 10');
    assert.deepEqual(await ok(`/users?offset=${SIZE.users}`), []);
    // A literal + arrives as a space when not percent-encoded (curl 'order_by=+created_at').
    assert.deepEqual(
      (await usersAt('/users?limit=3&order_by=+created_at')).map((u) => u.id),
      ascending.slice(0, 3).map((u) => u.id),
    );
  });

  test('order_by sorts in both directions, nulls last when ascending, ties broken by id', async () => {
    const keys: Record<string, (u: User) => string | number | null | undefined> = {
      updated_at: (u) => u.updated_at,
      last_sign_in_at: (u) => u.last_sign_in_at,
      email_address: primaryEmail,
      username: (u) => u.username,
    };
    for (const [field, key] of Object.entries(keys)) {
      const ascending = await allUsers(field);
      assert.equal(ascending.length, SIZE.users);
      assertSorted(ascending, key, field);
      const descending = await usersAt(`/users?limit=500&order_by=-${field}`);
      assert.deepEqual(
        descending.map((u) => u.id),
        ascending
          .slice(-500)
          .reverse()
          .map((u) => u.id),
        `-${field}`,
      );
    }
  });

  test('any page, asked for in any order, is its slice of the whole list, with a filter too, and after the data changed', async () => {
    const ids = (users: User[]) => users.map((u) => u.id);
    const slices = async (whole: string[], query: string) => {
      // Around the scan's marks (every 500th row), then at random, out of order.
      const asks: [number, number][] = [
        [499, 3],
        [500, 1],
        [1_001, 500],
        [0, 500],
        [1_499, 2],
        [1, 1],
        ...Array.from({ length: 12 }, (): [number, number] => [Math.floor(Math.random() * whole.length), 1 + Math.floor(Math.random() * 500)]),
      ];
      for (const [offset, limit] of asks.sort(() => Math.random() - 0.5)) {
        assert.deepEqual(
          ids(await usersAt(`/users?limit=${limit}&offset=${offset}${query}`)),
          whole.slice(offset, offset + limit),
          `offset ${offset}, limit ${limit}${query}`,
        );
      }
    };
    const newestFirst = ids(await allUsers('-created_at'));
    assert.deepEqual([...newestFirst].sort(), ids(dsUsers()).sort(), 'every user once');
    await slices(newestFirst, '');
    const since = sim.dataset.user(newestFirst[1_200]!)!.created_at;
    const filtered = ids(await allUsers('-created_at', `&created_at_after=${since}`));
    assert.deepEqual(filtered, newestFirst.slice(0, 1_200));
    await slices(filtered, `&created_at_after=${since}`);
    // A write moves a user the filter leaves out from deep in -updated_at to its front: every row
    // the filter keeps is one place further on, and the pages are still those of the new order.
    const filter = `&created_at_after=${since}`;
    const recent = ids(await allUsers('-updated_at', filter));
    const moved = ids(await allUsers('-updated_at'))
      .filter((id) => !recent.includes(id))
      .at(-1)!;
    const patch = await fetch(`${sim.url}/users/${moved}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${sim.secretKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ first_name: 'Moved' }),
    });
    assert.equal(patch.status, 200);
    assert.equal((await usersAt('/users?limit=1&order_by=-updated_at'))[0]!.id, moved);
    await slices(recent, `&order_by=-updated_at${filter}`);
  });

  test('starting_after continues after a user in created_at order, and requires that order', async () => {
    const first = await usersAt('/users?limit=7&order_by=created_at');
    const next = await usersAt(`/users?limit=7&order_by=created_at&starting_after=${first[6]!.id}`);
    assert.deepEqual(
      next.map((u) => u.id),
      (await usersAt('/users?limit=7&offset=7&order_by=created_at')).map((u) => u.id),
    );
    const newest = await usersAt(`/users?limit=3&starting_after=${first[6]!.id}`);
    assert.deepEqual(
      newest.map((u) => u.id),
      first
        .slice(3, 6)
        .reverse()
        .map((u) => u.id),
    );
    assert.equal((await get(`/users?order_by=username&starting_after=${first[0]!.id}`)).status, 422);
    assert.equal((await get(`/users?offset=5&starting_after=${first[0]!.id}`)).status, 422);
  });
});

describe('filters', () => {
  test('created_at_before and _after are exclusive bounds, as are last_sign_in_at_*', async () => {
    const users = dsUsers();
    const t = users[700]!.created_at!;
    const count = (q: string) => countAt(`/users/count?${q}`);
    assert.equal(await count(`created_at_after=${t}`), users.filter((u) => u.created_at! > t).length);
    assert.equal(await count(`created_at_before=${t}`), users.filter((u) => u.created_at! < t).length);
    assert.equal(await count(`created_at_before=${t + 1}&created_at_after=${t - 1}`), users.filter((u) => u.created_at === t).length);
    const listed = await usersAt(`/users?limit=500&created_at_after=${t}&created_at_before=${t + 30 * 86_400_000}`);
    assert.ok(listed.length > 0 && listed.every((u) => u.created_at! > t && u.created_at! < t + 30 * 86_400_000));
    const s = users[1500]!.last_sign_in_at ?? users[1501]!.last_sign_in_at!;
    assert.equal(await count(`last_sign_in_at_after=${s}`), users.filter((u) => u.last_sign_in_at !== null && u.last_sign_in_at! > s).length);
    assert.equal(await count(`last_sign_in_at_before=${s}`), users.filter((u) => u.last_sign_in_at !== null && u.last_sign_in_at! < s).length);
    assert.equal((await get('/users?created_at_after=yesterday')).status, 422);
  });

  test('user_id lists in both forms, up to 100 values, with - to exclude', async () => {
    const users = dsUsers();
    const ids = users.slice(0, 100).map((u) => u.id);
    const repeated = await usersAt(`/users?limit=500&${ids.map((id) => `user_id=${id}`).join('&')}`);
    assert.deepEqual(new Set(repeated.map((u) => u.id)), new Set(ids));
    const bracketed = await usersAt(
      `/users?limit=500&${ids
        .slice(0, 3)
        .map((id) => `user_id[]=${id}`)
        .join('&')}&user_id=user_unknown`,
    );
    assert.deepEqual(new Set(bracketed.map((u) => u.id)), new Set(ids.slice(0, 3)));
    const tooMany = await get(`/users?${[...ids, 'user_x'].map((id) => `user_id=${id}`).join('&')}`);
    assert.equal(tooMany.status, 422);
    assert.equal(errorsOf(tooMany.body)[0]!.code, 'form_param_value_invalid');
    assert.equal(await countAt(`/users/count?user_id=-${ids[0]}&user_id=-${ids[1]}`), SIZE.users - 2);
    assert.equal(await countAt(`/users/count?user_id=${ids[0]}&user_id=-${ids[0]}`), 0);
  });

  test("email_address matches any of a user's addresses, case-insensitively; identifiers combine with OR", async () => {
    const users = dsUsers();
    const multi = users.find((u) => u.email_addresses!.length > 1 && u.email_addresses![1]!.id !== u.primary_email_address_id)!;
    const secondary = multi.email_addresses![1]!.email_address;
    assert.deepEqual(
      (await usersAt(`/users?email_address=${encodeURIComponent(secondary)}`)).map((u) => u.id),
      [multi.id],
    );
    assert.deepEqual(
      (await usersAt(`/users?email_address[]=${encodeURIComponent(secondary.toUpperCase())}`)).map((u) => u.id),
      [multi.id],
    );
    const named = users.find((u) => u.username && u.id !== multi.id)!;
    const both = await usersAt(`/users?email_address=${encodeURIComponent(secondary)}&username=${named.username}`);
    assert.deepEqual(new Set(both.map((u) => u.id)), new Set([multi.id, named.id]));
    assert.deepEqual(await ok('/users?email_address=nobody@example.com'), []);
  });

  test('username, external_id, organization_id, query, banned narrow the list; /users/count agrees', async () => {
    const users = dsUsers();
    const check = async (q: string, expected: User[]) => {
      const listed = await usersAt(`/users?limit=500&${q}`);
      assert.deepEqual(listed.map((u) => u.id).sort(), expected.map((u) => u.id).sort(), q);
      assert.equal(await countAt(`/users/count?${q}`), expected.length, q);
    };
    const named = users.filter((u) => u.username).slice(0, 3);
    await check(named.map((u) => `username=${u.username}`).join('&'), named);
    const external = users.find((u) => u.external_id)!;
    await check(`external_id=${external.external_id}`, [external]);
    const org = [...sim.dataset.organizations({ includeMembersCount: true })].find((o) => o.members_count! > 5 && o.members_count! < 400)!;
    const memberIds = new Set<string | undefined>();
    for (let offset = 0; offset < org.members_count!; offset += 500) {
      for (const m of (await membershipsAt(`/organizations/${org.id}/memberships?limit=500&offset=${offset}`)).data) memberIds.add(m.public_user_data?.user_id);
    }
    const listedMembers = await usersAt(`/users?limit=500&organization_id=${org.id}`);
    assert.equal(listedMembers.length, org.members_count);
    for (const id of memberIds)
      if (id)
        assert.ok(
          listedMembers.some((u) => u.id === id),
          id,
        );
    assert.equal(await countAt(`/users/count?organization_id=-${org.id}`), SIZE.users - org.members_count!);
    const smith = users.filter((u) =>
      [
        u.id,
        u.username,
        u.first_name,
        u.last_name,
        `${u.first_name} ${u.last_name}`,
        ...u.email_addresses!.map((e) => e.email_address),
        ...u.phone_numbers!.map((p) => p.phone_number),
      ].some((v) => v?.toLowerCase().includes('smith')),
    );
    assert.ok(smith.length > 0);
    await check('query=SMITH', smith);
    await check(
      'banned=true',
      users.filter((u) => u.banned),
    );
  });

  test('organizations: organization_id, user_id, query, order_by name / members_count / created_at', async () => {
    const orgs = [...sim.dataset.organizations({ includeMembersCount: true })];
    const picked = [orgs[1]!, orgs[7]!];
    const byId = await organizationsAt(`/organizations?${picked.map((o) => `organization_id=${o.id}`).join('&')}`);
    assert.equal(byId.total_count, 2);
    assert.deepEqual(new Set(byId.data.map((o) => o.id)), new Set(picked.map((o) => o.id)));
    const membership = [...sim.dataset.memberships()].find((m) => m.public_user_data)!;
    const userId = membership.public_user_data!.user_id;
    const ofUser = await organizationsAt(`/organizations?user_id=${userId}&limit=100`);
    const viaUser = await membershipsAt(`/users/${userId}/organization_memberships?limit=100`);
    assert.deepEqual(new Set(ofUser.data.map((o) => o.id)), new Set(viaUser.data.map((m) => m.organization!.id)));
    assert.equal(ofUser.total_count, viaUser.total_count);
    const word = orgs[0]!.slug!.split('-')[0]!;
    const queried = await organizationsAt(`/organizations?limit=500&query=${word.toUpperCase()}`);
    assert.equal(queried.total_count, orgs.filter((o) => o.name!.toLowerCase().includes(word) || o.slug!.includes(word)).length);
    assert.deepEqual(
      (await organizationsAt(`/organizations?query=${orgs[4]!.id}`)).data.map((o) => o.id),
      [orgs[4]!.id],
    );
    const byName = (await organizationsAt('/organizations?limit=500&order_by=name')).data;
    assertSorted(byName, (o) => o.name, 'name');
    const bySize = (await organizationsAt('/organizations?limit=500&order_by=-members_count&include_members_count=true')).data;
    assertSorted([...bySize].reverse(), (o) => o.members_count, 'members_count');
    const oldest = (await organizationsAt('/organizations?limit=500&order_by=created_at')).data;
    assert.deepEqual(
      oldest.map((o) => o.id),
      orgs.map((o) => o.id),
    );
  });

  test('memberships of an organization: all of them past 500, role, user_id, created_at bounds, order_by', async () => {
    const orgs = [...sim.dataset.organizations({ includeMembersCount: true })];
    const biggest = orgs.reduce((a, b) => (a.members_count! > b.members_count! ? a : b));
    assert.ok(biggest.members_count! > 500, `the largest organization has ${biggest.members_count} members`);
    const first = await membershipsAt(`/organizations/${biggest.id}/memberships?limit=500&order_by=created_at`);
    const rest = await membershipsAt(`/organizations/${biggest.id}/memberships?limit=500&offset=500&order_by=created_at`);
    const all: OrganizationMembership[] = [...first.data, ...rest.data];
    assert.equal(first.total_count, biggest.members_count);
    assert.equal(all.length, Math.min(1000, biggest.members_count!));
    assert.equal(new Set(all.map((m) => m.id)).size, all.length);
    assertSorted(all, (m) => m.created_at, 'created_at');
    const admins = await membershipsAt(`/organizations/${biggest.id}/memberships?limit=500&role=org:admin`);
    assert.ok(admins.total_count > 0 && admins.data.every((m) => m.role === 'org:admin'));
    const members = await membershipsAt(`/organizations/${biggest.id}/memberships?limit=1&role[]=org:member`);
    assert.equal(admins.total_count + members.total_count, biggest.members_count);
    const someone = all.find((m) => m.public_user_data)!;
    const mine = await membershipsAt(`/organizations/${biggest.id}/memberships?user_id=${someone.public_user_data!.user_id}`);
    assert.deepEqual(
      mine.data.map((m) => m.id),
      [someone.id],
    );
    const t = all[100]!.created_at!;
    const later = await membershipsAt(`/organizations/${biggest.id}/memberships?limit=1&created_at_after=${t}`);
    assert.equal(later.total_count, [...sim.dataset.memberships()].filter((m) => m.organization!.id === biggest.id && m.created_at! > t).length);
    assert.equal((await get(`/organizations/org_nope/memberships`)).status, 404);
  });

  test('instance memberships: every membership once; per user: exactly theirs', async () => {
    const seen: OrganizationMembership[] = [];
    for (let offset = 0; ; offset += 500) {
      const page = await membershipsAt(`/organization_memberships?limit=500&offset=${offset}&order_by=%2Bcreated_at`);
      seen.push(...page.data);
      if (page.data.length < 500) break;
    }
    const expected = [...sim.dataset.memberships()];
    assert.equal(seen.length, expected.length);
    assert.deepEqual(new Set(seen.map((m) => m.id)), new Set(expected.map((m) => m.id)));
    assertSorted(seen, (m) => m.created_at, 'created_at');
    const userId = expected.find((m) => m.public_user_data)!.public_user_data!.user_id;
    const theirs = await membershipsAt(`/users/${userId}/organization_memberships`);
    assert.deepEqual(
      theirs.data.map((m) => m.id).sort(),
      expected
        .filter((m) => m.public_user_data?.user_id === userId)
        .map((m) => m.id)
        .sort(),
    );
    assert.deepEqual(await ok('/users/user_unknown/organization_memberships'), { data: [], total_count: 0 });
  });
});

describe("errors carry Clerk's bodies", () => {
  function assertClerkError(reply: Reply, status: number, expected: unknown): void {
    assert.equal(reply.status, status, reply.text);
    assert.equal(reply.headers.get('content-type'), 'application/json');
    assert.deepEqual(validErrors(reply.body), []);
    const body = ClerkErrors.parse(reply.body);
    assert.deepEqual(body.errors, [expected]);
    assert.equal(typeof body.clerk_trace_id, 'string');
    assert.ok(body.clerk_trace_id!.length > 0);
  }

  test('401: a missing or malformed header, a wrong key', async () => {
    const format = fixture('assembled-error-401-authorization_header_format_invalid.json').errors[0]!;
    assertClerkError(await call(sim, '/users', null), 401, format);
    assertClerkError(await call(sim, '/users', null, `Token ${sim.secretKey}`), 401, format);
    assertClerkError(await call(sim, '/users', null, 'Bearer'), 401, format);
    const invalid = fixture('error-401-clerk_key_invalid--captured-clerk-sdk-python-issue-26.json').errors[0]!;
    assertClerkError(await call(sim, '/users', 'sk_test_wrong'), 401, invalid);
    assertClerkError(await call(sim, '/users', 'sk_live_wrong'), 401, invalid);
    assertClerkError(await call(sim, '/users/count', sim.secretKey.replace('sk_test_', 'sk_live_')), 401, invalid);
    assert.equal((await call(sim, '/users/count', sim.liveKey)).status, 200);
  });

  test('404: unknown path, user, organization', async () => {
    assertClerkError(await get('/nothing/here'), 404, { code: 'resource_not_found', message: 'not found', long_message: 'Resource not found' });
    assertClerkError(await get('/users/'), 404, { code: 'resource_not_found', message: 'not found', long_message: 'Resource not found' });
    const user = fixture('assembled-error-404-resource_not_found-user.json').errors[0]!;
    assertClerkError(await get('/users/user_nope'), 404, { ...user, long_message: user.long_message!.replace('<userID>', 'user_nope') });
    const org = fixture('assembled-error-404-resource_not_found-organization.json').errors[0]!;
    assertClerkError(await get('/organizations/org_nope'), 404, org);
  });

  test('422: limit must be an integer in 1..500, offset >= 0, order_by a known field', async () => {
    const captured = fixture('error-422-limit-form_param_value_invalid--captured-clerk-sdk-python-issue-8.json').errors[0]!;
    const expected = (param: string, value: string) => ({
      ...captured,
      long_message: `${value} does not match one of the allowed values for parameter ${param}`,
    });
    assertClerkError(await get(`/organizations/${sim.dataset.organization(0)!.id}/memberships?limit=10.0`), 422, captured);
    assertClerkError(await get('/organizations/org_unknown/memberships?limit=10.0'), 422, captured);
    for (const limit of ['10.0', '0', '501', 'abc', '-1', '1e2']) assertClerkError(await get(`/users?limit=${limit}`), 422, expected('limit', limit));
    for (const offset of ['-1', '2.5', 'x']) assertClerkError(await get(`/organizations?offset=${offset}`), 422, expected('offset', offset));
    assertClerkError(await get('/organization_memberships?order_by=-nope'), 422, expected('order_by', '-nope'));
    assert.equal((await get('/users?limit=500&offset=0')).status, 200);
    assert.equal((await get('/users?limit=1')).status, 200);
  });
});

describe('rate limits', () => {
  test('a sliding window per key: N requests, then 429 with Retry-After until the oldest leaves the window', async () => {
    const windowMs = 1_200;
    const limited = await startSimulator({ seed: 1, users: 30, orgs: 2, memberships: 5, rateLimit: { test: 5, live: 8, windowMs } });
    try {
      const statuses = async (key: string, n: number) => {
        const out: number[] = [];
        for (let i = 0; i < n; i++) out.push((await call(limited, '/users/count', key)).status);
        return out;
      };
      // Arrival times as the server saw them.
      const arrival = (i: number) => limited.log.entries[i]!.timestamp;
      assert.deepEqual(await statuses(limited.secretKey, 3), [200, 200, 200]);
      await sleep(windowMs / 2);
      assert.deepEqual(await statuses(limited.secretKey, 2), [200, 200]);
      const rejected = await call(limited, '/users/count');
      assert.equal(rejected.status, 429);
      assert.deepEqual(errorsOf(rejected.body), fixture('assembled-error-429-too_many_requests.json').errors);
      assert.deepEqual(validErrors(rejected.body), []);
      const retryAfter = Number(rejected.headers.get('retry-after'));
      assert.equal(retryAfter, Math.ceil((arrival(0) + windowMs - arrival(5)) / 1000), 'seconds until the oldest request leaves the window');
      // The live key has a budget of its own.
      assert.deepEqual(await statuses(limited.liveKey, 9), [200, 200, 200, 200, 200, 200, 200, 200, 429]);
      // Once the first three left the window, three more (not five: the next two are still in
      // it; and the rejected requests did not count) are admitted.
      await sleep(Math.max(0, arrival(2) + windowMs + 50 - Date.now()));
      assert.deepEqual(await statuses(limited.secretKey, 4), [200, 200, 200, 429]);
      assert.equal(limited.log.count('GET /v1/users/count', 429), 3);
    } finally {
      await limited.close();
    }
  });

  test("Clerk's defaults: 100 requests per 10 s for sk_test_, 1000 for sk_live_", async () => {
    const clerk = await startSimulator({ seed: 1, users: 10, orgs: 1, memberships: 1 });
    try {
      const burst = async (key: string, n: number) => {
        const statuses: number[] = [];
        for (let i = 0; i < n; i += 50) {
          const batch = Array.from({ length: Math.min(50, n - i) }, () => call(clerk, '/users/count', key));
          statuses.push(...(await Promise.all(batch)).map((r) => r.status));
        }
        return statuses;
      };
      const test = await burst(clerk.secretKey, 101);
      assert.equal(test.filter((s) => s === 200).length, 100);
      const rejected = await call(clerk, '/users/count');
      assert.equal(rejected.status, 429);
      const retryAfter = Number(rejected.headers.get('retry-after'));
      assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 10, String(retryAfter));
      const live = await burst(clerk.liveKey, 1001);
      assert.equal(live.filter((s) => s === 200).length, 1000);
      assert.equal(live.filter((s) => s === 429).length, 1);
    } finally {
      await clerk.close();
    }
  });
});

describe('faults', () => {
  before(() => sim.configure({ faultRate: 0, latencyMs: 0 }));

  test('injected 500s and 429 storms fail exactly the next requests', async () => {
    sim.injectFaults(['500', '500']);
    const internal = fixture('assembled-error-500-internal_clerk_error.json').errors;
    for (let i = 0; i < 2; i++) {
      const reply = await get('/users/count');
      assert.equal(reply.status, 500);
      assert.deepEqual(errorsOf(reply.body), internal);
      assert.deepEqual(validErrors(reply.body), []);
    }
    assert.equal((await get('/users/count')).status, 200);
    sim.inject429(2, 7);
    for (let i = 0; i < 2; i++) {
      const reply = await get('/users?limit=1');
      assert.equal(reply.status, 429);
      assert.equal(reply.headers.get('retry-after'), '7');
      assert.equal(errorsOf(reply.body)[0]!.code, 'too_many_requests');
    }
    assert.equal((await get('/users?limit=1')).status, 200);
  });

  test('reset destroys the connection; truncate sends a 200 whose JSON is cut mid-way', async () => {
    sim.injectFaults(['reset']);
    await assert.rejects(get('/users?limit=5'));
    const whole = await get('/users?limit=5');
    sim.injectFaults(['truncate']);
    const cut = await get('/users?limit=5');
    assert.equal(cut.status, 200);
    assert.equal(cut.body, undefined, 'not valid JSON');
    assert.ok(cut.text.length > 0 && cut.text.length < whole.text.length && whole.text.startsWith(cut.text));
    assert.equal((await get('/users?limit=5')).text, whole.text);
  });

  test('a fault rate fails about that share of requests, the same ones for the same seed', async () => {
    const runs: number[][] = [];
    for (let run = 0; run < 2; run++) {
      const faulty = await startSimulator({ seed: 5, users: 20, orgs: 1, memberships: 1, rateLimit: false, faultRate: 0.3, faultKinds: ['500'] });
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 200; i++) statuses.push((await call(faulty, '/users/count')).status);
        runs.push(statuses);
      } finally {
        await faulty.close();
      }
    }
    const failed = runs[0]!.filter((s) => s === 500).length;
    assert.ok(failed > 35 && failed < 85, `${failed} of 200 failed`);
    assert.deepEqual(runs[0], runs[1]);
    assert.throws(() => sim.configure({ faultRate: 1.5 }), /faultRate/);
    assert.throws(() => sim.configure({ faultKinds: ['boom' as '500'] }), /unknown fault/);
  });

  test('latency is added before every response', async () => {
    sim.configure({ latencyMs: 150 });
    try {
      const started = performance.now();
      await get('/users/count');
      assert.ok(performance.now() - started >= 145);
    } finally {
      sim.configure({ latencyMs: 0 });
    }
  });
});

describe('request log', () => {
  test('records method, path, endpoint, parsed query, status, time and key type; counts by endpoint', async () => {
    sim.log.reset();
    const started = Date.now();
    await get('/users?limit=2&user_id=a&user_id=b&user_id[]=c');
    await get('/users?limit=2');
    await call(sim, '/users/count', sim.liveKey);
    await call(sim, '/organizations/org_nope', 'sk_test_nope');
    await call(sim, '/organizations', null);
    sim.injectFaults(['500']);
    await get(`/users/${sim.dataset.user(0)!.id}`);
    assert.equal(sim.log.count(), 6);
    assert.equal(sim.log.count('GET /v1/users'), 2);
    assert.equal(sim.log.count('GET /v1/users/{user_id}', 500), 1);
    assert.deepEqual(sim.log.countByEndpoint(), {
      'GET /v1/users': 2,
      'GET /v1/users/count': 1,
      'GET /v1/organizations/{organization_id}': 1,
      'GET /v1/organizations': 1,
      'GET /v1/users/{user_id}': 1,
    });
    const [first, , live, wrong, missing, faulted] = sim.log.entries;
    assert.deepEqual(
      { method: first!.method, path: first!.path, query: first!.query, status: first!.status, keyType: first!.keyType },
      { method: 'GET', path: '/v1/users', query: { limit: '2', user_id: ['a', 'b'], 'user_id[]': 'c' }, status: 200, keyType: 'test' },
    );
    assert.ok(first!.timestamp >= started && first!.timestamp <= Date.now());
    assert.deepEqual([live!.keyType, wrong!.keyType, wrong!.status, missing!.keyType, missing!.status], ['live', 'invalid', 401, 'missing', 401]);
    assert.equal(faulted!.fault, '500');
    sim.log.reset();
    assert.equal(sim.log.count(), 0);
  });
});

describe('data changing during a read', () => {
  async function read(s: Simulator, orderBy: string, onPage?: (offset: number) => void): Promise<User[]> {
    const out: User[] = [];
    for (let offset = 0; ; offset += 200) {
      onPage?.(offset);
      const page = UserList.parse((await call(s, `/users?limit=200&offset=${offset}&order_by=${encodeURIComponent(orderBy)}`)).body);
      out.push(...page);
      if (page.length < 200) return out;
    }
  }

  test('users added mid-read land at the end of +created_at pages, and shift -created_at pages (repeats)', async () => {
    const changing = await startSimulator({ seed: 3, users: 1_000, orgs: 3, memberships: 10, rateLimit: false });
    try {
      let added: string[] = [];
      changing.configure({
        onRequest: (r) => {
          if (r.endpoint === 'GET /v1/users' && r.query.offset === '400' && added.length === 0) added = changing.addUsers(30);
        },
      });
      const ascending = await read(changing, '+created_at');
      assert.equal(ascending.length, 1_030);
      assert.equal(new Set(ascending.map((u) => u.id)).size, 1_030);
      assert.deepEqual(
        ascending.slice(-30).map((u) => u.id),
        added,
      );
      changing.configure({ onRequest: (r) => void (r.query.offset === '400' && changing.addUsers(30)) });
      const descending = await read(changing, '-created_at');
      assert.equal(descending.length - new Set(descending.map((u) => u.id)).size, 30, 'offset paging repeats the shifted rows');
    } finally {
      await changing.close();
    }
  });

  test('users removed mid-read make offset paging skip rows; counts and memberships follow', async () => {
    const changing = await startSimulator({ seed: 4, users: 1_000, orgs: 5, memberships: 200, rateLimit: false });
    try {
      const victims = [...changing.dataset.users()].slice(0, 10).map((u) => u.id);
      const all = [...changing.dataset.users()].map((u) => u.id);
      const rows = await read(changing, '+created_at', (offset) => offset === 400 && changing.removeUsers(victims));
      const seen = new Set(rows.map((u) => u.id));
      const missed = all.filter((id) => !victims.includes(id) && !seen.has(id));
      assert.deepEqual(missed, all.slice(400, 410), 'the 10 rows the deletion shifted under the offset are skipped');
      assert.equal(TotalCount.parse((await call(changing, '/users/count')).body).total_count, 990);
      assert.equal((await call(changing, `/users/${victims[0]}`)).status, 404);
      const memberships = MembershipList.parse((await call(changing, '/organization_memberships?limit=500')).body);
      assert.equal(memberships.total_count, changing.dataset.counts().memberships);
      assert.ok(memberships.data.every((m) => !victims.includes(m.public_user_data?.user_id ?? '')));
    } finally {
      await changing.close();
    }
  });
});

describe('at scale', () => {
  test('100,000 users: a page of 500 is ~1.75-2 MB and served quickly', async () => {
    const started = performance.now();
    const big = await startSimulator({ seed: 1, users: 100_000, orgs: 2_000, memberships: 20_000, rateLimit: false });
    const startMs = performance.now() - started;
    try {
      const timings: number[] = [];
      let size = 0;
      for (const offset of [0, 50_000, 99_500]) {
        const t = performance.now();
        const reply = await call(big, `/users?limit=500&offset=${offset}&order_by=%2Bcreated_at`);
        timings.push(performance.now() - t);
        assert.equal(UserList.parse(reply.body).length, 500);
        size = Buffer.byteLength(reply.text);
        assert.ok(size > 1_750_000 && size < 2_000_000, `${size} bytes`);
      }
      assert.equal(TotalCount.parse((await call(big, '/users/count')).body).total_count, 100_000);
      const memberships = await call(big, '/organization_memberships?limit=500');
      assert.equal(MembershipList.parse(memberships.body).total_count, 20_000);
      console.log(
        `# 100k users: started in ${Math.round(startMs)} ms; pages of 500 (${(size / 1e6).toFixed(2)} MB) in ${timings.map((t) => Math.round(t)).join(', ')} ms`,
      );
    } finally {
      await big.close();
    }
  });
});

describe('clerk-notebook simulate', () => {
  test('parses its options', () => {
    assert.deepEqual(parseSimulateArgs([]), {
      port: 8787,
      seed: undefined,
      users: undefined,
      orgs: undefined,
      memberships: undefined,
      waitlist: undefined,
      invitations: undefined,
      now: undefined,
      latencyMs: undefined,
      faultRate: undefined,
      faultKinds: undefined,
      rateLimit: undefined,
    });
    const parsed = parseSimulateArgs([
      '--port',
      '0',
      '--seed',
      '9',
      '--users',
      '100',
      '--waitlist',
      '7',
      '--faults',
      '500,reset',
      '--fault-rate',
      '0.1',
      '--rate-limit',
      '20',
      '--now',
      '2025-01-01T00:00:00Z',
    ]);
    assert.ok(parsed !== 'help');
    assert.deepEqual(
      [parsed.port, parsed.seed, parsed.users, parsed.waitlist, parsed.faultKinds, parsed.faultRate, parsed.rateLimit, parsed.now],
      [0, 9, 100, 7, ['500', 'reset'], 0.1, { test: 20, live: 20 }, Date.UTC(2025, 0, 1)],
    );
    const unlimited = parseSimulateArgs(['--rate-limit', '0']);
    assert.equal(unlimited !== 'help' && unlimited.rateLimit, false);
    assert.equal(parseSimulateArgs(['--help']), 'help');
    assert.throws(() => parseSimulateArgs(['--users', '-3']), /--users/);
    assert.throws(() => parseSimulateArgs(['--faults', 'boom']), /--faults/);
    assert.throws(() => parseSimulateArgs(['--fault-rate', '2']), /--fault-rate/);
    assert.throws(() => parseSimulateArgs(['--bogus']));
  });

  test('prints the base URL, the keys, the counts and a curl line that works, and stops on SIGTERM', async () => {
    let out = '';
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = (chunk: string) => {
      out += chunk;
      return true;
    };
    let running: Promise<number>;
    try {
      running = runSimulateCommand(['--port', '0', '--users', '300', '--orgs', '4', '--memberships', '20']);
      let exited: unknown;
      running.then(
        (code) => (exited = code),
        (err: unknown) => (exited = err),
      );
      for (let waited = 0; !out.includes('Ctrl-C'); waited += 10) {
        assert.equal(exited, undefined, 'the command ended before printing its banner');
        assert.ok(waited < 10_000, 'no banner after 10 s');
        await sleep(10);
      }
    } finally {
      process.stdout.write = write;
    }
    const url = /http:\/\/127\.0\.0\.1:\d+\/v1/.exec(out)![0];
    const key = /sk_test_[0-9A-Za-z]+/.exec(out)![0];
    assert.match(out, /sk_live_[0-9A-Za-z]+/);
    assert.match(out, /300 users, 4 organizations, 20 memberships/);
    assert.match(out, new RegExp(`curl -H "Authorization: Bearer ${key}" "${url}/users\\?limit=2"`));
    const res = await fetch(`${url}/users?limit=2`, { headers: { Authorization: `Bearer ${key}` } });
    assert.equal(((await res.json()) as unknown[]).length, 2);
    process.emit('SIGTERM');
    assert.equal(await running!, 0);
    await assert.rejects(fetch(`${url}/users?limit=2`));
  });
});
