// The COPY text the catalog writes, loaded by a real Postgres (PGlite): every column of every
// object, as every allowed type, from Clerk's fixtures and from arbitrary objects, must load,
// and read back exactly as Postgres reads the converter's value when it is given directly.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PGlite } from '@electric-sql/pglite';
import { objectSchemas, type ClerkObject, type ClerkObjectName, type Invitation } from '../../src/fdw/clerk/schemas.js';
import {
  CLERK_OBJECTS,
  COPY_OPTIONS,
  allowedTypes,
  columnsOf,
  compileCopyRow,
  converterFor,
  formatType,
  normalizeType,
  type DeclaredColumn,
} from '../../src/fdw/catalog/index.js';
import {
  arbitraryFor,
  membershipFixture,
  membershipsListFixture,
  organizationFixture,
  organizationsListFixture,
  userFixture,
  usersListFixture,
  webhookExample,
  wellFormed,
} from './catalogHelpers.js';
import { Dataset } from '../../src/fdw/simulator/dataset.js';

let pg: PGlite;
before(async () => {
  pg = await PGlite.create();
});
after(async () => {
  await pg.close();
});

/** The invitation of the webhook spec's waitlistEntry.updated example (openapi-webhooks-2025-04-15.yml). */
const WEBHOOK_INVITATION: Invitation = {
  object: 'invitation',
  id: 'inv_2g7np7Hrk0SN6kj5EDMLDaKNL0S',
  email_address: 'john.doe@example.com',
  status: 'pending',
  created_at: 1716883500000,
  updated_at: 1716883500000,
};

const dataset = new Dataset({ seed: 3, users: 400 });
const simulated = {
  sessions: () => Array.from({ length: 30 }, (_, u) => dataset.sessionRows.of(u)).flat(),
  configuration: dataset.configuration,
  billing: dataset.billing,
};

const FIXTURES: Record<ClerkObjectName, () => ClerkObject[]> = {
  users: () => [
    userFixture('user--node-sdk-getUser'),
    userFixture('user--webhook-spec-user.updated.data'),
    ...usersListFixture('users-list--supabase-wrappers-wasm-mock-server'),
    ...usersListFixture('users-list--go-sdk-v2-minimal'),
  ],
  organizations: () => [
    organizationFixture('organization--go-sdk-v1-dummyOrganizationJson'),
    ...organizationsListFixture('organizations-list--go-sdk-v2-minimal-no-created_by'),
  ],
  organization_memberships: () => [
    membershipFixture('organization-membership--webhook-spec-organizationMembership.created.data'),
    ...membershipsListFixture('user-organization-memberships-list--js-backend-factory-test-minimal'),
  ],
  invitations: () => [
    WEBHOOK_INVITATION,
    // Every field of the 2026-05-12 spec's Invitation, one that never expires.
    {
      object: 'invitation',
      id: 'inv_2h1Yq3a7LxP0cWbT9Ks5mNdRf4E',
      email_address: 'jane.roe@example.com',
      public_metadata: { role: 'admin' },
      revoked: true,
      status: 'revoked',
      url: 'https://accounts.example.com/sign-up?__clerk_ticket=abc',
      expires_at: null,
      created_at: 1716883500000,
      updated_at: 1716969900000,
    },
  ],
  organization_invitations: () => [
    // The webhook spec's organizationInvitation.created example (openapi-webhooks-2025-04-15.yml).
    {
      object: 'organization_invitation',
      id: 'orginv_2g7np7Hrk0SN6kj5EDMLDaKNL0S',
      email_address: 'jane.doe@acme.com',
      role: 'org:member',
      role_name: 'Member',
      organization_id: 'org_2g7np7Hrk0SN6kj5EDMLDaKNL0S',
      status: 'pending',
      public_metadata: {},
      private_metadata: {},
      url: 'https://accounts.acme.com/accept-invitation?token=abc123',
      expires_at: 1717487999000,
      created_at: 1716883200000,
      updated_at: 1716883200000,
    },
  ],
  // The examples of the webhook spec (openapi-webhooks-2025-04-15.yml, waitlistEntry.created and .updated).
  waitlist_entries: () => [
    {
      object: 'waitlistEntry',
      id: 'wle_2g7np7Hrk0SN6kj5EDMLDaKNL0S',
      email_address: 'john.doe@example.com',
      status: 'pending',
      is_locked: false,
      created_at: 1716883200000,
      updated_at: 1716883200000,
      invitation: null,
    },
    {
      object: 'waitlistEntry',
      id: 'wle_2g7np7Hrk0SN6kj5EDMLDaKNL0S',
      email_address: 'john.doe@example.com',
      status: 'invited',
      is_locked: false,
      created_at: 1716883200000,
      updated_at: 1716883500000,
      invitation: WEBHOOK_INVITATION,
    },
  ],
  // Clerk's webhook examples where there are some, else (and besides) the simulator's objects, valid against the 2026-05-12 spec.
  sessions: () => [webhookExample('session.created', 'sessions'), webhookExample('session.revoked', 'sessions'), ...simulated.sessions()],
  organization_domains: () => [webhookExample('organizationDomain.created', 'organization_domains'), ...simulated.configuration.allOrganizationDomains()],
  organization_roles: () => [webhookExample('role.created', 'organization_roles'), ...simulated.configuration.allOrganizationRoles()],
  organization_permissions: () => [webhookExample('permission.created', 'organization_permissions'), ...simulated.configuration.allOrganizationPermissions()],
  role_sets: () => simulated.configuration.allRoleSets(),
  domains: () => simulated.configuration.allDomains(),
  allowlist_identifiers: () => simulated.configuration.allAllowlistIdentifiers(),
  blocklist_identifiers: () => simulated.configuration.allBlocklistIdentifiers(),
  oauth_applications: () => simulated.configuration.allOauthApplications(),
  saml_connections: () => simulated.configuration.allSamlConnections(),
  enterprise_connections: () => simulated.configuration.allEnterpriseConnections(),
  billing_plans: () => simulated.billing.allPlans(),
  billing_subscription_items: () => [
    webhookExample('subscriptionItem.active', 'billing_subscription_items'),
    webhookExample('subscriptionItem.canceled', 'billing_subscription_items'),
    ...simulated.billing.allSubscriptionItems().slice(0, 40),
  ],
  billing_statements: () => simulated.billing.allStatements().slice(0, 40),
};

