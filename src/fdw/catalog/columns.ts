// The columns each Clerk object provides. Four sources, in this order of precedence:
//  1. the columns of clerk_fdw's documented DDL (the seed document), with their documented
//     types; a few of them are not a field of the same name (`user_id` <- `id`, `email`);
//  2. `attrs`, the whole API object (clerk_fdw >= 0.2.7 and the Supabase wrapper);
//  3. a few derived columns this product adds (documented below, one by one);
//  4. every top-level field of the object by its JSON name, derived from the zod schema.
import type { z } from 'zod';
import {
  objectSchemas,
  type BillingPlan,
  type BillingStatement,
  type BillingSubscriptionItem,
  type ClerkObject,
  type ClerkObjectName,
  type Money,
  type Organization,
  type OrganizationDomain,
  type OrganizationMembership,
  type OrganizationRole,
  type RoleSet,
  type Session,
  type User,
} from '../clerk/schemas.js';
import { PG, type PgType, sameType } from './pgTypes.js';
import { describeJsonType, schemaFields, type SchemaField } from './schemaFields.js';
import {
  booleanValue,
  contactListValue,
  integerValue,
  jsonValue,
  millisValue,
  primaryValueOf,
  stringValue,
  type ColumnValue,
  type ContactList,
  type Read,
} from './values.js';

export type ClerkObjectOf<N extends ClerkObjectName> = z.infer<(typeof objectSchemas)[N]>;

export type ColumnOrigin = 'documented' | 'attrs' | 'derived' | 'field';

export interface ClerkColumn<O = ClerkObject> extends ColumnValue<O> {
  readonly object: ClerkObjectName;
  readonly name: string;
  readonly origin: ColumnOrigin;
  /** Where the value comes from in the API object, e.g. `public_user_data.user_id`. */
  readonly source: string;
  /** One or two sentences for hover; the conversions are documented separately. */
  readonly description: string;
  /** Said when a table declares the column: something people would not expect. */
  readonly notice?: string;
}

/** A column that is not simply the top-level field of its name. */
interface SpecialColumn<O> {
  readonly name: string;
  readonly source: string;
  readonly description: string;
  readonly notice?: string;
  readonly value: ColumnValue<O>;
}

interface ObjectSpec<O> {
  /** The seed document's DDL, in its order: name and documented type. */
  readonly documented: readonly (readonly [string, PgType])[];
  readonly special: readonly SpecialColumn<O>[];
  /** Top-level fields that need more than their schema kind says (lists of contacts). */
  readonly fieldOverrides?: Readonly<Record<string, Pick<SpecialColumn<O>, 'description' | 'value'>>>;
}

type EmailAddress = NonNullable<User['email_addresses']>[number];
type PhoneNumber = NonNullable<User['phone_numbers']>[number];

const EMAIL_ADDRESSES: ContactList<User, EmailAddress> = {
  noun: ['email address', 'email addresses'],
  list: (u) => u.email_addresses,
  primaryId: (u) => u.primary_email_address_id,
  id: (e) => e.id,
  value: (e) => e.email_address,
};

const PHONE_NUMBERS: ContactList<User, PhoneNumber> = {
  noun: ['phone number', 'phone numbers'],
  list: (u) => u.phone_numbers,
  primaryId: (u) => u.primary_phone_number_id,
  id: (p) => p.id,
  value: (p) => p.phone_number,
};

const idColumn = <O extends { id: string }>(name: string, noun: string): SpecialColumn<O> => ({
  name,
  source: 'id',
  description: `The ${noun}'s Clerk id (the same as \`id\`).`,
  value: stringValue((o: O) => o.id),
});

const USERS: ObjectSpec<User> = {
  documented: [
    ['user_id', PG.text],
    ['first_name', PG.text],
    ['last_name', PG.text],
    ['email', PG.text],
    ['gender', PG.text],
    ['created_at', PG.int8],
    ['updated_at', PG.int8],
    ['last_sign_in_at', PG.int8],
    ['phone_numbers', PG.int8],
    ['username', PG.text],
  ],
  special: [
    idColumn('user_id', 'user'),
    {
      name: 'email',
      source: 'email_addresses[].email_address',
      description:
        'The primary email address (the entry of `email_addresses` whose `id` is `primary_email_address_id`), ' +
        'else the first one; NULL when the user has none. clerk_fdw returns the first address, primary or not.',
      value: stringValue(primaryValueOf(EMAIL_ADDRESSES)),
    },
    {
      name: 'gender',
      source: 'gender (removed from the API)',
      description: 'Always NULL: Clerk removed the field (old payloads carried `"gender": ""`). Kept so the documented DDL runs unchanged.',
      notice: 'column "gender" is always NULL: Clerk no longer sends a gender',
      value: stringValue(() => null),
    },
  ],
  fieldOverrides: {
    email_addresses: {
      description: "The user's email addresses (`email` is the primary one).",
      value: contactListValue(EMAIL_ADDRESSES),
    },
    phone_numbers: {
      description:
        "The user's phone numbers. Declared `bigint`, as documented, it is how many there are (clerk_fdw returns NULL: " +
        'it reads the array as a number); `text` gives the primary number, `text[]` all of them.',
      value: contactListValue(PHONE_NUMBERS),
    },
  },
};

