// The compact index of organizations and the Organization JSON built from it. Organization o
// is named after company o of the pool; its creator (`created_by`, absent for organizations
// created through the Backend API) is a user who existed before it, often one of the
// company's own people.
import type { Organization } from '../clerk/schemas.js';
import type { CompanyPool } from './companies.js';
import { clerkId } from './ids.js';
import { defaultImage, initialsOf, uploadedImage } from './images.js';
import type { Instance } from './instance.js';
import { organizationMetadata } from './metadata.js';
import { Rng, Stream } from './prng.js';
import { growthTime } from './timeline.js';
import type { UserTable } from './users.js';

/** Membership limits an organization's plan may set; 0 means unlimited. */
const MEMBERSHIP_LIMITS = [5, 10, 20, 50, 100, 250] as const;

export class OrganizationTable {
  readonly id: string[] = [];
  readonly createdAt: number[] = [];
  readonly updatedAt: number[] = [];
  readonly name: string[] = [];
  readonly slug: string[] = [];
  /** Index of the creating user, -1 when created through the Backend API. */
  readonly createdBy: number[] = [];
  /** Live memberships, maintained by the membership table. */
  readonly membersCount: number[];
  /** Pending invitations `GET /organization_invitations` lists, counted by the organization invitation table. */
  readonly pendingInvitations: number[];
  readonly maxAllowedMemberships: number[] = [];
  readonly deleted: boolean[] = [];
  /**
   * The Organization JSON (with its counts) of organizations created or changed through the
   * API, which generated detail could no longer reproduce from the row.
   */
  readonly written = new Map<number, Organization>();
  private readonly byId = new Map<string, number>();
  private readonly bySlug = new Map<string, number>();

  /**
   * @param companyUsers users with a work address at each company, in creation order.
   */
  constructor(instance: Instance, count: number, companies: CompanyPool, users: UserTable, companyUsers: readonly number[][]) {
    this.membersCount = new Array<number>(count).fill(0);
    this.pendingInvitations = new Array<number>(count).fill(0);
    for (let o = 0; o < count; o++) {
      const rng = new Rng(instance.seed, Stream.Organization, o);
      const company = companies.company(o);
      const createdAt = organizationCreatedAt(rng, o, count, instance.now);
      const usersBefore = countBefore(users.createdAt, createdAt);
      const colleagues = companyUsers[o] ?? [];
      const colleaguesBefore = countBefore(
        colleagues.map((u) => users.createdAt[u] as number),
        createdAt,
      );
      let createdBy = -1;
      if (usersBefore > 0 && rng.chance(0.88)) {
        createdBy = colleaguesBefore > 0 && rng.chance(0.7) ? (colleagues[rng.int(colleaguesBefore)] as number) : rng.int(usersBefore);
      }
      const id = clerkId('org_', createdAt, rng);
      this.byId.set(id, o);
      this.bySlug.set(company.slug, o);
      this.id.push(id);
      this.createdAt.push(createdAt);
      this.updatedAt.push(rng.chance(0.4) ? Math.round(createdAt + (instance.now - createdAt) * rng.next()) : createdAt);
      this.name.push(company.name);
      this.slug.push(company.slug);
      this.createdBy.push(createdBy);
      this.deleted.push(false);
    }
  }

  get size(): number {
    return this.id.length;
  }

  /** Fixes each organization's plan limit once its memberships exist (a limit never undercuts them). */
  setMembershipLimits(instance: Instance): void {
    for (let o = 0; o < this.size; o++) {
      const rng = new Rng(instance.seed, Stream.Organization, o, 1);
      const members = this.membersCount[o] as number;
      const limit = MEMBERSHIP_LIMITS.find((l) => l >= members);
      this.maxAllowedMemberships.push(limit !== undefined && rng.chance(0.3) ? limit : 0);
    }
  }

  /** A live organization by id or slug (deleted ones free both). */
  indexOfIdOrSlug(idOrSlug: string): number | undefined {
    return this.byId.get(idOrSlug) ?? this.bySlug.get(idOrSlug);
  }

  indexOfId(id: string): number | undefined {
    return this.byId.get(id);
  }

  indexOfSlug(slug: string): number | undefined {
    return this.bySlug.get(slug);
  }

