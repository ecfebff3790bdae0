import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeType } from '../../src/fdw/catalog/index.js';
import { sourcesFor } from '../../src/fdw/clerk/reads.js';
import { planReads, type ForeignTableInfo, type TablePlan } from '../../src/fdw/runtime/pushdown.js';
import { SqlParser } from '../../src/fdw/sql/parser.js';

let parser: SqlParser;
before(async () => {
  parser = await SqlParser.load();
});

function table(schema: string, name: string, object: ForeignTableInfo['object'], columns: string): ForeignTableInfo {
  return {
    schema,
    name,
    object,
    columns: columns.split(',').map((def) => {
      const [column, ...type] = def.trim().split(/\s+/);
      return { name: column!, type: normalizeType(type.join(' ')) };
    }),
  };
}

const USER_COLUMNS = 'user_id text, id text, first_name text, email text, username text, external_id text, phone_numbers bigint';
const TABLES = [
  table('public', 'clerk_users', 'users', `${USER_COLUMNS}, created_at bigint`),
  table('public', 'users_ts', 'users', `${USER_COLUMNS}, created_at timestamptz`),
  table('public', 'users_date', 'users', `${USER_COLUMNS}, created_at date`),
  table('public', 'users_numeric', 'users', `${USER_COLUMNS}, created_at numeric`),
  table('public', 'users_text', 'users', 'user_id varchar(64), email jsonb, created_at text'),
  table('public', 'Clerk Users', 'users', USER_COLUMNS),
  table('public', 'clerk_organizations', 'organizations', 'organization_id text, id text, name text, slug text, created_at bigint'),
  // The seed's query names the memberships table after the object, unlike its DDL.
  table('public', 'organization_memberships', 'organization_memberships', 'user_id text, organization_id text, role text'),
  table('clerk', 'members', 'organization_memberships', 'user_id text, organization_id text, role text'),
  table('public', 'sessions', 'sessions', 'id text, user_id text, client_id text, status text, created_at bigint'),
  table('public', 'sessions_jsonb', 'sessions', 'id text, user_id jsonb, status text'),
  table('public', 'org_domains', 'organization_domains', 'id text, organization_id text, name text, enrollment_mode text'),
  table('public', 'items', 'billing_subscription_items', 'id text, plan_id text, status text'),
];

const lookup = (schema: string | undefined, name: string) => TABLES.find((t) => t.schema === (schema ?? 'public') && t.name === name);

type Expected = Omit<TablePlan, 'table' | 'request'> & { filter: object };

/** The plans of the cell's only statement, by table name. */
function plans(sql: string): Record<string, Expected> {
  const { statements, errors } = parser.parse(sql);
  assert.deepEqual(errors, []);
  const [statement] = statements;
  assert.ok(statement?.ok && statements.length === 1);
  return Object.fromEntries(
    planReads(statement.ast, lookup).map(({ table, request, ...plan }) => {
      assert.equal(request.object, table.object);
      return [table.name, { filter: request.filter ?? {}, ...plan }];
    }),
  );
}

const FULL: Expected = { filter: {}, pushed: [] };
/** Reads nothing: no row can match. */
const nothing = (...pushed: string[]): Expected => ({ filter: {}, maxRows: 0, pushed });
const pushed = (filter: object, ...conditions: string[]): Expected => ({ filter, pushed: conditions });
const limited = (maxRows: number, limit: string): Expected => ({ filter: {}, maxRows, pushed: [limit] });

const DAY = 86_400_000;
const JAN_1 = Date.UTC(2024, 0, 1);
const values150 = Array.from({ length: 150 }, (_, i) => `user_${i}`);

type Case = [title: string, sql: string, expected: Record<string, Expected>];

function cases(title: string, rows: Case[]): void {
  describe(title, () => {
    for (const [name, sql, expected] of rows) test(name, () => assert.deepEqual(plans(sql), expected));
  });
}

