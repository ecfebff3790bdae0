// Filtering, ordering and paging of the list endpoints over the compact tables. Orderings are
// sorted once per data revision and cached; a request then scans one ordering with its
// filter, keeping only the rows of its page, so a page costs O(rows) and no sort. A user list
// also remembers where in its ordering every 500th matching row is, so that the page at offset
// 999,500 of a million users starts there instead of filtering the 999,500 rows before it.
import type { Dataset } from './dataset.js';
import { organizationNotFound, paramNotSimulated, paramValueInvalid } from './errors.js';
import { boolean, integer, isEmptySelection, list, order, type Order, type Paging, paging, type Selection, selection, text } from './params.js';
import { INVITATION_STATUSES } from './invitations.js';
import { WAITLIST_STATUSES } from './waitlist.js';

export type Predicate = (row: number) => boolean;
export type SortKey = number | string | null;

export const USER_ORDER_FIELDS = [
  'created_at',
  'updated_at',
  'email_address',
  'web3wallet',
  'first_name',
  'last_name',
  'phone_number',
  'username',
  'last_active_at',
  'last_sign_in_at',
] as const;
export const ORGANIZATION_ORDER_FIELDS = ['name', 'created_at', 'members_count'] as const;
export const WAITLIST_ORDER_FIELDS = ['created_at', 'email_address', 'invited_at'] as const;
export const INVITATION_ORDER_FIELDS = ['created_at', 'email_address', 'expires_at'] as const;
export const ORGANIZATION_INVITATION_ORDER_FIELDS = ['created_at', 'email_address'] as const;
export const MEMBERSHIP_ORDER_FIELDS = ['phone_number', 'email_address', 'created_at', 'first_name', 'last_name', 'username'] as const;
type UserOrderField = (typeof USER_ORDER_FIELDS)[number];
type MembershipOrderField = (typeof MEMBERSHIP_ORDER_FIELDS)[number];

/** Every list is newest first unless `order_by` says otherwise. */
export const NEWEST_FIRST = { field: 'created_at', descending: true } as const;

/** Documented filters the simulator does not implement (answered with a 422, not ignored). */
const NOT_SIMULATED = ['provider', 'provider_user_id'] as const;

export interface Page {
  rows: number[];
  /** Rows matching the filters, whatever the paging. */
  total: number;
}

export function every(predicates: Predicate[]): Predicate {
  return (row) => predicates.every((p) => p(row));
}

/** null (and NaN) sort after every value, like Postgres' default NULLS LAST for ascending order. */
function compareKeys(a: SortKey, b: SortKey): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Rows 0..size-1 ascending by key, ties by id, so pages stay stable; descending reverses it. */
export function sortRows(size: number, key: (row: number) => SortKey, id: (row: number) => string): Int32Array {
  const keys: SortKey[] = new Array<SortKey>(size);
  const ids: string[] = new Array<string>(size);
  for (let r = 0; r < size; r++) {
    const k = key(r);
    keys[r] = typeof k === 'number' && Number.isNaN(k) ? null : k;
    ids[r] = id(r);
  }
  const rows = new Int32Array(size);
  for (let r = 0; r < size; r++) rows[r] = r;
  return rows.sort((a, b) => compareKeys(keys[a] as SortKey, keys[b] as SortKey) || compareKeys(ids[a] as string, ids[b] as string));
}

/** Every this many matching rows of a scan, where it was (Marks). */
const MARK_EVERY = 500;

/**
 * Of a scan of one ordering with one filter (in one data revision): `marks[j]` is the position
 * from which the rows matching after the first j * MARK_EVERY are found.
 */
type Marks = number[];

/**
 * Scans `ordering` (reversed when descending) from just after position `after` (-1: the
 * start), keeps the rows `keep` accepts and returns those in [offset, offset + limit). With
 * `countAll` false the scan stops at the page's end and `total` counts only that far; it then
 * starts from the last of `marks` (filled as the scan passes them) at or before the offset.
 */