const ORGANIZATIONS: ObjectSpec<Organization> = {
  documented: [
    ['organization_id', PG.text],
    ['name', PG.text],
    ['slug', PG.text],
    ['created_at', PG.int8],
    ['updated_at', PG.int8],
    ['created_by', PG.text],
  ],
  special: [idColumn('organization_id', 'organization')],
};

const MEMBERSHIPS: ObjectSpec<OrganizationMembership> = {
  documented: [
    ['user_id', PG.text],
    ['organization_id', PG.text],
    ['role', PG.text],
  ],
  special: [
    {
      name: 'user_id',
      source: 'public_user_data.user_id',
      description: "The member's user id. NULL when Clerk sends no `public_user_data` (clerk_fdw crashes there).",
      value: stringValue((m) => m.public_user_data?.user_id),
    },
    {
      name: 'organization_id',
      source: 'organization.id',
      description: "The organization's id.",
      value: stringValue((m) => m.organization?.id),
    },
    // Derived: the membership list already carries these, so common questions ("who are the
    // admins of Acme?") need no join with the users or organizations tables.
    {
      name: 'user_identifier',
      source: 'public_user_data.identifier',
      description: "The member's identifier: their primary email address, phone number or username. NULL without `public_user_data`.",
      value: stringValue((m) => m.public_user_data?.identifier),
    },
    {
      name: 'organization_name',
      source: 'organization.name',
      description: "The organization's name.",
      value: stringValue((m) => m.organization?.name),
    },
  ],
};

// clerk_fdw has none of the objects below: no documented columns, only the fields, `attrs`, and
// derived columns for what people ask of nested fields (a session's device, a plan's price).
const FIELDS_ONLY = { documented: [], special: [] } as const;

const derived = <O>(name: string, source: string, description: string, value: ColumnValue<O>): SpecialColumn<O> => ({ name, source, description, value });

const SESSIONS: ObjectSpec<Session> = {
  documented: [],
  special: [
    derived(
      'device_type',
      'latest_activity.device_type',
      'The device of the latest activity (e.g. `Macintosh`, `iPhone`).',
      stringValue((s) => s.latest_activity?.device_type),
    ),
    derived(
      'browser_name',
      'latest_activity.browser_name',
      'The browser of the latest activity.',
      stringValue((s) => s.latest_activity?.browser_name),
    ),
    derived(
      'is_mobile',
      'latest_activity.is_mobile',
      'Whether the latest activity was on a mobile device.',
      booleanValue((s) => s.latest_activity?.is_mobile),
    ),
    derived(
      'city',
      'latest_activity.city',
      'Where the latest activity came from (by IP address).',
      stringValue((s) => s.latest_activity?.city),
    ),
    derived(
      'country',
      'latest_activity.country',
      'The country of the latest activity, an ISO 3166 code.',
      stringValue((s) => s.latest_activity?.country),
    ),
  ],
};

const ORGANIZATION_DOMAINS: ObjectSpec<OrganizationDomain> = {
  documented: [],
  special: [
    derived(
      'verification_status',
      'verification.status',
      '`verified` once the organization proved it owns the domain, else `unverified`.',
      stringValue((d) => d.verification?.status),
    ),
    derived(
      'organization_name',
      'public_organization_data.name',
      "The organization's name.",
      stringValue((d) => d.public_organization_data?.name),
    ),
  ],
};

const ORGANIZATION_ROLES: ObjectSpec<OrganizationRole> = {
  documented: [],
  special: [
    derived(
      'permission_keys',
      'permissions[].key',
      "The keys of the role's permissions (`org:sys_memberships:read`, ...).",
      jsonValue((r) => r.permissions?.map((p) => p.key), 'array', true),
    ),
  ],
};