cases('users: list filters', [
  ['email =', "select * from clerk_users where email = 'a@b.c'", { clerk_users: pushed({ email_address: ['a@b.c'] }, "email = 'a@b.c'") }],
  ['constant on the left', "select * from clerk_users where 'a@b.c' = email", { clerk_users: pushed({ email_address: ['a@b.c'] }, "email = 'a@b.c'") }],
  ['user_id =', "select * from clerk_users where user_id = 'user_1'", { clerk_users: pushed({ user_id: ['user_1'] }, "user_id = 'user_1'") }],
  ['id IN', "select * from clerk_users where id in ('u1', 'u2', 'u1')", { clerk_users: pushed({ user_id: ['u1', 'u2'] }, "id IN ('u1', 'u2', 'u1')") }],
  [
    'username and external_id',
    "select * from clerk_users where username in ('ann') and external_id = 'x1'",
    {
      clerk_users: pushed({ username: ['ann'], external_id: ['x1'] }, "username IN ('ann')", "external_id = 'x1'"),
    },
  ],
  [
    'several filters at once',
    "select * from clerk_users where email = 'a@b.c' and user_id = 'u1' and created_at > 5",
    {
      clerk_users: pushed({ email_address: ['a@b.c'], user_id: ['u1'], created_at_after: 5 }, "email = 'a@b.c'", "user_id = 'u1'", 'created_at > 5'),
    },
  ],
  [
    'lists on one field intersect',
    "select * from clerk_users where user_id in ('a', 'b', 'c') and user_id in ('c', 'b', 'd') and id = 'c'",
    {
      clerk_users: pushed({ user_id: ['c'] }, "user_id IN ('a', 'b', 'c')", "user_id IN ('c', 'b', 'd')", "id = 'c'"),
    },
  ],
  [
    'nested ANDs and parentheses',
    "select * from clerk_users where (email = 'a' and (username = 'b')) and true",
    {
      clerk_users: pushed({ email_address: ['a'], username: ['b'] }, "email = 'a'", "username = 'b'"),
    },
  ],
  [
    'conditions on other columns are left to Postgres',
    "select * from clerk_users where first_name = 'Ann' and email = 'a'",
    {
      clerk_users: pushed({ email_address: ['a'] }, "email = 'a'"),
    },
  ],
  [
    'IN over 100 values is still one list (the client splits it)',
    `select * from clerk_users where user_id in (${values150.map((v) => `'${v}'`).join(', ')})`,
    {
      clerk_users: pushed({ user_id: values150 }, 'user_id IN (150 values)'),
    },
  ],
]);

cases('literals and casts', [
  [
    "E'' and $$ strings",
    "select * from clerk_users where email = E'o\\'k' and username = $$x$$",
    {
      clerk_users: pushed({ email_address: ["o'k"], username: ['x'] }, "email = 'o''k'", "username = 'x'"),
    },
  ],
  ['the empty string', "select * from clerk_users where email = ''", { clerk_users: pushed({ email_address: [''] }, "email = ''") }],
  [
    'text casts on the constant',
    "select * from clerk_users where email = 'a'::text and username = cast('b' as varchar)",
    {
      clerk_users: pushed({ email_address: ['a'], username: ['b'] }, "email = 'a'", "username = 'b'"),
    },
  ],
  [
    'text casts on the column',
    "select * from clerk_users where email::text = 'a' and username::varchar::text = 'b'",
    {
      clerk_users: pushed({ email_address: ['a'], username: ['b'] }, "email = 'a'", "username = 'b'"),
    },
  ],
  [
    'not casts that truncate or pad',
    "select * from clerk_users where email::varchar(3) = 'abc' and username = 'abcdef'::varchar(3) and user_id::char(5) = 'a'",
    {
      clerk_users: FULL,
    },
  ],
  ['not numbers compared with text', 'select * from clerk_users where user_id = 5::text', { clerk_users: FULL }],
  ['not NULL', 'select * from clerk_users where email = null', { clerk_users: FULL }],
  ['not NULL in an IN list', "select * from clerk_users where user_id in ('a', null)", { clerk_users: FULL }],
  [
    'only text and varchar columns',
    "select * from users_text where user_id = 'u1' and email = '\"a\"' and created_at > '5'",
    {
      users_text: pushed({ user_id: ['u1'] }, "user_id = 'u1'"),
    },
  ],
]);

