// Builds the full User JSON of one row on demand. The row (users.ts) fixes identity and
// timestamps; everything else comes from the user's own detail streams, so the same user is
// byte-identical whenever and however often it is built.
import type { User } from '../clerk/schemas.js';
import { clerkId } from './ids.js';
import { defaultImage, initialsOf, oauthImage, uploadedImage } from './images.js';
import type { Instance } from './instance.js';
import { userMetadata } from './metadata.js';
import { Rng, Stream } from './prng.js';
import { enterpriseAccount, externalAccount, type ExternalAccountIds, type OAuthProvider, passkey, type Person } from './signInMethods.js';
import { MINUTE_MS } from './timeline.js';
import type { UserTable } from './users.js';
import { LOCALES, OAUTH_PROVIDERS } from './vocabulary.js';
import { Weights } from './weights.js';

type Json = Record<string, unknown>;

const PROVIDER_PICK = new Weights(OAUTH_PROVIDERS.map((p) => p.weight));
const CODE_LIFETIME_MS = 10 * MINUTE_MS;

/** The random decisions about a user that several objects show (User, public_user_data). */
export interface UserTraits {
  readonly oauth: readonly OAuthProvider[];
  readonly hasImage: boolean;
  readonly imageUrl: string;
}

/** Detail stream 0 of a user: its traits; stream 1 is everything only the User object shows. */
export function userTraits(instance: Instance, rows: UserTable, i: number): UserTraits {
  const written = rows.written.get(i);
  if (written) return { oauth: [], hasImage: written.has_image ?? false, imageUrl: written.image_url ?? '' };
  const rng = new Rng(instance.seed, Stream.UserDetail, i, 0);
  const createdAt = rows.createdAt[i] as number;
  const oauth: OAuthProvider[] = [];
  // OAuth sign-ups always bring an address, so users without one have no external account.
  if (rows.primaryEmail[i] !== -1 && rng.chance(0.78)) {
    const count = rng.chance(0.25) ? 2 : 1;
    while (oauth.length < count) {
      const provider = OAUTH_PROVIDERS[PROVIDER_PICK.pick(rng)] as OAuthProvider;
      if (!oauth.includes(provider)) oauth.push(provider);
    }
  }
  // Apple shares no avatar; the others' avatars become the user's image.
  const avatarFrom = oauth.find((p) => p.provider !== 'oauth_apple');
  if (rng.chance(0.12)) return { oauth, hasImage: true, imageUrl: uploadedImage(rng, createdAt) };
  if (avatarFrom) return { oauth, hasImage: true, imageUrl: oauthImage(rng, avatarFrom.provider, createdAt) };
  const initials = initialsOf(rows.firstName[i], rows.lastName[i]);
  return { oauth, hasImage: false, imageUrl: defaultImage(instance.instanceId, rows.id[i] as string, initials) };
}

/** A time between `from` and `to`, rounded to the millisecond. */
function between(rng: Rng, from: number, to: number): number {
  return Math.round(from + Math.max(0, to - from) * rng.next());
}

function otpVerification(rng: Rng, strategy: 'email_code' | 'phone_code', verified: boolean, sentAt: number): Json {
  const verification: Json = {
    object: 'verification_otp',
    status: verified ? 'verified' : 'unverified',
    strategy,
    attempts: verified ? 1 + (rng.chance(0.1) ? 1 : 0) : 0,
    expire_at: sentAt + CODE_LIFETIME_MS,
  };
  if (strategy === 'phone_code') verification.channel = 'sms';
  return verification;
}

