// What a read asks for, and how it maps onto Backend API endpoints. The runtime's filter
// pushdown builds a ReadRequest; Postgres still applies every condition afterwards, so a
// request only has to return at least the rows that match.
import type { Query } from './transport.js';
import type { ClerkObjectName } from './schemas.js';

export interface UserFilter {
  user_id?: string[];
  email_address?: string[];
  username?: string[];
  external_id?: string[];
  organization_id?: string[];
  /** Milliseconds; Clerk's bounds are exclusive. */
  created_at_after?: number;
  created_at_before?: number;
}

export interface OrganizationFilter {
  organization_id?: string[];
  user_id?: string[];
}

export interface MembershipFilter {
  organization_id?: string[];
  user_id?: string[];
  role?: string[];
}

/** Of the objects clerk_fdw never had (LIST_ENDPOINTS): values of the list's query parameters, by parameter. */
export type ParamFilter = { [param: string]: string[] | undefined };

export type ReadRequest =
  | {
      object: 'users';
      filter?: UserFilter;
      /** Most recently updated first (`-updated_at`), for reads that stop early (ReadOptions.stopAfter); else oldest first. */
      recentlyUpdatedFirst?: boolean;
    }
  | { object: 'organizations'; filter?: OrganizationFilter }
  | { object: 'organization_memberships'; filter?: MembershipFilter }
  | { object: ListedObject; filter?: ParamFilter };

/** One paged list endpoint to read to the end. */
export interface Source {
  object: ClerkObjectName;
  path: string;
  query: Query;
  /** `users` answers with a bare array; the others with `{data, total_count}`. */
  envelope: 'array' | 'data';
  /** Where the total comes from when it is not in the envelope (`users/count`). */
  countPath?: string;
  /** At most one page is expected (an id list): skip the count request. */
  small: boolean;
  /** The endpoint takes no limit or offset: one request answers with every row. */
  unpaged?: boolean;
  /** A 404 means "no such parent", i.e. no rows, not a failure. */
  notFoundIsEmpty: boolean;
}

/** Clerk accepts up to 100 values per list filter. */
export const MAX_LIST_VALUES = 100;
export const PAGE_SIZE = 500;
/** Oldest first: rows created during a read land after the pages already read. */
const CREATION_ORDER = '+created_at';
const RECENTLY_UPDATED = '-updated_at';

/** A pushed-down filter of a listed object: its query parameter, and whether a request takes one value (else a list of up to 100). */
export interface ParamSpec {
  param: string;
  each: boolean;
}

/** How an object clerk_fdw never had is listed (2026-05-12 spec): one endpoint, and its filters a column's `=` / `IN` becomes. */
export interface ListEndpoint {
  path: string;
  /** `{data, total_count}`, or a bare array (paging ends at a short page). */
  envelope: Source['envelope'];
  /** `order_by` where the endpoint documents one: oldest first. */
  ordered: boolean;
  unpaged?: boolean;
  /** Sent with every request. */
  fixed?: Query;
  /** By column name. */
  filters: Readonly<Record<string, ParamSpec>>;
  /** The list can only be read for given values of one of these parameters (Clerk answers 422 without). */
  requires?: readonly string[];
}

const each = (param: string): ParamSpec => ({ param, each: true });
const many = (param: string): ParamSpec => ({ param, each: false });
const byStatus = { status: each('status') };

export const LIST_ENDPOINTS = {
  invitations: { path: 'invitations', envelope: 'array', ordered: true, filters: byStatus },
  organization_invitations: { path: 'organization_invitations', envelope: 'data', ordered: true, filters: byStatus },
  waitlist_entries: { path: 'waitlist_entries', envelope: 'data', ordered: true, filters: byStatus },
  sessions: {
    path: 'sessions',
    envelope: 'array',
    ordered: false,
    filters: { user_id: each('user_id'), client_id: each('client_id'), ...byStatus },
    requires: ['user_id', 'client_id'],
  },
  organization_domains: {
    path: 'organization_domains',
    envelope: 'data',
    ordered: true,
    filters: { organization_id: many('organization_id'), name: many('domains'), enrollment_mode: many('enrollment_mode') },
  },
  organization_roles: { path: 'organization_roles', envelope: 'data', ordered: true, filters: {} },
  organization_permissions: { path: 'organization_permissions', envelope: 'data', ordered: true, filters: {} },
  role_sets: { path: 'role_sets', envelope: 'data', ordered: true, filters: {} },
  domains: { path: 'domains', envelope: 'data', ordered: false, unpaged: true, filters: {} },
  allowlist_identifiers: { path: 'allowlist_identifiers', envelope: 'array', ordered: false, filters: {} },
  blocklist_identifiers: { path: 'blocklist_identifiers', envelope: 'data', ordered: false, unpaged: true, filters: {} },
  oauth_applications: { path: 'oauth_applications', envelope: 'data', ordered: true, filters: {} },
  // The spec's order_by of SAML connections describes the memberships' fields: not sent.
  saml_connections: { path: 'saml_connections', envelope: 'data', ordered: false, filters: { organization_id: many('organization_id') } },
  enterprise_connections: { path: 'enterprise_connections', envelope: 'data', ordered: false, filters: { organization_id: each('organization_id') } },
  billing_plans: { path: 'billing/plans', envelope: 'data', ordered: false, filters: { for_payer_type: each('payer_type') } },
  // Clerk leaves out free-plan items unless asked: a read returns every row.
  billing_subscription_items: {
    path: 'billing/subscription_items',
    envelope: 'data',
    ordered: false,
    fixed: { include_free: true },
    filters: { plan_id: each('plan_id') },
  },
  billing_statements: { path: 'billing/statements', envelope: 'data', ordered: false, filters: {} },
} as const satisfies Record<Exclude<ClerkObjectName, 'users' | 'organizations' | 'organization_memberships'>, ListEndpoint>;
export type ListedObject = keyof typeof LIST_ENDPOINTS;