export function pageOf(ordering: Int32Array, descending: boolean, keep: Predicate, paging: Paging, after = -1, countAll = true, marks?: Marks): Page {
  const rows: number[] = [];
  let total = 0;
  let k = after + 1;
  if (marks && !countAll) {
    if (marks.length === 0) marks.push(k);
    const j = Math.min(Math.floor(paging.offset / MARK_EVERY), marks.length - 1);
    [k, total] = [marks[j]!, j * MARK_EVERY];
  }
  const n = ordering.length;
  const end = paging.offset + paging.limit;
  for (; k < n && (countAll || total < end); k++) {
    const row = ordering[descending ? n - 1 - k : k] as number;
    if (!keep(row)) continue;
    if (total >= paging.offset && total < end) rows.push(row);
    total++;
    if (marks && total === marks.length * MARK_EVERY) marks.push(k + 1);
  }
  return { rows, total };
}

/**
 * The filters of the lists by invitation: `status` (one of `statuses`, else 422) and `query`
 * (the id, or part of the address, case-insensitively).
 */
function statusAndQuery(
  query: URLSearchParams,
  statuses: readonly string[],
  rows: { readonly status: readonly string[]; readonly id: readonly string[]; readonly email: readonly string[] },
): Predicate {
  const predicates: Predicate[] = [];
  const status = text(query, 'status');
  if (status !== undefined) {
    if (!statuses.includes(status)) throw paramValueInvalid('status', status);
    predicates.push((r) => rows.status[r] === status);
  }
  const q = text(query, 'query');
  if (q !== undefined) {
    const partial = contains(q.toLowerCase());
    predicates.push((r) => rows.id[r] === q || partial(rows.email[r]));
  }
  return every(predicates);
}

/** A +/- id list as a predicate over rows; `resolve` maps a value to the rows it stands for. */
export function selectionFilter(sel: Selection, resolve: (value: string) => Iterable<number>): Predicate | undefined {
  if (isEmptySelection(sel)) return undefined;
  const include = new Set<number>();
  const exclude = new Set<number>();
  for (const value of sel.include) for (const row of resolve(value)) include.add(row);
  for (const value of sel.exclude) for (const row of resolve(value)) exclude.add(row);
  const restricted = sel.include.length > 0;
  return (row) => (!restricted || include.has(row)) && !exclude.has(row);
}

function found(row: number | undefined): number[] {
  return row === undefined ? [] : [row];
}

/**
 * `x_before` / `x_after` in ms. Both bounds are exclusive, as Clerk's spec words them
 * ("created before/after the given date"); a user without the timestamp matches neither.
 */
function timeBounds(query: URLSearchParams, name: string, values: ArrayLike<number>): Predicate[] {
  const out: Predicate[] = [];
  const before = integer(query, `${name}_before`);
  const after = integer(query, `${name}_after`);
  if (before !== undefined) out.push((row) => (values[row] as number) < before);
  if (after !== undefined) out.push((row) => (values[row] as number) > after);
  return out;
}

export function contains(needle: string): (value: string | null | undefined) => boolean {
  return (value) => value !== null && value !== undefined && value.toLowerCase().includes(needle);
}

export class Listings {
  private revision = -1;
  private readonly orderings = new Map<string, Int32Array>();
  /** Of user list scans, by ordering, direction, cursor and filter; stale with the orderings. */
  private readonly marks = new Map<string, Marks>();

  constructor(private readonly ds: Dataset) {}

  /** The cached ascending ordering `name`, rebuilt after any change to the data. */
  private ordering(name: string, size: number, key: (row: number) => SortKey, id: (row: number) => string): Int32Array {
    if (this.revision !== this.ds.revision) {
      this.orderings.clear();
      this.marks.clear();
      this.revision = this.ds.revision;
    }
    let rows = this.orderings.get(name);
    if (!rows) {
      rows = sortRows(size, key, id);
      this.orderings.set(name, rows);
    }
    return rows;
  }

  private userKey(field: UserOrderField): (u: number) => SortKey {
    const users = this.ds.userRows;
    switch (field) {
      case 'created_at':
        return (u) => users.createdAt[u] as number;
      case 'updated_at':
        return (u) => users.updatedAt[u] as number;
      case 'last_active_at':
        return (u) => users.lastActiveAt[u] as number;
      case 'last_sign_in_at':
        return (u) => users.lastSignInAt[u] as number;
      case 'email_address':
        return (u) => users.primaryEmailOf(u);
      case 'phone_number':
        return (u) => users.primaryPhoneOf(u);
      case 'username':
        return (u) => users.username[u] ?? null;
      case 'first_name':
        return (u) => users.firstName[u] ?? null;
      case 'last_name':
        return (u) => users.lastName[u] ?? null;
      case 'web3wallet':
        // No generated user has a web3 wallet: the order is the tie-break, by id.
        return () => null;
    }
  }

