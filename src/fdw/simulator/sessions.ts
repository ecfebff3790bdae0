// Sessions (`GET /sessions`), generated per user on demand from the user's own stream, so none is
// kept. A user who signed in has 1-3 sessions (up to 6 when active in the last two weeks): the
// newest began at the user's last sign-in and carries their last activity, older ones spread back
// to sign-up. Each is on one of the user's 1-3 clients (a browser on a device), and a client's id
// holds its user's row, so `client_id` leads back to the user. A session lasts SESSION_LIFETIME_MS
// (the newest past the last activity: users.ts sees to it) and is abandoned ABANDON_MS after it
// began. The newest is active while it lasts, unless the user is banned: whoever was active today
// is signed in. Older ones of the last 7 days are active half the time, at most two in all (on two
// clients). The others ended (signed out), expired, or were removed, revoked, replaced (a later
// sign-in on the same client) or abandoned. Clerk needs `user_id` or `client_id`.
import type { Session } from '../clerk/schemas.js';
import { paramMissingOneOf, paramValueInvalid } from './errors.js';
import { BASE62, clerkId } from './ids.js';
import type { Instance } from './instance.js';
import type { MembershipTable } from './memberships.js';
import type { OrganizationTable } from './organizations.js';
import { boolean, paging, text } from './params.js';
import { Rng, Stream } from './prng.js';
import { clamp, DAY_MS, MINUTE_MS, SESSION_LIFETIME_MS } from './timeline.js';
import type { UserTable } from './users.js';
import { Weights } from './weights.js';

const SESSION_STATUSES = ['abandoned', 'active', 'ended', 'expired', 'removed', 'replaced', 'revoked'] as const;
type SessionStatus = (typeof SESSION_STATUSES)[number];

/** Clerk's default inactivity limit (`abandon_at`). */
const ABANDON_MS = 30 * DAY_MS;
/** Users active this recently have a few more sessions. */
const RECENT_MS = 14 * DAY_MS;

/** Extra sessions beyond the first (0-2), and clients beyond the first (0-2). */
const MORE_SESSIONS = new Weights([50, 32, 18]);
const MORE_CLIENTS = new Weights([60, 30, 10]);
const MAX_CLIENTS = 3;
/**
 * A client id's last CLIENT_TAIL base62 digits (random in a KSUID) hold user row * MAX_CLIENTS +
 * client, plus an offset the rest of the id decides (so that they look as random), modulo TAIL_RANGE.
 */
const CLIENT_TAIL = 5;
const TAIL_RANGE = 62 ** CLIENT_TAIL;

/** How sessions that are not active ended: while they could still have been active, and after their lifetime. */
const CLOSED_EARLY: readonly SessionStatus[] = ['ended', 'removed', 'revoked'];
const CLOSED_EARLY_PICK = new Weights([70, 15, 15]);
const CLOSED_LATE: readonly SessionStatus[] = ['ended', 'expired', 'removed', 'revoked', 'abandoned'];
const CLOSED_LATE_PICK = new Weights([40, 35, 8, 7, 10]);

const DEVICES = [
  { type: 'Macintosh', mobile: false, browser: 'Chrome', weight: 28 },
  { type: 'Windows', mobile: false, browser: 'Chrome', weight: 22 },
  { type: 'Macintosh', mobile: false, browser: 'Safari', weight: 10 },
  { type: 'Windows', mobile: false, browser: 'Edge', weight: 8 },
  { type: 'Linux', mobile: false, browser: 'Firefox', weight: 4 },
  { type: 'iPhone', mobile: true, browser: 'Mobile Safari', weight: 16 },
  { type: 'Android', mobile: true, browser: 'Chrome Mobile', weight: 10 },
  { type: 'iPad', mobile: true, browser: 'Mobile Safari', weight: 2 },
] as const;
const DEVICE_PICK = new Weights(DEVICES.map((d) => d.weight));
const CITIES: readonly (readonly [city: string, country: string])[] = [
  ['San Francisco', 'US'],
  ['New York', 'US'],
  ['Austin', 'US'],
  ['Chicago', 'US'],
  ['London', 'GB'],
  ['Berlin', 'DE'],
  ['Paris', 'FR'],
  ['Bengaluru', 'IN'],
  ['São Paulo', 'BR'],
  ['Toronto', 'CA'],
  ['Madrid', 'ES'],
  ['Amsterdam', 'NL'],
  ['Tokyo', 'JP'],
  ['Sydney', 'AU'],
];
/** First octets of public IPv4 ranges (no private or reserved ones). */
const IP_FIRST_OCTETS = [24, 45, 66, 73, 81, 98, 104, 142, 151, 185, 203, 212] as const;

