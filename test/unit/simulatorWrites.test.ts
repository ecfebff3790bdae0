// The simulator's write endpoints: created, updated and deleted objects over real HTTP, read
// back through the project's own ClerkClient (lists, counts, single objects), checked
// against Clerk's 2026-05-12 OpenAPI description, plus errors, auth and the rate limit.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ClerkClient } from '../../src/fdw/clerk/client.js';
import { RateLimiter } from '../../src/fdw/clerk/rateLimiter.js';
import type { ReadRequest } from '../../src/fdw/clerk/reads.js';
import type { ClerkObject, Organization, OrganizationMembership, User } from '../../src/fdw/clerk/schemas.js';
import { startSimulator, type Simulator } from '../../src/fdw/simulator/index.js';
import { SimulatorPool } from '../../src/fdw/simulator/pool.js';
import { parseSimulatorUrl } from '../../src/fdw/simulator/url.js';
import { loadClerkOpenApi, NEWEST_OPENAPI_SPEC } from '../helpers/openapi.js';
import { simulatorRequest, type Reply } from '../helpers/simulatorHttp.js';

const SIZE = { seed: 7, users: 300, orgs: 12, memberships: 120 };
const api = loadClerkOpenApi(NEWEST_OPENAPI_SPEC);
const validErrors = api.schema('ClerkErrors');
const CLERK_ID = (prefix: string) => new RegExp(`^${prefix}_[0-9A-Za-z]{27}$`);

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ ...SIZE, rateLimit: false });
});
after(() => sim.close());

const send = (s: Simulator, method: string, path: string, body?: unknown, authorization?: string | null) =>
  simulatorRequest(s, path, { method, body, authorization });

/** A 200 write whose body is valid against the spec's response for `method specPath`. */
async function write<T>(method: string, path: string, specPath: string, body?: unknown): Promise<T> {
  const reply = await send(sim, method, path, body);
  assert.equal(reply.status, 200, `${method} ${path}: ${JSON.stringify(reply.body).slice(0, 300)}`);
  assert.deepEqual(api.response(specPath, method.toLowerCase(), 200)(reply.body), [], `${method} ${specPath}`);
  return reply.body as T;
}

async function get<T>(path: string): Promise<T> {
  const reply = await send(sim, 'GET', path);
  assert.equal(reply.status, 200, `GET ${path}: ${JSON.stringify(reply.body).slice(0, 300)}`);
  return reply.body as T;
}

/** Clerk's error envelope with one error of this status and code. */
function assertError(reply: Reply, status: number, code: string): void {
  assert.equal(reply.status, status, JSON.stringify(reply.body));
  assert.deepEqual(validErrors(reply.body), []);
  assert.equal((reply.body as { errors: { code: string }[] }).errors[0]?.code, code);
}

const client = () => new ClerkClient({ secretKey: sim.secretKey, apiUrl: sim.url, limiter: new RateLimiter({ requests: 10_000, windowMs: 1_000 }) });

async function readAll<T extends ClerkObject>(req: ReadRequest): Promise<T[]> {
  const out: T[] = [];
  for await (const batch of client().read(req)) out.push(...(batch as T[]));
  return out;
}

const count = async (query = '') => (await get<{ total_count: number }>(`/users/count${query}`)).total_count;
const byId = <T extends { id: string }>(rows: T[], id: string) => rows.find((r) => r.id === id);

/** A live user with at least one membership, and that membership's organization. */
function memberWithOrganization(): { user: string; org: string } {
  const m = [...sim.dataset.memberships()].find((x) => x.public_user_data)!;
  return { user: m.public_user_data!.user_id, org: m.organization!.id };
}