const ROLE_SETS: ObjectSpec<RoleSet> = {
  documented: [],
  special: [
    derived(
      'role_keys',
      'roles[].key',
      'The keys of the roles in the set.',
      jsonValue((r) => r.roles?.map((role) => role.key), 'array', true),
    ),
    derived(
      'default_role_key',
      'default_role.key',
      'The role new members get.',
      stringValue((r) => r.default_role?.key),
    ),
    derived(
      'creator_role_key',
      'creator_role.key',
      "The role of an organization's creator.",
      stringValue((r) => r.creator_role?.key),
    ),
  ],
};

const cents = <O>(read: (o: O) => Money | null | undefined): ColumnValue<O> => integerValue((o: O) => read(o)?.amount, 'cents');

const BILLING_PLANS: ObjectSpec<BillingPlan> = {
  documented: [],
  special: [
    derived(
      'fee_amount',
      'fee.amount',
      'The monthly fee, in cents.',
      cents((p) => p.fee),
    ),
    derived(
      'annual_monthly_fee_amount',
      'annual_monthly_fee.amount',
      'The monthly fee when paid yearly, in cents.',
      cents((p) => p.annual_monthly_fee),
    ),
    derived(
      'currency',
      'fee.currency',
      'The currency of the fees (`USD`).',
      stringValue((p) => p.fee?.currency),
    ),
  ],
};

/** What an item costs a month: the plan's monthly fee, or its annual fee by the month for annual items. */
function monthlyFee(item: BillingSubscriptionItem): Money | null | undefined {
  return item.plan_period === 'annual' ? item.plan?.annual_monthly_fee : item.plan?.fee;
}

const payerColumns = <O extends { payer?: { user_id?: string | null; organization_id?: string | null } }>(): SpecialColumn<O>[] => [
  derived(
    'payer_user_id',
    'payer.user_id',
    'The paying user; NULL when an organization pays.',
    stringValue((o: O) => o.payer?.user_id),
  ),
  derived(
    'payer_organization_id',
    'payer.organization_id',
    'The paying organization; NULL when a user pays.',
    stringValue((o: O) => o.payer?.organization_id),
  ),
];

const BILLING_SUBSCRIPTION_ITEMS: ObjectSpec<BillingSubscriptionItem> = {
  documented: [],
  special: [
    derived(
      'plan_slug',
      'plan.slug',
      "The plan's slug (`pro`).",
      stringValue((i) => i.plan?.slug),
    ),
    derived(
      'plan_name',
      'plan.name',
      "The plan's name.",
      stringValue((i) => i.plan?.name),
    ),
    ...payerColumns<BillingSubscriptionItem>(),
    derived(
      'monthly_fee_amount',
      'plan.fee.amount, plan.annual_monthly_fee.amount',
      "What the item costs a month, in cents: the plan's monthly fee, or for an annual item its annual fee by the month. Free trials and canceled items included: filter by `status` and `is_free_trial` for MRR.",
      cents(monthlyFee),
    ),
    derived(
      'currency',
      'plan.fee.currency',
      'The currency of `monthly_fee_amount`.',
      stringValue((i) => monthlyFee(i)?.currency),
    ),
  ],
};

const BILLING_STATEMENTS: ObjectSpec<BillingStatement> = {
  documented: [],
  special: [
    ...payerColumns<BillingStatement>(),
    derived(
      'grand_total_amount',
      'totals.grand_total.amount',
      "The statement's total, tax included, in cents.",
      cents((s) => s.totals?.grand_total),
    ),
    derived(
      'currency',
      'totals.grand_total.currency',
      'The currency of the total.',
      stringValue((s) => s.totals?.grand_total?.currency),
    ),
  ],
};

/** The value of a top-level field, by the kind the schema gives it. */
function fieldValue<O>(field: SchemaField): ColumnValue<O> {
  const read: Read<O> = (o) => (o as Record<string, unknown>)[field.name];
  switch (field.kind) {
    case 'string':
      return stringValue(read);
    case 'boolean':
      return booleanValue(read);
    case 'timestamp':
      return millisValue(read);
    case 'integer':
      // `*_in_seconds` are durations.
      return integerValue(read, field.name.endsWith('_in_seconds') ? 'seconds' : undefined);
    default:
      return jsonValue(read, describeJsonType(field), field.kind === 'array' && field.element === 'string');
  }
}

function attrsColumn<O>(object: ClerkObjectName): ClerkColumn<O> {
  return {
    object,
    name: 'attrs',
    origin: 'attrs',
    source: 'the whole object',
    description: 'The whole API object as Clerk sent it, including fields this catalog has no column for.',
    ...jsonValue((o: O) => o, 'object'),
  };
}

