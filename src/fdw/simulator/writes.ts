// The write endpoints of users, organizations and memberships: the body is checked as Clerk
// checks it (unknown fields, types, required fields, uniqueness), then the dataset changes
// and the changed object is answered with the same builders the reads use.
import type { Dataset, OrganizationChanges, UserChanges } from './dataset.js';
import {
  alreadyMember,
  identifierExists,
  membershipQuotaExceeded,
  organizationNotFound,
  paramFormatInvalid,
  paramMissing,
  paramNotSimulated,
  paramUnknown,
  paramValueInvalid,
  requestBodyInvalid,
  resourceNotFound,
  userNotFound,
} from './errors.js';
import { slugify } from './naming.js';

type Json = Record<string, unknown>;

const ROLES = ['org:admin', 'org:member'] as const;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const PHONE = /^\+[1-9]\d{6,14}$/;
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const MIN_PASSWORD = 8;
const MAX_NAME = 256;

/** The body's fields, after rejecting those the endpoint does not take or the simulator does not implement. */
function fields(body: unknown, known: readonly string[], notSimulated: readonly string[]): Json {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw requestBodyInvalid();
  for (const name of Object.keys(body)) {
    if (notSimulated.includes(name)) throw paramNotSimulated(name);
    if (!known.includes(name)) throw paramUnknown(name);
  }
  return body as Json;
}

function optionalString(body: Json, name: string): string | null | undefined {
  const value = body[name];
  if (value === undefined || value === null) return value;
  if (typeof value !== 'string') throw paramFormatInvalid(name, 'must be a string.');
  return value;
}

function requiredString(body: Json, name: string): string {
  const value = optionalString(body, name);
  if (value === undefined || value === null || value === '') throw paramMissing(name);
  return value;
}

function optionalBoolean(body: Json, name: string): boolean | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw paramFormatInvalid(name, 'must be a boolean.');
  return value;
}

function optionalCount(body: Json, name: string): number | null | undefined {
  const value = body[name];
  if (value === undefined || value === null) return value;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw paramFormatInvalid(name, 'must be a non-negative integer.');
  return value;
}

