// The compact index of organization memberships and the OrganizationMembership JSON built
// from it. Sizes follow a Zipf law (a few big organizations, many small ones), every
// organization with members has an admin (its creator when it has one), and no user is a
// member of the same organization twice.
import type { OrganizationMembership } from '../clerk/schemas.js';
import { clerkId } from './ids.js';
import type { Instance } from './instance.js';
import { buildOrganization, type OrganizationTable } from './organizations.js';
import { Rng, Stream } from './prng.js';
import { memberRole } from './roles.js';
import { userTraits } from './userObject.js';
import type { UserTable } from './users.js';

/** Memberships whose user data Clerk could not attach (the FDW must not crash on them). */
const WITHOUT_PUBLIC_USER_DATA = 0.03;

export class MembershipTable {
  readonly id: string[] = [];
  // Plain arrays (not typed ones) so that memberships created through the API can be appended.
  readonly user: number[];
  readonly organization: number[];
  readonly createdAt: number[];
  readonly updatedAt: number[];
  readonly admin: number[];
  readonly withoutPublicUserData: number[];
  readonly deleted: number[];
  /** Metadata set through the API; every other membership has none. */
  readonly metadata = new Map<number, { public: Record<string, unknown>; private: Record<string, unknown> }>();
  /** Generated memberships of organization o are rows orgStart[o] .. orgStart[o + 1] - 1. */
  readonly orgStart: Int32Array;
  /** Generated memberships of user u are byUser[userStart[u] .. userStart[u + 1] - 1]. */
  private readonly userStart: Int32Array;
  private readonly byUser: Int32Array;
  /** Memberships created through the API (rows after the generated ones), by organization and by user. */
  private readonly addedByOrganization = new Map<number, number[]>();
  private readonly addedByUser = new Map<number, number[]>();
  private readonly byId = new Map<string, number>();

  constructor(instance: Instance, requested: number, orgs: OrganizationTable, users: UserTable, companyUsers: readonly number[][]) {
    const sizes = planSizes(instance, requested, orgs, users.size);
    const total = sizes.reduce((sum, s) => sum + s, 0);
    const zeros = () => new Array<number>(total).fill(0);
    this.user = zeros();
    this.organization = zeros();
    this.createdAt = zeros();
    this.updatedAt = zeros();
    this.admin = zeros();
    this.withoutPublicUserData = zeros();
    this.deleted = zeros();
    this.orgStart = new Int32Array(orgs.size + 1);

    const row = new Rng(0, 0);
    let m = 0;
    for (let o = 0; o < orgs.size; o++) {
      this.orgStart[o] = m;
      const rng = new Rng(instance.seed, Stream.Membership, o, 0);
      const orgCreatedAt = orgs.createdAt[o] as number;
      const creator = orgs.createdBy[o] as number;
      const colleagues = companyUsers[o] ?? [];
      const chosen = new Set<number>();
      const size = sizes[o] as number;
      if (creator >= 0 && size > 0) chosen.add(creator);
      // About half the members are drawn from the company's own domain (a repeat is redrawn).
      while (chosen.size < size) {
        const fromCompany = colleagues.length > 0 && rng.chance(0.5);
        chosen.add(fromCompany ? (colleagues[rng.int(colleagues.length)] as number) : rng.int(users.size));
      }
      let first = true;
      for (const u of chosen) {
        row.reseed(instance.seed, Stream.Membership, m, 1);
        const joinedFrom = Math.max(orgCreatedAt, users.createdAt[u] as number);
        // The creator joined when creating the organization; others since, mostly early on.
        const createdAt = u === creator ? orgCreatedAt : Math.round(joinedFrom + (instance.now - joinedFrom) * row.next() ** 2);
        this.user[m] = u;
        this.organization[m] = o;
        this.createdAt[m] = createdAt;
        this.updatedAt[m] = row.chance(0.1) ? Math.round(createdAt + (instance.now - createdAt) * row.next()) : createdAt;
        this.admin[m] = first || row.chance(0.06) ? 1 : 0;
        this.withoutPublicUserData[m] = row.chance(WITHOUT_PUBLIC_USER_DATA) ? 1 : 0;
        const id = clerkId('orgmem_', createdAt, row);
        this.id.push(id);
        this.byId.set(id, m);
        first = false;
        m++;
      }
      orgs.membersCount[o] = size;
    }
    this.orgStart[orgs.size] = m;

    // Group rows by user (a counting sort) for per-user listings and the users' org filters.
    this.userStart = new Int32Array(users.size + 1);
    for (let k = 0; k < total; k++) (this.userStart[(this.user[k] as number) + 1] as number)++;
    for (let u = 0; u < users.size; u++) this.userStart[u + 1] = (this.userStart[u + 1] as number) + (this.userStart[u] as number);
    this.byUser = new Int32Array(total);
    const fill = this.userStart.slice(0, users.size);
    for (let k = 0; k < total; k++) {
      const u = this.user[k] as number;
      this.byUser[(fill[u] as number)++] = k;
    }
  }

  get size(): number {
    return this.id.length;
  }

  indexOfId(id: string): number | undefined {
    return this.byId.get(id);
  }

  /** Live memberships of user u. */
  ofUser(u: number): number[] {
    const out: number[] = [];
    if (u + 1 < this.userStart.length) {
      for (let k = this.userStart[u] as number; k < (this.userStart[u + 1] as number); k++) out.push(this.byUser[k] as number);
    }
    out.push(...(this.addedByUser.get(u) ?? []));
    return out.filter((m) => !this.deleted[m]);
  }

