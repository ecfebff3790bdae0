// The instance's invitations (`GET /invitations`): those sent from the waitlist (waitlist.ts
// builds them; their fields are copied here for filtering and ordering) and those sent directly, generated here over the last year. A direct invitation
// that was accepted belongs to a user who signed up with its address soon after; the others are
// still pending, expired after INVITATION_DAYS, or were revoked. A few never expire.
import type { Invitation } from '../clerk/schemas.js';
import { clerkId } from './ids.js';
import type { Instance } from './instance.js';
import { personalEmail } from './naming.js';
import { Rng, Stream } from './prng.js';
import { DAY_MS } from './timeline.js';
import type { UserTable } from './users.js';
import { INVITATION_DAYS, type WaitlistTable } from './waitlist.js';

export const INVITATION_STATUSES = ['pending', 'accepted', 'revoked', 'expired'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

const SENT_OVER_DAYS = 365;
const ROLES = ['member', 'member', 'admin', 'beta_tester'] as const;

export class InvitationTable {
  readonly id: string[] = [];
  readonly email: string[] = [];
  readonly status: InvitationStatus[] = [];
  readonly createdAt: number[] = [];
  /** NaN: never expires. */
  readonly expiresAt: number[] = [];
  /** Of the direct ones only (the waitlist builds the others). */
  private readonly updatedAt: number[] = [];
  private readonly role: (string | null)[] = [];
  /** Rows 0 .. direct - 1 were sent directly; the waitlist's follow. */
  private readonly direct: number;
  /** Of each row after the direct ones: the waitlist entry whose invitation it is. */
  private readonly fromWaitlist: number[] = [];

  constructor(
    instance: Instance,
    count: number,
    users: UserTable,
    private readonly waitlist: WaitlistTable,
  ) {
    const { seed, now } = instance;
    for (let i = 0; i < count; i++) {
      const rng = new Rng(seed, Stream.Invitation, i);
      // Accepted: a user who signed up in the last year, invited shortly before.
      let status: InvitationStatus;
      let createdAt: number;
      let email: string;
      let acceptedAt = NaN;
      const u = users.size > 0 ? rng.int(users.size) : -1;
      const signedUp = u >= 0 ? (users.createdAt[u] as number) : 0;
      if (u >= 0 && signedUp > now - SENT_OVER_DAYS * DAY_MS && rng.chance(0.5) && users.primaryEmailOf(u)) {
        status = 'accepted';
        acceptedAt = signedUp;
        createdAt = signedUp - 1 - Math.round(rng.exponential(2 * DAY_MS));
        email = users.primaryEmailOf(u)!;
      } else {
        createdAt = Math.min(now - 1, now - SENT_OVER_DAYS * DAY_MS + Math.round(rng.next() * SENT_OVER_DAYS * DAY_MS));
        email = personalEmail(rng, users.emailOwners);
        status = rng.chance(0.15) ? 'revoked' : 'pending';
      }
      const neverExpires = rng.chance(0.1);
      const expiresAt = neverExpires ? NaN : createdAt + INVITATION_DAYS * DAY_MS;
      if (status === 'pending' && expiresAt < now) status = 'expired';
      const revokedAt = status === 'revoked' ? Math.min(now - 1, createdAt + Math.round(rng.exponential(3 * DAY_MS))) : NaN;
      this.id.push(clerkId('inv_', createdAt, rng));
      this.email.push(email);
      this.status.push(status);
      this.createdAt.push(createdAt);
      this.expiresAt.push(expiresAt);
      this.updatedAt.push(status === 'accepted' ? acceptedAt : status === 'revoked' ? revokedAt : status === 'expired' ? expiresAt : createdAt);
      this.role.push(rng.chance(0.5) ? ROLES[rng.int(ROLES.length)]! : null);
    }
    // The waitlist's invitations, as rows of their own (the waitlist does not change).
    for (let w = 0; w < waitlist.size; w++) {
      if (!waitlist.hasInvitation(w)) continue;
      const invitedAt = waitlist.invitedAt[w]!;
      this.fromWaitlist.push(w);
      this.id.push(waitlist.invitationId[w]!);
      this.email.push(waitlist.email[w]!);
      this.status.push(waitlist.invitationStatus(w));
      this.createdAt.push(invitedAt);
      this.expiresAt.push(invitedAt + INVITATION_DAYS * DAY_MS);
    }
    this.direct = count;
  }

  get size(): number {
    return this.id.length;
  }

  build(r: number): Invitation {
    if (r >= this.direct) return this.waitlist.buildInvitation(this.fromWaitlist[r - this.direct]!);
    const expiresAt = this.expiresAt[r]!;
    const status = this.status[r]!;
    const role = this.role[r];
    return {
      object: 'invitation',
      id: this.id[r]!,
      email_address: this.email[r]!,
      public_metadata: role ? { role } : {},
      revoked: status === 'revoked',
      status,
      url: `https://accounts.example.com/sign-up?__clerk_ticket=${this.id[r]!.slice(4)}`,
      expires_at: Number.isNaN(expiresAt) ? null : expiresAt,
      created_at: this.createdAt[r]!,
      updated_at: this.updatedAt[r]!,
    };
  }
}
