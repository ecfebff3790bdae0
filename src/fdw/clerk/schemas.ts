// Zod schemas for the Backend API objects this product reads. They are the one description
// of Clerk's shapes: the client validates responses with them, the simulator's data is typed
// by them, and the FDW catalog derives its columns from their top-level fields.
//
// Only `id` is required: real payloads (and Clerk's own SDK fixtures) omit many fields the
// OpenAPI spec marks required. A field that is present must have the right type, and unknown
// fields are kept (looseObject) because `attrs jsonb` is the whole API object.
import { z } from 'zod';

/** Milliseconds since the epoch (Clerk's int64 timestamps). */
const millis = z.number().int();
const metadata = z.record(z.string(), z.unknown());

export const EmailAddress = z.looseObject({
  id: z.string().optional(),
  object: z.string().optional(),
  email_address: z.string(),
  reserved: z.boolean().optional(),
  verification: z.looseObject({ status: z.string().optional(), strategy: z.string().optional() }).nullish(),
  linked_to: z.array(z.looseObject({ type: z.string().optional(), id: z.string().optional() })).optional(),
  created_at: millis.optional(),
  updated_at: millis.optional(),
});

export const PhoneNumber = z.looseObject({
  id: z.string().optional(),
  object: z.string().optional(),
  phone_number: z.string(),
  reserved_for_second_factor: z.boolean().optional(),
  default_second_factor: z.boolean().optional(),
  reserved: z.boolean().optional(),
  verification: z.looseObject({ status: z.string().optional(), strategy: z.string().optional() }).nullish(),
  created_at: millis.optional(),
  updated_at: millis.optional(),
});

export const ExternalAccount = z.looseObject({
  id: z.string().optional(),
  object: z.string().optional(),
  provider: z.string().optional(),
  email_address: z.string().optional(),
});

export const User = z.looseObject({
  id: z.string(),
  object: z.literal('user').optional(),
  external_id: z.string().nullish(),
  primary_email_address_id: z.string().nullish(),
  primary_phone_number_id: z.string().nullish(),
  primary_web3_wallet_id: z.string().nullish(),
  username: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  locale: z.string().nullish(),
  profile_image_url: z.string().nullish(),
  image_url: z.string().nullish(),
  has_image: z.boolean().optional(),
  public_metadata: metadata.optional(),
  private_metadata: metadata.nullish(),
  unsafe_metadata: metadata.optional(),
  email_addresses: z.array(EmailAddress).optional(),
  phone_numbers: z.array(PhoneNumber).optional(),
  web3_wallets: z.array(z.unknown()).optional(),
  passkeys: z.array(z.unknown()).optional(),
  password_enabled: z.boolean().optional(),
  two_factor_enabled: z.boolean().optional(),
  totp_enabled: z.boolean().optional(),
  backup_code_enabled: z.boolean().optional(),
  mfa_enabled_at: millis.nullish(),
  mfa_disabled_at: millis.nullish(),
  password_last_updated_at: millis.nullish(),
  external_accounts: z.array(ExternalAccount).optional(),
  saml_accounts: z.array(z.unknown()).optional(),
  enterprise_accounts: z.array(z.unknown()).optional(),
  last_sign_in_at: millis.nullish(),
  banned: z.boolean().optional(),
  locked: z.boolean().optional(),
  deprovisioned: z.boolean().optional(),
  lockout_expires_in_seconds: z.number().int().nullish(),
  verification_attempts_remaining: z.number().int().nullish(),
  created_at: millis.optional(),
  updated_at: millis.optional(),
  delete_self_enabled: z.boolean().optional(),
  create_organization_enabled: z.boolean().optional(),
  create_organizations_limit: z.number().int().nullish(),
  last_active_at: millis.nullish(),
  legal_accepted_at: millis.nullish(),
});

export const Organization = z.looseObject({
  id: z.string(),
  object: z.literal('organization').optional(),
  name: z.string().optional(),
  slug: z.string().nullish(),
  image_url: z.string().nullish(),
  has_image: z.boolean().optional(),
  members_count: z.number().int().nullish(),
  pending_invitations_count: z.number().int().nullish(),
  max_allowed_memberships: z.number().int().optional(),
  admin_delete_enabled: z.boolean().optional(),
  public_metadata: metadata.nullish(),
  private_metadata: metadata.nullish(),
  created_by: z.string().nullish(),
  created_at: millis.optional(),
  updated_at: millis.optional(),
  last_active_at: millis.nullish(),
});

