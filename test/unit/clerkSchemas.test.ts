// Every payload in ../shared/clerk-api/fixtures parses with the client's schemas, and drift
// (a mistyped or missing required field) is an error that names the object id and field path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ClerkErrors, Organization, OrganizationMembership, TotalCount, User, listEnvelope } from '../../src/fdw/clerk/schemas.js';

const FIXTURES = join(import.meta.dirname, '../../../shared/clerk-api/fixtures');

// The fixture's name says what it represents (see fixtures/INDEX.md).
function schemaFor(name: string): z.ZodTypeAny | undefined {
  if (name.startsWith('users-list')) return z.array(User);
  if (name.startsWith('users-count')) return TotalCount;
  if (name.startsWith('user-organization-memberships-list') || name.startsWith('organization-memberships-list')) return listEnvelope(OrganizationMembership);
  if (name.startsWith('organizations-list')) return listEnvelope(Organization);
  if (name.startsWith('organization-membership--')) return OrganizationMembership;
  if (name.startsWith('organization--')) return Organization;
  if (name.startsWith('user--')) return User;
  if (/error/.test(name) && !name.includes('catalog')) return ClerkErrors;
  return undefined;
}

const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.json'));

test('the fixtures folder is there and has payloads of every kind', () => {
  const kinds = new Set(files.map((f) => schemaFor(f)).filter(Boolean));
  assert.ok(files.length >= 30, `found ${files.length} fixtures`);
  assert.equal(kinds.size >= 7, true);
});

for (const file of files) {
  const schema = schemaFor(file);
  if (!schema) continue; // the error-code catalog is documentation, not a payload
  test(`fixture ${file} parses`, () => {
    const result = schema.safeParse(JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')));
    assert.ok(result.success, result.success ? '' : JSON.stringify(result.error.issues));
  });
}

test('unknown fields are kept (attrs is the whole API object)', () => {
  const u = User.parse({ id: 'user_1', brand_new_field: { a: 1 } });
  assert.deepEqual((u as Record<string, unknown>).brand_new_field, { a: 1 });
});

test('a mistyped or missing required field fails with its path', () => {
  const bad = User.safeParse({ id: 'user_1', email_addresses: [{ id: 'idn_1', email_address: 42 }] });
  assert.equal(bad.success, false);
  assert.deepEqual(bad.error.issues[0]!.path, ['email_addresses', 0, 'email_address']);
  assert.equal(User.safeParse({ first_name: 'no id' }).success, false);
  assert.equal(OrganizationMembership.safeParse({ id: 'm', public_user_data: { first_name: 'x' } }).success, false);
});
