// The compact index of users: one entry per user in flat arrays ("columns"), holding only
// what filtering, sorting and uniqueness need: identity fields (id, names, addresses, phone
// numbers, username, external id) and timestamps. The full User JSON is built from a row on
// demand (userObject.ts); nothing here is a User object. Flat columns (addresses and phone
// numbers included) keep the number of retained objects, hence generation time, low.
import type { User } from '../clerk/schemas.js';
import { type Company, type CompanyPool, WORK_EMAIL_SHARE } from './companies.js';
import { clerkId } from './ids.js';
import { consumerDomain, emailLocalPart, uniqueName, usernameFor, workLocalPart } from './naming.js';
import { Rng, Stream } from './prng.js';
import { clamp, DAY_MS, floorDay, growthTime, MINUTE_MS, SECOND_MS, SESSION_LIFETIME_MS } from './timeline.js';
import { FIRST_NAMES, LAST_NAMES, PHONE_PREFIXES } from './vocabulary.js';
import { Weights } from './weights.js';

const PHONE_PREFIX_PICK = new Weights(PHONE_PREFIXES.map(([, weight]) => weight));
/** One user in this many signed up with a test address. */
const TEST_USER_EVERY = 40;

/** Number of email addresses: none (phone or username sign-ups), one, two, three. */
const EMAIL_COUNT_PICK = new Weights([4, 66, 22, 8]);
const PHONE_COUNT_PICK = new Weights([50, 40, 10]);
/** Users created by an import or an admin and who never signed in. */
const NEVER_SIGNED_IN = 0.06;

/** The row of a user created through the API. */
export interface NewUserRow {
  id: string;
  createdAt: number;
  firstName: string | null;
  lastName: string | null;
  emails: readonly string[];
  phones: readonly string[];
  username: string | null;
  externalId: string | null;
}

export class UserTable {
  readonly id: string[] = [];
  readonly createdAt: number[] = [];
  readonly updatedAt: number[] = [];
  /** NaN: never signed in. */
  readonly lastSignInAt: number[] = [];
  /** NaN: no session activity. Start of a UTC day (Clerk keeps day precision). */
  readonly lastActiveAt: number[] = [];
  readonly firstName: (string | null)[] = [];
  readonly lastName: (string | null)[] = [];
  /** Index among the user's addresses of the primary one, -1 when the user has none. */
  readonly primaryEmail: number[] = [];
  readonly primaryPhone: number[] = [];
  readonly username: (string | null)[] = [];
  readonly externalId: (string | null)[] = [];
  readonly banned: boolean[] = [];
  /** Company of the user's work address (-1: none): organizations recruit members there. */
  readonly company: number[] = [];
  readonly deleted: boolean[] = [];
  /**
   * The User JSON of users created or changed through the API: a write fixes the whole
   * object, which generated detail could no longer reproduce from the row.
   */
  readonly written = new Map<number, User>();
  /** Lower-case addresses of user i, in the order added: emails[emailStart[i] .. emailStart[i + 1]). */
  private readonly emails: string[] = [];
  private readonly emailStart: number[] = [0];
  private readonly phones: string[] = [];
  private readonly phoneStart: number[] = [0];

  // Addresses and usernames are checked for uniqueness while generating, so their lookups
  // exist from the start; ids, phone numbers and external ids are unique by construction and
  // their lookups are built on first use.
  private readonly byEmail = new Map<string, number>();
  private readonly byUsername = new Map<string, number>();
  private readonly byId = new LazyIndex(() => this.column(this.id));
  private readonly byPhone = new LazyIndex(() => this.phoneOwners());
  private readonly byExternalId = new LazyIndex(() => this.column(this.externalId));
  private readonly rng = new Rng(0, 0);
  private phoneSequence = 0;

  constructor(
    private readonly seed: number,
    private readonly now: number,
    private readonly companies: CompanyPool,
  ) {}

  get size(): number {
    return this.id.length;
  }

  /** The first `count` users: user i is the i-th to sign up, in a history that grows. */
  generate(count: number): void {
    for (let i = this.size; i < count; i++) {
      const rng = this.rng.reseed(this.seed, Stream.User, i);
      this.append(rng, growthTime((i + rng.next()) / count, this.now));
    }
  }

  /** `count` users who signed up after everyone else, one second apart; returns their rows. */
  appendNewer(count: number): number[] {
    const newest = this.size > 0 ? (this.createdAt[this.size - 1] as number) : this.now;
    const rows: number[] = [];
    for (let k = 1; k <= count; k++) {
      rows.push(this.append(this.rng.reseed(this.seed, Stream.User, this.size), newest + k * SECOND_MS));
    }
    return rows;
  }

