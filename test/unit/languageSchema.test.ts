// The language server with the database a notebook runs on: a schema snapshot read from a real
// PostgreSQL server (a throwaway cluster), given to the analyzer as the server gets it. Completion
// offers the database's tables and columns, hover gives their types, and an unknown table or
// column is an error only when the snapshot is sure of it; without a snapshot nothing changes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { PostgresEngine } from '../../src/fdw/db/postgres.js';
import { readSchemaSnapshot, type SchemaSnapshot } from '../../src/fdw/db/schemaSnapshot.js';
import { SqlParser } from '../../src/fdw/sql/parser.js';
import { NotebookAnalyzer } from '../../src/language/analysis/analyze.js';
import { actionsAt } from '../../src/language/analysis/codeActions.js';
import { completeAt } from '../../src/language/analysis/completion.js';
import { DatabaseSchema } from '../../src/language/analysis/database.js';
import { hoverAt } from '../../src/language/analysis/hover.js';
import { Severity, type AnalysisDiagnostic } from '../../src/language/analysis/model.js';
import { startPostgresCluster, type PostgresCluster } from '../helpers/postgresCluster.js';

const DDL = `
  create table accounts (account_id bigint primary key, owner_user_id text not null, plan text);
  create view big_accounts as select account_id, plan from accounts;
  create schema billing;
  create table billing.invoices (invoice_id int, account_id bigint);
  create table "Mixed" (x int);
  create function full_name(accounts) returns text language sql as 'select $1.owner_user_id';
`;

const SETUP = [
  'create foreign data wrapper clerk_wrapper handler clerk_fdw_handler validator clerk_fdw_validator;',
  "create server clerk_server foreign data wrapper clerk_wrapper options (api_url 'simulator:?users=10');",
  "create foreign table clerk_users (user_id text, email text) server clerk_server options (object 'users');",
];

let cluster: PostgresCluster;
let analyzer: NotebookAnalyzer;
let snapshot: SchemaSnapshot;
let database: DatabaseSchema;
before(async () => {
  [cluster, analyzer] = await Promise.all([startPostgresCluster(), SqlParser.load().then((parser) => new NotebookAnalyzer(parser))]);
  const client = new pg.Client({ connectionString: cluster.url });
  await client.connect();
  await client.query(DDL);
  await client.end();
  const engine = await PostgresEngine.connect({ url: cluster.url });
  snapshot = await readSchemaSnapshot(engine, 'postgres://app@db:5432/app');
  await engine.close();
  database = new DatabaseSchema(snapshot);
});
after(async () => {
  await cluster?.stop();
});

const brief = (d: AnalysisDiagnostic) => ({ code: d.code, message: d.message.split('\n')[0], severity: d.severity });

// `db`: the database (by default the cluster's), or null for none (the embedded kernel).

/** Diagnostics of the last cell. */
function check(cells: string[], db: DatabaseSchema | null = database): AnalysisDiagnostic[] {
  return analyzer.analyze(cells, db ?? undefined).cells.at(-1)!.diagnostics;
}

function hover(cells: string[], needle: string, db: DatabaseSchema | null = database): string | undefined {
  const text = cells.at(-1)!;
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, needle);
  return hoverAt(analyzer.analyze(cells, db ?? undefined).cells.at(-1)!, offset + 1)?.markdown;
}

function labels(cells: string[], db: DatabaseSchema | null = database, offset?: number): string[] {
  const text = cells.at(-1)!;
  const scope = analyzer.analyze(cells, db ?? undefined).cells.at(-1)!.scope;
  return completeAt(text, offset ?? text.length, scope).map((e) => e.label);
}

test('without a snapshot (the embedded kernel) nothing is known of the database: as before', () => {
  assert.deepEqual(check(['select nope from accounts'], null).map(brief), [
    { code: 'undefined-relation', message: 'relation "accounts" is not created in this notebook', severity: Severity.Warning },
  ]);
  assert.equal(hover(['select owner_user_id from accounts'], 'owner_user_id', null), undefined);
  assert.ok(!labels(['select ow'], null).includes('owner_user_id'));
  assert.ok(!labels(['select * from '], null).includes('accounts'));
});

