// The simulator's configuration lists (organization domains, roles, permissions and role sets, the
// app's domains, the allowlist and blocklist, OAuth applications, SAML and enterprise connections):
// every response against the 2026-05-12 spec, each filter against the full lists, paging, Clerk's
// 422 for bad values, and the data's coherence with the users, organizations and memberships.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  EnterpriseConnection,
  Organization,
  OrganizationDomain,
  OrganizationInvitation,
  OrganizationMembership,
  OrganizationRole,
  SamlConnection,
  User,
} from '../../src/fdw/clerk/schemas.js';
import { startSimulator, type Simulator } from '../../src/fdw/simulator/index.js';
import { HISTORY_MS } from '../../src/fdw/simulator/timeline.js';
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

const config = () => sim.dataset.configuration;

const get = <T = unknown>(path: string) => simulatorGet<T>(sim, path);

async function ok<T>(path: string): Promise<T> {
  const reply = await get(path);
  assert.equal(reply.status, 200, `${path}: ${JSON.stringify(reply.body)}`);
  return reply.body as T;
}

interface Envelope<T> {
  data: T[];
  total_count: number;
}

/** The ids of an envelope's rows, in order. */
async function idsAt(path: string): Promise<string[]> {
  return (await ok<Envelope<{ id: string }>>(path)).data.map((r) => r.id);
}

const idsOf = (rows: readonly { id: string }[]) => rows.map((r) => r.id);
const sorted = (ids: readonly string[]) => [...ids].sort();

/** The users, built once (building is the slow part). */
let usersCache: User[] | undefined;
const users = () => (usersCache ??= [...sim.dataset.users()]);

describe('the configuration lists answer as the spec says', () => {
  test('every list, plain and filtered, validates against the 2026-05-12 spec, with rows in it', async () => {
    const paths = [
      '/organization_domains?limit=500',
      '/organization_domains?verified=false&order_by=name',
      '/organization_domains?enrollment_mode=enterprise_sso',
      '/organization_roles',
      '/organization_permissions?limit=500',
      '/role_sets',
      '/domains',
      '/allowlist_identifiers',
      '/allowlist_identifiers?paginated=true&limit=3',
      '/blocklist_identifiers',
      '/oauth_applications?order_by=name',
      '/saml_connections?limit=500',
      '/saml_connections?order_by=-name&limit=2',
      '/enterprise_connections?limit=500',
      '/enterprise_connections?active=false',
    ];
    for (const path of paths) {
      const body = await ok<unknown>(path);
      assert.deepEqual(api.response(path.split('?')[0]!, 'get', 200)(body), [], path);
      const rows = Array.isArray(body) ? body : (body as Envelope<unknown>).data;
      assert.ok(rows.length > 0, `${path} has rows`);
    }
  });

  test("bad values get Clerk's 422 (form_param_value_invalid), in the spec's error shape where it has one", async () => {
    const bad: [path: string, param: string][] = [
      ['/organization_domains?order_by=bogus', 'order_by'],
      ['/organization_domains?verified=maybe', 'verified'],
      ['/organization_domains?limit=501', 'limit'],
      ['/organization_domains?enrollment_mode=manual_invitation,everyone', 'enrollment_mode'],
      ['/organization_domains?query=%20%20', 'query'],
      ['/organization_roles?order_by=bogus', 'order_by'],
      ['/organization_permissions?limit=0', 'limit'],
      ['/role_sets?offset=-1', 'offset'],
      ['/oauth_applications?order_by=client_id', 'order_by'],
      ['/saml_connections?order_by=bogus', 'order_by'],
      ['/saml_connections?limit=501', 'limit'],
      ['/enterprise_connections?active=maybe', 'active'],
      ['/allowlist_identifiers?paginated=maybe', 'paginated'],
      ['/allowlist_identifiers?paginated=true&limit=501', 'limit'],
    ];
    for (const [path, param] of bad) {
      const reply = await get(path);
      assert.equal(reply.status, 422, path);
      const body = reply.body as { errors: { code: string; message: string; long_message: string }[]; clerk_trace_id: string };
      assert.equal(body.errors.length, 1, path);
      assert.equal(body.errors[0]!.code, 'form_param_value_invalid', path);
      assert.match(body.errors[0]!.long_message, new RegExp(`parameter ${param}$`), path);
      assert.equal(typeof body.clerk_trace_id, 'string');
      if (!path.startsWith('/allowlist')) assert.deepEqual(api.response(path.split('?')[0]!, 'get', 422)(body), [], path);
    }
  });

  test('paging covers every row once, each page with the whole total_count', async () => {
    const lists: [path: string, all: () => { id: string }[]][] = [
      ['/organization_domains', () => config().allOrganizationDomains()],
      ['/organization_roles', () => config().allOrganizationRoles()],
      ['/organization_permissions', () => config().allOrganizationPermissions()],
      ['/role_sets', () => config().allRoleSets()],
      ['/oauth_applications', () => config().allOauthApplications()],
      ['/saml_connections', () => config().allSamlConnections()],
      ['/enterprise_connections', () => config().allEnterpriseConnections()],
    ];
    for (const [path, all] of lists) {
      const expected = idsOf(all());
      const seen: string[] = [];
      for (let offset = 0; offset < expected.length + 3; offset += 3) {
        const page = await ok<Envelope<{ id: string }>>(`${path}?limit=3&offset=${offset}`);
        assert.equal(page.total_count, expected.length, path);
        assert.ok(page.data.length <= 3);
        seen.push(...idsOf(page.data));
      }
      assert.equal(new Set(seen).size, seen.length, `${path}: a row seen twice`);
      assert.deepEqual(sorted(seen), sorted(expected), path);
    }
    // The allowlist is a bare array: whole without `paginated`, paged with it.
    const allowed = idsOf(config().allAllowlistIdentifiers());
    assert.deepEqual(sorted(idsOf(await ok<{ id: string }[]>('/allowlist_identifiers?limit=3'))), sorted(allowed));
    const pages: string[] = [];
    for (let offset = 0; offset < allowed.length; offset += 3) {
      const page = await ok<{ id: string }[]>(`/allowlist_identifiers?paginated=true&limit=3&offset=${offset}`);
      assert.equal(page.length, Math.min(3, allowed.length - offset));
      pages.push(...idsOf(page));
    }
    assert.deepEqual(sorted(pages), sorted(allowed));
    // No paging parameters in the spec: everything, in the envelope.
    const blocked = await ok<Envelope<{ id: string }>>('/blocklist_identifiers?limit=1');
    assert.deepEqual(sorted(idsOf(blocked.data)), sorted(idsOf(config().allBlocklistIdentifiers())));
    assert.equal(blocked.total_count, blocked.data.length);
  });
});

