// Zod schemas for the Backend API objects this product reads. They are the one description
// of Clerk's shapes: the client validates responses with them, the simulator's data is typed
// by them, and the FDW catalog derives its columns from their top-level fields.
//
// Only `id` is required: real payloads (and Clerk's own SDK fixtures) omit many fields the
// OpenAPI spec marks required. A field that is present must have the right type, and unknown
// fields are kept (looseObject) because `attrs jsonb` is the whole API object.
import { z } from 'zod';

/** Milliseconds since the epoch (Clerk's int64 timestamps): the catalog makes every field of this schema a timestamp column. */
export const millis = z.number().int();
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

export const Session = z.looseObject({
  id: z.string(),
  object: z.literal('session').optional(),
  user_id: z.string().optional(),
  client_id: z.string().optional(),
  actor: z.record(z.string(), z.unknown()).nullish(),
  status: z.string().optional(),
  last_active_organization_id: z.string().nullish(),
  last_active_at: millis.optional(),
  latest_activity: z
    .looseObject({
      id: z.string().optional(),
      device_type: z.string().optional(),
      is_mobile: z.boolean().optional(),
      browser_name: z.string().optional(),
      browser_version: z.string().optional(),
      ip_address: z.string().optional(),
      city: z.string().optional(),
      country: z.string().optional(),
    })
    .nullish(),
  expire_at: millis.optional(),
  abandon_at: millis.optional(),
  created_at: millis.optional(),
  updated_at: millis.optional(),
  tasks: z.array(z.unknown()).nullish(),
});

const PublicOrganizationData = z.looseObject({ id: z.string().optional(), name: z.string().optional(), slug: z.string().nullish() });

export const OrganizationDomain = z.looseObject({
  id: z.string(),
  object: z.literal('organization_domain').optional(),
  organization_id: z.string().optional(),
  name: z.string().optional(),
  enrollment_mode: z.string().optional(),
  affiliation_email_address: z.string().nullish(),
  verification: z.looseObject({ status: z.string().optional(), strategy: z.string().optional() }).nullish(),
  total_pending_invitations: z.number().int().optional(),
  total_pending_suggestions: z.number().int().optional(),
  public_organization_data: PublicOrganizationData.nullish(),
  created_at: millis.optional(),
  updated_at: millis.optional(),
});

const PermissionFields = {
  id: z.string(),
  name: z.string().optional(),
  key: z.string().optional(),
  description: z.string().nullish(),
  created_at: millis.optional(),
  updated_at: millis.optional(),
};

export const OrganizationPermission = z.looseObject({
  ...PermissionFields,
  object: z.literal('permission').optional(),
  type: z.string().optional(),
});

export const OrganizationRole = z.looseObject({
  ...PermissionFields,
  object: z.literal('role').optional(),
  is_creator_eligible: z.boolean().optional(),
  permissions: z.array(OrganizationPermission).optional(),
});

export const RoleSet = z.looseObject({
  ...PermissionFields,
  object: z.literal('role_set').optional(),
  type: z.string().optional(),
  roles: z.array(z.looseObject({ key: z.string().optional() })).optional(),
  default_role: z.looseObject({ key: z.string().optional() }).nullish(),
  creator_role: z.looseObject({ key: z.string().optional() }).nullish(),
});

export const Domain = z.looseObject({
  id: z.string(),
  object: z.literal('domain').optional(),
  name: z.string().optional(),
  is_satellite: z.boolean().optional(),
  frontend_api_url: z.string().optional(),
  accounts_portal_url: z.string().nullish(),
  proxy_url: z.string().nullish(),
  development_origin: z.string().optional(),
  cname_targets: z.array(z.unknown()).nullish(),
});

const IdentifierFields = {
  id: z.string(),
  identifier: z.string().optional(),
  identifier_type: z.string().optional(),
  instance_id: z.string().optional(),
  created_at: millis.optional(),
  updated_at: millis.optional(),
};

export const AllowlistIdentifier = z.looseObject({
  ...IdentifierFields,
  object: z.literal('allowlist_identifier').optional(),
  invitation_id: z.string().nullish(),
});

export const BlocklistIdentifier = z.looseObject({ ...IdentifierFields, object: z.literal('blocklist_identifier').optional() });

export const OAuthApplication = z.looseObject({
  id: z.string(),
  object: z.literal('oauth_application').optional(),
  instance_id: z.string().optional(),
  name: z.string().optional(),
  client_id: z.string().optional(),
  client_uri: z.string().nullish(),
  public: z.boolean().optional(),
  scopes: z.string().optional(),
  redirect_uris: z.array(z.string()).optional(),
  consent_screen_enabled: z.boolean().optional(),
  pkce_required: z.boolean().optional(),
  dynamically_registered: z.boolean().optional(),
  created_at: millis.optional(),
  updated_at: millis.optional(),
});

export const SamlConnection = z.looseObject({
  id: z.string(),
  object: z.literal('saml_connection').optional(),
  name: z.string().optional(),
  domain: z.string().optional(),
  domains: z.array(z.string()).optional(),
  provider: z.string().optional(),
  active: z.boolean().optional(),
  organization_id: z.string().nullish(),
  user_count: z.number().int().optional(),
  idp_entity_id: z.string().nullish(),
  idp_certificate_expires_at: millis.nullish(),
  enterprise_connection_id: z.string().nullish(),
  created_at: millis.optional(),
  updated_at: millis.optional(),
});

