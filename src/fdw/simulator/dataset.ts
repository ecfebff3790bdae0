// The generated Clerk instance: compact tables of users, organizations and memberships, full
// JSON objects built on demand, and the mutations tests use to change data mid-read.
import type { Organization, OrganizationMembership, User } from '../clerk/schemas.js';
import { CompanyPool } from './companies.js';
import { createInstance, type Instance } from './instance.js';
import { buildMembership, MembershipTable } from './memberships.js';
import { buildOrganization, OrganizationTable } from './organizations.js';
import { DEFAULT_NOW } from './timeline.js';
import { buildUser } from './userObject.js';
import { UserTable } from './users.js';

export interface DatasetOptions {
  /** Any safe integer; the same seed and sizes always give the same bytes. Default 1. */
  seed?: number;
  /** Default 10 000. */
  users?: number;
  /** Default one per 25 users. */
  orgs?: number;
  /** Total memberships; fewer when the users cannot fill them. Default 0.4 per user. */
  memberships?: number;
  /** The dataset's "now" in ms: timestamps lie before it. Default 2025-06-02T12:00:00Z. */
  now?: number;
}

export const DEFAULT_DATASET = { seed: 1, users: 10_000, usersPerOrg: 25, membershipsPerUser: 0.4, now: DEFAULT_NOW } as const;

export interface OrganizationOptions {
  /** Include `members_count` (and `pending_invitations_count`), as the API does on request. */
  includeMembersCount?: boolean;
}

export class Dataset {
  readonly instance: Instance;
  readonly userRows: UserTable;
  readonly orgRows: OrganizationTable;
  readonly membershipRows: MembershipTable;
  private changes = 0;

  constructor(options: DatasetOptions = {}) {
    const seed = options.seed ?? DEFAULT_DATASET.seed;
    const users = options.users ?? DEFAULT_DATASET.users;
    // Sizes not given scale with the users, so `--users 1000` alone is a coherent instance.
    const orgs = options.orgs ?? Math.round(users / DEFAULT_DATASET.usersPerOrg);
    const memberships = options.memberships ?? Math.round(users * DEFAULT_DATASET.membershipsPerUser);
    const now = options.now ?? DEFAULT_DATASET.now;
    for (const [name, value] of Object.entries({ seed, users, orgs, memberships, now })) {
      if (name === 'seed' ? !Number.isSafeInteger(value) : !(Number.isSafeInteger(value) && value >= 0)) {
        throw new RangeError(`${name} must be ${name === 'seed' ? 'an integer' : 'a non-negative integer'}, got ${value}`);
      }
    }
    this.instance = createInstance(seed, now);
    const companies = new CompanyPool(seed, now, orgs, users);
    this.userRows = new UserTable(seed, now, companies);
    this.userRows.generate(users);
    const companyUsers: number[][] = Array.from({ length: companies.size }, () => []);
    for (let i = 0; i < users; i++) {
      const company = this.userRows.company[i] as number;
      if (company >= 0) companyUsers[company]?.push(i);
    }
    this.orgRows = new OrganizationTable(this.instance, orgs, companies, this.userRows, companyUsers);
    this.membershipRows = new MembershipTable(this.instance, memberships, this.orgRows, this.userRows, companyUsers);
    this.orgRows.setMembershipLimits(this.instance);
  }

  get seed(): number {
    return this.instance.seed;
  }

  get now(): number {
    return this.instance.now;
  }

  /** Increases on every mutation: cached orderings of an older revision are stale. */
  get revision(): number {
    return this.changes;
  }

  /** Appends `n` users who signed up after everyone else (1 s apart); returns their ids. */
  addUsers(n: number): string[] {
    const rows = this.userRows.appendNewer(n);
    this.changes++;
    return rows.map((u) => this.userRows.id[u] as string);
  }

  /** Deletes users (and, as Clerk does, their memberships). Unknown ids are ignored. */
  removeUsers(ids: readonly string[]): void {
    for (const id of ids) {
      const u = this.userRows.indexOfId(id);
      if (u === undefined) continue;
      this.userRows.remove(u);
      this.membershipRows.removeUser(u, this.orgRows);
    }
    this.changes++;
  }

  /** Live users, organizations and memberships. */
  counts(): { users: number; orgs: number; memberships: number } {
    const liveUsers = this.userRows.deleted.filter((d) => !d).length;
    const liveMemberships = this.membershipRows.deleted.reduce((n, d) => n + (d ? 0 : 1), 0);
    return { users: liveUsers, orgs: this.orgRows.size, memberships: liveMemberships };
  }

  /** A user by id or by creation index (0 = first to sign up), as `GET /users/{id}` returns it. */
  user(idOrIndex: string | number): User | undefined {
    const u = typeof idOrIndex === 'number' ? idOrIndex : this.userRows.indexOfId(idOrIndex);
    if (u === undefined || u < 0 || u >= this.userRows.size || this.userRows.deleted[u]) return undefined;
    return buildUser(this.instance, this.userRows, u);
  }

  /** Every live user, oldest first. */
  *users(): IterableIterator<User> {
    for (let u = 0; u < this.userRows.size; u++) if (!this.userRows.deleted[u]) yield buildUser(this.instance, this.userRows, u);
  }

  organization(idOrSlugOrIndex: string | number, options: OrganizationOptions = {}): Organization | undefined {
    const o = typeof idOrSlugOrIndex === 'number' ? idOrSlugOrIndex : this.orgRows.indexOfIdOrSlug(idOrSlugOrIndex);
    if (o === undefined || o < 0 || o >= this.orgRows.size) return undefined;
    return buildOrganization(this.instance, this.orgRows, this.userRows, o, options.includeMembersCount ?? false);
  }

  /** Every organization, oldest first. */
  *organizations(options: OrganizationOptions = {}): IterableIterator<Organization> {
    for (let o = 0; o < this.orgRows.size; o++) {
      yield buildOrganization(this.instance, this.orgRows, this.userRows, o, options.includeMembersCount ?? false);
    }
  }

  membership(idOrIndex: string | number): OrganizationMembership | undefined {
    const m = typeof idOrIndex === 'number' ? idOrIndex : this.membershipRows.indexOfId(idOrIndex);
    if (m === undefined || m < 0 || m >= this.membershipRows.size || this.membershipRows.deleted[m]) return undefined;
    return this.buildMembership(m);
  }

  /** Every live membership, organization by organization. */
  *memberships(): IterableIterator<OrganizationMembership> {
    for (let m = 0; m < this.membershipRows.size; m++) if (!this.membershipRows.deleted[m]) yield this.buildMembership(m);
  }

  buildUser(u: number): User {
    return buildUser(this.instance, this.userRows, u);
  }

  buildOrganization(o: number, includeMembersCount: boolean): Organization {
    return buildOrganization(this.instance, this.orgRows, this.userRows, o, includeMembersCount);
  }

  buildMembership(m: number): OrganizationMembership {
    return buildMembership(this.instance, this.membershipRows, this.orgRows, this.userRows, m);
  }
}