describe('organization domains', () => {
  const all = () => config().allOrganizationDomains();
  const matching = (keep: (d: OrganizationDomain) => boolean) => sorted(idsOf(all().filter(keep)));
  const filtered = async (query: string) => sorted(await idsAt(`/organization_domains?limit=500&${query}`));

  test('each filter selects exactly the matching domains', async () => {
    const domains = all();
    assert.ok(domains.length > 30, `${domains.length} domains`);
    const [a, b, c] = [domains[0]!, domains[7]!, domains[20]!];
    assert.deepEqual(await filtered(`organization_id=${a.organization_id}&organization_id=${b.organization_id}`), sorted([a.id, b.id]));
    assert.deepEqual(
      await filtered(`organization_id=-${c.organization_id}`),
      matching((d) => d.id !== c.id),
    );
    assert.deepEqual(await filtered('organization_id=org_unknown'), []);
    for (const verified of [true, false]) {
      const expected = matching((d) => (d.verification?.status === 'verified') === verified);
      assert.ok(expected.length > 0, `verified=${verified}`);
      assert.deepEqual(await filtered(`verified=${verified}`), expected);
    }
    const automatic = matching((d) => d.enrollment_mode!.startsWith('automatic_'));
    assert.ok(automatic.length > 0);
    assert.deepEqual(await filtered('enrollment_mode=automatic_invitation,automatic_suggestion'), automatic);
    assert.deepEqual(await filtered('enrollment_mode=automatic_invitation&enrollment_mode=automatic_suggestion'), automatic);
    assert.deepEqual(await filtered('enrollment_mode=-enterprise_sso,-manual_invitation'), automatic, 'exclusions compose as AND');
    assert.deepEqual(await filtered(`domains=${b.name}&domains=${c.name}&domains=nowhere.example`), sorted([b.id, c.id]));
    const fragment = a.name!.slice(1, 4);
    assert.deepEqual(
      await filtered(`query=${fragment.toUpperCase()}`),
      matching((d) => d.name!.includes(fragment)),
    );
    assert.deepEqual(await filtered(`query=${b.organization_id}`), [b.id]);
    // Filters compose.
    assert.deepEqual(
      await filtered(`verified=true&enrollment_mode=-enterprise_sso&organization_id=-${a.organization_id}`),
      matching((d) => d.verification?.status === 'verified' && d.enrollment_mode !== 'enterprise_sso' && d.id !== a.id),
    );
  });

  test('newest first by default; order_by name, either way', async () => {
    const domains = all();
    const newest = [...domains].sort((x, y) => y.created_at! - x.created_at! || (x.id < y.id ? 1 : -1));
    assert.deepEqual(await idsAt('/organization_domains?limit=500'), idsOf(newest));
    const byName = [...domains].sort((x, y) => (x.name! < y.name! ? -1 : x.name! > y.name! ? 1 : 0));
    assert.deepEqual(await idsAt('/organization_domains?limit=500&order_by=name'), idsOf(byName));
    assert.deepEqual(await idsAt('/organization_domains?limit=500&order_by=-name'), idsOf(byName).reverse());
  });

  test("they are their organizations' company domains, after the organization, SSO ones enrolling through it", () => {
    const sso = new Map(
      config()
        .allSamlConnections()
        .flatMap((s) => (s.active && s.organization_id ? [[s.organization_id, s.domains![0]]] : [])),
    );
    assert.ok(sso.size > 5);
    const modes = new Set<string>();
    for (const d of all()) {
      const org = sim.dataset.organization(d.organization_id!)!;
      assert.ok(org, d.id);
      assert.deepEqual([d.public_organization_data!.name, d.public_organization_data!.slug], [org.name, org.slug]);
      assert.ok(d.created_at! >= org.created_at! && d.updated_at! >= d.created_at! && d.updated_at! < sim.now, d.id);
      modes.add(d.enrollment_mode!);
      if (sso.has(org.id)) {
        assert.equal(sso.get(org.id), d.name, 'the connection is for the domain');
        assert.equal(d.enrollment_mode, 'enterprise_sso');
      } else assert.notEqual(d.enrollment_mode, 'enterprise_sso');
      if (d.verification?.status !== 'verified') assert.equal(d.enrollment_mode, 'manual_invitation', 'automatic modes need a verified domain');
      // A code went to an address at the domain.
      if (d.verification?.strategy === 'email_code' && d.verification.status === 'verified')
        assert.ok(d.affiliation_email_address!.endsWith(`@${d.name}`), d.id);
      assert.deepEqual(d.verification, d.affiliation_verification);
    }
    assert.deepEqual([...modes].sort(), ['automatic_invitation', 'automatic_suggestion', 'enterprise_sso', 'manual_invitation']);
  });

  test('pending invitations and suggestions are the people at the domain who are not members yet', () => {
    // From the rows: some memberships' JSON does not say whose they are.
    const { membershipRows, orgRows, userRows } = sim.dataset;
    const membersOf = new Map<string, Set<string>>();
    for (let m = 0; m < membershipRows.size; m++) {
      const org = orgRows.id[membershipRows.organization[m]!]!;
      if (!membershipRows.deleted[m]) membersOf.set(org, (membersOf.get(org) ?? new Set()).add(userRows.id[membershipRows.user[m]!]!));
    }
    // A user's first address is at their company's domain when they have one.
    const atDomain = new Map<string, string[]>();
    for (const u of users()) {
      const first = u.email_addresses?.[0]?.email_address;
      const domain = first?.split('@')[1];
      if (domain) atDomain.set(domain, [...(atDomain.get(domain) ?? []), u.id]);
    }
    let waiting = 0;
    for (const d of all()) {
      const members = membersOf.get(d.organization_id!) ?? new Set();
      const outside = (atDomain.get(d.name!) ?? []).filter((id) => !members.has(id)).length;
      const expected = (mode: string) => (d.enrollment_mode === mode ? outside : 0);
      assert.deepEqual([d.total_pending_invitations, d.total_pending_suggestions], [expected('automatic_invitation'), expected('automatic_suggestion')], d.id);
      waiting += d.total_pending_invitations! + d.total_pending_suggestions!;
    }
    assert.ok(waiting > 10, `${waiting} pending`);
  });
});