describe('users', () => {
  test('POST /users creates a user every read returns, with Clerk ids and ms timestamps', async () => {
    const usersBefore = await count();
    const started = Date.now();
    const created = await write<User>('POST', '/users', '/users', {
      email_address: ['Ada.Lovelace@Example.com', 'ada@analytical.engine.org'],
      phone_number: ['+15555550123'],
      first_name: 'Ada',
      last_name: 'Lovelace',
      username: 'ada_l',
      external_id: 'ext-ada-1',
      password: 'correct horse battery',
      public_metadata: { plan: 'pro' },
      private_metadata: { crm: 42 },
      unsafe_metadata: { theme: 'dark' },
    });
    assert.match(created.id, CLERK_ID('user'));
    assert.ok(created.created_at! >= started && created.created_at! <= Date.now());
    assert.equal(created.updated_at, created.created_at);
    assert.deepEqual(
      created.email_addresses!.map((e) => e.email_address),
      ['ada.lovelace@example.com', 'ada@analytical.engine.org'],
    );
    assert.equal(created.primary_email_address_id, created.email_addresses![0]!.id);
    assert.equal(created.primary_phone_number_id, created.phone_numbers![0]!.id);
    assert.equal(created.password_enabled, true);
    assert.deepEqual([created.public_metadata, created.private_metadata, created.unsafe_metadata], [{ plan: 'pro' }, { crm: 42 }, { theme: 'dark' }]);
    assert.equal(created.last_sign_in_at, null);

    // Every column, through the client: by id, by identifier filters, and in the full scan.
    assert.deepEqual(await readAll<User>({ object: 'users', filter: { user_id: [created.id] } }), [created]);
    assert.deepEqual(await readAll<User>({ object: 'users', filter: { email_address: ['ada@analytical.engine.org'] } }), [created]);
    assert.deepEqual(await readAll<User>({ object: 'users', filter: { username: ['ada_l'], external_id: ['ext-ada-1'] } }), [created]);
    const all = await readAll<User>({ object: 'users' });
    assert.equal(all.length, usersBefore + 1);
    assert.deepEqual(byId(all, created.id), created);
    assert.deepEqual(await get(`/users/${created.id}`), created);
    assert.equal(await count(), usersBefore + 1);
    assert.equal(await count('?query=lovelace'), 1);
    // The newest user: first in the default (newest first) order.
    assert.equal((await get<User[]>('/users?limit=1'))[0]!.id, created.id);
    assert.equal(sim.dataset.user(created.id)?.id, created.id);
  });

  test('PATCH /users/{id} updates the user everywhere; order_by=-updated_at puts it first', async () => {
    const { user: id, org } = memberWithOrganization();
    const before = await get<User>(`/users/${id}`);
    const updated = await write<User>('PATCH', `/users/${id}`, '/users/{user_id}', {
      first_name: 'Grace',
      last_name: 'Hopper',
      username: 'grace_h',
      external_id: 'ext-grace',
    });
    assert.ok(updated.updated_at! > before.updated_at! && updated.updated_at! <= Date.now());
    // Only what the body names changed.
    assert.deepEqual(
      {
        ...updated,
        first_name: before.first_name,
        last_name: before.last_name,
        username: before.username,
        external_id: before.external_id,
        updated_at: before.updated_at,
      },
      before,
    );
    assert.deepEqual(await get(`/users/${id}`), updated);
    assert.deepEqual(await readAll<User>({ object: 'users', filter: { username: ['grace_h'] } }), [updated]);
    assert.deepEqual(byId(await readAll<User>({ object: 'users' }), id), updated);
    assert.equal((await get<User[]>('/users?order_by=-updated_at&limit=1'))[0]!.id, id);
    const ascending = await get<User[]>('/users?order_by=%2Bupdated_at&limit=500');
    assert.equal(ascending.at(-1)!.id, id);
    assert.equal((await get<User[]>('/users?order_by=first_name&limit=500')).find((u) => u.first_name === 'Grace')?.id, id);
    if (before.username) assert.equal(await count(`?username=${before.username}`), 0);
    assert.equal(await count('?username=grace_h'), 1);
    // Memberships show the new name (public_user_data is built from the user).
    const memberships = await readAll<OrganizationMembership>({ object: 'organization_memberships', filter: { organization_id: [org] } });
    const mine = memberships.find((m) => m.public_user_data?.user_id === id)!;
    assert.deepEqual([mine.public_user_data!.first_name, mine.public_user_data!.last_name, mine.public_user_data!.username], ['Grace', 'Hopper', 'grace_h']);

    // A second update is later still; null clears a name.
    const second = await write<User>('PATCH', `/users/${id}`, '/users/{user_id}', { first_name: null });
    assert.ok(second.updated_at! > updated.updated_at!);
    assert.equal(second.first_name, null);
  });

  test('DELETE /users/{id} answers a DeletedObject and removes the user and their memberships', async () => {
    const { user: id } = memberWithOrganization();
    const orgsBefore = await readAll<Organization>({ object: 'organizations', filter: { user_id: [id] } });
    assert.ok(orgsBefore.length > 0);
    const counts = await Promise.all(orgsBefore.map((o) => get<Organization>(`/organizations/${o.id}?include_members_count=true`)));
    const usersBefore = await count();
    assert.deepEqual(await write('DELETE', `/users/${id}`, '/users/{user_id}'), { id, object: 'user', deleted: true });
    assertError(await send(sim, 'GET', `/users/${id}`), 404, 'resource_not_found');
    assert.equal(await count(), usersBefore - 1);
    assert.equal(byId(await readAll<User>({ object: 'users' }), id), undefined);
    const memberships = await readAll<OrganizationMembership>({ object: 'organization_memberships' });
    assert.deepEqual(
      memberships.filter((m) => m.public_user_data?.user_id === id),
      [],
    );
    assert.deepEqual((await get<{ total_count: number }>(`/users/${id}/organization_memberships`)).total_count, 0);
    for (const o of counts) {
      const now = await get<Organization>(`/organizations/${o.id}?include_members_count=true`);
      assert.equal(now.members_count, o.members_count! - 1);
    }
    assertError(await send(sim, 'DELETE', `/users/${id}`), 404, 'resource_not_found');
  });
});

