// Conversions against Clerk's own example payloads: the special mappings (email, phone
// numbers, gender, membership ids), every kind of value to every allowed type, and NULLs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { columnsOf } from '../../src/fdw/catalog/index.js';
import { integerText, jsonText, millisToDate, millisToTimestamp, millisToTimestamptz } from '../../src/fdw/catalog/formats.js';
import type { ClerkObject, ClerkObjectName } from '../../src/fdw/clerk/schemas.js';
import {
  convert,
  membershipFixture,
  membershipsListFixture,
  organizationFixture,
  organizationsListFixture,
  userFixture,
  usersListFixture,
} from './catalogHelpers.js';

// Two addresses and two phone numbers; its primary ids match neither list.
const kyle = userFixture('user--node-sdk-getUser');
const supabaseUser = usersListFixture('users-list--supabase-wrappers-wasm-mock-server')[0]!;
const [minimalUser] = usersListFixture('users-list--go-sdk-v2-minimal');
const webhookUser = userFixture('user--webhook-spec-user.created.data');
const member = membershipFixture('organization-membership--webhook-spec-organizationMembership.created.data');
const [bareMember] = membershipsListFixture('user-organization-memberships-list--js-backend-factory-test-minimal');
const [orgWithoutCreator] = organizationsListFixture('organizations-list--go-sdk-v2-minimal-no-created_by');

test('email is the primary address, else the first, else NULL', () => {
  assert.deepEqual(
    kyle.email_addresses!.map((e) => e.id),
    ['idn_clark', 'idn_invision'],
  );
  const primarySecond = { ...kyle, primary_email_address_id: 'idn_invision' };
  assert.equal(convert('users', 'email', 'text', primarySecond), 'john@tech.com', 'the primary, though not first');
  assert.equal(convert('users', 'email', 'text', kyle), 'kyle@tech.com', 'primary id not in the list: the first');
  assert.equal(convert('users', 'email', 'text', { ...kyle, primary_email_address_id: null }), 'kyle@tech.com');
  const [, secondRuby] = usersListFixture('users-list--ruby-sdk-all_users');
  assert.equal(convert('users', 'email', 'text', secondRuby!), 'developer2@clerk.dev');
  assert.equal(convert('users', 'email', 'text', webhookUser), null, 'no addresses');
  assert.equal(convert('users', 'email', 'text', minimalUser!), null, 'no email_addresses field');
  assert.equal(convert('users', 'email', 'jsonb', primarySecond), '"john@tech.com"');
});

test('phone_numbers: bigint counts, text is the primary, text[] and jsonb are all of them', () => {
  const primarySecond = { ...kyle, primary_phone_number_id: 'idn_maybe' };
  assert.equal(convert('users', 'phone_numbers', 'bigint', kyle), '2');
  assert.equal(convert('users', 'phone_numbers', 'integer', kyle), '2');
  assert.equal(convert('users', 'phone_numbers', 'text', primarySecond), '+19515551002');
  assert.equal(convert('users', 'phone_numbers', 'text', kyle), '+19515551001', 'primary id not in the list: the first');
  assert.equal(convert('users', 'phone_numbers', 'text', userFixture('user--js-backend-fixture-user')), '+311-555-2368');
  assert.equal(convert('users', 'phone_numbers', 'text[]', kyle), '{"+19515551001","+19515551002"}');
  assert.deepEqual(JSON.parse(convert('users', 'phone_numbers', 'jsonb', kyle)!), kyle.phone_numbers);

  assert.equal(convert('users', 'phone_numbers', 'bigint', webhookUser), '0', 'an empty list has none');
  assert.equal(convert('users', 'phone_numbers', 'text', webhookUser), null);
  assert.equal(convert('users', 'phone_numbers', 'text[]', webhookUser), '{}');
  assert.equal(convert('users', 'phone_numbers', 'jsonb', webhookUser), '[]');
  for (const type of ['bigint', 'text', 'text[]', 'jsonb']) {
    assert.equal(convert('users', 'phone_numbers', type, minimalUser!), null, `no phone_numbers field: ${type} is NULL`);
  }
  assert.equal(convert('users', 'email_addresses', 'text[]', kyle), '{"kyle@tech.com","john@tech.com"}', 'email_addresses converts alike');
  assert.equal(convert('users', 'email_addresses', 'bigint', kyle), '2');
});