describe('roles, permissions and role sets', () => {
  test('the roles hold every role key the memberships use, with permissions that exist', async () => {
    const roles = config().allOrganizationRoles();
    const permissions = config().allOrganizationPermissions();
    const keys = new Set(roles.map((r) => r.key));
    const used = new Set([...sim.dataset.memberships()].map((m) => m.role));
    assert.deepEqual([...used].sort(), ['org:admin', 'org:member']);
    for (const key of used) assert.ok(keys.has(key), key);
    const permissionIds = new Set(idsOf(permissions));
    for (const role of roles) for (const p of role.permissions!) assert.ok(permissionIds.has(p.id), `${role.key}: ${p.key}`);
    const admin = roles.find((r) => r.key === 'org:admin')!;
    assert.deepEqual(sorted(idsOf(admin.permissions!)), sorted(idsOf(permissions)));
    assert.deepEqual(
      roles.filter((r) => r.is_creator_eligible).map((r) => r.key),
      ['org:admin'],
    );
    // Clerk's system permissions and the app's own.
    for (const p of permissions) assert.equal(p.type, p.key!.startsWith('org:sys_') ? 'system' : 'user', p.key);
    assert.ok(permissions.some((p) => p.type === 'user'));
    // The app's roles and permissions came after Clerk's, which came with the instance.
    const created = sim.now - HISTORY_MS;
    for (const r of [...roles, ...permissions]) assert.ok(r.created_at! >= created && r.updated_at! >= r.created_at! && r.updated_at! < sim.now, r.key);
    assert.deepEqual(await idsAt(`/organization_roles?query=${admin.id}`), [admin.id]);
  });

  test('query (id, part of the name or key) and order_by filter and sort each list', async () => {
    const roles = config().allOrganizationRoles();
    const byKey = idsOf([...roles].sort((a, b) => (a.key! < b.key! ? -1 : 1)));
    assert.deepEqual(await idsAt('/organization_roles?order_by=key'), byKey);
    assert.deepEqual(await idsAt('/organization_roles?order_by=-key'), [...byKey].reverse());
    assert.deepEqual(
      sorted(await idsAt('/organization_roles?query=BILLING')),
      sorted(idsOf(roles.filter((r) => /billing/i.test(r.name!) || /billing/i.test(r.key!)))),
    );
    const permissions = config().allOrganizationPermissions();
    const billing = permissions.filter((p) => p.key!.includes('sys_billing'));
    assert.equal(billing.length, 2);
    assert.deepEqual(sorted(await idsAt('/organization_permissions?query=sys_billing')), sorted(idsOf(billing)));
    const byName = idsOf([...permissions].sort((a, b) => (a.name! < b.name! ? -1 : a.name! > b.name! ? 1 : a.id < b.id ? -1 : 1)));
    assert.deepEqual(await idsAt('/organization_permissions?order_by=name&limit=500'), byName);
    const sets = config().allRoleSets();
    assert.deepEqual(await idsAt('/role_sets?query=partner'), idsOf(sets.filter((s) => s.key === 'role_set:partners')));
  });

  test("memberships and invitations carry their role's name, memberships its permission keys, as /organization_roles lists them", async () => {
    const roles = new Map((await ok<Envelope<OrganizationRole>>('/organization_roles?limit=500')).data.map((r) => [r.key, r]));
    const memberships = (await ok<Envelope<OrganizationMembership>>('/organization_memberships?limit=500')).data;
    for (const m of memberships) {
      const role = roles.get(m.role)!;
      assert.ok(role, `${m.id}: ${m.role} is listed`);
      assert.deepEqual([m.role_name, m.permissions], [role.name, role.permissions!.map((p) => p.key)], m.id);
    }
    assert.deepEqual(sorted([...new Set(memberships.map((m) => m.role!))]), ['org:admin', 'org:member']);
    // Keys shaped like Clerk's (`org:posts:read`).
    for (const key of memberships.flatMap((m) => m.permissions!)) assert.match(key, /^org:[a-z_]+:[a-z_]+$/);
    for (const i of (await ok<Envelope<OrganizationInvitation>>('/organization_invitations?limit=500')).data)
      assert.equal(i.role_name, roles.get(i.role)?.name, i.id);
  });

  test('one initial role set, holding its default and creator roles, counting the members of each', () => {
    const sets = config().allRoleSets();
    const initial = sets.filter((s) => s.type === 'initial');
    assert.equal(initial.length, 1);
    const roleIds = new Set(idsOf(config().allOrganizationRoles()));
    for (const set of sets) {
      const keys = set.roles!.map((r) => r.key);
      assert.ok(keys.includes(set.default_role!.key) && keys.includes(set.creator_role!.key), set.key);
      for (const r of set.roles!) assert.ok(roleIds.has(r.id as string), `${set.key}: ${r.key}`);
    }
    assert.deepEqual([initial[0]!.default_role!.key, initial[0]!.creator_role!.key], ['org:member', 'org:admin']);
    const held = new Map<string, number>();
    for (const m of sim.dataset.memberships()) held.set(m.role!, (held.get(m.role!) ?? 0) + 1);
    for (const r of initial[0]!.roles!) assert.equal(r.members_count, held.get(r.key!) ?? 0, r.key);
  });
});