export function buildUser(instance: Instance, rows: UserTable, i: number): User {
  const written = rows.written.get(i);
  // A copy: callers may change what they are given, the stored object must not change.
  if (written) return structuredClone(written);
  const rng = new Rng(instance.seed, Stream.UserDetail, i, 1);
  const traits = userTraits(instance, rows, i);
  const createdAt = rows.createdAt[i] as number;
  const updatedAt = rows.updatedAt[i] as number;
  const lastSignInAt = rows.lastSignInAt[i] as number;
  const lastActiveAt = rows.lastActiveAt[i] as number;
  const neverSignedIn = Number.isNaN(lastSignInAt);
  const person: Person = { firstName: rows.firstName[i] ?? null, lastName: rows.lastName[i] ?? null, username: rows.username[i] ?? null };
  const addresses = rows.emailsOf(i);
  const phones = rows.phonesOf(i);
  const primaryEmail = rows.primaryEmail[i] ?? -1;
  const primaryPhone = rows.primaryPhone[i] ?? -1;
  // Later addresses and numbers were added some time between sign-up and the last update.
  const addedAt = (k: number) => (k === 0 ? createdAt : between(rng, createdAt, updatedAt));

  // OAuth account a verified address a % n (and links to it); the company's SSO, if the user
  // signs in through it, verified the first address, the one at the company's domain.
  const linkedEmail = (a: number) => a % addresses.length;
  const accountIds = traits.oauth.map(() => ({ identification: clerkId('idn_', createdAt, rng), account: clerkId('eac_', createdAt, rng) }));
  const company = rows.companyOf(i);
  const sso = company?.sso && !neverSignedIn && rng.chance(0.85) ? company : null;

  const emailIds = addresses.map(() => clerkId('idn_', createdAt, rng));
  const emailAddresses = addresses.map((address, k) => {
    const at = addedAt(k);
    const account = traits.oauth.findIndex((_, a) => linkedEmail(a) === k);
    const provider = traits.oauth[account];
    const viaSso = sso !== null && k === 0;
    let verification: Json;
    if (viaSso) {
      verification = { object: 'verification_saml', status: 'verified', strategy: 'saml', attempts: null, expire_at: null };
    } else if (provider) {
      verification = { object: 'verification_from_oauth', status: 'verified', strategy: `from_${provider.provider}`, attempts: null, expire_at: null };
    } else if (neverSignedIn && k === primaryEmail) {
      verification = { object: 'verification_admin', status: 'verified', strategy: 'admin', attempts: null, expire_at: null };
    } else if (k === primaryEmail || rng.chance(0.75)) {
      verification = rng.chance(0.2)
        ? { object: 'verification_email_link', status: 'verified', strategy: 'email_link', attempts: 1, expire_at: at + CODE_LIFETIME_MS }
        : otpVerification(rng, 'email_code', true, at);
    } else {
      verification = otpVerification(rng, 'email_code', false, at);
    }
    return {
      id: emailIds[k],
      object: 'email_address',
      email_address: address,
      reserved: false,
      verification,
      linked_to: provider && !viaSso ? [{ type: provider.provider, id: accountIds[account]?.identification }] : [],
      matches_sso_connection: viaSso,
      created_at: at,
      updated_at: at,
    };
  });

  // Second factors: an authenticator app (often with backup codes) or SMS to the primary phone.
  const mfa = rng.chance(rows.company[i] === -1 ? 0.18 : 0.3);
  const smsFactor = mfa && primaryPhone >= 0 && rng.chance(0.35);
  const totp = mfa && !smsFactor;
  const mfaDisabled = !mfa && rng.chance(0.04);
  const mfaEnabledAt = mfa || mfaDisabled ? between(rng, createdAt, updatedAt) : null;

  const phoneIds = phones.map(() => clerkId('idn_', createdAt, rng));
  const phoneNumbers = phones.map((phone, k) => {
    const at = addedAt(k + addresses.length);
    const secondFactor = smsFactor && k === primaryPhone;
    return {
      id: phoneIds[k],
      object: 'phone_number',
      phone_number: phone,
      reserved_for_second_factor: secondFactor,
      default_second_factor: secondFactor,
      reserved: false,
      verification: otpVerification(rng, 'phone_code', k === primaryPhone || rng.chance(0.8), at),
      linked_to: [],
      backup_codes: null,
      created_at: at,
      updated_at: at,
    };
  });

  const externalAccounts = traits.oauth.map((provider, a) =>
    externalAccount(
      rng,
      provider,
      accountIds[a] as ExternalAccountIds,
      addresses[linkedEmail(a)] ?? '',
      person,
      a === 0 ? createdAt : between(rng, createdAt, updatedAt),
    ),
  );
  const passkeys = !neverSignedIn && rng.chance(0.15) ? [passkey(rng, between(rng, createdAt, lastSignInAt), lastSignInAt)] : [];
  const enterpriseAccounts = sso ? [enterpriseAccount(rng, sso, addresses[0] ?? '', person, lastSignInAt)] : [];
  const passwordEnabled = rng.chance(traits.oauth.length > 0 || sso ? 0.3 : 0.85);
  const locked = rng.chance(0.012);
  const metadata = userMetadata(rng, createdAt, instance.now);

  return {
    object: 'user',
    id: rows.id[i] as string,
    external_id: rows.externalId[i] ?? null,
    primary_email_address_id: emailIds[primaryEmail] ?? null,
    primary_phone_number_id: phoneIds[primaryPhone] ?? null,
    primary_web3_wallet_id: null,
    username: person.username,
    first_name: person.firstName,
    last_name: person.lastName,
    profile_image_url: traits.imageUrl,
    image_url: traits.imageUrl,
    has_image: traits.hasImage,
    public_metadata: metadata.public,
    private_metadata: metadata.private,
    unsafe_metadata: metadata.unsafe,
    email_addresses: emailAddresses,
    phone_numbers: phoneNumbers,
    web3_wallets: [],
    passkeys,
    password_enabled: passwordEnabled,
    two_factor_enabled: mfa,
    totp_enabled: totp,
    backup_code_enabled: totp && rng.chance(0.8),
    mfa_enabled_at: mfaEnabledAt,
    mfa_disabled_at: mfaDisabled && mfaEnabledAt !== null ? between(rng, mfaEnabledAt, updatedAt) : null,
    password_last_updated_at: passwordEnabled ? between(rng, createdAt, updatedAt) : null,
    external_accounts: externalAccounts,
    saml_accounts: [],
    enterprise_accounts: enterpriseAccounts,
    last_sign_in_at: neverSignedIn ? null : lastSignInAt,
    banned: rows.banned[i] ?? false,
    locked,
    // Lockout is enabled on the instance (Clerk's default: 100 attempts); a lockout either
    // expires after a while or, when an admin locked the user, never (null).
    lockout_expires_in_seconds: locked && rng.chance(0.5) ? 60 + rng.int(3540) : null,
    verification_attempts_remaining: locked ? 0 : 100,
    updated_at: updatedAt,
    created_at: createdAt,
    delete_self_enabled: true,
    create_organization_enabled: true,
    create_organizations_limit: null,
    last_active_at: Number.isNaN(lastActiveAt) ? null : lastActiveAt,
    legal_accepted_at: rng.chance(0.35) ? createdAt : null,
    locale: rng.chance(0.25) ? rng.pick(LOCALES) : null,
  };
}