export const PublicUserData = z.looseObject({
  user_id: z.string(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  image_url: z.string().nullish(),
  has_image: z.boolean().optional(),
  identifier: z.string().nullish(),
  username: z.string().nullish(),
});

export const OrganizationMembership = z.looseObject({
  id: z.string(),
  object: z.literal('organization_membership').optional(),
  role: z.string().optional(),
  role_name: z.string().optional(),
  permissions: z.array(z.string()).optional(),
  public_metadata: metadata.nullish(),
  private_metadata: metadata.nullish(),
  // The nested organization is validated only as far as the membership needs it.
  organization: z.looseObject({ id: z.string() }).optional(),
  public_user_data: PublicUserData.nullish(),
  created_at: millis.optional(),
  updated_at: millis.optional(),
});

export const Invitation = z.looseObject({
  id: z.string(),
  object: z.literal('invitation').optional(),
  email_address: z.string().optional(),
  public_metadata: metadata.nullish(),
  revoked: z.boolean().optional(),
  status: z.string().optional(),
  url: z.string().nullish(),
  expires_at: millis.nullish(),
  created_at: millis.optional(),
  updated_at: millis.optional(),
});

export const OrganizationInvitation = z.looseObject({
  id: z.string(),
  object: z.literal('organization_invitation').optional(),
  email_address: z.string().optional(),
  role: z.string().optional(),
  role_name: z.string().optional(),
  organization_id: z.string().nullish(),
  inviter_id: z.string().nullish(),
  public_inviter_data: z.looseObject({ user_id: z.string().optional() }).nullish(),
  status: z.string().optional(),
  public_metadata: metadata.nullish(),
  private_metadata: metadata.nullish(),
  url: z.string().nullish(),
  expires_at: millis.nullish(),
  created_at: millis.optional(),
  updated_at: millis.optional(),
  public_organization_data: z.looseObject({ id: z.string().optional(), name: z.string().optional(), slug: z.string().nullish() }).nullish(),
});

export const WaitlistEntry = z.looseObject({
  id: z.string(),
  // The spec says `waitlist_entry`; Clerk's webhook examples send `waitlistEntry`.
  object: z.string().optional(),
  email_address: z.string().optional(),
  status: z.string().optional(),
  is_locked: z.boolean().optional(),
  created_at: millis.optional(),
  updated_at: millis.optional(),
  // The invitation sent from the waitlist, once there is one.
  invitation: Invitation.nullish(),
});

export const TotalCount = z.looseObject({
  object: z.literal('total_count').optional(),
  total_count: z.number().int().nonnegative(),
});

/** `{data, total_count}`: the envelope of organizations and memberships lists. */
export function listEnvelope<T extends z.ZodTypeAny>(item: T) {
  return z.looseObject({ data: z.array(item), total_count: z.number().int().nonnegative() });
}

export const ClerkErrorItem = z.looseObject({
  message: z.string().optional(),
  long_message: z.string().optional(),
  code: z.string().optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
});

export const ClerkErrors = z.looseObject({
  errors: z.array(ClerkErrorItem),
  meta: z.record(z.string(), z.unknown()).optional(),
  clerk_trace_id: z.string().optional(),
});

export type User = z.infer<typeof User>;
export type Organization = z.infer<typeof Organization>;
export type OrganizationMembership = z.infer<typeof OrganizationMembership>;
export type Invitation = z.infer<typeof Invitation>;
export type OrganizationInvitation = z.infer<typeof OrganizationInvitation>;
export type WaitlistEntry = z.infer<typeof WaitlistEntry>;
export type ClerkErrors = z.infer<typeof ClerkErrors>;

/** The Clerk objects a foreign table can expose, with their item schema. */
export const objectSchemas = {
  users: User,
  organizations: Organization,
  organization_memberships: OrganizationMembership,
  invitations: Invitation,
  organization_invitations: OrganizationInvitation,
  waitlist_entries: WaitlistEntry,
} as const;
export type ClerkObjectName = keyof typeof objectSchemas;
/** One object of each kind, as messages name it: `user "user_2x..."`. */
export const OBJECT_NOUNS: Record<ClerkObjectName, string> = {
  users: 'user',
  organizations: 'organization',
  organization_memberships: 'organization membership',
  invitations: 'invitation',
  organization_invitations: 'organization invitation',
  waitlist_entries: 'waitlist entry',
};
export type ClerkObject = User | Organization | OrganizationMembership | Invitation | OrganizationInvitation | WaitlistEntry;