  /**
   * A user created through the API: a row of exactly these identifiers (addresses and
   * username lower-case, as Clerk stores them), never signed in. Uniqueness is the caller's.
   */
  insert(fields: NewUserRow): number {
    const i = this.size;
    for (const email of fields.emails) {
      this.byEmail.set(email, i);
      this.emails.push(email);
    }
    this.emailStart.push(this.emails.length);
    for (const phone of fields.phones) {
      this.phones.push(phone);
      this.byPhone.added(phone, i);
    }
    this.phoneStart.push(this.phones.length);
    this.id.push(fields.id);
    this.byId.added(fields.id, i);
    this.createdAt.push(fields.createdAt);
    this.updatedAt.push(fields.createdAt);
    this.lastSignInAt.push(NaN);
    this.lastActiveAt.push(NaN);
    this.firstName.push(fields.firstName);
    this.lastName.push(fields.lastName);
    this.primaryEmail.push(fields.emails.length > 0 ? 0 : -1);
    this.primaryPhone.push(fields.phones.length > 0 ? 0 : -1);
    this.username.push(null);
    this.externalId.push(null);
    this.setUsername(i, fields.username);
    this.setExternalId(i, fields.externalId);
    this.banned.push(false);
    this.company.push(-1);
    this.deleted.push(false);
    return i;
  }

  setUsername(i: number, username: string | null): void {
    const old = this.username[i];
    if (old) this.byUsername.delete(old);
    this.username[i] = username;
    if (username) this.byUsername.set(username, i);
  }

  setExternalId(i: number, externalId: string | null): void {
    const old = this.externalId[i];
    if (old) this.byExternalId.removed(old);
    this.externalId[i] = externalId;
    if (externalId) this.byExternalId.added(externalId, i);
  }

  private append(rng: Rng, createdAt: number): number {
    const i = this.size;
    const first = rng.chance(0.08) ? null : rng.pick(FIRST_NAMES);
    const last = rng.chance(0.12) ? null : rng.pick(LAST_NAMES);
    const emailCount = EMAIL_COUNT_PICK.pick(rng);
    const company = emailCount > 0 && rng.chance(WORK_EMAIL_SHARE) ? this.companies.pick(rng) : -1;

    for (let k = 0; k < emailCount; k++) {
      const atWork = k === 0 ? company >= 0 : company < 0 && rng.chance(0.4);
      const domain = atWork ? this.companies.company(k === 0 ? company : this.companies.pick(rng)).domain : consumerDomain(rng);
      const name = atWork ? workLocalPart(rng, first, last) : emailLocalPart(rng, first, last);
      // Clerk's test addresses (`+clerk_test`: sign-ups by automated tests, which the Dashboard can hide).
      const local = k === 0 && i % TEST_USER_EVERY === TEST_USER_EVERY - 1 ? `${name}+clerk_test` : name;
      const email = uniqueName(`${local}@${domain}`, this.byEmail, () => `${local}${rng.int(10_000)}@${domain}`);
      this.byEmail.set(email, i);
      this.emails.push(email);
    }
    this.emailStart.push(this.emails.length);

    const phoneCount = PHONE_COUNT_PICK.pick(rng);
    for (let k = 0; k < phoneCount; k++) {
      this.phones.push(this.nextPhone(rng));
    }
    this.phoneStart.push(this.phones.length);
    for (let k = this.phones.length - phoneCount; k < this.phones.length; k++) this.byPhone.added(this.phones[k] as string, i);

    let username: string | null = null;
    if (rng.chance(0.4) || (emailCount === 0 && phoneCount === 0)) {
      const base = usernameFor(rng, first, last);
      username = uniqueName(base, this.byUsername, () => base + rng.int(10_000));
      this.byUsername.set(username, i);
    }

    // A seven-digit id from the customer's previous system, unique because
    // i -> i * 7_919_993 mod 9_000_000 is a bijection (the multiplier is prime to 2, 3 and 5).
    const externalId = rng.chance(0.1) ? String(1_000_000 + ((i * 7_919_993) % 9_000_000)) : null;

    const id = clerkId('user_', createdAt, rng);
    this.id.push(id);
    this.byId.added(id, i);
    this.createdAt.push(createdAt);
    this.firstName.push(first);
    this.lastName.push(last);
    // The primary address is whichever one the user made primary, often not the first added.
    this.primaryEmail.push(emailCount === 0 ? -1 : rng.int(emailCount));
    this.primaryPhone.push(phoneCount === 0 ? -1 : rng.int(phoneCount));
    this.username.push(username);
    this.externalId.push(externalId);
    if (externalId) this.byExternalId.added(externalId, i);
    this.banned.push(rng.chance(0.02));
    this.company.push(company);
    this.deleted.push(false);
    this.appendActivity(rng, createdAt);
    return i;
  }