cases('users: created_at in milliseconds', [
  [
    '>',
    'select * from clerk_users where created_at > 1700000000000',
    { clerk_users: pushed({ created_at_after: 1700000000000 }, 'created_at > 1700000000000') },
  ],
  [
    '>= (Clerk is exclusive)',
    'select * from clerk_users where created_at >= 1700000000000',
    { clerk_users: pushed({ created_at_after: 1699999999999 }, 'created_at >= 1700000000000') },
  ],
  [
    '<',
    'select * from clerk_users where created_at < 1700000000000',
    { clerk_users: pushed({ created_at_before: 1700000000000 }, 'created_at < 1700000000000') },
  ],
  [
    '<=',
    'select * from clerk_users where created_at <= 1700000000000',
    { clerk_users: pushed({ created_at_before: 1700000000001 }, 'created_at <= 1700000000000') },
  ],
  [
    'constant on the left mirrors the operator',
    'select * from clerk_users where 100 < created_at and 200 >= created_at',
    {
      clerk_users: pushed({ created_at_after: 100, created_at_before: 201 }, 'created_at > 100', 'created_at <= 200'),
    },
  ],
  [
    'BETWEEN',
    'select * from clerk_users where created_at between 100 and 200',
    { clerk_users: pushed({ created_at_after: 99, created_at_before: 201 }, 'created_at BETWEEN 100 AND 200') },
  ],
  [
    '= and IN are ranges too',
    'select * from clerk_users where created_at in (300, 100, 200)',
    {
      clerk_users: pushed({ created_at_after: 99, created_at_before: 301 }, 'created_at IN (300, 100, 200)'),
    },
  ],
  [
    'the tightest bounds win',
    'select * from clerk_users where created_at > 100 and created_at >= 300 and created_at < 1000 and created_at <= 500',
    {
      clerk_users: pushed({ created_at_after: 299, created_at_before: 501 }, 'created_at > 100', 'created_at >= 300', 'created_at < 1000', 'created_at <= 500'),
    },
  ],
  [
    'fractions round outwards',
    'select * from users_numeric where created_at > 10.5 and created_at <= 20.5',
    {
      users_numeric: pushed({ created_at_after: 10, created_at_before: 21 }, 'created_at > 10.5', 'created_at <= 20.5'),
    },
  ],
  [
    'big literals come as fval',
    'select * from clerk_users where created_at >= 1.7e12 and created_at < 9007199254740000',
    {
      clerk_users: pushed({ created_at_after: 1699999999999, created_at_before: 9007199254740000 }, 'created_at >= 1.7e12', 'created_at < 9007199254740000'),
    },
  ],
  ['not bounds beyond 2^53', 'select * from clerk_users where created_at < 99999999999999999999', { clerk_users: FULL }],
  ['not bounds that exclude nothing (Clerk would reject them)', 'select * from clerk_users where created_at > -5 and created_at >= 0', { clerk_users: FULL }],
  [
    'numbers as text and numeric casts',
    "select * from clerk_users where created_at > '1700000000000' and created_at < cast('1800000000000' as bigint) and created_at <= 1.9e12::numeric",
    {
      clerk_users: pushed(
        { created_at_after: 1700000000000, created_at_before: 1800000000000 },
        "created_at > '1700000000000'",
        "created_at < '1800000000000'",
        'created_at <= 1.9e12',
      ),
    },
  ],
  [
    'not casts that round',
    'select * from clerk_users where created_at > 1.5::bigint and created_at < 1800000000000::real and created_at < 5::numeric(3, 2)',
    {
      clerk_users: FULL,
    },
  ],
  ['not text that is no number', "select * from clerk_users where created_at > '2024-01-01' and created_at > '1_000'", { clerk_users: FULL }],
  ['not on a column cast', 'select * from clerk_users where created_at::numeric > 5', { clerk_users: FULL }],
]);