  private userOrdering(field: UserOrderField): Int32Array {
    const users = this.ds.userRows;
    return this.ordering(`users:${field}`, users.size, this.userKey(field), (u) => users.id[u] as string);
  }

  /**
   * The user-attribute filters shared by `/users`, `/users/count` and membership lists (which
   * take a subset: `memberFilters`). Exact identifier filters (email_address, phone_number,
   * username, web3_wallet) are one condition, "owns any of these identifiers", as Clerk's SDK
   * docs describe; every other filter narrows further.
   */
  private userFilter(query: URLSearchParams, memberFilters: boolean): Predicate {
    const users = this.ds.userRows;
    const memberships = this.ds.membershipRows;
    const predicates: Predicate[] = [(u) => !users.deleted[u]];
    const ids = selectionFilter(selection(query, 'user_id'), (id) => found(users.indexOfId(id)));
    if (ids) predicates.push(ids);

    const identified = new Set<number>();
    const lookups: [string, (value: string) => number | undefined][] = [
      ['email_address', (v) => users.indexOfEmail(v)],
      ['phone_number', (v) => users.indexOfPhone(v)],
      ['username', (v) => users.indexOfUsername(v)],
      ['web3_wallet', () => undefined],
    ];
    let identifierFilter = false;
    for (const [name, lookup] of lookups) {
      for (const value of list(query, name)) {
        identifierFilter = true;
        const u = lookup(value);
        if (u !== undefined) identified.add(u);
      }
    }
    if (identifierFilter) predicates.push((u) => identified.has(u));

    const anyText = (needle: string, fields: (u: number) => (string | null | undefined)[]) => {
      const match = contains(needle.toLowerCase());
      return (u: number) => fields(u).some(match);
    };
    const names = (u: number) => [users.firstName[u], users.lastName[u], `${users.firstName[u] ?? ''} ${users.lastName[u] ?? ''}`.trim()];
    const q = text(query, 'query');
    if (q !== undefined) {
      predicates.push(anyText(q, (u) => [users.id[u], ...users.emailsOf(u), ...users.phonesOf(u), users.username[u], ...names(u)]));
    }
    const emailQuery = text(query, 'email_address_query');
    if (emailQuery !== undefined) predicates.push(anyText(emailQuery, (u) => users.emailsOf(u)));
    const phoneQuery = text(query, 'phone_number_query');
    if (phoneQuery !== undefined) predicates.push(anyText(phoneQuery, (u) => users.phonesOf(u)));
    const usernameQuery = text(query, 'username_query');
    if (usernameQuery !== undefined) predicates.push(anyText(usernameQuery, (u) => [users.username[u]]));
    const nameQuery = text(query, 'name_query');
    if (nameQuery !== undefined) predicates.push(anyText(nameQuery, names));
    predicates.push(...timeBounds(query, 'last_active_at', users.lastActiveAt));
    if (memberFilters) return every(predicates);

    const externalIds = selectionFilter(selection(query, 'external_id'), (id) => found(users.indexOfExternalId(id)));
    if (externalIds) predicates.push(externalIds);
    const orgs = selectionFilter(selection(query, 'organization_id'), (id) => {
      const o = this.ds.orgRows.indexOfId(id);
      return o === undefined ? [] : memberships.ofOrganization(o).map((m) => memberships.user[m] as number);
    });
    if (orgs) predicates.push(orgs);
    const banned = boolean(query, 'banned');
    if (banned !== undefined) predicates.push((u) => users.banned[u] === banned);
    const activeSince = integer(query, 'last_active_at_since');
    if (activeSince !== undefined) predicates.push((u) => (users.lastActiveAt[u] as number) >= activeSince);
    predicates.push(...timeBounds(query, 'created_at', users.createdAt));
    predicates.push(...timeBounds(query, 'last_sign_in_at', users.lastSignInAt));
    for (const name of NOT_SIMULATED) if (text(query, name) !== undefined) throw paramNotSimulated(name);
    return every(predicates);
  }