function strings(body: Json, name: string): string[] {
  const value = body[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw paramFormatInvalid(name, 'must be an array of strings.');
  return value;
}

function metadata(body: Json, name: string): Json {
  const value = body[name];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw paramFormatInvalid(name, 'must be an object.');
  return structuredClone(value as Json);
}

/** A name as Clerk keeps it: trimmed, an empty one is none. */
function personName(body: Json, name: string): string | null | undefined {
  const value = optionalString(body, name);
  return value === undefined || value === null ? value : value.trim() || null;
}

function checkPassword(body: Json): boolean {
  const password = optionalString(body, 'password');
  if (password === undefined || password === null) return false;
  if (password.length < MIN_PASSWORD) throw paramFormatInvalid('password', `must be at least ${MIN_PASSWORD} characters long.`);
  return true;
}

function checkUsername(ds: Dataset, username: string, self?: number): void {
  if (!/^[a-z0-9_-]{4,64}$/.test(username)) throw paramFormatInvalid('username', 'must be 4 to 64 letters, digits, - or _.');
  const owner = ds.userRows.indexOfUsername(username);
  if (owner !== undefined && owner !== self) throw identifierExists('username', 'username');
}

function checkExternalId(ds: Dataset, externalId: string, self?: number): void {
  const owner = ds.userRows.indexOfExternalId(externalId);
  if (owner !== undefined && owner !== self) throw identifierExists('external_id', 'external ID');
}

function liveUser(ds: Dataset, id: string): number {
  const u = ds.userRows.indexOfId(id);
  if (u === undefined) throw userNotFound(id);
  return u;
}

function liveOrganization(ds: Dataset, id: string): number {
  const o = ds.orgRows.indexOfId(id);
  if (o === undefined) throw organizationNotFound();
  return o;
}

function role(body: Json): boolean {
  const value = requiredString(body, 'role');
  if (!(ROLES as readonly string[]).includes(value)) throw paramValueInvalid('role', value);
  return value === 'org:admin';
}

// Fields of the 2026-05-12 spec the simulator does not model: a 422 says so rather than
// answering as if they had been applied.
const CREATE_USER_NOT_SIMULATED = [
  'email_address_identification_status',
  'phone_number_identification_status',
  'web3_wallet',
  'password_digest',
  'password_hasher',
  'totp_secret',
  'backup_codes',
  'legal_accepted_at',
  'skip_legal_checks',
  'skip_user_requirement',
  'created_at',
  'bypass_client_trust',
  'banned',
  'locked',
];
const CREATE_USER_FIELDS = [
  'external_id',
  'first_name',
  'last_name',
  'locale',
  'email_address',
  'phone_number',
  'username',
  'password',
  'skip_password_checks',
  'skip_password_requirement',
  'public_metadata',
  'private_metadata',
  'unsafe_metadata',
  'delete_self_enabled',
  'create_organization_enabled',
  'create_organizations_limit',
];

/** `POST /users`. At least one identifier (address, number or username) is required. */
export function createUser(ds: Dataset, body: unknown): number {
  const b = fields(body, CREATE_USER_FIELDS, CREATE_USER_NOT_SIMULATED);
  const emails = strings(b, 'email_address').map((e) => e.trim().toLowerCase());
  const phones = strings(b, 'phone_number').map((p) => p.trim());
  const username = optionalString(b, 'username')?.trim().toLowerCase() || null;
  const externalId = optionalString(b, 'external_id') || null;
  for (const [k, email] of emails.entries()) {
    if (!EMAIL.test(email)) throw paramFormatInvalid('email_address', 'must be a valid email address.');
    if (ds.userRows.indexOfEmail(email) !== undefined || emails.indexOf(email) !== k) throw identifierExists('email_address', 'email address');
  }
  for (const [k, phone] of phones.entries()) {
    if (!PHONE.test(phone)) throw paramFormatInvalid('phone_number', 'must be a valid phone number in E.164 format.');
    if (ds.userRows.indexOfPhone(phone) !== undefined || phones.indexOf(phone) !== k) throw identifierExists('phone_number', 'phone number');
  }
  if (username !== null) checkUsername(ds, username);
  if (externalId !== null) checkExternalId(ds, externalId);
  if (emails.length === 0 && phones.length === 0 && username === null) throw paramMissing('email_address');
  const password = checkPassword(b);
  optionalBoolean(b, 'skip_password_checks');
  optionalBoolean(b, 'skip_password_requirement');
  return ds.createUser(
    { firstName: personName(b, 'first_name') ?? null, lastName: personName(b, 'last_name') ?? null, emails, phones, username, externalId },
    {
      password,
      locale: optionalString(b, 'locale') ?? null,
      publicMetadata: metadata(b, 'public_metadata'),
      privateMetadata: metadata(b, 'private_metadata'),
      unsafeMetadata: metadata(b, 'unsafe_metadata'),
      deleteSelfEnabled: optionalBoolean(b, 'delete_self_enabled') ?? true,
      createOrganizationEnabled: optionalBoolean(b, 'create_organization_enabled') ?? true,
      createOrganizationsLimit: optionalCount(b, 'create_organizations_limit') ?? null,
    },
  );
}

const UPDATE_USER_NOT_SIMULATED = [
  'notify_primary_email_address_changed',
  'primary_web3_wallet_id',
  'profile_image_id',
  'password_digest',
  'password_hasher',
  'totp_secret',
  'backup_codes',
  'legal_accepted_at',
  'skip_legal_checks',
  'created_at',
  'bypass_client_trust',
];
// Metadata is not among them: since 2026-05-12 it has its own endpoint (/users/{id}/metadata).
const UPDATE_USER_FIELDS = [
  'external_id',
  'first_name',
  'last_name',
  'locale',
  'primary_email_address_id',
  'primary_phone_number_id',
  'username',
  'password',
  'skip_password_checks',
  'sign_out_of_other_sessions',
  'delete_self_enabled',
  'create_organization_enabled',
  'create_organizations_limit',
];

/** The index of the verified identification `id` among the user's `list`. */
function primaryIndex(list: readonly { id?: string; verification?: unknown }[] | undefined, id: string, param: string): number {
  const k = (list ?? []).findIndex((item) => item.id === id);
  const status = (list?.[k]?.verification as { status?: string } | null | undefined)?.status;
  if (k < 0 || status !== 'verified') throw paramValueInvalid(param, id);
  return k;
}

/** `PATCH /users/{user_id}`. */
export function updateUser(ds: Dataset, id: string, body: unknown): number {
  const u = liveUser(ds, id);
  const b = fields(body, UPDATE_USER_FIELDS, UPDATE_USER_NOT_SIMULATED);
  const changes: UserChanges = {};
  const firstName = personName(b, 'first_name');
  if (firstName !== undefined) changes.firstName = firstName;
  const lastName = personName(b, 'last_name');
  if (lastName !== undefined) changes.lastName = lastName;
  const username = optionalString(b, 'username');
  // null or "" removes the username, as the spec says.
  if (username !== undefined) changes.username = username?.trim().toLowerCase() || null;
  if (changes.username) checkUsername(ds, changes.username, u);
  const externalId = optionalString(b, 'external_id');
  if (externalId !== undefined) changes.externalId = externalId || null;
  if (changes.externalId) checkExternalId(ds, changes.externalId, u);
  const locale = optionalString(b, 'locale');
  if (locale !== undefined) changes.locale = locale;
  const current = ds.buildUser(u);
  const primaryEmail = optionalString(b, 'primary_email_address_id');
  if (primaryEmail) changes.primaryEmail = primaryIndex(current.email_addresses, primaryEmail, 'primary_email_address_id');
  const primaryPhone = optionalString(b, 'primary_phone_number_id');
  if (primaryPhone) changes.primaryPhone = primaryIndex(current.phone_numbers, primaryPhone, 'primary_phone_number_id');
  changes.password = checkPassword(b);
  optionalBoolean(b, 'skip_password_checks');
  optionalBoolean(b, 'sign_out_of_other_sessions');
  const deleteSelf = optionalBoolean(b, 'delete_self_enabled');
  if (deleteSelf !== undefined) changes.deleteSelfEnabled = deleteSelf;
  const createOrganization = optionalBoolean(b, 'create_organization_enabled');
  if (createOrganization !== undefined) changes.createOrganizationEnabled = createOrganization;
  const limit = optionalCount(b, 'create_organizations_limit');
  if (limit !== undefined) changes.createOrganizationsLimit = limit;
  ds.updateUser(u, changes);
  return u;
}

/** `DELETE /users/{user_id}`: Clerk's DeletedObject. */
export function deleteUser(ds: Dataset, id: string): Json {
  ds.deleteUser(liveUser(ds, id));
  return { id, object: 'user', deleted: true };
}

function organizationName(b: Json, required: boolean): string | undefined {
  const name = required ? requiredString(b, 'name') : (optionalString(b, 'name') ?? undefined);
  if (name === undefined) return undefined;
  if (name.trim() === '') throw paramMissing('name');
  if (name.length > MAX_NAME) throw paramFormatInvalid('name', `must be at most ${MAX_NAME} characters long.`);
  return name.trim();
}

function checkSlug(ds: Dataset, slug: string, self?: number): string {
  if (!SLUG.test(slug)) throw paramFormatInvalid('slug', 'can contain only lowercase alphanumeric characters and the dash "-".');
  const owner = ds.orgRows.indexOfSlug(slug);
  if (owner !== undefined && owner !== self) throw identifierExists('slug', 'slug');
  return slug;
}

/** `POST /organizations`. Without a slug, one is made from the name (unique by a numeric suffix). */
export function createOrganization(ds: Dataset, body: unknown): number {
  const b = fields(body, ['name', 'created_by', 'private_metadata', 'public_metadata', 'slug', 'max_allowed_memberships'], ['created_at', 'role_set_key']);
  const name = organizationName(b, true) as string;
  const createdById = optionalString(b, 'created_by');
  const createdBy = createdById ? ds.userRows.indexOfId(createdById) : -1;
  if (createdBy === undefined) throw userNotFound(createdById as string);
  const given = optionalString(b, 'slug');
  let slug: string;
  if (given) slug = checkSlug(ds, given);
  else {
    const base = slugify(name) || 'organization';
    slug = base;
    for (let n = 2; ds.orgRows.indexOfSlug(slug) !== undefined; n++) slug = `${base}-${n}`;
  }
  return ds.createOrganization({
    name,
    slug,
    createdBy,
    maxAllowedMemberships: optionalCount(b, 'max_allowed_memberships') ?? 0,
    publicMetadata: metadata(b, 'public_metadata'),
    privateMetadata: metadata(b, 'private_metadata'),
  });
}

/** `PATCH /organizations/{organization_id}`. */
export function updateOrganization(ds: Dataset, id: string, body: unknown): number {
  const o = liveOrganization(ds, id);
  const b = fields(body, ['name', 'slug', 'max_allowed_memberships', 'admin_delete_enabled'], ['created_at', 'role_set_key']);
  const changes: OrganizationChanges = {};
  const name = organizationName(b, false);
  if (name !== undefined) changes.name = name;
  const slug = optionalString(b, 'slug');
  if (slug) changes.slug = checkSlug(ds, slug, o);
  const max = optionalCount(b, 'max_allowed_memberships');
  if (max !== undefined && max !== null) changes.maxAllowedMemberships = max;
  const adminDelete = optionalBoolean(b, 'admin_delete_enabled');
  if (adminDelete !== undefined) changes.adminDeleteEnabled = adminDelete;
  ds.updateOrganization(o, changes);
  return o;
}

/** `DELETE /organizations/{organization_id}`: Clerk's DeletedObject. */
export function deleteOrganization(ds: Dataset, id: string): Json {
  ds.deleteOrganization(liveOrganization(ds, id));
  return { id, object: 'organization', deleted: true };
}

/** `POST /organizations/{organization_id}/memberships`. */
export function createMembership(ds: Dataset, orgId: string, body: unknown): number {
  const o = liveOrganization(ds, orgId);
  const b = fields(body, ['user_id', 'role', 'public_metadata', 'private_metadata'], []);
  const userId = requiredString(b, 'user_id');
  const admin = role(b);
  const u = liveUser(ds, userId);
  if (ds.membershipRows.find(o, u) !== undefined) throw alreadyMember();
  const limit = ds.orgRows.maxAllowedMemberships[o] ?? 0;
  if (limit > 0 && (ds.orgRows.membersCount[o] as number) >= limit) throw membershipQuotaExceeded(limit);
  return ds.createMembership(o, u, admin, { public: metadata(b, 'public_metadata'), private: metadata(b, 'private_metadata') });
}

function liveMembership(ds: Dataset, orgId: string, userId: string): number {
  const o = liveOrganization(ds, orgId);
  const u = ds.userRows.indexOfId(userId);
  const m = u === undefined ? undefined : ds.membershipRows.find(o, u);
  if (m === undefined) throw resourceNotFound();
  return m;
}

/** `PATCH /organizations/{organization_id}/memberships/{user_id}`. */
export function updateMembership(ds: Dataset, orgId: string, userId: string, body: unknown): number {
  const m = liveMembership(ds, orgId, userId);
  const admin = role(fields(body, ['role'], []));
  ds.updateMembership(m, admin);
  return m;
}

/** `DELETE /organizations/{organization_id}/memberships/{user_id}`: the membership as it was (the spec's response). */
export function deleteMembership(ds: Dataset, orgId: string, userId: string): unknown {
  const m = liveMembership(ds, orgId, userId);
  ds.deleteMembership(m);
  // Built after the removal, so its organization's members_count is the new one.
  return ds.buildMembership(m);
}