cases('users: created_at as a date or timestamp', [
  [
    'ISO date, widened by a day below',
    "select * from users_ts where created_at >= '2024-01-01'",
    { users_ts: pushed({ created_at_after: JAN_1 - DAY }, "created_at >= '2024-01-01'") },
  ],
  [
    'timestamp with a time zone, widened to the next day and one more above',
    "select * from users_ts where created_at < '2024-01-01 23:30:00-08'::timestamptz",
    {
      users_ts: pushed({ created_at_before: JAN_1 + 2 * DAY }, "created_at < '2024-01-01 23:30:00-08'"),
    },
  ],
  [
    'BETWEEN on a date column',
    "select * from users_date where created_at between '2024-01-01'::date and '2024-01-31T12:00Z'",
    {
      users_date: pushed({ created_at_after: JAN_1 - DAY, created_at_before: JAN_1 + 32 * DAY }, "created_at BETWEEN '2024-01-01' AND '2024-01-31T12:00Z'"),
    },
  ],
  [
    'not what Date.parse and Postgres may read differently',
    "select * from users_ts where created_at > '01/02/2024' and created_at > 'yesterday' and created_at < '2024-01-01 BC' and created_at < 'infinity'",
    {
      users_ts: FULL,
    },
  ],
  ['not numbers, not text casts', "select * from users_ts where created_at > 1700000000000 and created_at > '2024-01-01'::text", { users_ts: FULL }],
]);

cases('organizations and memberships', [
  [
    'organization_id =',
    "select * from clerk_organizations where organization_id = 'org_1'",
    { clerk_organizations: pushed({ organization_id: ['org_1'] }, "organization_id = 'org_1'") },
  ],
  [
    'id IN',
    "select * from clerk_organizations where id in ('org_1', 'org_2')",
    { clerk_organizations: pushed({ organization_id: ['org_1', 'org_2'] }, "id IN ('org_1', 'org_2')") },
  ],
  ['nothing else', "select * from clerk_organizations where name = 'Acme' and slug in ('acme') and created_at > 5", { clerk_organizations: FULL }],
  [
    "the seed's query",
    "select * from organization_memberships where organization_id='org_id'",
    {
      organization_memberships: pushed({ organization_id: ['org_id'] }, "organization_id = 'org_id'"),
    },
  ],
  [
    'user_id and role',
    "select * from organization_memberships where user_id = 'u1' and role in ('org:admin', 'org:member')",
    {
      organization_memberships: pushed({ user_id: ['u1'], role: ['org:admin', 'org:member'] }, "user_id = 'u1'", "role IN ('org:admin', 'org:member')"),
    },
  ],
]);

cases('contradictions read nothing (an empty list would read like "no filter")', [
  ['two equalities', "select * from clerk_users where user_id = 'a' and user_id = 'b'", { clerk_users: nothing("user_id = 'a'", "user_id = 'b'") }],
  [
    'disjoint IN lists',
    "select * from organization_memberships where role in ('a') and role in ('b') and user_id = 'u'",
    {
      organization_memberships: nothing("role IN ('a')", "role IN ('b')", "user_id = 'u'"),
    },
  ],
  ['an empty range', 'select * from clerk_users where created_at > 10 and created_at < 11', { clerk_users: nothing('created_at > 10', 'created_at < 11') }],
  ['a reversed BETWEEN', 'select * from clerk_users where created_at between 20 and 10', { clerk_users: nothing('created_at BETWEEN 20 AND 10') }],
]);

cases('names: aliases, schemas, quoting', [
  ['alias', "select * from clerk_users u where u.email = 'x'", { clerk_users: pushed({ email_address: ['x'] }, "email = 'x'") }],
  ['alias, unqualified column', "select * from clerk_users as u where email = 'x'", { clerk_users: pushed({ email_address: ['x'] }, "email = 'x'") }],
  ['table name as qualifier', "select * from clerk_users where clerk_users.email = 'x'", { clerk_users: pushed({ email_address: ['x'] }, "email = 'x'") }],
  ['schema-qualified table', "select * from clerk.members where members.role = 'admin'", { members: pushed({ role: ['admin'] }, "role = 'admin'") }],
  ['schema-qualified column', "select * from clerk.members where clerk.members.role = 'admin'", { members: pushed({ role: ['admin'] }, "role = 'admin'") }],
  [
    'schema-qualified column, table found on the search path',
    "select * from clerk_users where public.clerk_users.email = 'x'",
    {
      clerk_users: pushed({ email_address: ['x'] }, "email = 'x'"),
    },
  ],
  ['not another schema', "select * from clerk_users where other.clerk_users.email = 'x'", { clerk_users: FULL }],
  ['quoted identifiers', `select * from "Clerk Users" where "email" = 'x'`, { 'Clerk Users': pushed({ email_address: ['x'] }, "email = 'x'") }],
  ['quoted identifiers keep their case', `select * from "Clerk Users" c where c."Email" = 'x'`, { 'Clerk Users': FULL }],
  ['unknown table', "select * from local_accounts where email = 'x'", {}],
]);