  /**
   * `GET /users`. Also the cursor `starting_after` (a user id) of the spec: only with a
   * created_at ordering and no offset, as documented; it continues after that user's position
   * in the ordering, even if the user was deleted since.
   */
  users(query: URLSearchParams): number[] {
    const page = paging(query);
    const sort = order(query, USER_ORDER_FIELDS, NEWEST_FIRST);
    const keep = this.userFilter(query, false);
    const ordering = this.userOrdering(sort.field);
    const cursor = text(query, 'starting_after');
    if (cursor === undefined) return pageOf(ordering, sort.descending, keep, page, -1, false, this.marksOf(`users:${sort.field}`, sort.descending, query)).rows;
    if (sort.field !== 'created_at') throw paramValueInvalid('order_by', query.get('order_by') ?? '');
    if (page.offset !== 0) throw paramValueInvalid('offset', String(page.offset));
    const u = this.ds.userRows.rowOfId(cursor);
    if (u === undefined) throw paramValueInvalid('starting_after', cursor);
    const position = ordering.indexOf(u);
    const after = sort.descending ? ordering.length - 1 - position : position;
    return pageOf(ordering, sort.descending, keep, page, after, false, this.marksOf(`users:${sort.field}:after:${after}`, sort.descending, query)).rows;
  }

  /** The marks of a scan of `ordering` with the filter of `query` (its parameters but paging). */
  private marksOf(ordering: string, descending: boolean, query: URLSearchParams): Marks {
    const filter = new URLSearchParams(query);
    for (const name of ['limit', 'offset', 'order_by', 'starting_after']) filter.delete(name);
    filter.sort();
    const key = `${ordering}:${descending ? 'desc' : 'asc'}?${filter.toString()}`;
    // Bounded: filters are as many as clients care to send.
    if (!this.marks.has(key) && this.marks.size >= 256) this.marks.clear();
    let marks = this.marks.get(key);
    if (!marks) this.marks.set(key, (marks = []));
    return marks;
  }

  /** `GET /users/count`: the same filters, no paging. */
  countUsers(query: URLSearchParams): number {
    const keep = this.userFilter(query, false);
    let total = 0;
    for (let u = 0; u < this.ds.userRows.size; u++) if (keep(u)) total++;
    return total;
  }

  /** `GET /organizations`. */
  organizations(query: URLSearchParams): Page {
    const orgs = this.ds.orgRows;
    const memberships = this.ds.membershipRows;
    const sort = order(query, ORGANIZATION_ORDER_FIELDS, NEWEST_FIRST);
    const predicates: Predicate[] = [(o) => !orgs.deleted[o]];
    const ids = selectionFilter(selection(query, 'organization_id'), (id) => found(orgs.indexOfId(id)));
    if (ids) predicates.push(ids);
    const members = selectionFilter(selection(query, 'user_id'), (id) => {
      const u = this.ds.userRows.indexOfId(id);
      return u === undefined ? [] : memberships.ofUser(u).map((m) => memberships.organization[m] as number);
    });
    if (members) predicates.push(members);
    const q = text(query, 'query');
    if (q !== undefined) {
      // Exact match on the id, partial on name and slug (as the spec says).
      const partial = contains(q.toLowerCase());
      predicates.push((o) => orgs.id[o] === q || partial(orgs.name[o]) || partial(orgs.slug[o]));
    }
    const key = (o: number): SortKey =>
      sort.field === 'name' ? (orgs.name[o] as string) : sort.field === 'members_count' ? (orgs.membersCount[o] as number) : (orgs.createdAt[o] as number);
    const ordering = this.ordering(`organizations:${sort.field}`, orgs.size, key, (o) => orgs.id[o] as string);
    return pageOf(ordering, sort.descending, every(predicates), paging(query));
  }