  /**
   * Sign-in and activity consistent with the creation date: recent sign-ups are mostly still
   * active, older ones have often churned (their last activity is soon after sign-up).
   */
  private appendActivity(rng: Rng, createdAt: number): void {
    const horizon = Math.max(this.now, createdAt);
    if (rng.chance(NEVER_SIGNED_IN)) {
      this.lastSignInAt.push(NaN);
      this.lastActiveAt.push(NaN);
      this.updatedAt.push(Math.round(clamp(createdAt + rng.exponential(MINUTE_MS), createdAt, horizon)));
      return;
    }
    const ageDays = (horizon - createdAt) / DAY_MS;
    const retained = rng.chance(0.2 + 0.6 * Math.exp(-ageDays / 45));
    const activity = retained ? horizon - rng.exponential(8 * DAY_MS) : createdAt + (horizon - createdAt) * rng.next() ** 3;
    const lastActivity = clamp(activity, createdAt, horizon);
    // The last activity is in the last sign-in's session, which must last past the day the row keeps:
    // sessions.ts draws the activity's time anywhere in that day.
    const sessionFrom = floorDay(lastActivity) + DAY_MS - SESSION_LIFETIME_MS;
    const lastSignIn = Math.round(clamp(lastActivity - rng.exponential(3 * DAY_MS, lastActivity - sessionFrom), createdAt, lastActivity));
    this.lastSignInAt.push(lastSignIn);
    this.lastActiveAt.push(floorDay(lastActivity));
    // Signing in updates the user; so does an occasional profile edit later on.
    const edit = rng.chance(0.3) ? createdAt + (horizon - createdAt) * rng.next() : createdAt;
    this.updatedAt.push(Math.round(Math.max(lastSignIn, edit)));
  }

  /**
   * Phone numbers are unique by construction: the seven trailing digits are a bijection of a
   * running sequence number, so no lookup is needed however many users there are.
   */
  private nextPhone(rng: Rng): string {
    const prefix = (PHONE_PREFIXES[PHONE_PREFIX_PICK.pick(rng)] as readonly [string, number])[0];
    const digits = (this.phoneSequence++ * 7_919_993 + 1_234_567) % 10_000_000;
    return prefix + String(digits).padStart(7, '0');
  }

  /**
   * Marks a user deleted and frees its identifiers; the row stays, so row numbers are stable
   * and a paging cursor naming the user still has a position.
   */
  remove(i: number): void {
    if (this.deleted[i]) return;
    this.deleted[i] = true;
    for (const email of this.emailsOf(i)) this.byEmail.delete(email);
    const username = this.username[i];
    if (username) this.byUsername.delete(username);
  }

  /** Lower-case addresses of user i, in the order added. */
  emailsOf(i: number): string[] {
    return this.emails.slice(this.emailStart[i], this.emailStart[i + 1]);
  }

  phonesOf(i: number): string[] {
    return this.phones.slice(this.phoneStart[i], this.phoneStart[i + 1]);
  }

  /** The live user with this id. */
  indexOfId(id: string): number | undefined {
    return this.live(this.byId.get(id));
  }

  /** The row of this id, deleted or not. */
  rowOfId(id: string): number | undefined {
    return this.byId.get(id);
  }

  /** Any of the user's addresses, case-insensitively (Clerk stores them lower-case). */
  /** Each address of a user (lower case), to its user. */
  get emailOwners(): ReadonlyMap<string, number> {
    return this.byEmail;
  }

  indexOfEmail(email: string): number | undefined {
    return this.byEmail.get(email.toLowerCase());
  }

  indexOfUsername(username: string): number | undefined {
    return this.byUsername.get(username.toLowerCase());
  }

  indexOfPhone(phone: string): number | undefined {
    return this.live(this.byPhone.get(phone));
  }

  indexOfExternalId(externalId: string): number | undefined {
    return this.live(this.byExternalId.get(externalId));
  }

  private live(i: number | undefined): number | undefined {
    return i === undefined || this.deleted[i] ? undefined : i;
  }

  private *column(values: readonly (string | null)[]): Generator<[string, number]> {
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (value) yield [value, i];
    }
  }

  private *phoneOwners(): Generator<[string, number]> {
    for (let i = 0; i < this.size; i++) for (const phone of this.phonesOf(i)) yield [phone, i];
  }

  primaryEmailOf(i: number): string | null {
    const k = this.primaryEmail[i] ?? -1;
    return k < 0 ? null : (this.emails[(this.emailStart[i] as number) + k] as string);
  }

  primaryPhoneOf(i: number): string | null {
    const k = this.primaryPhone[i] ?? -1;
    return k < 0 ? null : (this.phones[(this.phoneStart[i] as number) + k] as string);
  }

  /** The company of the user's work address (their first one), if any. */
  companyOf(i: number): Company | null {
    const c = this.company[i] ?? -1;
    return c < 0 ? null : this.companies.company(c);
  }

  /** What Clerk shows as the user's identifier: primary email, else phone, else username. */
  identifierOf(i: number): string | null {
    return this.primaryEmailOf(i) ?? this.primaryPhoneOf(i) ?? this.username[i] ?? null;
  }
}

/** A value -> row lookup built on first use from `entries`, then kept up to date. */
class LazyIndex {
  private map: Map<string, number> | undefined;

  constructor(private readonly entries: () => Iterable<[string, number]>) {}

  get(key: string): number | undefined {
    this.map ??= new Map(this.entries());
    return this.map.get(key);
  }

  added(key: string, row: number): void {
    this.map?.set(key, row);
  }

  removed(key: string): void {
    this.map?.delete(key);
  }
}