test('gender is always NULL, even where old payloads carry ""', () => {
  assert.equal((kyle as Record<string, unknown>).gender, '');
  assert.equal(convert('users', 'gender', 'text', kyle), null);
  assert.equal(convert('users', 'gender', 'jsonb', kyle), null);
});

test('ids: user_id and organization_id are id; id itself is a column', () => {
  assert.equal(convert('users', 'user_id', 'text', kyle), 'user_noone');
  assert.equal(convert('users', 'id', 'text', kyle), 'user_noone');
  assert.equal(convert('organizations', 'organization_id', 'text', orgWithoutCreator!), 'org_123');
  assert.equal(convert('organization_memberships', 'id', 'text', member), 'orgmem_2g7np7Hrk0SN6kj5EDMLDaKNL0S');
});

test('memberships: ids from public_user_data and organization, and the derived columns', () => {
  assert.equal(convert('organization_memberships', 'user_id', 'text', member), 'user_2h8op3Isl1QR7tKu5FGNfaLKEoU');
  assert.equal(convert('organization_memberships', 'organization_id', 'text', member), 'org_2g7np7Hrk0SN6kj5EDMLDaKNL0S');
  assert.equal(convert('organization_memberships', 'role', 'text', member), 'org:member');
  assert.equal(convert('organization_memberships', 'role_name', 'text', member), 'Member');
  assert.equal(convert('organization_memberships', 'permissions', 'jsonb', member), '["org:posts:read","org:posts:write"]');
  assert.equal(convert('organization_memberships', 'permissions', 'text[]', member), '{"org:posts:read","org:posts:write"}');
  assert.equal(convert('organization_memberships', 'public_metadata', 'jsonb', member), '{}');
  assert.equal(convert('organization_memberships', 'user_identifier', 'text', member), 'jane.doe@acme.com');
  assert.equal(convert('organization_memberships', 'organization_name', 'text', member), 'Acme Corp');
  assert.equal(convert('organization_memberships', 'created_at', 'timestamptz', member), '2024-05-28T08:00:00.000Z');
  const [goMember] = membershipsListFixture('organization-memberships-list--go-sdk-v2-minimal');
  assert.equal(convert('organization_memberships', 'user_id', 'text', goMember!), 'user_123');
  assert.equal(convert('organization_memberships', 'organization_id', 'text', goMember!), 'org_123');
});

test('a membership without public_user_data or organization: NULLs, never a crash', () => {
  assert.deepEqual(bareMember, { id: '1' });
  for (const column of columnsOf('organization_memberships')) {
    const expected = column.name === 'id' ? '1' : column.name === 'attrs' ? '{"id":"1"}' : null;
    assert.equal(column.conversions[0]!.convert(bareMember), expected, column.name);
  }
  assert.equal(convert('organization_memberships', 'user_id', 'text', { id: 'm', public_user_data: null }), null);
});

test('an organization without created_by or timestamps', () => {
  assert.equal(convert('organizations', 'name', 'text', orgWithoutCreator!), 'Acme Inc');
  assert.equal(convert('organizations', 'created_by', 'text', orgWithoutCreator!), null);
  assert.equal(convert('organizations', 'slug', 'text', orgWithoutCreator!), null);
  assert.equal(convert('organizations', 'created_at', 'bigint', orgWithoutCreator!), null);
  assert.equal(convert('organizations', 'created_at', 'timestamptz', orgWithoutCreator!), null);
  const org = organizationFixture('organization--go-sdk-v1-dummyOrganizationJson');
  assert.equal(convert('organizations', 'created_by', 'text', org), 'user_1mebQggrD3xO5JfuHk7clQ94ysA');
  assert.equal(convert('organizations', 'members_count', 'integer', org), '42');
  assert.equal(convert('organizations', 'members_count', 'text', org), '42');
  assert.equal(convert('organizations', 'private_metadata', 'jsonb', org), '{"app_id":5}');
});