cases('joins', [
  [
    'WHERE conditions on each side of a join',
    "select * from organization_memberships m join clerk_users u on u.user_id = m.user_id where u.email = 'x' and m.role = 'admin'",
    {
      organization_memberships: pushed({ role: ['admin'] }, "role = 'admin'"),
      clerk_users: pushed({ email_address: ['x'] }, "email = 'x'"),
    },
  ],
  [
    'WHERE on the nullable side of an outer join',
    "select * from organization_memberships m left join clerk_users u on u.user_id = m.user_id where u.email = 'x'",
    {
      organization_memberships: FULL,
      clerk_users: pushed({ email_address: ['x'] }, "email = 'x'"),
    },
  ],
  [
    'not ON conditions',
    "select * from organization_memberships m left join clerk_users u on u.user_id = m.user_id and u.email = 'x' and m.role = 'admin'",
    {
      organization_memberships: FULL,
      clerk_users: FULL,
    },
  ],
  [
    'not unqualified columns when the FROM has several items',
    "select * from organization_memberships m join clerk_users u on true where email = 'x' and role = 'admin'",
    {
      organization_memberships: FULL,
      clerk_users: FULL,
    },
  ],
  ['not unqualified columns next to a local table', "select * from clerk_users, local_accounts where email = 'x'", { clerk_users: FULL }],
  [
    'not through a join alias (it hides the table names)',
    "select * from (clerk_users u join local_accounts l on true) j where u.email = 'x'",
    { clerk_users: FULL },
  ],
  ['not a self-join', "select * from clerk_users a join clerk_users b on a.user_id = b.user_id where a.email = 'x'", { clerk_users: FULL }],
  ['not the same table under two names', "select * from clerk_users, public.clerk_users p where p.email = 'x'", { clerk_users: FULL }],
]);

cases('refusals', [
  ['OR', "select * from clerk_users where email = 'a' or email = 'b'", { clerk_users: FULL }],
  ['AND under OR', "select * from clerk_users where (email = 'a' and username = 'b') or user_id = 'c'", { clerk_users: FULL }],
  ['NOT', "select * from clerk_users where not (email = 'a') and email not in ('b') and created_at not between 1 and 2", { clerk_users: FULL }],
  ['CASE', "select * from clerk_users where case when true then email = 'a' end", { clerk_users: FULL }],
  ['functions on the column', "select * from clerk_users where lower(email) = 'a' and coalesce(user_id, '') = 'b'", { clerk_users: FULL }],
  [
    'non-constants',
    "select * from clerk_users where email = username and user_id = current_user and email = $1 and username = lower('X') and created_at > extract(epoch from now()) * 1000",
    {
      clerk_users: FULL,
    },
  ],
  ['other operators', "select * from clerk_users where email like 'a%' and email <> 'b' and email > 'c' and user_id = any(array['u1'])", { clerk_users: FULL }],
  [
    'a subquery as the constant',
    "select * from clerk_users where user_id = (select 'u1') and user_id in (select user_id from organization_memberships where role = 'admin')",
    {
      clerk_users: FULL,
      organization_memberships: FULL,
    },
  ],
  ['the table in a subquery', "select * from local_accounts where exists (select 1 from clerk_users u where u.email = 'x')", { clerk_users: FULL }],
  ['the table in a subquery in FROM', "select * from (select * from clerk_users where email = 'x') s", { clerk_users: FULL }],
  [
    'a CTE reading the table, then the table again',
    "with a as (select * from clerk_users) select * from clerk_users where email = 'x' union all select * from a",
    {
      clerk_users: FULL,
    },
  ],
  ['the table only in a CTE', "with a as (select * from clerk_users where email = 'x') select * from a", { clerk_users: FULL }],
  ['a CTE named like the table', "with clerk_users as (select * from public.clerk_users) select * from clerk_users where email = 'x'", { clerk_users: FULL }],
]);

