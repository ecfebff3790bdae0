// The generated Clerk instance: compact tables of users, organizations and memberships, full
// JSON objects built on demand, and the mutations tests use to change data mid-read.
import type { Invitation, Organization, OrganizationInvitation, OrganizationMembership, User, WaitlistEntry } from '../clerk/schemas.js';
import { CompanyPool } from './companies.js';
import { clerkId } from './ids.js';
import { createInstance, type Instance } from './instance.js';
import { buildMembership, MembershipTable } from './memberships.js';
import { buildOrganization, newOrganization, OrganizationTable } from './organizations.js';
import { Rng, Stream } from './prng.js';
import { DEFAULT_NOW } from './timeline.js';
import { buildUser, newUser, type NewUserDetail } from './userObject.js';
import { type NewUserRow, UserTable } from './users.js';
import { InvitationTable } from './invitations.js';
import { OrganizationInvitationTable } from './organizationInvitations.js';
import { WaitlistTable } from './waitlist.js';
import { SessionTable } from './sessions.js';
import { BillingTables } from './billing.js';
import { ConfigurationTables } from './configuration.js';

type Json = Record<string, unknown>;

/** What `PATCH /users/{id}` changes (absent: unchanged); checked by the caller. */
export interface UserChanges {
  firstName?: string | null;
  lastName?: string | null;
  username?: string | null;
  externalId?: string | null;
  locale?: string | null;
  /** Index among the user's addresses / numbers. */
  primaryEmail?: number;
  primaryPhone?: number;
  password?: boolean;
  deleteSelfEnabled?: boolean;
  createOrganizationEnabled?: boolean;
  createOrganizationsLimit?: number | null;
}

export interface NewOrganization {
  name: string;
  slug: string;
  /** Row of the creating user (who becomes its admin), -1 for none. */
  createdBy: number;
  maxAllowedMemberships: number;
  publicMetadata: Json;
  privateMetadata: Json;
}

export interface OrganizationChanges {
  name?: string;
  slug?: string;
  maxAllowedMemberships?: number;
  adminDeleteEnabled?: boolean;
}

export interface DatasetOptions {
  /** Any safe integer; the same seed and sizes always give the same bytes. Default 1. */
  seed?: number;
  /** Default 10 000. */
  users?: number;
  /** Default one per 25 users. */
  orgs?: number;
  /** Total memberships; fewer when the users cannot fill them. Default 0.4 per user. */
  memberships?: number;
  /** Waitlist entries. Default one per 20 users. */
  waitlist?: number;
  /** Invitations sent directly (the waitlist's come on top). Default one per 50 users. */
  invitations?: number;
  /** The dataset's "now" in ms: timestamps lie before it. Default 2025-06-02T12:00:00Z. */
  now?: number;
}

export const DEFAULT_DATASET = {
  seed: 1,
  users: 10_000,
  usersPerOrg: 25,
  membershipsPerUser: 0.4,
  usersPerWaitlistEntry: 20,
  usersPerInvitation: 50,
  now: DEFAULT_NOW,
} as const;

export interface OrganizationOptions {
  /** Include `members_count` (and `pending_invitations_count`), as the API does on request. */
  includeMembersCount?: boolean;
}

export class Dataset {
  readonly instance: Instance;
  readonly userRows: UserTable;
  readonly orgRows: OrganizationTable;
  readonly membershipRows: MembershipTable;
  readonly waitlistRows: WaitlistTable;
  readonly invitationRows: InvitationTable;
  readonly organizationInvitationRows: OrganizationInvitationTable;
  readonly sessionRows: SessionTable;
  readonly billing: BillingTables;
  readonly configuration: ConfigurationTables;
  private changes = 0;
  /** Writes through the API so far: each draws its ids from its own stream. */
  private writes = 0;
  private lastWriteAt = 0;