test("the database's tables and views are known: no warning, and hover gives their columns' types", () => {
  assert.deepEqual(check(['select a.account_id, owner_user_id, plan from accounts a join big_accounts b using (account_id)']), []);
  assert.deepEqual(check([...SETUP, 'select u.email, a.plan from accounts a join clerk_users u on u.user_id = a.owner_user_id']), []);
  assert.deepEqual(check(['select * from billing.invoices', 'select x from "Mixed"', 'insert into accounts values (1, $$u$$)']), []);
  const column = hover(['select owner_user_id from accounts'], 'owner_user_id')!;
  assert.match(column, /^`accounts\.owner_user_id text` not null/);
  assert.match(column, /table `public\.accounts` in postgres:\/\/app@db:5432\/app/);
  assert.match(hover(['select a.plan from accounts a'], 'plan')!, /^`accounts\.plan text`\n/);
  assert.match(hover(['select * from accounts'], 'accounts')!, /^\*\*Table `public\.accounts`\*\*[\s\S]*`owner_user_id text`/);
  assert.match(hover(['select * from billing.invoices'], 'invoices')!, /^\*\*Table `billing\.invoices`\*\*/);
});

test('an unknown table is an error when the database surely has none, with the closest name and a fix', () => {
  const cell = 'select * from acounts';
  const [unknown, ...rest] = check([cell]);
  assert.deepEqual(rest, []);
  assert.deepEqual(brief(unknown!), { code: '42P01', message: 'relation "acounts" does not exist', severity: Severity.Error });
  assert.deepEqual(unknown!.range, { start: { line: 0, character: 14 }, end: { line: 0, character: 21 } });
  assert.match(unknown!.message, /Did you mean "accounts"\?/);
  assert.match(unknown!.message, /postgres:\/\/app@db:5432\/app has no table, view or other relation of that name in the search path \(public\)/);
  const [fix] = actionsAt(analyzer.analyze([cell], database).cells[0]!, unknown!.range);
  assert.ok(fix && 'edit' in fix);
  assert.equal(fix.edit.newText, 'accounts');
  // In a schema the search path does not reach: said so, and written qualified by the fix.
  const [offPath] = check(['select * from invoices']);
  assert.match(offPath!.message, /^relation "invoices" does not exist\nThere is table billing\.invoices, in a schema the search path does not reach/);
  assert.deepEqual(offPath!.fixes, [{ kind: 'replace', text: 'billing.invoices', title: 'Change to billing.invoices' }]);
  const [qualified] = check(['select * from billing.invoice']);
  assert.equal(brief(qualified!).message, 'relation "billing.invoice" does not exist');
  assert.deepEqual(qualified!.fixes, [{ kind: 'replace', text: 'billing.invoices', title: 'Change to billing.invoices' }]);
  // Written targets of data statements are checked too.
  assert.deepEqual(
    check(['insert into acounts values (1)', 'delete from big_acounts']).map((d) => d.code),
    ['42P01'],
  );
  assert.deepEqual(
    check(['update acounts set plan = null']).map((d) => d.code),
    ['42P01'],
  );
});

test('an unknown column of a database table is an error, with the closest column', () => {
  const [column] = check(['select owner_userid from accounts']);
  assert.deepEqual(brief(column!), { code: '42703', message: 'column "owner_userid" does not exist', severity: Severity.Error });
  assert.match(column!.message, /Did you mean "owner_user_id"\? Columns of table public\.accounts: account_id, owner_user_id, plan\./);
  assert.deepEqual(check(['select a.plann from accounts a']).map(brief), [
    { code: '42703', message: 'column a.plann does not exist', severity: Severity.Error },
  ]);
  assert.deepEqual(
    check(['select i.total from billing.invoices i']).map((d) => d.code),
    ['42703'],
  );
  // An enclosing query's table may provide it: unknown columns there are not said.
  assert.deepEqual(check(['select * from accounts a where exists (select 1 from big_accounts where owner_user_id = a.owner_user_id)']), []);
});