cases('statements', [
  [
    'INSERT ... SELECT',
    "insert into local_accounts select * from clerk_users where email = 'x'",
    { clerk_users: pushed({ email_address: ['x'] }, "email = 'x'") },
  ],
  ['CREATE TABLE AS', "create table t as select * from clerk_users where email = 'x'", { clerk_users: pushed({ email_address: ['x'] }, "email = 'x'") }],
  ['SELECT INTO', "select * into t from clerk_users where email = 'x'", { clerk_users: pushed({ email_address: ['x'] }, "email = 'x'") }],
  ['EXPLAIN ANALYZE', "explain analyze select * from clerk_users where email = 'x'", { clerk_users: pushed({ email_address: ['x'] }, "email = 'x'") }],
  ['COPY (SELECT) TO', "copy (select * from clerk_users where email = 'x') to stdout", { clerk_users: pushed({ email_address: ['x'] }, "email = 'x'") }],
  [
    'each operand of a UNION',
    "select user_id from clerk_users where email = 'a' union select user_id from organization_memberships where role = 'admin'",
    {
      clerk_users: pushed({ email_address: ['a'] }, "email = 'a'"),
      organization_memberships: pushed({ role: ['admin'] }, "role = 'admin'"),
    },
  ],
  [
    'with a WITH clause',
    "with x as (select 1) insert into t select * from clerk_users where email = 'x'",
    { clerk_users: pushed({ email_address: ['x'] }, "email = 'x'") },
  ],
  ['not CREATE VIEW (it reads nothing now)', "create view v as select * from clerk_users where email = 'x'", { clerk_users: FULL }],
  ['not DELETE ... USING', "delete from local_accounts using clerk_users u where u.email = 'x'", { clerk_users: FULL }],
  ['every foreign table read, once', 'select * from clerk_users, clerk_organizations, local_accounts', { clerk_users: FULL, clerk_organizations: FULL }],
]);