test('PATCH primary_email_address_id switches to another verified address; email ordering follows', async () => {
  const created = await write<User>('POST', '/users', '/users', { email_address: ['zz-first@example.com', 'aa-second@example.com'] });
  const second = created.email_addresses![1]!.id;
  const updated = await write<User>('PATCH', `/users/${created.id}`, '/users/{user_id}', { primary_email_address_id: second });
  assert.equal(updated.primary_email_address_id, second);
  const byEmail = await get<User[]>(`/users?order_by=email_address&limit=500&user_id=${created.id}`);
  assert.deepEqual(byEmail, [updated]);
  assert.deepEqual(await readAll<User>({ object: 'users', filter: { user_id: [created.id] } }), [updated]);
});

describe('organizations', () => {
  test('POST, PATCH and DELETE /organizations, with the creator as first admin', async () => {
    const creator = sim.dataset.user(3)!.id;
    const orgsBefore = (await readAll<Organization>({ object: 'organizations' })).length;
    const created = await write<Organization>('POST', '/organizations', '/organizations', {
      name: 'Acme Rockets',
      created_by: creator,
      max_allowed_memberships: 25,
      public_metadata: { tier: 'gold' },
      private_metadata: { stripe: 'cus_1' },
    });
    assert.match(created.id, CLERK_ID('org'));
    assert.equal(created.slug, 'acme-rockets');
    assert.equal(created.created_by, creator);
    assert.equal(created.updated_at, created.created_at);
    assert.ok(Math.abs(created.created_at! - Date.now()) < 5_000);
    assert.equal(created.members_count, undefined);
    assert.deepEqual(await get(`/organizations/acme-rockets`), created);
    const withCount = await get<Organization>(`/organizations/${created.id}?include_members_count=true`);
    assert.deepEqual(withCount, { ...created, members_count: 1, pending_invitations_count: 0 });
    // The client asks for the counts.
    const all = await readAll<Organization>({ object: 'organizations' });
    assert.equal(all.length, orgsBefore + 1);
    assert.deepEqual(byId(all, created.id), withCount);
    const [admin] = await readAll<OrganizationMembership>({ object: 'organization_memberships', filter: { organization_id: [created.id] } });
    assert.equal(admin?.role, 'org:admin');
    assert.equal(admin?.public_user_data?.user_id, creator);
    assert.match(admin.id, CLERK_ID('orgmem'));
    assert.deepEqual(admin?.organization, withCount);
    assert.deepEqual((await readAll<Organization>({ object: 'organizations', filter: { user_id: [creator] } })).map((o) => o.id).includes(created.id), true);

    const updated = await write<Organization>('PATCH', `/organizations/${created.id}`, '/organizations/{organization_id}', {
      name: 'Acme Spaceships',
      slug: 'acme-space',
      max_allowed_memberships: 30,
    });
    assert.ok(updated.updated_at! > created.updated_at!);
    assert.deepEqual({ ...updated, name: created.name, slug: created.slug, max_allowed_memberships: 25, updated_at: created.updated_at }, created);
    assert.deepEqual(byId(await readAll<Organization>({ object: 'organizations' }), created.id), {
      ...updated,
      members_count: 1,
      pending_invitations_count: 0,
    });
    assertError(await send(sim, 'GET', '/organizations/acme-rockets'), 404, 'resource_not_found');
    assert.deepEqual(await get('/organizations/acme-space'), updated);
    const [first] = (await get<{ data: Organization[] }>('/organizations?order_by=name&query=acme')).data;
    assert.equal(first?.name, 'Acme Spaceships');

    const membershipsBefore = (await readAll<OrganizationMembership>({ object: 'organization_memberships' })).length;
    assert.deepEqual(await write('DELETE', `/organizations/${created.id}`, '/organizations/{organization_id}'), {
      id: created.id,
      object: 'organization',
      deleted: true,
    });
    assert.equal((await readAll<Organization>({ object: 'organizations' })).length, orgsBefore);
    assertError(await send(sim, 'GET', `/organizations/${created.id}`), 404, 'resource_not_found');
    assertError(await send(sim, 'GET', `/organizations/${created.id}/memberships`), 404, 'resource_not_found');
    assert.equal((await readAll<OrganizationMembership>({ object: 'organization_memberships' })).length, membershipsBefore - 1);
    assert.equal(await count(`?organization_id=${created.id}`), 0);
    assert.equal(sim.dataset.counts().orgs, orgsBefore);
  });
});