describe('SAML and enterprise connections', () => {
  test("the connections are their organizations', for their domains; user_count counts the users signing in through them", () => {
    const connections = config().allSamlConnections();
    assert.ok(connections.length > 5, `${connections.length} connections`);
    const signingIn = new Map<string, number>();
    for (const u of users()) {
      for (const account of (u.enterprise_accounts ?? []) as { enterprise_connection_id: string }[]) {
        signingIn.set(account.enterprise_connection_id, (signingIn.get(account.enterprise_connection_id) ?? 0) + 1);
      }
    }
    const enterpriseIds = new Set(connections.map((c) => c.enterprise_connection_id));
    for (const id of signingIn.keys()) assert.ok(enterpriseIds.has(id), `${id}: a user's connection is listed`);
    const domainsOf = new Map<string, string[]>();
    for (const d of config().allOrganizationDomains()) domainsOf.set(d.organization_id!, [...(domainsOf.get(d.organization_id!) ?? []), d.name!]);
    const created = sim.now - HISTORY_MS;
    for (const c of connections) {
      assert.equal(c.user_count, signingIn.get(c.enterprise_connection_id!) ?? 0, c.name);
      assert.ok(c.created_at! > created && c.created_at! <= sim.now && c.updated_at! >= c.created_at!, c.name);
      assert.equal(c.domain, c.domains![0]);
      if (!c.organization_id) continue;
      const org = sim.dataset.organization(c.organization_id);
      assert.ok(org, `${c.name}: organization ${c.organization_id} exists`);
      assert.ok(domainsOf.get(org.id)?.includes(c.domains![0]!) || !c.active, `${c.name}: its domain is ${org.name}'s`);
      assert.ok(c.name!.startsWith(org.name!), c.name);
      // Set up ones name the IdP; those still being set up, nothing.
      assert.equal(c.idp_entity_id !== null && c.idp_certificate !== null, c.active, c.name);
    }
    assert.ok([...signingIn.values()].reduce((a, b) => a + b, 0) > 20);
    assert.ok(connections.some((c) => !c.active) && connections.some((c) => c.active));
  });

  test("no connection is older than its organization, nor updated before it was made, as the users' accounts show it", async () => {
    const orgs = new Map((await ok<Envelope<Organization>>('/organizations?limit=500')).data.map((o) => [o.id, o]));
    assert.equal(orgs.size, sim.dataset.counts().orgs);
    const saml = (await ok<Envelope<SamlConnection>>('/saml_connections?limit=500')).data;
    const enterprise = (await ok<Envelope<EnterpriseConnection>>('/enterprise_connections?limit=500')).data;
    let linked = 0;
    for (const c of [...saml, ...enterprise]) {
      assert.ok(c.updated_at! >= c.created_at!, c.id);
      if (!c.organization_id) continue;
      linked++;
      const org = orgs.get(c.organization_id)!;
      assert.ok(
        c.created_at! >= org.created_at!,
        `${c.name} (${c.id}) made ${new Date(c.created_at!).toISOString()}, ${org.name} ${new Date(org.created_at!).toISOString()}`,
      );
    }
    assert.ok(linked > 10, `${linked} linked`);
    // Users' enterprise accounts show the same connection dates.
    const dates = new Map(enterprise.map((e) => [e.id, [e.created_at, e.updated_at]]));
    const accounts = users().flatMap(
      (u) => (u.enterprise_accounts ?? []) as { enterprise_connection: { id: string; created_at: number; updated_at: number } }[],
    );
    assert.ok(accounts.length > 20);
    for (const { enterprise_connection: c } of accounts) assert.deepEqual([c.created_at, c.updated_at], dates.get(c.id), c.id);
  });

  test('each enterprise connection is a SAML connection, linked both ways', () => {
    const saml = new Map(
      config()
        .allSamlConnections()
        .map((c) => [c.enterprise_connection_id, c]),
    );
    const enterprise = config().allEnterpriseConnections();
    assert.equal(enterprise.length, saml.size);
    for (const e of enterprise) {
      const s = saml.get(e.id)!;
      assert.ok(s, e.id);
      assert.equal(e.saml_connection!.id, s.id);
      assert.deepEqual([e.name, e.provider, e.active, e.organization_id, e.domains], [s.name, s.provider, s.active, s.organization_id, s.domains]);
    }
  });

  test('filters: SAML by organization (+/-) and name, enterprise by organization and active', async () => {
    const connections = config().allSamlConnections();
    const linked = connections.filter((c) => c.organization_id);
    const [a, b] = [linked[0]!, linked[3]!];
    const saml = async (query: string) => sorted(await idsAt(`/saml_connections?limit=500&${query}`));
    assert.deepEqual(await saml(`organization_id=${a.organization_id}&organization_id=%2B${b.organization_id}`), sorted([a.id, b.id]));
    assert.deepEqual(await saml(`organization_id=-${a.organization_id}`), sorted(idsOf(connections.filter((c) => c.id !== a.id))));
    const fragment = a.name!.split(' ')[0]!.toLowerCase();
    assert.deepEqual(await saml(`query=${fragment}`), sorted(idsOf(connections.filter((c) => c.name!.toLowerCase().includes(fragment)))));
    const byName = [...connections].sort((x, y) => (x.name! < y.name! ? -1 : x.name! > y.name! ? 1 : x.id < y.id ? -1 : 1));
    assert.deepEqual(await idsAt('/saml_connections?limit=500&order_by=name'), idsOf(byName));

    const enterprise = config().allEnterpriseConnections();
    const ent = async (query: string) => sorted(await idsAt(`/enterprise_connections?limit=500&${query}`));
    assert.deepEqual(await ent(`organization_id=${b.organization_id}`), [b.enterprise_connection_id]);
    assert.deepEqual(await ent('organization_id=org_unknown'), []);
    for (const active of [true, false]) {
      const expected = sorted(idsOf(enterprise.filter((e) => e.active === active)));
      assert.ok(expected.length > 0, `active=${active}`);
      assert.deepEqual(await ent(`active=${active}`), expected);
    }
  });
});

