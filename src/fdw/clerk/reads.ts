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

/** Of invitations, organization invitations and waitlist entries. */
export interface StatusFilter {
  /** Clerk filters by one status a request: one request per status. */
  status?: string[];
}

export type ReadRequest =
  | {
      object: 'users';
      filter?: UserFilter;
      /** Most recently updated first (`-updated_at`), for reads that stop early (ReadOptions.stopAfter); else oldest first. */
      recentlyUpdatedFirst?: boolean;
    }
  | { object: 'organizations'; filter?: OrganizationFilter }
  | { object: 'organization_memberships'; filter?: MembershipFilter }
  | { object: 'invitations' | 'organization_invitations' | 'waitlist_entries'; filter?: StatusFilter };

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
  /** A 404 means "no such parent", i.e. no rows, not a failure. */
  notFoundIsEmpty: boolean;
}

/** Clerk accepts up to 100 values per list filter. */
export const MAX_LIST_VALUES = 100;
export const PAGE_SIZE = 500;
/** Oldest first: rows created during a read land after the pages already read. */
const CREATION_ORDER = '+created_at';
const RECENTLY_UPDATED = '-updated_at';

export function sourcesFor(req: ReadRequest): Source[] {
  switch (req.object) {
    case 'users':
      return userSources(req.filter ?? {}, req.recentlyUpdatedFirst ? RECENTLY_UPDATED : CREATION_ORDER);
    case 'organizations':
      return organizationSources(req.filter ?? {});
    case 'organization_memberships':
      return membershipSources(req.filter ?? {});
    case 'invitations':
    case 'organization_invitations':
    case 'waitlist_entries':
      // Only `GET /invitations` answers with a bare array.
      return byStatus(req.object, req.object === 'invitations' ? 'array' : 'data', req.filter ?? {});
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

/** A list of the whole instance (its path is the object's name) that filters by one status a request. */
function byStatus(object: 'invitations' | 'organization_invitations' | 'waitlist_entries', envelope: Source['envelope'], f: StatusFilter): Source[] {
  const source = (status?: string): Source => ({
    object,
    path: object,
    query: { status, order_by: CREATION_ORDER },
    envelope,
    small: false,
    notFoundIsEmpty: false,
  });
  return f.status && f.status.length > 0 ? [...new Set(f.status)].map(source) : [source()];
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