describe('memberships', () => {
  test('POST, PATCH and DELETE memberships keep lists, filters and members_count right', async () => {
    const org = (await get<{ data: Organization[] }>('/organizations?order_by=members_count&include_members_count=true&limit=1')).data[0]!;
    const user = (await readAll<User>({ object: 'users' })).find((u) => u.first_name !== null)!;
    const all = (await readAll<OrganizationMembership>({ object: 'organization_memberships' })).length;
    const created = await write<OrganizationMembership>('POST', `/organizations/${org.id}/memberships`, '/organizations/{organization_id}/memberships', {
      user_id: user.id,
      role: 'org:member',
      public_metadata: { team: 'blue' },
    });
    assert.match(created.id, CLERK_ID('orgmem'));
    assert.equal(created.role, 'org:member');
    assert.deepEqual(created.public_metadata, { team: 'blue' });
    assert.equal(created.public_user_data?.first_name, user.first_name);
    assert.equal(created.organization!.members_count, org.members_count! + 1);
    assert.equal(created.updated_at, created.created_at);
    const listed = await readAll<OrganizationMembership>({ object: 'organization_memberships', filter: { organization_id: [org.id] } });
    assert.deepEqual(byId(listed, created.id), created);
    assert.deepEqual(byId(await readAll<OrganizationMembership>({ object: 'organization_memberships' }), created.id), created);
    assert.equal((await readAll<OrganizationMembership>({ object: 'organization_memberships' })).length, all + 1);
    assert.deepEqual(byId((await get<{ data: OrganizationMembership[] }>(`/users/${user.id}/organization_memberships?limit=100`)).data, created.id), created);
    assert.equal(await count(`?organization_id=${org.id}&user_id=${user.id}`), 1);
    assertError(
      await send(sim, 'POST', `/organizations/${org.id}/memberships`, { user_id: user.id, role: 'org:admin' }),
      400,
      'already_a_member_in_organization',
    );

    const promoted = await write<OrganizationMembership>(
      'PATCH',
      `/organizations/${org.id}/memberships/${user.id}`,
      '/organizations/{organization_id}/memberships/{user_id}',
      { role: 'org:admin' },
    );
    assert.equal(promoted.role, 'org:admin');
    assert.equal(promoted.role_name, 'Admin');
    assert.ok(promoted.updated_at! > created.updated_at!);
    const admins = await readAll<OrganizationMembership>({ object: 'organization_memberships', filter: { organization_id: [org.id], role: ['org:admin'] } });
    assert.deepEqual(byId(admins, created.id), promoted);

    const removed = await write<OrganizationMembership>(
      'DELETE',
      `/organizations/${org.id}/memberships/${user.id}`,
      '/organizations/{organization_id}/memberships/{user_id}',
    );
    assert.equal(removed.id, created.id);
    assert.equal(removed.organization!.members_count, org.members_count);
    assert.equal((await readAll<OrganizationMembership>({ object: 'organization_memberships' })).length, all);
    assert.equal((await get<Organization>(`/organizations/${org.id}?include_members_count=true`)).members_count, org.members_count);
    assertError(await send(sim, 'DELETE', `/organizations/${org.id}/memberships/${user.id}`), 404, 'resource_not_found');
    assertError(await send(sim, 'PATCH', `/organizations/${org.id}/memberships/${user.id}`, { role: 'org:member' }), 404, 'resource_not_found');
  });

  test('max_allowed_memberships is enforced', async () => {
    const org = await write<Organization>('POST', '/organizations', '/organizations', { name: 'Tiny Team', max_allowed_memberships: 1 });
    const [a, b] = [sim.dataset.user(10)!.id, sim.dataset.user(11)!.id];
    await write('POST', `/organizations/${org.id}/memberships`, '/organizations/{organization_id}/memberships', { user_id: a, role: 'org:admin' });
    assertError(
      await send(sim, 'POST', `/organizations/${org.id}/memberships`, { user_id: b, role: 'org:member' }),
      403,
      'organization_membership_quota_exceeded',
    );
  });
});