describe('domains, the allowlist and blocklist, OAuth applications', () => {
  test('the primary domain is where the invitations link to; a satellite has no Account Portal', () => {
    const domains = config().allDomains();
    const [primary, ...satellites] = domains;
    assert.equal(primary!.is_satellite, false);
    assert.equal(primary!.frontend_api_url, `https://clerk.${primary!.name}`);
    const invitation = [...sim.dataset.invitations()][0]!;
    assert.equal(new URL(invitation.url!).origin, primary!.accounts_portal_url);
    for (const s of satellites) assert.deepEqual([s.is_satellite, s.accounts_portal_url], [true, null]);
  });

  test("the allowlist's invitations are pending invitations to its addresses; its domains are verified ones; nothing is on both lists", () => {
    const allowed = config().allAllowlistIdentifiers();
    const invitations = new Map([...sim.dataset.invitations()].map((i) => [i.id, i]));
    const invited = allowed.filter((a) => a.invitation_id);
    assert.ok(invited.length > 0);
    for (const a of invited) {
      const invitation = invitations.get(a.invitation_id!)!;
      assert.ok(invitation, a.invitation_id!);
      assert.deepEqual([invitation.email_address, invitation.status, invitation.created_at], [a.identifier, 'pending', a.created_at]);
    }
    const verified = new Set(
      config()
        .allOrganizationDomains()
        .filter((d) => d.verification?.status === 'verified')
        .map((d) => d.name),
    );
    const wildcards = allowed.filter((a) => a.identifier!.startsWith('*@'));
    assert.ok(wildcards.length > 0);
    for (const a of wildcards) assert.ok(verified.has(a.identifier!.slice(2)), a.identifier);
    const blocked = config().allBlocklistIdentifiers();
    const allowedIdentifiers = new Set(allowed.map((a) => a.identifier));
    assert.deepEqual(
      blocked.filter((b) => allowedIdentifiers.has(b.identifier)),
      [],
    );
    for (const list of [allowed, blocked]) {
      assert.deepEqual(new Set(list.map((i) => i.identifier_type)), new Set(['email_address', 'phone_number']));
      for (const i of list) assert.ok(i.created_at! > sim.now - HISTORY_MS && i.created_at! < sim.now, i.identifier);
    }
    // Blocked addresses of users belong to banned users.
    const owners = new Map(users().flatMap((u) => (u.email_addresses ?? []).map((e) => [e.email_address, u] as const)));
    const ofUsers = blocked.filter((b) => owners.has(b.identifier!));
    assert.ok(ofUsers.length > 0);
    for (const b of ofUsers) assert.equal(owners.get(b.identifier!)!.banned, true, b.identifier);
  });

  test('OAuth applications: name_query (part of the name, or the client id), order_by name', async () => {
    const apps = config().allOauthApplications();
    assert.ok(apps.length >= 2 && apps.length <= 4, `${apps.length} applications`);
    for (const app of apps) {
      assert.equal(app.pkce_required, app.public, app.name);
      assert.equal(app.callback_url, app.redirect_uris![0]);
      assert.deepEqual(await idsAt(`/oauth_applications?name_query=${app.client_id}`), [app.id]);
    }
    const fragment = apps[1]!.name!.slice(1, 4).toUpperCase();
    assert.deepEqual(
      sorted(await idsAt(`/oauth_applications?name_query=${fragment}`)),
      sorted(idsOf(apps.filter((a) => a.name!.toUpperCase().includes(fragment)))),
    );
    assert.deepEqual(await idsAt('/oauth_applications?order_by=name'), idsOf([...apps].sort((a, b) => (a.name! < b.name! ? -1 : 1))));
    assert.deepEqual(await idsAt('/oauth_applications'), idsOf([...apps].sort((a, b) => b.created_at! - a.created_at!)));
  });
});