// Types narrower than the data by design: Postgres itself rejects an out-of-range value
// with a clear error (checked below), so the arbitrary data is not loaded into them.
const NARROW = new Set(['int2', 'int4', 'float4']);

/** Tables that together declare every column as every allowed type: table k uses each column's k-th type. */
function tablesFor(object: ClerkObjectName): DeclaredColumn[][] {
  const tables: DeclaredColumn[][] = [];
  for (const column of columnsOf(object)) {
    allowedTypes(column)
      .filter((type) => !NARROW.has(type.name))
      .forEach((type, k) => (tables[k] ??= []).push({ name: column.name, type }));
  }
  return tables;
}

/** What Postgres should hold: the converter's value, as COPY writes it. */
function expectedValues(object: ClerkObjectName, columns: readonly DeclaredColumn[], obj: ClerkObject): (string | null)[] {
  return columns.map(({ name, type }) => {
    const lookup = converterFor(object, name, type);
    assert.ok(lookup.ok);
    const value = lookup.conversion.convert(obj);
    return value === null ? null : wellFormed(value);
  });
}

async function roundTrip(object: ClerkObjectName, columns: readonly DeclaredColumn[], objects: readonly ClerkObject[], name: string) {
  const ddl = columns.map((c, i) => `c${i} ${formatType(c.type)}`).join(', ');
  const list = columns.map((_, i) => `c${i}`).join(', ');
  await pg.exec(`create table ${name}_loaded (n serial, ${ddl}); create table ${name}_given (n serial, ${ddl});`);
  const row = compileCopyRow(object, columns);
  await pg.query(`copy ${name}_loaded (${list}) from '/dev/blob' ${COPY_OPTIONS}`, [], { blob: new Blob(objects.map(row)) });
  const tuples = objects.map((_, r) => `(${columns.map((c, i) => `$${r * columns.length + i + 1}::${formatType(c.type)}`).join(', ')})`);
  const values = objects.flatMap((obj) => expectedValues(object, columns, obj));
  await pg.query(`insert into ${name}_given (${list}) values ${tuples.join(', ')}`, values);
  const asText = columns.map((_, i) => `c${i}::text`).join(', ');
  const read = async (table: string) => (await pg.query(`select ${asText} from ${table} order by n`, [], { rowMode: 'array' })).rows;
  assert.deepEqual(await read(`${name}_loaded`), await read(`${name}_given`));
  await pg.exec(`drop table ${name}_loaded; drop table ${name}_given;`);
}

for (const object of CLERK_OBJECTS) {
  test(`${object}: every column as every allowed type loads and reads back (fixtures and arbitrary objects)`, async () => {
    // Timestamps and counts in realistic ranges, inside Postgres's timestamp range.
    const arbitrary = fc.sample(arbitraryFor(objectSchemas[object], fc.integer({ min: -1e13, max: 1e13 })), { numRuns: 60, seed: 42 });
    const objects = [...FIXTURES[object](), ...(arbitrary as ClerkObject[])];
    const tables = tablesFor(object);
    assert.ok(tables.length >= 5);
    for (const [k, columns] of tables.entries()) await roundTrip(object, columns, objects, `${object}_${k}`);
  });
}

test('timestamps mean the same instant in Postgres, in any session time zone', async () => {
  await pg.exec("set timezone = 'America/Los_Angeles'");
  const columns = ['bigint', 'timestamptz', 'timestamp', 'date'].map((type) => ({ name: 'created_at', type: normalizeType(type) }));
  await pg.exec('create table ts (ms bigint, tz timestamptz, local timestamp, day date)');
  const rows = [1716883200000, 0, -1, 253402300800000, -62135596800001, -210000000000000, 9_000_000_000_000_000].map(
    (ms) => columns.map((c) => compileCopyRow('users', [c])({ id: 'u', created_at: ms }).slice(0, -1)).join('\t') + '\n',
  );
  await pg.query(`copy ts from '/dev/blob' ${COPY_OPTIONS}`, [], { blob: new Blob(rows) });
  const result = await pg.query<{ same: boolean; day_ok: boolean; local_ok: boolean }>(
    `select (extract(epoch from tz) * 1000)::bigint = ms as same,
            day = (tz at time zone 'UTC')::date as day_ok,
            local = tz at time zone 'UTC' as local_ok
       from ts`,
  );
  assert.equal(result.rows.length, 7);
  for (const row of result.rows) assert.deepEqual(row, { same: true, day_ok: true, local_ok: true });
  await pg.exec('reset timezone; drop table ts');
});

test('an out-of-range value for a narrow declared type is a Postgres error, not a wrong number', async () => {
  await pg.exec('create table narrow (n smallint)');
  const row = compileCopyRow('organizations', [{ name: 'members_count', type: normalizeType('smallint') }]);
  await assert.rejects(
    pg.query(`copy narrow from '/dev/blob' ${COPY_OPTIONS}`, [], { blob: new Blob([row({ id: 'o', members_count: 40_000 })]) }),
    /out of range for type smallint/,
  );
  await pg.exec('drop table narrow');
});
