// The columns each Clerk object provides. Four sources, in this order of precedence:
//  1. the columns of clerk_fdw's documented DDL (the seed document), with their documented
//     types; a few of them are not a field of the same name (`user_id` <- `id`, `email`);
//  2. `attrs`, the whole API object (clerk_fdw >= 0.2.7 and the Supabase wrapper);
//  3. a few derived columns this product adds (documented below, one by one);
//  4. every top-level field of the object by its JSON name, derived from the zod schema.
import type { z } from 'zod';
import {
  objectSchemas,
  type ClerkObject,
  type ClerkObjectName,
  type Organization,
  type OrganizationMembership,
  type Invitation,
  type OrganizationInvitation,
  type User,
  type WaitlistEntry,
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

// clerk_fdw has neither invitations nor a waitlist: no documented columns, only the fields and `attrs`.
const INVITATIONS: ObjectSpec<Invitation> = { documented: [], special: [] };
const ORGANIZATION_INVITATIONS: ObjectSpec<OrganizationInvitation> = { documented: [], special: [] };
const WAITLIST_ENTRIES: ObjectSpec<WaitlistEntry> = { documented: [], special: [] };

/** The value of a top-level field, by the kind the schema gives it. */
function fieldValue<O>(field: SchemaField): ColumnValue<O> {
  const read: Read<O> = (o) => (o as Record<string, unknown>)[field.name];
  switch (field.kind) {
    case 'string':
      return stringValue(read);
    case 'boolean':
      return booleanValue(read);
    case 'integer':
      // Clerk's `*_at` integers are timestamps in milliseconds; `*_in_seconds` are durations.
      if (field.name.endsWith('_at')) return millisValue(read);
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

function buildColumns<O>(object: ClerkObjectName, spec: ObjectSpec<O>): ClerkColumn<O>[] {
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
  invitations: buildColumns('invitations', INVITATIONS),
  organization_invitations: buildColumns('organization_invitations', ORGANIZATION_INVITATIONS),
  waitlist_entries: buildColumns('waitlist_entries', WAITLIST_ENTRIES),
};

/** The documented DDL's columns of an object, in order, with their documented types. */
export function documentedColumns(object: ClerkObjectName): readonly { name: string; type: PgType }[] {
  return CATALOG[object].filter((c) => c.origin === 'documented').map((c) => ({ name: c.name, type: c.defaultType }));
}

/**
 * The columns a table of the object is declared with when nobody chose them (IMPORT FOREIGN
 * SCHEMA, the quick fix that adds them): the documented ones, or, for an object clerk_fdw does
 * not have, each top-level field that is a string, number or boolean (not `object`, the
 * object's type name), with its default type.
 */
export function standardColumns(object: ClerkObjectName): readonly { name: string; type: PgType }[] {
  const documented = documentedColumns(object);
  if (documented.length > 0) return documented;
  const scalar = new Set(['string', 'integer', 'boolean']);
  return CATALOG[object]
    .filter((c) => c.origin === 'field' && c.name !== 'object' && scalar.has(c.jsonType))
    .map((c) => ({ name: c.name, type: c.defaultType }));
}