function specialColumn<O>(object: ClerkObjectName, origin: ColumnOrigin, { value, ...doc }: SpecialColumn<O>): ClerkColumn<O> {
  return { object, origin, ...doc, ...value };
}

function buildColumns<O>(object: ClerkObjectName, spec: ObjectSpec<O> = FIELDS_ONLY): ClerkColumn<O>[] {
  const fields = schemaFields(objectSchemas[object]).map((field): ClerkColumn<O> => ({
    object,
    name: field.name,
    origin: 'field',
    source: field.name,
    description: spec.fieldOverrides?.[field.name]?.description ?? `Clerk's \`${field.name}\` field.`,
    ...(spec.fieldOverrides?.[field.name]?.value ?? fieldValue<O>(field)),
  }));
  const special = new Map(spec.special.map((c) => [c.name, c]));
  const field = new Map(fields.map((c) => [c.name, c]));

  const documented = spec.documented.map(([name, type]): ClerkColumn<O> => {
    const base = special.get(name);
    const column = base ? specialColumn(object, 'documented', base) : field.get(name);
    if (!column?.conversions.some((c) => c.types.some((t) => sameType(t, type)))) {
      throw new Error(`catalog: documented column ${object}.${name} has no ${type.name} conversion`);
    }
    return { ...column, origin: 'documented', defaultType: type };
  });
  const listed = new Set(documented.map((c) => c.name));
  const derived = spec.special.filter((c) => !listed.has(c.name)).map((c) => specialColumn(object, 'derived', c));
  for (const c of derived) listed.add(c.name);
  return [...documented, attrsColumn<O>(object), ...derived, ...fields.filter((c) => !listed.has(c.name))];
}

/** Every object's columns: documented first, then `attrs`, derived columns, other fields. */
export const CATALOG: { readonly [N in ClerkObjectName]: readonly ClerkColumn<ClerkObjectOf<N>>[] } = {
  users: buildColumns('users', USERS),
  organizations: buildColumns('organizations', ORGANIZATIONS),
  organization_memberships: buildColumns('organization_memberships', MEMBERSHIPS),
  invitations: buildColumns('invitations'),
  organization_invitations: buildColumns('organization_invitations'),
  waitlist_entries: buildColumns('waitlist_entries'),
  sessions: buildColumns('sessions', SESSIONS),
  organization_domains: buildColumns('organization_domains', ORGANIZATION_DOMAINS),
  organization_roles: buildColumns('organization_roles', ORGANIZATION_ROLES),
  organization_permissions: buildColumns('organization_permissions'),
  role_sets: buildColumns('role_sets', ROLE_SETS),
  domains: buildColumns('domains'),
  allowlist_identifiers: buildColumns('allowlist_identifiers'),
  blocklist_identifiers: buildColumns('blocklist_identifiers'),
  oauth_applications: buildColumns('oauth_applications'),
  saml_connections: buildColumns('saml_connections'),
  enterprise_connections: buildColumns('enterprise_connections'),
  billing_plans: buildColumns('billing_plans', BILLING_PLANS),
  billing_subscription_items: buildColumns('billing_subscription_items', BILLING_SUBSCRIPTION_ITEMS),
  billing_statements: buildColumns('billing_statements', BILLING_STATEMENTS),
};

/** The documented DDL's columns of an object, in order, with their documented types. */
export function documentedColumns(object: ClerkObjectName): readonly { name: string; type: PgType }[] {
  return CATALOG[object].filter((c) => c.origin === 'documented').map((c) => ({ name: c.name, type: c.defaultType }));
}

/**
 * The columns a table of the object is declared with when nobody chose them (IMPORT FOREIGN
 * SCHEMA, the quick fix that adds them): the documented ones, or, for an object clerk_fdw does
 * not have, each top-level field that is a string, number or boolean (not `object`, the
 * object's type name), then the derived columns of those kinds, with their default types.
 */
export function standardColumns(object: ClerkObjectName): readonly { name: string; type: PgType }[] {
  const documented = documentedColumns(object);
  if (documented.length > 0) return documented;
  const scalar = (c: ClerkColumn<unknown>) => c.name !== 'object' && ['string', 'integer', 'boolean'].includes(c.jsonType);
  const columns = CATALOG[object] as readonly ClerkColumn<unknown>[];
  return [...columns.filter((c) => c.origin === 'field' && scalar(c)), ...columns.filter((c) => c.origin === 'derived' && scalar(c))].map((c) => ({
    name: c.name,
    type: c.defaultType,
  }));
}