cases('LIMIT', [
  ['LIMIT', 'select * from clerk_users limit 10', { clerk_users: limited(10, 'LIMIT 10') }],
  ['LIMIT with OFFSET', 'select * from clerk_users limit 10 offset 5', { clerk_users: limited(15, 'LIMIT 10 OFFSET 5') }],
  ['LIMIT 0', 'select * from clerk_users limit 0', { clerk_users: limited(0, 'LIMIT 0') }],
  ['FETCH FIRST', 'select * from clerk_users u fetch first 3 rows only', { clerk_users: limited(3, 'LIMIT 3') }],
  [
    'scalar functions in the target list',
    'select lower(email), upper(username) || user_id, created_at + 1 from clerk_users limit 5',
    { clerk_users: limited(5, 'LIMIT 5') },
  ],
  ['INSERT ... SELECT ... LIMIT', 'insert into t select * from clerk_users limit 5', { clerk_users: limited(5, 'LIMIT 5') }],
  [
    'an operand of a UNION with its own LIMIT',
    '(select user_id from clerk_users limit 3) union all select user_id from organization_memberships',
    {
      clerk_users: limited(3, 'LIMIT 3'),
      organization_memberships: FULL,
    },
  ],
  ['LIMIT ALL / NULL is no limit', 'select * from clerk_users limit all', { clerk_users: FULL }],
  ['LIMIT NULL OFFSET 5 is no limit', 'select * from clerk_users limit null offset 5', { clerk_users: FULL }],
  ['not with ORDER BY', 'select * from clerk_users order by created_at limit 10', { clerk_users: FULL }],
  [
    'not with WHERE (the WHERE is pushed)',
    "select * from clerk_users where email = 'x' limit 10",
    { clerk_users: pushed({ email_address: ['x'] }, "email = 'x'") },
  ],
  ['not with WHERE, even one that is not pushed', "select * from clerk_users where first_name = 'x' limit 10", { clerk_users: FULL }],
  ['not with GROUP BY', 'select 1 from clerk_users group by email limit 1', { clerk_users: FULL }],
  ['not with HAVING', 'select 1 from clerk_users having true limit 1', { clerk_users: FULL }],
  ['not with DISTINCT', 'select distinct email from clerk_users limit 1', { clerk_users: FULL }],
  ['not with DISTINCT ON', 'select distinct on (email) * from clerk_users limit 1', { clerk_users: FULL }],
  ['not with an aggregate', 'select count(*) from clerk_users limit 1', { clerk_users: FULL }],
  ['not with an aggregate in a subquery', 'select (select max(u.created_at)) from clerk_users u limit 1', { clerk_users: FULL }],
  ['not with a window function', 'select row_number() over () from clerk_users limit 1', { clerk_users: FULL }],
  ['not with a function that may return no rows', "select jsonb_array_elements('[]') from clerk_users limit 1", { clerk_users: FULL }],
  ['not with a join', 'select * from clerk_users, local_accounts limit 1', { clerk_users: FULL }],
  [
    'not over a UNION',
    'select user_id from clerk_users union all select user_id from organization_memberships limit 5',
    {
      clerk_users: FULL,
      organization_memberships: FULL,
    },
  ],
  ['not a non-constant count', 'select * from clerk_users limit 5 + 1', { clerk_users: FULL }],
  ['not a non-constant offset', 'select * from clerk_users limit 5 offset $1', { clerk_users: FULL }],
  ['not a fractional count', 'select * from clerk_users limit 2.5', { clerk_users: FULL }],
  ['not in a subquery', 'select * from (select * from clerk_users limit 5) s', { clerk_users: FULL }],
]);

const keysFrom = (param: string, relation: { schema?: string; name: string }, otherColumn: string, text: string) => ({ param, relation, otherColumn, text });

cases('lists that need keys (sessions: user_id or client_id)', [
  [
    'a user_id condition is pushed',
    "select * from sessions where user_id in ('u1', 'u2') and status = 'active'",
    { sessions: pushed({ user_id: ['u1', 'u2'], status: ['active'] }, "user_id IN ('u1', 'u2')", "status = 'active'") },
  ],
  ['client_id alone is a key', "select * from sessions where client_id = 'c1'", { sessions: pushed({ client_id: ['c1'] }, "client_id = 'c1'") }],
  [
    'status alone is not: no keys, no join',
    "select * from sessions where status = 'active'",
    { sessions: pushed({ status: ['active'] }, "status = 'active'") },
  ],
  [
    'keys from a join: ON, either side',
    "select * from clerk_users u join sessions s on u.id = s.user_id where u.email = 'a@b.c'",
    {
      clerk_users: pushed({ email_address: ['a@b.c'] }, "u.email = 'a@b.c'".replace('u.', '')),
      sessions: { filter: {}, pushed: [], keysFrom: keysFrom('user_id', { name: 'clerk_users' }, 'id', 's.user_id = u.id') },
    },
  ],
  [
    'keys from a join: WHERE, qualified by schema',
    'select * from sessions s, clerk.members m where s.user_id = m.user_id',
    {
      members: FULL,
      sessions: { filter: {}, pushed: [], keysFrom: keysFrom('user_id', { schema: 'clerk', name: 'members' }, 'user_id', 's.user_id = m.user_id') },
    },
  ],
  [
    'keys from the preserved side of a LEFT JOIN',
    'select * from clerk_users u left join sessions s on s.user_id = u.user_id',
    { clerk_users: FULL, sessions: { filter: {}, pushed: [], keysFrom: keysFrom('user_id', { name: 'clerk_users' }, 'user_id', 's.user_id = u.user_id') } },
  ],
  ['none when sessions are the preserved side', 'select * from sessions s left join clerk_users u on s.user_id = u.id', { clerk_users: FULL, sessions: FULL }],
  ['none from a FULL JOIN', 'select * from sessions s full join clerk_users u on s.user_id = u.id', { clerk_users: FULL, sessions: FULL }],
  ['none from a non-equality', 'select * from sessions s join clerk_users u on s.user_id > u.id', { clerk_users: FULL, sessions: FULL }],
  ['none from a column that is not a key', 'select * from sessions s join clerk_users u on s.id = u.id', { clerk_users: FULL, sessions: FULL }],
  ['none from a key declared jsonb', 'select * from sessions_jsonb s join clerk_users u on s.user_id = u.id', { clerk_users: FULL, sessions_jsonb: FULL }],
  [
    'none from a WITH query',
    'with u as (select id from clerk_users) select * from sessions s join u on s.user_id = u.id',
    { clerk_users: FULL, sessions: FULL },
  ],
  [
    'a condition on the key wins over the join',
    "select * from sessions s join clerk_users u on s.user_id = u.id where s.user_id = 'u1'",
    { clerk_users: FULL, sessions: pushed({ user_id: ['u1'] }, "s.user_id = 'u1'".replace('s.', '')) },
  ],
  [
    'a contradiction reads nothing, keys or not',
    "select * from sessions where user_id = 'a' and user_id = 'b'",
    { sessions: nothing("user_id = 'a'", "user_id = 'b'") },
  ],
]);

