// The waitlist: people who asked to sign up while the instance admitted by invitation only, as
// Clerk keeps them. The list opened WAITLIST_DAYS before "now"; sign-ups to it come faster over
// time. The older an entry, the likelier it was handled: invited (Clerk sends an invitation,
// which expires after INVITATION_DAYS unless accepted), completed (the invitation accepted: the
// person signed up), or rejected. Recent entries are mostly still pending, and a few pending
// entries are locked (in a batch action).
import type { Invitation, WaitlistEntry } from '../clerk/schemas.js';
import { clerkId } from './ids.js';
import type { Instance } from './instance.js';
import { personalEmail } from './naming.js';
import { Rng, Stream } from './prng.js';
import { DAY_MS } from './timeline.js';
import type { UserTable } from './users.js';

export const WAITLIST_STATUSES = ['pending', 'invited', 'rejected', 'completed'] as const;
export type WaitlistStatus = (typeof WAITLIST_STATUSES)[number];

const WAITLIST_DAYS = 180;
/** Clerk's invitations expire after 30 days by default. */
export const INVITATION_DAYS = 30;

export class WaitlistTable {
  readonly id: string[] = [];
  readonly email: string[] = [];
  readonly status: WaitlistStatus[] = [];
  readonly locked: boolean[] = [];
  readonly createdAt: number[] = [];
  readonly updatedAt: number[] = [];
  /** When the invitation was sent, and when it was accepted; NaN when there was none. */
  readonly invitedAt: number[] = [];
  readonly acceptedAt: number[] = [];
  readonly invitationId: string[] = [];

  constructor(
    private readonly instance: Instance,
    count: number,
    users: UserTable,
  ) {
    const { seed, now } = instance;
    const opened = now - WAITLIST_DAYS * DAY_MS;
    const taken = new Set<string>();
    // One entry per address, as Clerk keeps it, and none of a user's (they are in already).
    const notNew = { has: (email: string) => taken.has(email) || users.emailOwners.has(email) };
    for (let w = 0; w < count; w++) {
      const rng = new Rng(seed, Stream.Waitlist, w);
      // Position in the list's life, denser towards now (sqrt: twice as many in the last half).
      const x = Math.sqrt((w + rng.next()) / Math.max(1, count));
      const createdAt = Math.min(now - 1, Math.round(opened + x * (now - opened)));
      const email = personalEmail(rng, notNew);
      taken.add(email);
      const age = (now - createdAt) / (now - opened);
      let status: WaitlistStatus = 'pending';
      if (rng.chance(0.15 + 0.8 * age)) {
        const r = rng.next();
        status = r < 0.45 ? 'invited' : r < 0.85 ? 'completed' : 'rejected';
      }
      const handledAt = status === 'pending' ? createdAt : Math.min(now - 1, createdAt + Math.round(rng.exponential(7 * DAY_MS)));
      const invitedAt = status === 'invited' || status === 'completed' ? handledAt : NaN;
      const acceptedAt = status === 'completed' ? Math.min(now - 1, invitedAt + Math.round(rng.exponential(2 * DAY_MS))) : NaN;
      const expiry = invitedAt + INVITATION_DAYS * DAY_MS;
      this.id.push(clerkId('wle_', createdAt, rng));
      this.email.push(email);
      this.status.push(status);
      this.locked.push(status === 'pending' && rng.chance(0.02));
      this.createdAt.push(createdAt);
      this.invitedAt.push(invitedAt);
      this.acceptedAt.push(acceptedAt);
      this.invitationId.push(Number.isNaN(invitedAt) ? '' : clerkId('inv_', invitedAt, rng));
      // The last change: the acceptance, the invitation's expiry, or the handling.
      this.updatedAt.push(status === 'completed' ? acceptedAt : status === 'invited' && expiry < now ? expiry : handledAt);
    }
  }

  get size(): number {
    return this.id.length;
  }

  build(w: number): WaitlistEntry {
    return {
      object: 'waitlist_entry',
      id: this.id[w]!,
      email_address: this.email[w]!,
      status: this.status[w]!,
      is_locked: this.locked[w]!,
      created_at: this.createdAt[w]!,
      updated_at: this.updatedAt[w]!,
      invitation: this.hasInvitation(w) ? this.buildInvitation(w) : null,
    };
  }

  hasInvitation(w: number): boolean {
    return !Number.isNaN(this.invitedAt[w]);
  }

  /** The status of the invitation sent to entry w (which has one). */
  invitationStatus(w: number): 'pending' | 'accepted' | 'expired' {
    if (this.status[w] === 'completed') return 'accepted';
    return this.invitedAt[w]! + INVITATION_DAYS * DAY_MS < this.instance.now ? 'expired' : 'pending';
  }

  /** The invitation sent to entry w (which has one), as `GET /invitations` lists it too. */
  buildInvitation(w: number): Invitation {
    const invitedAt = this.invitedAt[w]!;
    const expiresAt = invitedAt + INVITATION_DAYS * DAY_MS;
    const status = this.invitationStatus(w);
    return {
      object: 'invitation',
      id: this.invitationId[w]!,
      email_address: this.email[w]!,
      public_metadata: {},
      revoked: false,
      status,
      url: `https://accounts.example.com/sign-up?__clerk_ticket=${this.invitationId[w]!.slice(4)}`,
      expires_at: expiresAt,
      created_at: invitedAt,
      updated_at: status === 'accepted' ? this.acceptedAt[w]! : status === 'expired' ? expiresAt : invitedAt,
    };
  }
}