test('timestamps: milliseconds as bigint, converted for timestamptz, timestamp and date', () => {
  const at = supabaseUser.created_at!;
  assert.equal(at, 1737440173260);
  assert.equal(convert('users', 'created_at', 'bigint', supabaseUser), '1737440173260');
  assert.equal(convert('users', 'created_at', 'numeric', supabaseUser), '1737440173260');
  assert.equal(convert('users', 'created_at', 'text', supabaseUser), '1737440173260');
  assert.equal(convert('users', 'created_at', 'jsonb', supabaseUser), '1737440173260');
  assert.equal(convert('users', 'created_at', 'timestamptz', supabaseUser), '2025-01-21T06:16:13.260Z');
  assert.equal(convert('users', 'created_at', 'timestamp with time zone', supabaseUser), '2025-01-21T06:16:13.260Z');
  assert.equal(convert('users', 'created_at', 'timestamp', supabaseUser), '2025-01-21T06:16:13.260');
  assert.equal(convert('users', 'created_at', 'date', supabaseUser), '2025-01-21');
  for (const type of ['bigint', 'timestamptz', 'date', 'text']) {
    assert.equal(convert('users', 'last_sign_in_at', type, supabaseUser), null, `null last_sign_in_at as ${type}`);
  }
});

test('timestamp text at the edges: epoch, before it, 5-digit years, BC', () => {
  assert.equal(millisToTimestamptz(0), '1970-01-01T00:00:00.000Z');
  assert.equal(millisToTimestamptz(-1), '1969-12-31T23:59:59.999Z');
  assert.equal(millisToDate(-1), '1969-12-31');
  assert.equal(millisToTimestamptz(Date.UTC(2024, 1, 29, 23, 59, 59, 7)), '2024-02-29T23:59:59.007Z');
  assert.equal(millisToTimestamptz(253402300800000), '10000-01-01T00:00:00.000Z');
  assert.equal(millisToTimestamptz(-62135596800000), '0001-01-01T00:00:00.000Z');
  assert.equal(millisToTimestamptz(-62135596800001), '0001-12-31T23:59:59.999Z BC', 'the instant before year 1 is 1 BC');
  assert.equal(millisToTimestamp(-62135596800001), '0001-12-31T23:59:59.999 BC');
  assert.equal(millisToDate(-62135596800001), '0001-12-31 BC');
  assert.equal(millisToDate(-62167219200000), '0001-01-01 BC', 'year 0, a leap year, is 1 BC');
  assert.equal(millisToDate(-62167219200001), '0002-12-31 BC');
  assert.equal(millisToDate(Number.MAX_SAFE_INTEGER), '287396-10-12');
  assert.equal(millisToTimestamptz(-210866803200000), '4714-11-24T00:00:00.000Z BC', "Postgres's first instant");
  for (const convert of [millisToTimestamptz, millisToTimestamp, millisToDate]) {
    assert.throws(() => convert(-210866803200001), {
      name: 'ValueError',
      code: '22008',
      message: /^-210866803200001 milliseconds is outside the range of (timestamptz|timestamp|date) \(4713 BC to \d+ AD\)$/,
    });
  }
});

test('timestamp text agrees with Date.toISOString over years 1 to 9999', () => {
  fc.assert(
    fc.property(fc.integer({ min: -62135596800000, max: 253402300799999 }), (ms) => {
      const iso = new Date(ms).toISOString();
      assert.equal(millisToTimestamptz(ms), iso);
      assert.equal(millisToTimestamp(ms), iso.slice(0, -1));
      assert.equal(millisToDate(ms), iso.slice(0, 10));
    }),
    { numRuns: 2000 },
  );
});

test('integer text is what String gives, for every safe integer', () => {
  fc.assert(
    fc.property(fc.oneof(fc.maxSafeInteger(), fc.integer(), fc.integer({ min: 2 ** 53 - 1e7, max: 2 ** 53 - 1 })), (n) => {
      assert.equal(integerText(n), String(n));
      assert.equal(integerText(-n), String(-n));
    }),
    { numRuns: 5000 },
  );
  for (const n of [0, 2 ** 30, -(2 ** 30), 999_999, 1_000_000, 1_000_001, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]) {
    assert.equal(integerText(n), String(n));
  }
});