export const EnterpriseConnection = z.looseObject({
  id: z.string(),
  object: z.literal('enterprise_connection').optional(),
  name: z.string().optional(),
  provider: z.string().optional(),
  active: z.boolean().optional(),
  domains: z.array(z.string()).optional(),
  organization_id: z.string().nullish(),
  saml_connection: z.record(z.string(), z.unknown()).nullish(),
  oauth_config: z.record(z.string(), z.unknown()).nullish(),
  created_at: millis.optional(),
  updated_at: millis.optional(),
});

/** An amount of money: `amount` in the currency's smallest unit (cents). */
export const Money = z.looseObject({
  amount: z.number().int(),
  amount_formatted: z.string().optional(),
  currency: z.string().optional(),
  currency_symbol: z.string().optional(),
});

export const BillingPlan = z.looseObject({
  id: z.string(),
  object: z.literal('commerce_plan').optional(),
  name: z.string().optional(),
  slug: z.string().optional(),
  description: z.string().nullish(),
  product_id: z.string().optional(),
  for_payer_type: z.string().optional(),
  is_default: z.boolean().optional(),
  is_recurring: z.boolean().optional(),
  publicly_visible: z.boolean().optional(),
  has_base_fee: z.boolean().optional(),
  free_trial_enabled: z.boolean().optional(),
  free_trial_days: z.number().int().nullish(),
  fee: Money.nullish(),
  annual_monthly_fee: Money.nullish(),
  annual_fee: Money.nullish(),
  features: z.array(z.unknown()).optional(),
});

const Payer = z.looseObject({
  id: z.string().optional(),
  user_id: z.string().nullish(),
  organization_id: z.string().nullish(),
  email: z.string().nullish(),
  organization_name: z.string().nullish(),
});

export const BillingSubscriptionItem = z.looseObject({
  id: z.string(),
  // The spec says `commerce_subscription_item`; Clerk's webhook examples send `subscription_item`.
  object: z.string().optional(),
  status: z.string().optional(),
  plan_id: z.string().nullish(),
  price_id: z.string().optional(),
  plan: BillingPlan.nullish(),
  plan_period: z.string().optional(),
  payer_id: z.string().optional(),
  payer: Payer.optional(),
  is_free_trial: z.boolean().optional(),
  lifetime_paid: Money.optional(),
  next_payment: z.looseObject({ amount: Money.optional(), date: millis.optional() }).nullish(),
  period_start: millis.optional(),
  period_end: millis.nullish(),
  canceled_at: millis.nullish(),
  past_due_at: millis.nullish(),
  ended_at: millis.nullish(),
  created_at: millis.optional(),
  updated_at: millis.optional(),
});

export const BillingStatement = z.looseObject({
  id: z.string(),
  object: z.literal('commerce_statement').optional(),
  status: z.string().optional(),
  timestamp: millis.optional(),
  payer: Payer.optional(),
  totals: z.looseObject({ grand_total: Money.optional(), subtotal: Money.optional(), tax_total: Money.optional() }).optional(),
  groups: z.array(z.unknown()).optional(),
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
export type Money = z.infer<typeof Money>;
export type Session = z.infer<typeof Session>;
export type OrganizationDomain = z.infer<typeof OrganizationDomain>;
export type OrganizationRole = z.infer<typeof OrganizationRole>;
export type OrganizationPermission = z.infer<typeof OrganizationPermission>;
export type RoleSet = z.infer<typeof RoleSet>;
export type Domain = z.infer<typeof Domain>;
export type AllowlistIdentifier = z.infer<typeof AllowlistIdentifier>;
export type BlocklistIdentifier = z.infer<typeof BlocklistIdentifier>;
export type OAuthApplication = z.infer<typeof OAuthApplication>;
export type SamlConnection = z.infer<typeof SamlConnection>;
export type EnterpriseConnection = z.infer<typeof EnterpriseConnection>;
export type BillingPlan = z.infer<typeof BillingPlan>;
export type BillingSubscriptionItem = z.infer<typeof BillingSubscriptionItem>;
export type BillingStatement = z.infer<typeof BillingStatement>;
export type ClerkErrors = z.infer<typeof ClerkErrors>;

/** The Clerk objects a foreign table can expose, with their item schema. */
export const objectSchemas = {
  users: User,
  organizations: Organization,
  organization_memberships: OrganizationMembership,
  invitations: Invitation,
  organization_invitations: OrganizationInvitation,
  waitlist_entries: WaitlistEntry,
  sessions: Session,
  organization_domains: OrganizationDomain,
  organization_roles: OrganizationRole,
  organization_permissions: OrganizationPermission,
  role_sets: RoleSet,
  domains: Domain,
  allowlist_identifiers: AllowlistIdentifier,
  blocklist_identifiers: BlocklistIdentifier,
  oauth_applications: OAuthApplication,
  saml_connections: SamlConnection,
  enterprise_connections: EnterpriseConnection,
  billing_plans: BillingPlan,
  billing_subscription_items: BillingSubscriptionItem,
  billing_statements: BillingStatement,
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
  sessions: 'session',
  organization_domains: 'organization domain',
  organization_roles: 'organization role',
  organization_permissions: 'organization permission',
  role_sets: 'role set',
  domains: 'domain',
  allowlist_identifiers: 'allowlist identifier',
  blocklist_identifiers: 'blocklist identifier',
  oauth_applications: 'OAuth application',
  saml_connections: 'SAML connection',
  enterprise_connections: 'enterprise connection',
  billing_plans: 'billing plan',
  billing_subscription_items: 'billing subscription item',
  billing_statements: 'billing statement',
};
export type ClerkObject = z.infer<(typeof objectSchemas)[ClerkObjectName]>;