/** What `POST /users` sets besides the row's identifiers. */
export interface NewUserDetail {
  password: boolean;
  locale: string | null;
  publicMetadata: Json;
  privateMetadata: Json;
  unsafeMetadata: Json;
  deleteSelfEnabled: boolean;
  createOrganizationEnabled: boolean;
  createOrganizationsLimit: number | null;
}

/** Addresses and numbers an admin adds through the Backend API are verified by fiat. */
const ADMIN_VERIFICATION = { object: 'verification_admin', status: 'verified', strategy: 'admin', attempts: null, expire_at: null } as const;

/**
 * The User JSON of a user just created through the API (row i, already inserted), in the
 * key order buildUser gives: no image, no sign-in, no second factor, nothing linked.
 */
export function newUser(instance: Instance, rows: UserTable, i: number, detail: NewUserDetail, rng: Rng): User {
  const id = rows.id[i] as string;
  const createdAt = rows.createdAt[i] as number;
  const emailAddresses = rows.emailsOf(i).map((address) => ({
    id: clerkId('idn_', createdAt, rng),
    object: 'email_address',
    email_address: address,
    reserved: false,
    verification: { ...ADMIN_VERIFICATION },
    linked_to: [],
    matches_sso_connection: false,
    created_at: createdAt,
    updated_at: createdAt,
  }));
  const phoneNumbers = rows.phonesOf(i).map((phone) => ({
    id: clerkId('idn_', createdAt, rng),
    object: 'phone_number',
    phone_number: phone,
    reserved_for_second_factor: false,
    default_second_factor: false,
    reserved: false,
    verification: { ...ADMIN_VERIFICATION },
    linked_to: [],
    backup_codes: null,
    created_at: createdAt,
    updated_at: createdAt,
  }));
  const imageUrl = defaultImage(instance.instanceId, id, initialsOf(rows.firstName[i], rows.lastName[i]));
  return {
    object: 'user',
    id,
    external_id: rows.externalId[i] ?? null,
    primary_email_address_id: emailAddresses[0]?.id ?? null,
    primary_phone_number_id: phoneNumbers[0]?.id ?? null,
    primary_web3_wallet_id: null,
    username: rows.username[i] ?? null,
    first_name: rows.firstName[i] ?? null,
    last_name: rows.lastName[i] ?? null,
    profile_image_url: imageUrl,
    image_url: imageUrl,
    has_image: false,
    public_metadata: detail.publicMetadata,
    private_metadata: detail.privateMetadata,
    unsafe_metadata: detail.unsafeMetadata,
    email_addresses: emailAddresses,
    phone_numbers: phoneNumbers,
    web3_wallets: [],
    passkeys: [],
    password_enabled: detail.password,
    two_factor_enabled: false,
    totp_enabled: false,
    backup_code_enabled: false,
    mfa_enabled_at: null,
    mfa_disabled_at: null,
    password_last_updated_at: detail.password ? createdAt : null,
    external_accounts: [],
    saml_accounts: [],
    enterprise_accounts: [],
    last_sign_in_at: null,
    banned: false,
    locked: false,
    lockout_expires_in_seconds: null,
    verification_attempts_remaining: 100,
    updated_at: createdAt,
    created_at: createdAt,
    delete_self_enabled: detail.deleteSelfEnabled,
    create_organization_enabled: detail.createOrganizationEnabled,
    create_organizations_limit: detail.createOrganizationsLimit,
    last_active_at: null,
    legal_accepted_at: null,
    locale: detail.locale,
  };
}
