// Invitations to organizations (`GET /organization_invitations`), generated from the
// memberships: about a third of the members who did not create their organization joined by
// an invitation, accepted shortly before their membership began; and each organization has a few
// invitations to people who are not users, still pending, expired after INVITATION_DAYS, or
// revoked. The inviter is the organization's creator (none for organizations made through the
// Backend API). An organization's `pending_invitations_count` counts its pending ones here. The
// invitations a verified domain sends (automatic invitation) are not among them, as Clerk leaves
// them out of its invitation lists: only the domain's `total_pending_invitations` counts them.
import type { OrganizationInvitation } from '../clerk/schemas.js';
import { clerkId } from './ids.js';
import type { Instance } from './instance.js';
import type { InvitationStatus } from './invitations.js';
import type { MembershipTable } from './memberships.js';
import { personalEmail } from './naming.js';
import { buildOrganization, type OrganizationTable } from './organizations.js';
import { Rng, Stream } from './prng.js';
import { memberRole } from './roles.js';
import { DAY_MS } from './timeline.js';
import { userTraits } from './userObject.js';
import type { UserTable } from './users.js';
import { INVITATION_DAYS } from './waitlist.js';

export class OrganizationInvitationTable {
  readonly id: string[] = [];
  readonly organization: number[] = [];
  readonly email: string[] = [];
  readonly admin: boolean[] = [];
  readonly status: InvitationStatus[] = [];
  readonly createdAt: number[] = [];
  readonly updatedAt: number[] = [];

  constructor(
    private readonly instance: Instance,
    private readonly orgs: OrganizationTable,
    private readonly users: UserTable,
    memberships: MembershipTable,
  ) {
    const { seed, now } = instance;
    for (let o = 0; o < orgs.size; o++) {
      const rng = new Rng(seed, Stream.OrganizationInvitation, o);
      const creator = orgs.createdBy[o]!;
      for (const m of memberships.ofOrganization(o)) {
        const u = memberships.user[m]!;
        if (u === creator || !rng.chance(0.35)) continue;
        const email = users.primaryEmailOf(u);
        if (!email) continue;
        const joined = memberships.createdAt[m]!;
        this.add(rng, o, email, memberships.admin[m] === 1, 'accepted', joined - 1 - Math.round(rng.exponential(DAY_MS)), joined);
      }
      for (let k = rng.int(4); k > 0; k--) {
        const email = personalEmail(rng, users.emailOwners);
        const from = orgs.createdAt[o]!;
        const createdAt = Math.round(from + (now - 1 - from) * rng.next());
        const expiresAt = createdAt + INVITATION_DAYS * DAY_MS;
        const revoked = rng.chance(0.2);
        const status: InvitationStatus = revoked ? 'revoked' : expiresAt < now ? 'expired' : 'pending';
        const changed = revoked ? Math.min(now - 1, createdAt + Math.round(rng.exponential(2 * DAY_MS))) : status === 'expired' ? expiresAt : createdAt;
        this.add(rng, o, email, rng.chance(0.1), status, createdAt, changed);
      }
    }
  }

  private add(rng: Rng, o: number, email: string, admin: boolean, status: InvitationStatus, createdAt: number, updatedAt: number): void {
    this.id.push(clerkId('orginv_', createdAt, rng));
    this.organization.push(o);
    this.email.push(email);
    this.admin.push(admin);
    this.status.push(status);
    this.createdAt.push(createdAt);
    this.updatedAt.push(updatedAt);
    if (status === 'pending') this.orgs.pendingInvitations[o]!++;
  }

  get size(): number {
    return this.id.length;
  }

  /** Listed: its organization was not deleted. */
  live(r: number): boolean {
    return !this.orgs.deleted[this.organization[r]!];
  }

  build(r: number): OrganizationInvitation {
    const { instance, orgs, users } = this;
    const o = this.organization[r]!;
    const org = buildOrganization(instance, orgs, users, o, false);
    const inviter = orgs.createdBy[o]!;
    const traits = inviter >= 0 ? userTraits(instance, users, inviter) : undefined;
    const createdAt = this.createdAt[r]!;
    const role = memberRole(this.admin[r]!);
    return {
      object: 'organization_invitation',
      id: this.id[r]!,
      email_address: this.email[r]!,
      role: role.key,
      role_name: role.name,
      organization_id: org.id,
      inviter_id: inviter >= 0 ? users.id[inviter]! : null,
      public_inviter_data:
        inviter >= 0
          ? {
              user_id: users.id[inviter]!,
              first_name: users.firstName[inviter] ?? null,
              last_name: users.lastName[inviter] ?? null,
              image_url: traits!.imageUrl,
              has_image: traits!.hasImage,
              identifier: users.identifierOf(inviter) ?? '',
            }
          : null,
      status: this.status[r]!,
      public_metadata: {},
      private_metadata: {},
      url: this.status[r] === 'pending' ? `https://accounts.example.com/sign-up?__clerk_ticket=${this.id[r]!.slice(7)}` : null,
      expires_at: createdAt + INVITATION_DAYS * DAY_MS,
      created_at: createdAt,
      updated_at: this.updatedAt[r]!,
      public_organization_data: { id: org.id, name: org.name!, slug: org.slug ?? '', image_url: org.image_url ?? '', has_image: org.has_image ?? false },
    };
  }
}