describe('errors', () => {
  test('unknown ids are 404 resource_not_found', async () => {
    const missing = 'user_2zzzzzzzzzzzzzzzzzzzzzzzzzz';
    assertError(await send(sim, 'PATCH', `/users/${missing}`, { first_name: 'x' }), 404, 'resource_not_found');
    assertError(await send(sim, 'DELETE', `/users/${missing}`), 404, 'resource_not_found');
    assertError(await send(sim, 'PATCH', '/organizations/org_nope', { name: 'x' }), 404, 'resource_not_found');
    assertError(await send(sim, 'DELETE', '/organizations/org_nope'), 404, 'resource_not_found');
    assertError(await send(sim, 'POST', '/organizations/org_nope/memberships', { user_id: missing, role: 'org:member' }), 404, 'resource_not_found');
    const org = sim.dataset.organization(0)!.id;
    assertError(await send(sim, 'POST', `/organizations/${org}/memberships`, { user_id: missing, role: 'org:member' }), 404, 'resource_not_found');
    assertError(await send(sim, 'POST', '/organizations', { name: 'Ghost Inc', created_by: missing }), 404, 'resource_not_found');
  });

  test('duplicates are 422 form_identifier_exists', async () => {
    const taken = sim.dataset.user(20)!;
    const email =
      taken.email_addresses![0]?.email_address ??
      (await write<User>('POST', '/users', '/users', { email_address: ['dup@example.com'] })).email_addresses![0]!.email_address;
    const usersBefore = await count();
    assertError(await send(sim, 'POST', '/users', { email_address: [email.toUpperCase()] }), 422, 'form_identifier_exists');
    const named = (await readAll<User>({ object: 'users' })).find((u) => u.username && u.id !== taken.id)!;
    assertError(await send(sim, 'POST', '/users', { username: named.username }), 422, 'form_identifier_exists');
    assertError(await send(sim, 'PATCH', `/users/${taken.id}`, { username: named.username }), 422, 'form_identifier_exists');
    const slug = sim.dataset.organization(1)!.slug!;
    assertError(await send(sim, 'POST', '/organizations', { name: 'Copycat', slug }), 422, 'form_identifier_exists');
    assertError(await send(sim, 'PATCH', `/organizations/${sim.dataset.organization(2)!.id}`, { slug }), 422, 'form_identifier_exists');
    assert.equal(await count(), usersBefore);
  });

  test('bad bodies: 400 request_body_invalid, 422 form_param_*', async () => {
    assertError(await send(sim, 'POST', '/users', '{not json'), 400, 'request_body_invalid');
    assertError(await send(sim, 'POST', '/users', '[1]'), 400, 'request_body_invalid');
    assertError(await send(sim, 'POST', '/users'), 400, 'request_body_invalid');
    assertError(await send(sim, 'POST', '/users', { first_name: 'Nobody' }), 422, 'form_param_missing');
    assertError(await send(sim, 'POST', '/users', { email_address: 'x@example.com' }), 422, 'form_param_format_invalid');
    assertError(await send(sim, 'POST', '/users', { email_address: ['not-an-address'] }), 422, 'form_param_format_invalid');
    assertError(await send(sim, 'POST', '/users', { email_address: ['p@example.com'], password: 'short' }), 422, 'form_param_format_invalid');
    assertError(await send(sim, 'POST', '/users', { email_address: ['q@example.com'], favourite_color: 'red' }), 422, 'form_param_unknown');
    const user = sim.dataset.user(30)!.id;
    // Since 2026-05-12 metadata has its own endpoint: PATCH /users/{id} no longer takes it.
    assertError(await send(sim, 'PATCH', `/users/${user}`, { public_metadata: {} }), 422, 'form_param_unknown');
    assertError(await send(sim, 'PATCH', `/users/${user}`, { first_name: 5 }), 422, 'form_param_format_invalid');
    assertError(await send(sim, 'PATCH', `/users/${user}`, { primary_email_address_id: 'idn_nope' }), 422, 'form_param_value_invalid');
    assertError(await send(sim, 'POST', '/organizations', {}), 422, 'form_param_missing');
    assertError(await send(sim, 'POST', '/organizations', { name: 'Bad Slug', slug: 'Bad Slug!' }), 422, 'form_param_format_invalid');
    assertError(await send(sim, 'POST', '/organizations', { name: 'x', max_allowed_memberships: -1 }), 422, 'form_param_format_invalid');
    const org = sim.dataset.organization(0)!.id;
    assertError(await send(sim, 'POST', `/organizations/${org}/memberships`, { user_id: user }), 422, 'form_param_missing');
    assertError(await send(sim, 'POST', `/organizations/${org}/memberships`, { user_id: user, role: 'org:owner' }), 422, 'form_param_value_invalid');
  });

  test('writes need a valid key, like reads', async () => {
    assertError(await send(sim, 'POST', '/users', { email_address: ['anon@example.com'] }, null), 401, 'authorization_header_format_invalid');
    assertError(await send(sim, 'DELETE', `/users/${sim.dataset.user(40)!.id}`, undefined, 'Bearer sk_test_wrong'), 401, 'clerk_key_invalid');
    assert.ok(sim.dataset.user(40));
    assert.equal((await send(sim, 'PUT', '/users', {})).status, 404);
  });
});