  /** An organization created through the API, with no members yet. Uniqueness is the caller's. */
  insert(id: string, createdAt: number, name: string, slug: string, createdBy: number, maxAllowedMemberships: number): number {
    const o = this.size;
    this.id.push(id);
    this.byId.set(id, o);
    this.createdAt.push(createdAt);
    this.updatedAt.push(createdAt);
    this.name.push(name);
    this.slug.push(slug);
    this.bySlug.set(slug, o);
    this.createdBy.push(createdBy);
    this.membersCount.push(0);
    this.pendingInvitations.push(0);
    this.maxAllowedMemberships.push(maxAllowedMemberships);
    this.deleted.push(false);
    return o;
  }

  setSlug(o: number, slug: string): void {
    this.bySlug.delete(this.slug[o] as string);
    this.slug[o] = slug;
    this.bySlug.set(slug, o);
  }

  /** Marks an organization deleted and frees its id and slug; the row stays, as users' do. */
  remove(o: number): void {
    this.deleted[o] = true;
    this.byId.delete(this.id[o] as string);
    this.bySlug.delete(this.slug[o] as string);
    this.written.delete(o);
  }
}

/**
 * When organization o of `count` was created, from the first draw of its stream (companies.ts
 * dates their SSO after it): spread like the sign-ups, a little later than the first users,
 * since someone has to create them.
 */
export function organizationCreatedAt(rng: Rng, o: number, count: number, now: number): number {
  return growthTime(0.02 + (0.98 * (o + rng.next())) / count, now);
}

/** How many of the ascending `times` are strictly before `t`. */
export function countBefore(times: readonly number[], t: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((times[mid] as number) < t) low = mid + 1;
    else high = mid;
  }
  return low;
}

export function buildOrganization(instance: Instance, rows: OrganizationTable, users: UserTable, o: number, includeMembersCount: boolean): Organization {
  const written = rows.written.get(o);
  if (written) {
    // A copy, with the live member count, and the counts only when asked for (as generated).
    const copy = structuredClone(written);
    if (includeMembersCount) copy.members_count = rows.membersCount[o];
    else {
      delete copy.members_count;
      delete copy.pending_invitations_count;
    }
    return copy;
  }
  const rng = new Rng(instance.seed, Stream.OrganizationDetail, o);
  const id = rows.id[o] as string;
  const name = rows.name[o] as string;
  const createdAt = rows.createdAt[o] as number;
  // Every draw happens whatever is included, so the organization is the same in every view.
  const hasImage = rng.chance(0.45);
  const imageUrl = hasImage ? uploadedImage(rng, createdAt) : defaultImage(instance.instanceId, id, initialsOf(...name.split(' ').slice(0, 2)));
  const metadata = organizationMetadata(rng, createdAt, instance.now);
  const counts = includeMembersCount ? { members_count: rows.membersCount[o], pending_invitations_count: rows.pendingInvitations[o] } : {};
  const createdBy = rows.createdBy[o] ?? -1;
  return {
    object: 'organization',
    id,
    name,
    slug: rows.slug[o],
    image_url: imageUrl,
    has_image: hasImage,
    ...counts,
    max_allowed_memberships: rows.maxAllowedMemberships[o] ?? 0,
    admin_delete_enabled: true,
    public_metadata: metadata.public,
    private_metadata: metadata.private,
    ...(createdBy >= 0 ? { created_by: users.id[createdBy] } : {}),
    created_at: createdAt,
    updated_at: rows.updatedAt[o],
  };
}

/** The Organization JSON of an organization just created through the API (row o), counts included. */
export function newOrganization(
  instance: Instance,
  rows: OrganizationTable,
  users: UserTable,
  o: number,
  metadata: { public: Record<string, unknown>; private: Record<string, unknown> },
): Organization {
  const id = rows.id[o] as string;
  const name = rows.name[o] as string;
  const createdBy = rows.createdBy[o] ?? -1;
  return {
    object: 'organization',
    id,
    name,
    slug: rows.slug[o],
    image_url: defaultImage(instance.instanceId, id, initialsOf(...name.split(' ').slice(0, 2))),
    has_image: false,
    members_count: rows.membersCount[o],
    pending_invitations_count: rows.pendingInvitations[o],
    max_allowed_memberships: rows.maxAllowedMemberships[o] ?? 0,
    admin_delete_enabled: true,
    public_metadata: metadata.public,
    private_metadata: metadata.private,
    ...(createdBy >= 0 ? { created_by: users.id[createdBy] } : {}),
    created_at: rows.createdAt[o],
    updated_at: rows.updatedAt[o],
  };
}
