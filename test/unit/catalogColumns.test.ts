// The catalog's columns: derived from the zod schemas, the seed document's DDL with its
// types, the import schema, the documentation, and CREATE FOREIGN TABLE validation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { objectSchemas, type ClerkObjectName } from '../../src/fdw/clerk/schemas.js';
import {
  CLERK_OBJECTS,
  IMPORT_TABLES,
  allowedTypes,
  columnMarkdown,
  columnsOf,
  documentedColumns,
  findColumn,
  formatType,
  normalizeType,
  objectMarkdown,
  validateForeignTable,
  type DeclaredColumn,
} from '../../src/fdw/catalog/index.js';

const declare = (...columns: [string, string][]): DeclaredColumn[] => columns.map(([name, type]) => ({ name, type: normalizeType(type) }));
const typeOf = (object: ClerkObjectName, column: string) => formatType(findColumn(object, column)!.defaultType);

// The seed document's DDL, verbatim: it must run unchanged.
const SEED: Partial<Record<ClerkObjectName, [string, string][]>> = {
  users: [
    ['user_id', 'text'],
    ['first_name', 'text'],
    ['last_name', 'text'],
    ['email', 'text'],
    ['gender', 'text'],
    ['created_at', 'bigint'],
    ['updated_at', 'bigint'],
    ['last_sign_in_at', 'bigint'],
    ['phone_numbers', 'bigint'],
    ['username', 'text'],
  ],
  organizations: [
    ['organization_id', 'text'],
    ['name', 'text'],
    ['slug', 'text'],
    ['created_at', 'bigint'],
    ['updated_at', 'bigint'],
    ['created_by', 'text'],
  ],
  organization_memberships: [
    ['user_id', 'text'],
    ['organization_id', 'text'],
    ['role', 'text'],
  ],
};

test("the seed document's DDL is the documented columns, in order, and validates", () => {
  for (const object of CLERK_OBJECTS) {
    const seed = declare(...(SEED[object] ?? []));
    assert.deepEqual(documentedColumns(object), seed, object);
    const check = validateForeignTable(object, seed);
    assert.ok(check.ok, JSON.stringify(check.diagnostics));
    assert.equal(check.resolved?.length, seed.length);
  }
});

test('every top-level schema field is a column of its JSON name, plus attrs', () => {
  for (const object of CLERK_OBJECTS) {
    const names = new Set(columnsOf(object).map((c) => c.name));
    for (const field of Object.keys(objectSchemas[object].shape)) assert.ok(names.has(field), `${object}.${field}`);
    assert.ok(names.has('attrs') && names.has('id'), object);
    assert.equal(names.size, columnsOf(object).length, `${object}: no duplicate column names`);
  }
  // Fields the brief names, with their natural types.
  assert.equal(typeOf('users', 'image_url'), 'text');
  assert.equal(typeOf('users', 'banned'), 'boolean');
  assert.equal(typeOf('users', 'external_id'), 'text');
  assert.equal(typeOf('users', 'public_metadata'), 'jsonb');
  assert.equal(typeOf('users', 'last_active_at'), 'bigint');
  assert.equal(typeOf('users', 'two_factor_enabled'), 'boolean');
  assert.equal(typeOf('users', 'email_addresses'), 'jsonb');
  assert.equal(typeOf('users', 'external_accounts'), 'jsonb');
  assert.equal(typeOf('organizations', 'members_count'), 'bigint');
  assert.equal(typeOf('organization_memberships', 'permissions'), 'jsonb');
  assert.equal(typeOf('organization_memberships', 'role_name'), 'text');
  assert.equal(typeOf('organization_memberships', 'created_at'), 'bigint');
  assert.equal(typeOf('organization_memberships', 'user_identifier'), 'text');
  assert.equal(typeOf('organization_memberships', 'organization_name'), 'text');
});

test('timestamps carry their unit; other integers do not pretend to be times', () => {
  assert.equal(findColumn('users', 'created_at')!.unit, 'milliseconds since the Unix epoch');
  assert.equal(findColumn('users', 'mfa_enabled_at')!.unit, 'milliseconds since the Unix epoch');
  assert.equal(findColumn('users', 'lockout_expires_in_seconds')!.unit, 'seconds');
  assert.equal(findColumn('organizations', 'members_count')!.unit, undefined);
  const timestampTypes = (object: ClerkObjectName, column: string) => allowedTypes(findColumn(object, column)!).map(formatType);
  assert.ok(timestampTypes('users', 'last_active_at').includes('timestamptz'));
  assert.ok(!timestampTypes('organizations', 'members_count').includes('timestamptz'));
  assert.ok(timestampTypes('organizations', 'members_count').includes('integer'));
  assert.ok(!timestampTypes('users', 'created_at').includes('integer'), 'milliseconds overflow integer');
});