  /** `GET /waitlist_entries`: by status (one), by `query` (part of the address, or the id). */
  waitlistEntries(query: URLSearchParams): Page {
    const entries = this.ds.waitlistRows;
    const sort = order(query, WAITLIST_ORDER_FIELDS, NEWEST_FIRST);
    const keep = statusAndQuery(query, WAITLIST_STATUSES, entries);
    // Never invited: NaN, which sorts as null.
    const key = (w: number): SortKey =>
      sort.field === 'email_address' ? entries.email[w]! : sort.field === 'invited_at' ? entries.invitedAt[w]! : entries.createdAt[w]!;
    const ordering = this.ordering(`waitlist:${sort.field}`, entries.size, key, (w) => entries.id[w]!);
    return pageOf(ordering, sort.descending, keep, paging(query));
  }

  /** `GET /invitations`: as the waitlist, and a bare array. */
  invitations(query: URLSearchParams): number[] {
    const rows = this.ds.invitationRows;
    const sort = order(query, INVITATION_ORDER_FIELDS, NEWEST_FIRST);
    const keep = statusAndQuery(query, INVITATION_STATUSES, rows);
    // Never expires: NaN, which sorts as null.
    const key = (r: number): SortKey =>
      sort.field === 'email_address' ? rows.email[r]! : sort.field === 'expires_at' ? rows.expiresAt[r]! : rows.createdAt[r]!;
    const ordering = this.ordering(`invitations:${sort.field}`, rows.size, key, (r) => rows.id[r]!);
    return pageOf(ordering, sort.descending, keep, paging(query)).rows;
  }

  /** `GET /organization_invitations`: as the invitations, of live organizations, in the envelope. */
  organizationInvitations(query: URLSearchParams): Page {
    const rows = this.ds.organizationInvitationRows;
    const sort = order(query, ORGANIZATION_INVITATION_ORDER_FIELDS, NEWEST_FIRST);
    const filters = statusAndQuery(query, INVITATION_STATUSES, rows);
    const keep: Predicate = (r) => rows.live(r) && filters(r);
    const key = (r: number): SortKey => (sort.field === 'email_address' ? rows.email[r]! : rows.createdAt[r]!);
    const ordering = this.ordering(`organization_invitations:${sort.field}`, rows.size, key, (r) => rows.id[r]!);
    return pageOf(ordering, sort.descending, keep, paging(query));
  }

  private membershipOrdering(field: MembershipOrderField): Int32Array {
    const memberships = this.ds.membershipRows;
    const userKey = this.userKey(field);
    const key = field === 'created_at' ? (m: number) => memberships.createdAt[m] as number : (m: number) => userKey(memberships.user[m] as number);
    return this.ordering(`memberships:${field}`, memberships.size, key, (m) => memberships.id[m] as string);
  }

  private membershipPage(query: URLSearchParams, predicates: Predicate[]): Page {
    const memberships = this.ds.membershipRows;
    const sort: Order<MembershipOrderField> = order(query, MEMBERSHIP_ORDER_FIELDS, NEWEST_FIRST);
    const keep = every([(m) => memberships.deleted[m] === 0, ...predicates]);
    return pageOf(this.membershipOrdering(sort.field), sort.descending, keep, paging(query));
  }

  /**
   * `GET /organizations/{id}/memberships`; 404 for an unknown organization.
   * `created_at_before/after` bound the membership's creation (the spec's wording, copied
   * from the users list, says "users").
   */
  organizationMemberships(o: number | undefined, query: URLSearchParams): Page {
    const memberships = this.ds.membershipRows;
    const ofUser = this.userFilter(query, true);
    const roles = list(query, 'role');
    const predicates: Predicate[] = [(m) => memberships.organization[m] === o, (m) => ofUser(memberships.user[m] as number)];
    if (roles.length > 0) predicates.push((m) => roles.includes(memberships.admin[m] === 1 ? 'org:admin' : 'org:member'));
    predicates.push(...timeBounds(query, 'created_at', memberships.createdAt));
    const page = this.membershipPage(query, predicates);
    // Parameters are checked first (a 422 wins), as they would be before any lookup.
    if (o === undefined) throw organizationNotFound();
    return page;
  }

  /** `GET /organization_memberships`: every membership of the instance. */
  instanceMemberships(query: URLSearchParams): Page {
    return this.membershipPage(query, []);
  }

  /** `GET /users/{id}/organization_memberships`; an unknown user simply has none. */
  userMemberships(u: number | undefined, query: URLSearchParams): Page {
    const memberships = this.ds.membershipRows;
    return this.membershipPage(query, [(m) => memberships.user[m] === u]);
  }
}