/** Why a list that needs a key (sessions) cannot be read with `filter`, or undefined when it can. */
export function missingKey(object: ClerkObjectName, filter: ParamFilter | undefined): readonly string[] | undefined {
  const requires = Object.hasOwn(LIST_ENDPOINTS, object) ? (LIST_ENDPOINTS[object as ListedObject] as ListEndpoint).requires : undefined;
  return requires && !requires.some((param) => (filter?.[param]?.length ?? 0) > 0) ? requires : undefined;
}

export function sourcesFor(req: ReadRequest): Source[] {
  switch (req.object) {
    case 'users':
      return userSources(req.filter ?? {}, req.recentlyUpdatedFirst ? RECENTLY_UPDATED : CREATION_ORDER);
    case 'organizations':
      return organizationSources(req.filter ?? {});
    case 'organization_memberships':
      return membershipSources(req.filter ?? {});
    default:
      return listSources(req.object, req.filter ?? {});
  }
}

function chunks(values: string[]): string[][] {
  const unique = [...new Set(values)];
  const out: string[][] = [];
  for (let i = 0; i < unique.length; i += MAX_LIST_VALUES) out.push(unique.slice(i, i + MAX_LIST_VALUES));
  return out;
}

/** List filters that fit one request ride along; a longer one is left to Postgres. */
function fitting(values: string[] | undefined): string[] | undefined {
  return values && values.length > 0 && values.length <= MAX_LIST_VALUES ? [...new Set(values)] : undefined;
}

// Each of these identifies at most one user per value, so a chunk of 100 values is one page.
const USER_KEYS = ['user_id', 'email_address', 'username'] as const;

function userSources(f: UserFilter, order: string): Source[] {
  const base: Query = {
    created_at_after: f.created_at_after,
    created_at_before: f.created_at_before,
  };
  const key = USER_KEYS.find((k) => f[k] && f[k].length > 0);
  const others = (skip?: string): Query => {
    const q: Query = { ...base };
    for (const k of [...USER_KEYS, 'external_id', 'organization_id'] as const) if (k !== skip) q[k] = fitting(f[k]);
    return q;
  };
  const source = (query: Query, small: boolean): Source => ({
    object: 'users',
    path: 'users',
    query: { ...query, order_by: order },
    envelope: 'array',
    countPath: 'users/count',
    small,
    notFoundIsEmpty: false,
  });
  if (key) return chunks(f[key]!).map((values) => source({ ...others(key), [key]: values }, true));
  return [source(others(), false)];
}

function organizationSources(f: OrganizationFilter): Source[] {
  const source = (query: Query, small: boolean): Source => ({
    object: 'organizations',
    path: 'organizations',
    query: { ...query, include_members_count: true, order_by: CREATION_ORDER },
    envelope: 'data',
    small,
    notFoundIsEmpty: false,
  });
  if (f.organization_id && f.organization_id.length > 0) {
    return chunks(f.organization_id).map((ids) => source({ organization_id: ids, user_id: fitting(f.user_id) }, true));
  }
  return [source({ user_id: fitting(f.user_id) }, false)];
}

/** A listed object's requests: one per combination of the one-value filters' values; list filters ride along when they fit. */
function listSources(object: ListedObject, f: ParamFilter): Source[] {
  const endpoint: ListEndpoint = LIST_ENDPOINTS[object];
  let queries: Query[] = [{ ...endpoint.fixed, order_by: endpoint.ordered ? CREATION_ORDER : undefined }];
  for (const { param, each } of Object.values(endpoint.filters)) {
    const values = f[param];
    if (!values || values.length === 0) continue;
    if (each) queries = queries.flatMap((q) => [...new Set(values)].map((v) => ({ ...q, [param]: v })));
    else queries = queries.map((q) => ({ ...q, [param]: fitting(values) }));
  }
  return queries.map((query) => ({
    object,
    path: endpoint.path,
    query,
    envelope: endpoint.envelope,
    small: false,
    unpaged: endpoint.unpaged,
    notFoundIsEmpty: false,
  }));
}

function membershipSources(f: MembershipFilter): Source[] {
  const source = (path: string, query: Query): Source => ({
    object: 'organization_memberships',
    path,
    query,
    envelope: 'data',
    small: false,
    notFoundIsEmpty: path !== 'organization_memberships',
  });
  if (f.organization_id && f.organization_id.length > 0) {
    const query: Query = { role: fitting(f.role), user_id: fitting(f.user_id) };
    return [...new Set(f.organization_id)].map((id) => source(`organizations/${encodeURIComponent(id)}/memberships`, { ...query, order_by: CREATION_ORDER }));
  }
  if (f.user_id && f.user_id.length > 0) {
    return [...new Set(f.user_id)].map((id) => source(`users/${encodeURIComponent(id)}/organization_memberships`, {}));
  }
  // The instance-wide list: one request per 500 memberships, however many organizations.
  return [source('organization_memberships', { order_by: CREATION_ORDER })];
}