cases('other listed objects', [
  [
    'organization domains: list filters ride along',
    "select * from org_domains where organization_id in ('org_1', 'org_2') and name = 'acme.com' and enrollment_mode = 'automatic_invitation'",
    {
      org_domains: pushed(
        { organization_id: ['org_1', 'org_2'], domains: ['acme.com'], enrollment_mode: ['automatic_invitation'] },
        "organization_id IN ('org_1', 'org_2')",
        "name = 'acme.com'",
        "enrollment_mode = 'automatic_invitation'",
      ),
    },
  ],
  [
    'subscription items: plan_id, not status (its filter means something else)',
    "select * from items where plan_id = 'cplan_1' and status = 'active'",
    { items: pushed({ plan_id: ['cplan_1'] }, "plan_id = 'cplan_1'") },
  ],
]);

test('listed objects become requests: one per value of a one-value filter, combined; list filters in one; include_free always', () => {
  const requests = (req: Parameters<typeof sourcesFor>[0]) => sourcesFor(req).map((s) => ({ path: s.path, ...s.query }));
  assert.deepEqual(requests({ object: 'sessions', filter: { user_id: ['u1', 'u2', 'u1'], status: ['active', 'ended'] } }), [
    { path: 'sessions', order_by: undefined, user_id: 'u1', status: 'active' },
    { path: 'sessions', order_by: undefined, user_id: 'u1', status: 'ended' },
    { path: 'sessions', order_by: undefined, user_id: 'u2', status: 'active' },
    { path: 'sessions', order_by: undefined, user_id: 'u2', status: 'ended' },
  ]);
  assert.deepEqual(requests({ object: 'organization_domains', filter: { organization_id: ['o1', 'o2'] } }), [
    { path: 'organization_domains', order_by: '+created_at', organization_id: ['o1', 'o2'] },
  ]);
  assert.deepEqual(requests({ object: 'billing_subscription_items' }), [{ path: 'billing/subscription_items', include_free: true, order_by: undefined }]);
  assert.deepEqual(
    sourcesFor({ object: 'domains' }).map((s) => s.unpaged),
    [true],
  );
});

test('plans feed the client: a long list becomes several requests', () => {
  const sql = `select * from clerk_users where user_id in (${values150.map((v) => `'${v}'`).join(', ')})`;
  const [plan] = planReads(statementAst(sql), lookup);
  assert.deepEqual(
    sourcesFor(plan!.request).map((s) => (s.query.user_id as string[]).length),
    [100, 50],
  );
});

function statementAst(sql: string) {
  const [statement] = parser.parse(sql).statements;
  assert.ok(statement?.ok);
  return statement.ast;
}