describe('rate limit and faults', () => {
  let limited: Simulator;
  before(async () => {
    limited = await startSimulator({ ...SIZE, rateLimit: { test: 2, live: 2, windowMs: 60_000 } });
  });
  after(() => limited.close());

  test('a write over the limit gets 429 with Retry-After, and changes nothing', async () => {
    assert.equal((await send(limited, 'POST', '/users', { email_address: ['one@example.com'] })).status, 200);
    assert.equal((await send(limited, 'GET', '/users/count')).status, 200);
    const reply = await send(limited, 'POST', '/users', { email_address: ['two@example.com'] });
    assertError(reply, 429, 'too_many_requests');
    assert.ok(Number(reply.headers.get('retry-after')) >= 1);
    assert.equal(limited.dataset.counts().users, SIZE.users + 1);
  });

  test('an injected 500 fails the write before it happens', async () => {
    limited.resetRateLimits();
    limited.injectFaults(['500']);
    assertError(await send(limited, 'POST', '/organizations', { name: 'Faulty' }), 500, 'internal_clerk_error');
    assert.equal(limited.dataset.counts().orgs, SIZE.orgs);
  });
});

test('writes leave every other generated object as it was', async () => {
  const fresh = await startSimulator({ ...SIZE, rateLimit: false });
  try {
    const touched = new Set<string>();
    const u = fresh.dataset.user(50)!;
    touched.add(u.id);
    await send(fresh, 'PATCH', `/users/${u.id}`, { first_name: 'Changed' });
    await send(fresh, 'POST', '/users', { email_address: ['new@example.com'] });
    await send(fresh, 'POST', '/organizations', { name: 'Fresh Org' });
    const reference = await startSimulator({ ...SIZE, rateLimit: false });
    try {
      for (const user of reference.dataset.users()) if (!touched.has(user.id)) assert.deepEqual(fresh.dataset.user(user.id), user);
      for (const org of reference.dataset.organizations({ includeMembersCount: true })) {
        assert.deepEqual(fresh.dataset.organization(org.id, { includeMembersCount: true }), org);
      }
    } finally {
      await reference.close();
    }
  } finally {
    await fresh.close();
  }
});

test("the runtime's simulator: pool serves the writes too", async () => {
  const pool = new SimulatorPool();
  try {
    const endpoint = await pool.get(parseSimulatorUrl('simulator:?users=50&seed=3'));
    const headers = { Authorization: `Bearer ${endpoint.secretKey}`, 'Content-Type': 'application/json' };
    const res = await fetch(`${endpoint.url}/users`, { method: 'POST', headers, body: JSON.stringify({ username: 'pooled_user' }) });
    assert.equal(res.status, 200);
    const created = (await res.json()) as User;
    const read = await fetch(`${endpoint.url}/users?username=pooled_user`, { headers });
    assert.deepEqual(await read.json(), [created]);
    // The pool hands out the same running simulator, changed.
    assert.equal((await pool.get(parseSimulatorUrl('simulator:?users=50&seed=3'))).url, endpoint.url);
  } finally {
    await pool.close();
  }
});
