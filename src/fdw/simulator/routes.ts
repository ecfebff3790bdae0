// The Backend API subset the simulator serves, as a table of routes (reads and the writes of
// writes.ts). Each answers with the JSON value of a 200 response or throws a ClerkApiError.
import type { Dataset } from './dataset.js';
import { organizationNotFound, userNotFound } from './errors.js';
import type { Listings, Page } from './listing.js';
import { boolean } from './params.js';
import * as writes from './writes.js';

export interface RouteMatch {
  /** Method and route template, e.g. `GET /v1/users/{user_id}`. */
  endpoint: string;
  respond(query: URLSearchParams, body: unknown): unknown;
}

interface Context {
  ds: Dataset;
  listings: Listings;
}

interface Route {
  /** GET when absent. */
  method?: 'POST' | 'PATCH' | 'DELETE';
  template: string;
  pattern: RegExp;
  respond(ctx: Context, params: string[], query: URLSearchParams, body: unknown): unknown;
}

function envelope(page: Page, build: (row: number) => unknown): { data: unknown[]; total_count: number } {
  return { data: page.rows.map(build), total_count: page.total };
}

function includeMembersCount(query: URLSearchParams): boolean {
  return boolean(query, 'include_members_count') ?? false;
}

const ROUTES: Route[] = [
  {
    template: '/v1/users',
    pattern: /^\/v1\/users$/,
    respond: ({ ds, listings }, _, query) => listings.users(query).map((u) => ds.buildUser(u)),
  },
  {
    template: '/v1/users/count',
    pattern: /^\/v1\/users\/count$/,
    respond: ({ listings }, _, query) => ({ object: 'total_count', total_count: listings.countUsers(query) }),
  },
  {
    template: '/v1/users/{user_id}',
    pattern: /^\/v1\/users\/([^/]+)$/,
    respond: ({ ds }, [id = '']) => {
      const u = ds.userRows.indexOfId(id);
      if (u === undefined) throw userNotFound(id);
      return ds.buildUser(u);
    },
  },
  {
    template: '/v1/users/{user_id}/organization_memberships',
    pattern: /^\/v1\/users\/([^/]+)\/organization_memberships$/,
    respond: ({ ds, listings }, [id = ''], query) => envelope(listings.userMemberships(ds.userRows.indexOfId(id), query), (m) => ds.buildMembership(m)),
  },
  {
    template: '/v1/organizations',
    pattern: /^\/v1\/organizations$/,
    respond: ({ ds, listings }, _, query) => {
      const counts = includeMembersCount(query);
      return envelope(listings.organizations(query), (o) => ds.buildOrganization(o, counts));
    },
  },
  {
    template: '/v1/organizations/{organization_id}',
    pattern: /^\/v1\/organizations\/([^/]+)$/,
    respond: ({ ds }, [idOrSlug = ''], query) => {
      const o = ds.orgRows.indexOfIdOrSlug(idOrSlug);
      if (o === undefined) throw organizationNotFound();
      return ds.buildOrganization(o, includeMembersCount(query));
    },
  },
  {
    template: '/v1/organizations/{organization_id}/memberships',
    pattern: /^\/v1\/organizations\/([^/]+)\/memberships$/,
    respond: ({ ds, listings }, [id = ''], query) => envelope(listings.organizationMemberships(ds.orgRows.indexOfId(id), query), (m) => ds.buildMembership(m)),
  },
  {
    template: '/v1/organization_memberships',
    pattern: /^\/v1\/organization_memberships$/,
    respond: ({ ds, listings }, _, query) => envelope(listings.instanceMemberships(query), (m) => ds.buildMembership(m)),
  },
  {
    template: '/v1/invitations',
    pattern: /^\/v1\/invitations$/,
    respond: ({ ds, listings }, _, query) => listings.invitations(query).map((r) => ds.invitationRows.build(r)),
  },
  {
    template: '/v1/organization_invitations',
    pattern: /^\/v1\/organization_invitations$/,
    respond: ({ ds, listings }, _, query) => envelope(listings.organizationInvitations(query), (r) => ds.organizationInvitationRows.build(r)),
  },
  {
    template: '/v1/waitlist_entries',
    pattern: /^\/v1\/waitlist_entries$/,
    respond: ({ ds, listings }, _, query) => envelope(listings.waitlistEntries(query), (w) => ds.waitlistRows.build(w)),
  },
  {
    template: '/v1/sessions',
    pattern: /^\/v1\/sessions$/,
    respond: ({ ds }, _, query) => ds.sessionRows.list(query),
  },
  {
    template: '/v1/organization_domains',
    pattern: /^\/v1\/organization_domains$/,
    respond: ({ ds }, _, query) => ds.configuration.organizationDomains(query),
  },
  {
    template: '/v1/organization_roles',
    pattern: /^\/v1\/organization_roles$/,
    respond: ({ ds }, _, query) => ds.configuration.organizationRoles(query),
  },
  {
    template: '/v1/organization_permissions',
    pattern: /^\/v1\/organization_permissions$/,
    respond: ({ ds }, _, query) => ds.configuration.organizationPermissions(query),
  },
  {
    template: '/v1/role_sets',
    pattern: /^\/v1\/role_sets$/,
    respond: ({ ds }, _, query) => ds.configuration.roleSets(query),
  },
  {
    template: '/v1/domains',
    pattern: /^\/v1\/domains$/,
    respond: ({ ds }, _, query) => ds.configuration.domains(query),
  },
  {
    template: '/v1/allowlist_identifiers',
    pattern: /^\/v1\/allowlist_identifiers$/,
    respond: ({ ds }, _, query) => ds.configuration.allowlistIdentifiers(query),
  },
  {
    template: '/v1/blocklist_identifiers',
    pattern: /^\/v1\/blocklist_identifiers$/,
    respond: ({ ds }, _, query) => ds.configuration.blocklistIdentifiers(query),
  },
  {
    template: '/v1/oauth_applications',
    pattern: /^\/v1\/oauth_applications$/,
    respond: ({ ds }, _, query) => ds.configuration.oauthApplications(query),
  },
  {
    template: '/v1/saml_connections',
    pattern: /^\/v1\/saml_connections$/,
    respond: ({ ds }, _, query) => ds.configuration.samlConnections(query),
  },
  {
    template: '/v1/enterprise_connections',
    pattern: /^\/v1\/enterprise_connections$/,
    respond: ({ ds }, _, query) => ds.configuration.enterpriseConnections(query),
  },
  {
    template: '/v1/billing/plans',
    pattern: /^\/v1\/billing\/plans$/,
    respond: ({ ds }, _, query) => ds.billing.plans(query),
  },
  {
    template: '/v1/billing/subscription_items',
    pattern: /^\/v1\/billing\/subscription_items$/,
    respond: ({ ds }, _, query) => ds.billing.subscriptionItems(query),
  },
  {
    template: '/v1/billing/statements',
    pattern: /^\/v1\/billing\/statements$/,
    respond: ({ ds }, _, query) => ds.billing.statements(query),
  },
  {
    method: 'POST',
    template: '/v1/users',
    pattern: /^\/v1\/users$/,
    respond: ({ ds }, _, __, body) => ds.buildUser(writes.createUser(ds, body)),
  },
  {
    method: 'PATCH',
    template: '/v1/users/{user_id}',
    pattern: /^\/v1\/users\/([^/]+)$/,
    respond: ({ ds }, [id = ''], __, body) => ds.buildUser(writes.updateUser(ds, id, body)),
  },
  {
    method: 'DELETE',
    template: '/v1/users/{user_id}',
    pattern: /^\/v1\/users\/([^/]+)$/,
    respond: ({ ds }, [id = '']) => writes.deleteUser(ds, id),
  },
  {
    method: 'POST',
    template: '/v1/organizations',
    pattern: /^\/v1\/organizations$/,
    respond: ({ ds }, _, __, body) => ds.buildOrganization(writes.createOrganization(ds, body), false),
  },
  {
    method: 'PATCH',
    template: '/v1/organizations/{organization_id}',
    pattern: /^\/v1\/organizations\/([^/]+)$/,
    respond: ({ ds }, [id = ''], __, body) => ds.buildOrganization(writes.updateOrganization(ds, id, body), false),
  },
  {
    method: 'DELETE',
    template: '/v1/organizations/{organization_id}',
    pattern: /^\/v1\/organizations\/([^/]+)$/,
    respond: ({ ds }, [id = '']) => writes.deleteOrganization(ds, id),
  },
  {
    method: 'POST',
    template: '/v1/organizations/{organization_id}/memberships',
    pattern: /^\/v1\/organizations\/([^/]+)\/memberships$/,
    respond: ({ ds }, [id = ''], __, body) => ds.buildMembership(writes.createMembership(ds, id, body)),
  },
  {
    method: 'PATCH',
    template: '/v1/organizations/{organization_id}/memberships/{user_id}',
    pattern: /^\/v1\/organizations\/([^/]+)\/memberships\/([^/]+)$/,
    respond: ({ ds }, [orgId = '', userId = ''], __, body) => ds.buildMembership(writes.updateMembership(ds, orgId, userId, body)),
  },
  {
    method: 'DELETE',
    template: '/v1/organizations/{organization_id}/memberships/{user_id}',
    pattern: /^\/v1\/organizations\/([^/]+)\/memberships\/([^/]+)$/,
    respond: ({ ds }, [orgId = '', userId = '']) => writes.deleteMembership(ds, orgId, userId),
  },
];

/** The route serving `method path`, or undefined (a 404). */
export function matchRoute(ctx: Context, method: string, path: string): RouteMatch | undefined {
  for (const route of ROUTES) {
    if ((route.method ?? 'GET') !== method) continue;
    const match = route.pattern.exec(path);
    if (!match) continue;
    let params: string[];
    try {
      params = match.slice(1).map((p) => decodeURIComponent(p));
    } catch {
      return undefined;
    }
    return { endpoint: `${method} ${route.template}`, respond: (query, body) => route.respond(ctx, params, query, body) };
  }
  return undefined;
}