test('strings, booleans, numbers and JSON to their allowed types', () => {
  assert.equal(convert('users', 'first_name', 'text', kyle), 'Kyle');
  assert.equal(convert('users', 'first_name', 'varchar(20)', kyle), 'Kyle');
  assert.equal(convert('users', 'first_name', 'json', kyle), '"Kyle"');
  assert.equal(convert('users', 'username', 'text', kyle), null, 'JSON null is NULL');
  assert.equal(convert('users', 'two_factor_enabled', 'boolean', kyle), 'true');
  assert.equal(convert('users', 'two_factor_enabled', 'text', kyle), 'true');
  assert.equal(convert('users', 'password_enabled', 'jsonb', kyle), 'false');
  assert.equal(convert('users', 'banned', 'boolean', kyle), null, 'absent is NULL');
  assert.equal(convert('users', 'verification_attempts_remaining', 'smallint', supabaseUser), '100');
  assert.equal(convert('users', 'public_metadata', 'jsonb', kyle), '{"zodiac_sign":"leo","ascendant":"scorpio"}');
  assert.equal(convert('users', 'public_metadata', 'text', kyle), '{"zodiac_sign":"leo","ascendant":"scorpio"}');
  assert.deepEqual(JSON.parse(convert('users', 'external_accounts', 'jsonb', kyle)!), kyle.external_accounts);
  assert.equal(convert('users', 'image_url', 'text', supabaseUser), supabaseUser.image_url);
});

test('attrs is the whole object, including fields the schema does not know', () => {
  const attrs: unknown = JSON.parse(convert('users', 'attrs', 'jsonb', kyle)!);
  assert.deepEqual(attrs, kyle);
  assert.equal(attrs.gender, '');
  assert.equal(attrs.birthday, '');
  assert.equal(convert('users', 'attrs', 'text', kyle), JSON.stringify(kyle));
  assert.deepEqual(JSON.parse(convert('organization_memberships', 'attrs', 'json', member)!), member);
});

test('JSON that Postgres would reject (U+0000, lone surrogates) is made well-formed', () => {
  const user = { id: 'user_1', unsafe_metadata: { 'a\u0000b': 'x\u0000y', pair: '😀', lone: 'x\ud800y', list: ['\udc00'] } };
  assert.equal(convert('users', 'unsafe_metadata', 'jsonb', user), '{"a\uFFFDb":"x\uFFFDy","pair":"😀","lone":"x\uFFFDy","list":["\uFFFD"]}');
  assert.equal(jsonText({ escaped: '\\u0000 is not a NUL' }), '{"escaped":"\\\\u0000 is not a NUL"}', 'text that looks like the escape stays');
  assert.equal(jsonText('plain'), '"plain"');
});

test('a value of the wrong JSON type is NULL, not a malformed field', () => {
  const odd = { id: 'user_1', created_at: '2024-01-01', banned: 'yes', first_name: 42, public_metadata: null } as unknown as ClerkObject;
  assert.equal(convert('users', 'created_at', 'timestamptz', odd), null);
  assert.equal(convert('users', 'created_at', 'bigint', odd), null);
  assert.equal(convert('users', 'banned', 'boolean', odd), null);
  assert.equal(convert('users', 'first_name', 'text', odd), null);
  assert.equal(convert('users', 'public_metadata', 'jsonb', odd), null);
});

test('every conversion of every column handles every fixture', () => {
  const fixtures: [ClerkObjectName, ClerkObject[]][] = [
    ['users', [kyle, supabaseUser, minimalUser!, webhookUser, ...usersListFixture('users-list--ruby-sdk-all_users')]],
    ['organizations', [orgWithoutCreator!, organizationFixture('organization--webhook-spec-organization.updated.data')]],
    ['organization_memberships', [member, bareMember!, membershipFixture('organization-membership--webhook-spec-organizationMembership.updated.data')]],
  ];
  for (const [object, objects] of fixtures) {
    for (const column of columnsOf(object)) {
      for (const conversion of column.conversions) {
        for (const obj of objects) {
          const value = conversion.convert(obj);
          assert.ok(value === null || typeof value === 'string', `${object}.${column.name}`);
        }
      }
    }
  }
});