  /** Live memberships of organization o. */
  ofOrganization(o: number): number[] {
    const out: number[] = [];
    if (o + 1 < this.orgStart.length) {
      for (let m = this.orgStart[o] as number; m < (this.orgStart[o + 1] as number); m++) out.push(m);
    }
    out.push(...(this.addedByOrganization.get(o) ?? []));
    return out.filter((m) => !this.deleted[m]);
  }

  /** The live membership of user u in organization o. */
  find(o: number, u: number): number | undefined {
    return this.ofOrganization(o).find((m) => this.user[m] === u);
  }

  /** A membership created through the API; the caller checks it is not a duplicate. */
  insert(id: string, o: number, u: number, admin: boolean, createdAt: number, orgs: OrganizationTable): number {
    const m = this.size;
    this.id.push(id);
    this.byId.set(id, m);
    this.user.push(u);
    this.organization.push(o);
    this.createdAt.push(createdAt);
    this.updatedAt.push(createdAt);
    this.admin.push(admin ? 1 : 0);
    this.withoutPublicUserData.push(0);
    this.deleted.push(0);
    for (const [map, key] of [
      [this.addedByOrganization, o],
      [this.addedByUser, u],
    ] as const) {
      const rows = map.get(key);
      if (rows) rows.push(m);
      else map.set(key, [m]);
    }
    (orgs.membersCount[o] as number)++;
    return m;
  }

  remove(m: number, orgs: OrganizationTable): void {
    if (this.deleted[m]) return;
    this.deleted[m] = 1;
    this.byId.delete(this.id[m] as string);
    (orgs.membersCount[this.organization[m] as number] as number)--;
  }

  /** Deleting a user deletes their memberships, as Clerk does. */
  removeUser(u: number, orgs: OrganizationTable): void {
    for (const m of this.ofUser(u)) this.remove(m, orgs);
  }

  /** Deleting an organization deletes its memberships. */
  removeOrganization(o: number, orgs: OrganizationTable): void {
    for (const m of this.ofOrganization(o)) this.remove(m, orgs);
  }
}

/**
 * Members per organization, summing to `requested` (or to what the users allow). Organizations
 * with a creator have at least that one member; some created through the API have none. The
 * rest follows Zipf weights over a random ranking, each organization capped at the user count.
 */
function planSizes(instance: Instance, requested: number, orgs: OrganizationTable, userCount: number): number[] {
  const rank = new Rng(instance.seed, Stream.Membership, -1).permutation(orgs.size);
  const sizes: number[] = [];
  const weights: number[] = [];
  let remaining = requested;
  for (let o = 0; o < orgs.size; o++) {
    const rng = new Rng(instance.seed, Stream.Membership, o, 2);
    const hasCreator = (orgs.createdBy[o] as number) >= 0;
    const empty = !hasCreator && rng.chance(0.5);
    const withCreator = hasCreator && remaining > 0 ? 1 : 0;
    sizes.push(withCreator);
    remaining -= withCreator;
    weights.push(empty ? 0 : 1 / ((rank[o] as number) + 1));
  }
  // Water-filling: share the remainder by weight among organizations with room, until it is
  // all placed or no organization has room left; integer parts first, then one by one.
  while (remaining > 0) {
    const open = weights.map((w, o) => (w > 0 && (sizes[o] as number) < userCount ? w : 0));
    const totalWeight = open.reduce((sum, w) => sum + w, 0);
    if (totalWeight === 0) break;
    let placed = 0;
    for (let o = 0; o < sizes.length; o++) {
      const share = Math.floor((remaining * (open[o] as number)) / totalWeight);
      const add = Math.min(share, userCount - (sizes[o] as number));
      sizes[o] = (sizes[o] as number) + add;
      placed += add;
    }
    if (placed === 0) {
      // Less than one member per open organization is left: give them to the heaviest.
      const order = open
        .map((w, o) => [w, o] as const)
        .filter(([w]) => w > 0)
        .sort((a, b) => b[0] - a[0]);
      for (const [, o] of order.slice(0, remaining)) sizes[o] = (sizes[o] as number) + 1;
      placed = Math.min(remaining, order.length);
    }
    remaining -= placed;
  }
  return sizes;
}

export function buildMembership(
  instance: Instance,
  memberships: MembershipTable,
  orgs: OrganizationTable,
  users: UserTable,
  m: number,
): OrganizationMembership {
  const u = memberships.user[m] as number;
  // Its role as `GET /organization_roles` lists it, permissions included.
  const role = memberRole(memberships.admin[m] === 1);
  const traits = memberships.withoutPublicUserData[m] === 0 ? userTraits(instance, users, u) : undefined;
  return {
    object: 'organization_membership',
    id: memberships.id[m] as string,
    role: role.key,
    role_name: role.name,
    permissions: [...role.permissions],
    public_metadata: structuredClone(memberships.metadata.get(m)?.public ?? {}),
    private_metadata: structuredClone(memberships.metadata.get(m)?.private ?? {}),
    organization: buildOrganization(instance, orgs, users, memberships.organization[m] as number, true),
    ...(traits && {
      public_user_data: {
        user_id: users.id[u] as string,
        first_name: users.firstName[u] ?? null,
        last_name: users.lastName[u] ?? null,
        profile_image_url: traits.imageUrl,
        image_url: traits.imageUrl,
        has_image: traits.hasImage,
        identifier: users.identifierOf(u),
        username: users.username[u] ?? null,
        banned: users.banned[u] ?? false,
      },
    }),
    created_at: memberships.createdAt[m],
    updated_at: memberships.updatedAt[m],
  };
}