  constructor(options: DatasetOptions = {}) {
    const seed = options.seed ?? DEFAULT_DATASET.seed;
    const users = options.users ?? DEFAULT_DATASET.users;
    // Sizes not given scale with the users, so `--users 1000` alone is a coherent instance.
    const orgs = options.orgs ?? Math.round(users / DEFAULT_DATASET.usersPerOrg);
    const memberships = options.memberships ?? Math.round(users * DEFAULT_DATASET.membershipsPerUser);
    const waitlist = options.waitlist ?? Math.round(users / DEFAULT_DATASET.usersPerWaitlistEntry);
    const invitations = options.invitations ?? Math.round(users / DEFAULT_DATASET.usersPerInvitation);
    const now = options.now ?? DEFAULT_DATASET.now;
    for (const [name, value] of Object.entries({ seed, users, orgs, memberships, waitlist, invitations, now })) {
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
    this.waitlistRows = new WaitlistTable(this.instance, waitlist, this.userRows);
    this.invitationRows = new InvitationTable(this.instance, invitations, this.userRows, this.waitlistRows);
    this.organizationInvitationRows = new OrganizationInvitationTable(this.instance, this.orgRows, this.userRows, this.membershipRows);
    this.sessionRows = new SessionTable(this.instance, this.userRows, this.orgRows, this.membershipRows);
    this.billing = new BillingTables(this.instance, this.userRows, this.orgRows);
    this.configuration = new ConfigurationTables(this.instance, companies, companyUsers, this.orgRows, this.userRows, this.membershipRows, this.invitationRows);
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
      this.userRows.written.delete(u);
      this.membershipRows.removeUser(u, this.orgRows);
    }
    this.changes++;
  }

  /**
   * The time of a write (the wall clock, as Clerk's are) and the ids' random source. Times
   * strictly increase, so that `order_by=-updated_at` tells apart two writes in the same ms.
   */
  private write(): { at: number; rng: Rng } {
    this.lastWriteAt = Math.max(Date.now(), this.lastWriteAt + 1);
    this.changes++;
    return { at: this.lastWriteAt, rng: new Rng(this.seed, Stream.Write, this.writes++) };
  }

  /** `POST /users`: returns the new user's row. */
  createUser(row: Omit<NewUserRow, 'id' | 'createdAt'>, detail: NewUserDetail): number {
    const { at, rng } = this.write();
    const u = this.userRows.insert({ ...row, id: clerkId('user_', at, rng), createdAt: at });
    this.userRows.written.set(u, newUser(this.instance, this.userRows, u, detail, rng));
    return u;
  }

  /** `PATCH /users/{id}`: the user as it was, with the changes, updated now. */
  updateUser(u: number, changes: UserChanges): void {
    const user = buildUser(this.instance, this.userRows, u);
    const { at } = this.write();
    const rows = this.userRows;
    if (changes.firstName !== undefined) rows.firstName[u] = user.first_name = changes.firstName;
    if (changes.lastName !== undefined) rows.lastName[u] = user.last_name = changes.lastName;
    if (changes.username !== undefined) rows.setUsername(u, (user.username = changes.username));
    if (changes.externalId !== undefined) rows.setExternalId(u, (user.external_id = changes.externalId));
    if (changes.locale !== undefined) user.locale = changes.locale;
    if (changes.primaryEmail !== undefined) {
      rows.primaryEmail[u] = changes.primaryEmail;
      user.primary_email_address_id = user.email_addresses?.[changes.primaryEmail]?.id ?? null;
    }
    if (changes.primaryPhone !== undefined) {
      rows.primaryPhone[u] = changes.primaryPhone;
      user.primary_phone_number_id = user.phone_numbers?.[changes.primaryPhone]?.id ?? null;
    }
    if (changes.password) {
      user.password_enabled = true;
      user.password_last_updated_at = at;
    }
    if (changes.deleteSelfEnabled !== undefined) user.delete_self_enabled = changes.deleteSelfEnabled;
    if (changes.createOrganizationEnabled !== undefined) user.create_organization_enabled = changes.createOrganizationEnabled;
    if (changes.createOrganizationsLimit !== undefined) user.create_organizations_limit = changes.createOrganizationsLimit;
    rows.updatedAt[u] = user.updated_at = at;
    rows.written.set(u, user);
  }

  /** `DELETE /users/{id}`. */
  deleteUser(u: number): void {
    this.write();
    this.userRows.remove(u);
    this.userRows.written.delete(u);
    this.membershipRows.removeUser(u, this.orgRows);
  }