interface Client {
  id: string;
  device: (typeof DEVICES)[number];
  browserVersion: string;
  ipAddress: string;
}

function browserVersion(rng: Rng, browser: string): string {
  if (browser.includes('Safari')) return `${17 + rng.int(2)}.${rng.int(6)}`;
  if (browser === 'Firefox') return `${125 + rng.int(15)}.0`;
  return `${120 + rng.int(17)}.0.0.0`;
}

function ipAddress(rng: Rng): string {
  return `${rng.pick(IP_FIRST_OCTETS)}.${rng.int(256)}.${rng.int(256)}.${1 + rng.int(254)}`;
}

/** A hash of a client id's head, below TAIL_RANGE. */
function tailOffset(head: string): number {
  let h = 0;
  for (let i = 0; i < head.length; i++) h = (Math.imul(h, 31) + head.charCodeAt(i)) >>> 0;
  return h % TAIL_RANGE;
}

export class SessionTable {
  constructor(
    private readonly instance: Instance,
    private readonly users: UserTable,
    private readonly orgs: OrganizationTable,
    private readonly memberships: MembershipTable,
  ) {}

  /** `GET /sessions`: the sessions of `user_id` and/or `client_id`, by `status`, newest first, paged. */
  list(query: URLSearchParams): Session[] {
    const userId = text(query, 'user_id');
    const clientId = text(query, 'client_id');
    if (userId === undefined && clientId === undefined) throw paramMissingOneOf(['user_id', 'client_id']);
    const status = text(query, 'status');
    if (status !== undefined && !(SESSION_STATUSES as readonly string[]).includes(status)) throw paramValueInvalid('status', status);
    // Checked only: the spec's answer is a bare array either way.
    boolean(query, 'paginated');
    const { limit, offset } = paging(query);
    // An unknown user or client simply has no sessions, as in Clerk.
    const u = userId !== undefined ? this.users.indexOfId(userId) : this.userOfClient(clientId!);
    const sessions = u === undefined ? [] : this.of(u);
    return sessions
      .filter((s) => (clientId === undefined || s.client_id === clientId) && (status === undefined || s.status === status))
      .slice(offset, offset + limit);
  }

  /** The row of the user whose client this could be (its sessions then tell whether it is). */
  private userOfClient(clientId: string): number | undefined {
    if (!clientId.startsWith('client_')) return undefined;
    let tail = 0;
    for (const c of clientId.slice(-CLIENT_TAIL)) {
      const digit = BASE62.indexOf(c);
      if (digit < 0) return undefined;
      tail = tail * 62 + digit;
    }
    return Math.floor(((tail - tailOffset(clientId.slice(0, -CLIENT_TAIL)) + TAIL_RANGE) % TAIL_RANGE) / MAX_CLIENTS);
  }