test('nothing is said when unsure: names the notebook defines, what it changes, functions, system catalogs', () => {
  const silent = (cells: string[]) => assert.deepEqual(check(cells).map(brief), [], cells.at(-1));
  // Defined by a cell before, or in the statement: tables, views, CTEs, temporary tables, aliases.
  silent(['create table acounts (id int)', 'select nope from acounts']);
  silent(['create temporary table scratch as select 1 as n', 'select * from scratch']);
  silent(['create view v as select 1 as n;\nselect n, m from v']);
  silent(['with acounts as (select 1 as n) select n from acounts']);
  silent(['select x.nope from (select 1) as x']);
  silent(['select a.x from accounts as a(x, y, z)']);
  // Changed by a cell before: altered, renamed or dropped tables; the search path; a DO block.
  silent(['alter table accounts add column extra int', 'select extra from accounts']);
  silent(['alter table accounts rename to customers', 'select * from customers']);
  silent(['drop table accounts', 'create table accounts (other int)', 'select other from accounts']);
  silent(['set search_path = billing', 'select * from invoices, nowhere']);
  silent(['do $$ begin create table made_inside (a int); end $$', 'select * from made_inside']);
  // `row.name` may call a function of the row (Postgres's functional notation).
  silent(['select a.full_name, a.row_to_json, a.num_nonnulls from accounts a']);
  // Statements that need not find their table, schemas the snapshot did not read, other databases.
  silent(['alter table if exists acounts add column x int', 'create index on acounts (x)', 'drop table if exists acounts']);
  silent(['select * from nosuchschema.t, otherdb.public.t']);
  // System catalogs and functions are never checked.
  silent(['select relname, nope from pg_class, pg_catalog.pg_nope, information_schema.nope where now() > nope_fn()']);
  // After the search path changes, a qualified name is still sure.
  assert.deepEqual(
    check(['set search_path = billing', 'select * from public.acounts']).map((d) => d.code),
    ['42P01'],
  );
});

test('a partial snapshot says no name is unknown; hover and completion still use it', () => {
  const partial = new DatabaseSchema({ ...snapshot, partial: true });
  assert.deepEqual(check(['select nope from acounts, accounts'], partial), []);
  assert.deepEqual(check(['select owner_userid from accounts'], partial), []);
  assert.match(hover(['select owner_user_id from accounts'], 'owner_user_id', partial)!, /accounts\.owner_user_id text/);
  assert.ok(labels(['select * from '], partial).includes('accounts'));
});

test("the shared catalog's Clerk tables are known without the notebook's setup cells; their columns are not checked", () => {
  const shared = new DatabaseSchema({
    ...snapshot,
    relations: [
      ...snapshot.relations,
      {
        schema: 'pg_temp',
        name: 'clerk_users',
        kind: 'Clerk foreign table',
        columns: [{ name: 'email', type: 'text', nullable: true }],
      },
    ],
  });
  assert.deepEqual(check(['select email, nope from clerk_users'], shared), []);
  assert.match(hover(['select email from clerk_users'], 'email', shared)!, /`clerk_users\.email text`/);
  // The notebook's own definition comes first, and is checked as before.
  assert.deepEqual(
    check([...SETUP, 'select emial from clerk_users'], shared).map((d) => d.code),
    ['42703'],
  );
});

test("completion: the database's tables after FROM (qualified off the search path), their columns in the select list", () => {
  const tables = labels(['select * from ']);
  for (const name of ['accounts', 'big_accounts', 'billing.invoices', '"Mixed"']) assert.ok(tables.includes(name), `${name} in ${tables.join()}`);
  assert.ok(!tables.includes('invoices'));
  assert.deepEqual(labels(['select * from billing.']), ['invoices']);
  // Before the FROM is written: the columns of the tables an unqualified name finds.
  const early = labels(['select ow']);
  assert.ok(early.includes('owner_user_id'), early.join());
  assert.ok(!early.includes('invoice_id'), 'billing is off the search path');
  // With the FROM written: its table's columns, by alias too.
  assert.deepEqual(labels(['select  from accounts'], database, 7).slice(0, 3), ['account_id', 'owner_user_id', 'plan']);
  assert.deepEqual(labels(['select a. from accounts a'], database, 9), ['account_id', 'owner_user_id', 'plan']);
  assert.deepEqual(labels(['select i. from billing.invoices i'], database, 9), ['invoice_id', 'account_id']);
  const entries = completeAt('select ow', 9, analyzer.analyze(['select ow'], database).cells[0]!.scope);
  assert.equal(entries.find((e) => e.label === 'owner_user_id')?.detail, 'text — accounts');
});
