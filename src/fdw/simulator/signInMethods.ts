// The ways a user signs in besides a password or a code: OAuth accounts (Google, GitHub, ...),
// enterprise SSO accounts (their company's SAML connection) and passkeys, in the shapes of
// the spec's ExternalAccountWithVerification, EnterpriseAccount and Passkey.
import type { Company } from './companies.js';
import { BASE62, clerkId } from './ids.js';
import { oauthImage } from './images.js';
import type { Rng } from './prng.js';
import { MINUTE_MS } from './timeline.js';
import { OAUTH_PROVIDERS, PASSKEY_NAMES } from './vocabulary.js';

type Json = Record<string, unknown>;
export type OAuthProvider = (typeof OAUTH_PROVIDERS)[number];

const HEX = '0123456789abcdef';
const DIGITS = '0123456789';
const OAUTH_FLOW_MS = 10 * MINUTE_MS;

export interface Person {
  firstName: string | null;
  lastName: string | null;
  username: string | null;
}

function providerUserId(rng: Rng, provider: OAuthProvider): string {
  switch (provider.provider) {
    case 'oauth_google':
      return '1' + rng.chars(DIGITS, 20);
    case 'oauth_github':
      return String(100_000 + rng.int(180_000_000));
    case 'oauth_microsoft':
      return `${rng.chars(HEX, 8)}-${rng.chars(HEX, 4)}-${rng.chars(HEX, 4)}-${rng.chars(HEX, 4)}-${rng.chars(HEX, 12)}`;
    case 'oauth_apple':
      return `00${rng.chars(DIGITS, 4)}.${rng.chars(HEX, 32)}.${rng.chars(DIGITS, 4)}`;
    case 'oauth_discord':
      return '1' + rng.chars(DIGITS, 17);
    default:
      return rng.chars(BASE62, 10);
  }
}

/** The avatar URL the provider reports ('' when it shares none, as Apple). */
function providerAvatar(rng: Rng, provider: OAuthProvider, userId: string): string {
  switch (provider.provider) {
    case 'oauth_google':
      return `https://lh3.googleusercontent.com/a/ACg8oc${rng.chars(BASE62, 64)}=s96-c`;
    case 'oauth_github':
      return `https://avatars.githubusercontent.com/u/${userId}?v=4`;
    case 'oauth_discord':
      return `https://cdn.discordapp.com/avatars/${userId}/${rng.chars(HEX, 32)}.png`;
    case 'oauth_linkedin':
      return `https://media.licdn.com/dms/image/v2/D4E03AQ${rng.chars(BASE62, 16)}/profile-displayphoto-shrink_100_100/0/`;
    case 'oauth_microsoft':
      return `https://graph.microsoft.com/v1.0/users/${userId}/photo/$value`;
    default:
      return '';
  }
}

export interface ExternalAccountIds {
  /** The account's identification, which the verified address's `linked_to` names. */
  identification: string;
  account: string;
}

export function externalAccount(rng: Rng, provider: OAuthProvider, ids: ExternalAccountIds, email: string, person: Person, linkedAt: number): Json {
  const userId = providerUserId(rng, provider);
  const avatar = providerAvatar(rng, provider, userId);
  const hasHandle = provider.provider === 'oauth_github' || provider.provider === 'oauth_discord';
  return {
    object: 'external_account',
    id: ids.account,
    provider: provider.provider,
    identification_id: ids.identification,
    provider_user_id: userId,
    approved_scopes: provider.scopes,
    email_address: email,
    email_address_verified: true,
    first_name: person.firstName ?? '',
    last_name: person.lastName ?? '',
    avatar_url: avatar,
    image_url: avatar ? oauthImage(rng, provider.provider, linkedAt) : null,
    username: hasHandle ? (person.username ?? email.split('@')[0] ?? null) : null,
    phone_number: null,
    public_metadata: {},
    label: null,
    created_at: linkedAt,
    updated_at: linkedAt,
    verification: {
      object: 'verification_oauth',
      status: 'verified',
      strategy: provider.provider,
      attempts: null,
      expire_at: linkedAt + OAUTH_FLOW_MS,
    },
  };
}

/** A user's account at their company's SSO connection (the connection is the company's). */
export function enterpriseAccount(rng: Rng, company: Company, email: string, person: Person, lastAuthenticatedAt: number | null): Json {
  const sso = company.sso;
  if (!sso) throw new Error(`${company.name} has no SSO connection`);
  return {
    object: 'enterprise_account',
    id: clerkId('entacc_', sso.createdAt, rng),
    protocol: 'saml',
    provider: sso.provider,
    active: true,
    email_address: email,
    first_name: person.firstName,
    last_name: person.lastName,
    provider_user_id: sso.provider === 'saml_okta' ? '00u' + rng.chars(BASE62, 17) : rng.chars(HEX, 32),
    enterprise_connection_id: sso.id,
    public_metadata: {},
    verification: {
      object: 'verification_saml',
      status: 'verified',
      strategy: 'saml',
      external_verification_redirect_url: null,
      error: null,
      attempts: null,
      expire_at: null,
    },
    enterprise_connection: {
      id: sso.id,
      protocol: 'saml',
      provider: sso.provider,
      name: `${company.name} SSO`,
      logo_public_url: null,
      domains: [company.domain],
      active: true,
      sync_user_attributes: true,
      allow_subdomains: false,
      allow_idp_initiated: false,
      disable_additional_identifications: false,
      created_at: sso.createdAt,
      updated_at: sso.createdAt,
    },
    last_authenticated_at: lastAuthenticatedAt,
  };
}

export function passkey(rng: Rng, registeredAt: number, lastUsedAt: number): Json {
  return {
    id: clerkId('pk_', registeredAt, rng),
    object: 'passkey',
    name: rng.pick(PASSKEY_NAMES),
    last_used_at: lastUsedAt,
    verification: {
      object: 'verification_passkey',
      status: 'verified',
      strategy: 'passkey',
      nonce: 'nonce',
      message: null,
      attempts: null,
      expire_at: null,
    },
  };
}