  /** User u's sessions, newest first: none for a deleted user, one who never signed in, or one from after "now". */
  of(u: number): Session[] {
    const { users, instance } = this;
    const { seed, now } = instance;
    const lastSignIn = users.lastSignInAt[u];
    if (lastSignIn === undefined || Number.isNaN(lastSignIn) || lastSignIn > now || users.deleted[u]) return [];
    const signedUp = users.createdAt[u]!;
    const rng = new Rng(seed, Stream.Session, u);
    // The last activity to the ms, on the day the user row keeps (Clerk's day precision), not before the last sign-in.
    const activeDay = users.lastActiveAt[u]!;
    const lastActivity = Math.round(clamp(activeDay + rng.next() * DAY_MS, Math.max(lastSignIn, activeDay), Math.min(activeDay + DAY_MS - 1, now)));
    const more = MORE_SESSIONS.pick(rng) + (now - lastActivity < RECENT_MS ? rng.int(4) : 0);
    // Signed in only once, at sign-up: that one session.
    const count = lastSignIn - signedUp < MINUTE_MS ? 1 : 1 + more;
    const starts = Array.from({ length: count - 1 }, () => Math.round(signedUp + (lastSignIn - signedUp) * rng.next())).sort((a, b) => a - b);
    starts.push(lastSignIn);
    const clientCount = Math.min(count, 1 + MORE_CLIENTS.pick(rng));
    const clientOf = starts.map(() => rng.int(clientCount));
    const [homeCity, homeCountry] = rng.pick(CITIES);
    // A client's id dates from its first session.
    const clients = new Map<number, Client>();
    for (let i = 0; i < count; i++) if (!clients.has(clientOf[i]!)) clients.set(clientOf[i]!, this.client(u, clientOf[i]!, starts[i]!));
    const joined = this.memberships.ofUser(u);
    const sessions: Session[] = [];
    let active = 0;
    /** By client: when the next newer session on it began (it replaced the one before). */
    const nextOnClient = new Map<number, number>();
    for (let i = count - 1; i >= 0; i--) {
      const createdAt = starts[i]!;
      const k = clientOf[i]!;
      const expireAt = createdAt + SESSION_LIFETIME_MS;
      const abandonAt = createdAt + ABANDON_MS;
      const replacedAt = nextOnClient.get(k);
      nextOnClient.set(k, createdAt);
      const client = clients.get(k)!;

      const newest = i === count - 1;
      const end = Math.min(expireAt, replacedAt ?? Infinity, lastActivity);
      const lastActiveAt = newest ? lastActivity : Math.round(Math.min(createdAt + rng.exponential(DAY_MS), end));
      const live = expireAt > now && replacedAt === undefined && !users.banned[u];
      let status: SessionStatus;
      // The newest draws too (and ignores it), so that the draws after it stay as they were.
      if (live && active < 2 && (rng.chance(0.5) || newest)) status = 'active';
      else if (replacedAt !== undefined && rng.chance(0.35)) status = 'replaced';
      else if (expireAt > now) status = CLOSED_EARLY[CLOSED_EARLY_PICK.pick(rng)]!;
      else status = CLOSED_LATE[CLOSED_LATE_PICK.pick(rng)]!;
      if (status === 'abandoned' && abandonAt >= now) status = 'expired';
      if (status === 'active') active++;
      const closedAt = Math.round(clamp(lastActiveAt + rng.exponential(10 * MINUTE_MS), lastActiveAt, Math.min(expireAt, now)));
      const changedAt: Record<SessionStatus, number> = {
        active: lastActiveAt,
        expired: expireAt,
        abandoned: abandonAt,
        replaced: replacedAt ?? closedAt,
        ended: closedAt,
        removed: closedAt,
        revoked: closedAt,
      };

      // In an organization 60% of the time, when a member then. Drawn whatever the memberships, so that one created or deleted later changes no other draw.
      const orgDraw = rng.next() / 0.6;
      const memberAt = joined.filter((m) => this.memberships.createdAt[m]! <= lastActiveAt);
      const organization = orgDraw < 1 && memberAt.length > 0 ? this.memberships.organization[memberAt[Math.floor(orgDraw * memberAt.length)]!]! : -1;
      const travelling = rng.chance(0.1);
      const [city, country] = travelling ? rng.pick(CITIES) : [homeCity, homeCountry];
      const ip = travelling || rng.chance(0.2) ? ipAddress(rng) : client.ipAddress;
      sessions.push({
        object: 'session',
        id: clerkId('sess_', createdAt, rng),
        user_id: users.id[u]!,
        client_id: client.id,
        actor: null,
        status,
        last_active_organization_id: organization >= 0 ? this.orgs.id[organization]! : null,
        last_active_at: lastActiveAt,
        latest_activity: {
          object: 'session_activity',
          id: clerkId('sess_activity_', lastActiveAt, rng),
          device_type: client.device.type,
          is_mobile: client.device.mobile,
          browser_name: client.device.browser,
          browser_version: client.browserVersion,
          ip_address: ip,
          city,
          country,
        },
        expire_at: expireAt,
        abandon_at: abandonAt,
        updated_at: changedAt[status],
        created_at: createdAt,
        tasks: status === 'active' ? [] : null,
      });
    }
    return sessions;
  }

  /** Client k of user u, first used at `firstUse`, from its own stream. */
  private client(u: number, k: number, firstUse: number): Client {
    const rng = new Rng(this.instance.seed, Stream.Session, u, 1 + k);
    const head = clerkId('client_', firstUse, rng).slice(0, -CLIENT_TAIL);
    let tail = (u * MAX_CLIENTS + k + tailOffset(head)) % TAIL_RANGE;
    const digits: string[] = [];
    for (let d = 0; d < CLIENT_TAIL; d++, tail = Math.floor(tail / 62)) digits.unshift(BASE62[tail % 62]!);
    const device = DEVICES[DEVICE_PICK.pick(rng)]!;
    return {
      id: head + digits.join(''),
      device,
      browserVersion: browserVersion(rng, device.browser),
      ipAddress: ipAddress(rng),
    };
  }
}