test('every column is documented: source, JSON type, default type and each conversion', () => {
  for (const object of CLERK_OBJECTS) {
    for (const column of columnsOf(object)) {
      assert.ok(column.description && column.source && column.jsonType, `${object}.${column.name}`);
      assert.ok(column.conversions.every((c) => c.result.length > 0 && c.types.length > 0));
      assert.equal(allowedTypes(column)[0], column.defaultType, 'the default type is an allowed type, listed first');
    }
  }
  const email = columnMarkdown(findColumn('users', 'email')!, normalizeType('text'));
  assert.match(email, /^\*\*email\*\* `text` — Clerk object `users`, documented in clerk_fdw's DDL/);
  assert.match(email, /primary_email_address_id/);
  assert.match(email, /clerk_fdw returns the first address/);
  assert.match(email, /- `text`, `varchar`: the string ← this table/);
  const created = columnMarkdown(findColumn('users', 'created_at')!);
  assert.match(created, /Source: `created_at`, a JSON integer \(milliseconds since the Unix epoch\)/);
  assert.match(created, /- `timestamptz`: the instant, converted from milliseconds/);
  assert.doesNotMatch(created, /this table/);
  assert.match(columnMarkdown(findColumn('users', 'attrs')!), /Source: the whole object, a JSON object/);
  assert.match(columnMarkdown(findColumn('users', 'phone_numbers')!), /- `bigint`, `integer`, `smallint`, `numeric`: how many phone numbers there are/);
  const memberships = objectMarkdown('organization_memberships');
  assert.match(memberships, /old name: `junction_table`/);
  assert.match(memberships, /Documented columns: `user_id text`, `organization_id text`, `role text`\./);
  assert.match(memberships, /`attrs jsonb`, `user_identifier text`, `organization_name text`, `id text`/);
});

test('import foreign schema: the seed names and columns, plus attrs jsonb; objects the seed lacks get their plain fields', () => {
  assert.deepEqual(
    IMPORT_TABLES.map((t) => [t.table, t.object]),
    CLERK_OBJECTS.map((object) => [`clerk_${object}`, object]),
  );
  const PLAIN_FIELDS: Partial<Record<ClerkObjectName, [string, string][]>> = {
    organization_invitations: [
      ['id', 'text'],
      ['email_address', 'text'],
      ['role', 'text'],
      ['role_name', 'text'],
      ['organization_id', 'text'],
      ['inviter_id', 'text'],
      ['status', 'text'],
      ['url', 'text'],
      ['expires_at', 'bigint'],
      ['created_at', 'bigint'],
      ['updated_at', 'bigint'],
    ],
    invitations: [
      ['id', 'text'],
      ['email_address', 'text'],
      ['revoked', 'boolean'],
      ['status', 'text'],
      ['url', 'text'],
      ['expires_at', 'bigint'],
      ['created_at', 'bigint'],
      ['updated_at', 'bigint'],
    ],
    waitlist_entries: [
      ['id', 'text'],
      ['email_address', 'text'],
      ['status', 'text'],
      ['is_locked', 'boolean'],
      ['created_at', 'bigint'],
      ['updated_at', 'bigint'],
    ],
    sessions: [
      ['id', 'text'],
      ['user_id', 'text'],
      ['client_id', 'text'],
      ['status', 'text'],
      ['last_active_organization_id', 'text'],
      ['last_active_at', 'bigint'],
      ['expire_at', 'bigint'],
      ['abandon_at', 'bigint'],
      ['created_at', 'bigint'],
      ['updated_at', 'bigint'],
      ['device_type', 'text'],
      ['browser_name', 'text'],
      ['is_mobile', 'boolean'],
      ['city', 'text'],
      ['country', 'text'],
    ],
    billing_statements: [
      ['id', 'text'],
      ['status', 'text'],
      ['timestamp', 'bigint'],
      ['payer_user_id', 'text'],
      ['payer_organization_id', 'text'],
      ['grand_total_amount', 'bigint'],
      ['currency', 'text'],
    ],
  };
  for (const table of IMPORT_TABLES) {
    const columns = SEED[table.object] ?? PLAIN_FIELDS[table.object];
    if (!columns) {
      // The plain fields of the schema, in its order.
      const shape = objectSchemas[table.object].shape as Record<string, { def: { type: string; innerType?: { def: { type: string } } } }>;
      const kind = (name: string) => {
        let def = shape[name]!.def;
        while (def.innerType) def = def.innerType.def;
        return def.type;
      };
      const plain = Object.keys(shape).filter((name) => name !== 'object' && ['string', 'number', 'boolean'].includes(kind(name)));
      const derived = columnsOf(table.object).filter((c) => c.origin === 'derived' && c.jsonType !== 'array');
      assert.deepEqual(
        table.columns.map((c) => c.name),
        [...plain, ...derived.map((c) => c.name), 'attrs'],
        table.object,
      );
      continue;
    }
    assert.deepEqual(table.columns, declare(...columns, ['attrs', 'jsonb']));
    assert.ok(validateForeignTable(table.object, table.columns).ok);
  }
});

test('unknown column: Postgres-style message, a suggestion and the valid columns, at its index', () => {
  const check = validateForeignTable('users', declare(['user_id', 'text'], ['emial', 'text']));
  assert.equal(check.ok, false);
  assert.equal(check.object, 'users');
  assert.equal(check.resolved, undefined);
  const [error] = check.diagnostics;
  assert.equal(error!.severity, 'error');
  assert.equal(error!.code, 'HV005');
  assert.equal(error!.column, 1);
  assert.equal(error!.message, 'column "emial" is not provided by Clerk object "users"');
  assert.match(error!.hint!, /^Did you mean "email"\? Valid columns: user_id, first_name, last_name, email, gender, created_at, /);
  assert.match(error!.hint!, /, two_factor_enabled, /);

  const far = validateForeignTable('organizations', declare(['xyzzy', 'text'])).diagnostics[0]!;
  assert.match(far.hint!, /^Valid columns: organization_id, name, slug, /);
  assert.equal(validateForeignTable('users', declare(['Email', 'text'])).diagnostics[0]!.hint!.startsWith('Did you mean "email"?'), true);
});

test('a type the column cannot convert to names the allowed types', () => {
  const cases: [ClerkObjectName, string, string, RegExp][] = [
    [
      'users',
      'created_at',
      'boolean',
      /cannot be declared as boolean; allowed types: bigint, numeric, double precision, timestamptz, timestamp, date, text, varchar, jsonb, json$/,
    ],
    ['users', 'email', 'bigint', /column "email" of Clerk object "users" cannot be declared as bigint; allowed types: text, varchar, jsonb, json$/],
    ['users', 'banned', 'timestamp', /allowed types: boolean, text, varchar, jsonb, json$/],
    ['users', 'created_at', 'integer', /cannot be declared as integer/],
    ['users', 'email', 'text[]', /cannot be declared as text\[\]/],
    ['users', 'public_metadata', 'text[]', /allowed types: jsonb, json, text, varchar$/],
    ['organizations', 'name', 'uuid', /cannot be declared as uuid/],
  ];
  for (const [object, column, type, message] of cases) {
    const [error, ...rest] = validateForeignTable(object, declare(['id', 'text'], [column, type])).diagnostics;
    assert.equal(rest.length, 0);
    assert.equal(error!.code, 'HV004');
    assert.equal(error!.column, 1);
    assert.match(error!.message, message);
  }
  const detail = validateForeignTable('users', declare(['created_at', 'boolean'])).diagnostics[0]!;
  assert.equal(detail.detail, "In Clerk's API, created_at is a JSON integer (milliseconds since the Unix epoch).");
  assert.equal(detail.hint, 'Declare it as bigint, its documented type, or another allowed type.');
});

test('duplicates, the unknown object, and notices', () => {
  const duplicate = validateForeignTable('users', declare(['email', 'text'], ['user_id', 'text'], ['email', 'jsonb']));
  assert.deepEqual(duplicate.diagnostics, [{ severity: 'error', code: '42701', message: 'column "email" specified more than once', column: 2 }]);

  const unknown = validateForeignTable('userz', declare(['email', 'text']));
  assert.equal(unknown.object, undefined);
  assert.deepEqual(unknown.diagnostics, [
    {
      severity: 'error',
      code: 'HV024',
      message: '"userz" is not a Clerk object',
      hint: `Did you mean "users"? Valid objects: ${CLERK_OBJECTS.join(', ')}.`,
      suggestion: 'users',
    },
  ]);

  const old = validateForeignTable('junction_table', declare(...SEED.organization_memberships!));
  assert.equal(old.ok, true, 'notices are not errors');
  assert.equal(old.object, 'organization_memberships');
  assert.deepEqual(
    old.diagnostics.map((d) => [d.severity, d.column, d.message]),
    [['notice', undefined, "object 'junction_table' is the old name of 'organization_memberships' (clerk_fdw v0.2.2)"]],
  );

  const gender = validateForeignTable('users', declare(['user_id', 'text'], ['gender', 'text']));
  assert.equal(gender.ok, true);
  assert.deepEqual(
    gender.diagnostics.map((d) => [d.severity, d.column, d.message]),
    [['notice', 1, 'column "gender" is always NULL: Clerk no longer sends a gender']],
  );
});

test('a timestamp declared text or varchar is allowed, with a notice naming the types likely meant', () => {
  const check = validateForeignTable(
    'users',
    declare(['created_at', 'text'], ['last_sign_in_at', 'varchar'], ['updated_at', 'bigint'], ['first_name', 'text']),
  );
  assert.equal(check.ok, true);
  assert.deepEqual(
    check.diagnostics.map((d) => [d.severity, d.column, d.message, d.betterTypes]),
    [0, 1].map((column) => [
      'notice',
      column,
      `column "${column === 0 ? 'created_at' : 'last_sign_in_at'}" declared ${column === 0 ? 'text' : 'varchar'} holds milliseconds since the Unix epoch as digits (such as 1718000000000), which sort and compare as text, not as times; declare it timestamptz or bigint`,
      ['timestamptz', 'bigint'],
    ]),
  );
  // Any top-level `*_at` integer of the object, not only the documented ones.
  assert.deepEqual(
    validateForeignTable('organizations', declare(['admin_delete_enabled', 'boolean'], ['created_at', 'text'])).diagnostics.map((d) => d.column),
    [1],
  );
});