describe('changes to the instance show in the lists', () => {
  test("a deleted organization's domain goes; its connection stays, unlinked; users leaving lower user_count", async () => {
    const connection = config()
      .allSamlConnections()
      .find(
        (c) =>
          c.organization_id &&
          c.user_count! > 0 &&
          config()
            .allOrganizationDomains()
            .some((d) => d.organization_id === c.organization_id),
      )!;
    const orgId = connection.organization_id!;
    const user = users().find((u) =>
      (u.enterprise_accounts as { enterprise_connection_id: string }[] | undefined)?.some(
        (a) => a.enterprise_connection_id === connection.enterprise_connection_id,
      ),
    )!;
    sim.dataset.deleteUser(sim.dataset.userRows.indexOfId(user.id)!);
    sim.dataset.deleteOrganization(sim.dataset.orgRows.indexOfId(orgId)!);
    assert.equal((await ok<Envelope<unknown>>(`/organization_domains?organization_id=${orgId}`)).total_count, 0);
    assert.equal((await ok<Envelope<unknown>>(`/organization_domains?query=${orgId}`)).total_count, 0);
    assert.ok(
      config()
        .allOrganizationDomains()
        .every((d) => d.organization_id !== orgId),
    );
    const after = config()
      .allSamlConnections()
      .find((c) => c.id === connection.id)!;
    assert.deepEqual([after.organization_id, after.user_count], [null, connection.user_count! - 1]);
    assert.equal((await ok<Envelope<unknown>>(`/saml_connections?organization_id=${orgId}`)).total_count, 0);
  });
});