  /** `POST /organizations`: the creator, if any, becomes its first admin, as in Clerk. */
  createOrganization(org: NewOrganization): number {
    const { at, rng } = this.write();
    const orgs = this.orgRows;
    const o = orgs.insert(clerkId('org_', at, rng), at, org.name, org.slug, org.createdBy, org.maxAllowedMemberships);
    if (org.createdBy >= 0) this.membershipRows.insert(clerkId('orgmem_', at, rng), o, org.createdBy, true, at, orgs);
    orgs.written.set(o, newOrganization(this.instance, orgs, this.userRows, o, { public: org.publicMetadata, private: org.privateMetadata }));
    return o;
  }

  /** `PATCH /organizations/{id}`. */
  updateOrganization(o: number, changes: OrganizationChanges): void {
    const organization = this.buildOrganization(o, true);
    const { at } = this.write();
    const orgs = this.orgRows;
    if (changes.name !== undefined) orgs.name[o] = organization.name = changes.name;
    if (changes.slug !== undefined) orgs.setSlug(o, (organization.slug = changes.slug));
    if (changes.maxAllowedMemberships !== undefined) {
      orgs.maxAllowedMemberships[o] = organization.max_allowed_memberships = changes.maxAllowedMemberships;
    }
    if (changes.adminDeleteEnabled !== undefined) organization.admin_delete_enabled = changes.adminDeleteEnabled;
    orgs.updatedAt[o] = organization.updated_at = at;
    orgs.written.set(o, organization);
  }

  /** `DELETE /organizations/{id}`: its memberships go with it. */
  deleteOrganization(o: number): void {
    this.write();
    this.membershipRows.removeOrganization(o, this.orgRows);
    this.orgRows.remove(o);
  }

  /** `POST /organizations/{id}/memberships`. */
  createMembership(o: number, u: number, admin: boolean, metadata: { public: Json; private: Json }): number {
    const { at, rng } = this.write();
    const m = this.membershipRows.insert(clerkId('orgmem_', at, rng), o, u, admin, at, this.orgRows);
    this.membershipRows.metadata.set(m, metadata);
    return m;
  }

  /** `PATCH /organizations/{id}/memberships/{user_id}`. */
  updateMembership(m: number, admin: boolean): void {
    const { at } = this.write();
    this.membershipRows.admin[m] = admin ? 1 : 0;
    this.membershipRows.updatedAt[m] = at;
  }

  /** `DELETE /organizations/{id}/memberships/{user_id}`. */
  deleteMembership(m: number): void {
    this.write();
    this.membershipRows.remove(m, this.orgRows);
  }

  /** Live users, organizations and memberships; waitlist entries. */
  counts(): { users: number; orgs: number; memberships: number; waitlist: number; invitations: number } {
    const liveUsers = this.userRows.deleted.filter((d) => !d).length;
    const liveOrgs = this.orgRows.deleted.filter((d) => !d).length;
    const liveMemberships = this.membershipRows.deleted.reduce((n, d) => n + (d ? 0 : 1), 0);
    return { users: liveUsers, orgs: liveOrgs, memberships: liveMemberships, waitlist: this.waitlistRows.size, invitations: this.invitationRows.size };
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
    if (o === undefined || o < 0 || o >= this.orgRows.size || this.orgRows.deleted[o]) return undefined;
    return buildOrganization(this.instance, this.orgRows, this.userRows, o, options.includeMembersCount ?? false);
  }

  /** Every organization, oldest first. */
  *organizations(options: OrganizationOptions = {}): IterableIterator<Organization> {
    for (let o = 0; o < this.orgRows.size; o++) {
      if (this.orgRows.deleted[o]) continue;
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

  *waitlistEntries(): IterableIterator<WaitlistEntry> {
    for (let w = 0; w < this.waitlistRows.size; w++) yield this.waitlistRows.build(w);
  }

  *invitations(): IterableIterator<Invitation> {
    for (let r = 0; r < this.invitationRows.size; r++) yield this.invitationRows.build(r);
  }

  /** Of live organizations. */
  *organizationInvitations(): IterableIterator<OrganizationInvitation> {
    const rows = this.organizationInvitationRows;
    for (let r = 0; r < rows.size; r++) if (rows.live(r)) yield rows.build(r);
  }
}
