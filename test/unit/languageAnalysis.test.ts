import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SqlParser } from '../../src/fdw/sql/parser.js';
import { cellsForRun } from '../../src/notebook/format.js';
import { NotebookAnalyzer } from '../../src/language/analysis/analyze.js';
import { Severity, type AnalysisDiagnostic, type Range } from '../../src/language/analysis/model.js';

let analyzer: NotebookAnalyzer;
before(async () => {
  analyzer = new NotebookAnalyzer(await SqlParser.load());
});

const SETUP = [
  'create foreign data wrapper clerk_wrapper handler clerk_fdw_handler validator clerk_fdw_validator;',
  "create server clerk_server foreign data wrapper clerk_wrapper options (api_key '<clerk secret Key>');",
  [
    "create foreign table clerk_users (user_id text, email text, created_at bigint) server clerk_server options (object 'users');",
    "create foreign table clerk_organizations (organization_id text, name text) server clerk_server options (object 'organizations');",
    "create foreign table clerk_organization_memberships (user_id text, organization_id text, role text) server clerk_server options (object 'organization_memberships');",
  ].join('\n'),
];

/** The range of the `nth` occurrence of a single-line `needle` in `text`. */
function rangeOf(text: string, needle: string, nth = 0): Range {
  let index = -1;
  for (let i = 0; i <= nth; i++) {
    index = text.indexOf(needle, index + 1);
    if (index < 0) throw new Error(`"${needle}" not found`);
  }
  const head = text.slice(0, index);
  const line = head.split('\n').length - 1;
  const character = index - (head.lastIndexOf('\n') + 1);
  return { start: { line, character }, end: { line, character: character + needle.length } };
}

/** The range of `needle` inside the first occurrence of `context`. */
function rangeIn(text: string, context: string, needle: string): Range {
  const at = text.indexOf(context);
  if (at < 0) throw new Error(`"${context}" not found`);
  const index = at + context.indexOf(needle);
  const head = text.slice(0, index);
  const line = head.split('\n').length - 1;
  const character = index - (head.lastIndexOf('\n') + 1);
  return { start: { line, character }, end: { line, character: character + needle.length } };
}

const brief = (d: AnalysisDiagnostic) => ({ range: d.range, severity: d.severity, code: d.code, message: d.message.split('\n')[0] });

/** Diagnostics of the last cell, after the setup cells (which must be clean but for the placeholder note). */
function check(...cells: string[]): AnalysisDiagnostic[] {
  const result = analyzer.analyze([...SETUP, ...cells]);
  const setup = result.cells.slice(0, SETUP.length).flatMap((c) => c.diagnostics);
  assert.deepEqual(
    setup.map((d) => d.code),
    ['api-key-placeholder'],
  );
  return result.cells.at(-1)!.diagnostics;
}

test('the example notebook has no problems beyond notes', () => {
  const cells = cellsForRun(readFileSync('examples/clerk-analytics.clerk.sql', 'utf8')).map((c) => c.source);
  const result = analyzer.analyze(cells);
  const all = result.cells.flatMap((c) => c.diagnostics);
  assert.deepEqual(all.filter((d) => d.severity <= Severity.Warning).map(brief), []);
  assert.deepEqual(all.map((d) => d.code).sort(), ['api-key-placeholder', 'column-notice']);
});

test('syntax errors point at the offending token; other statements are still checked', () => {
  const cell = 'select 1;\nselect email frm clerk_users;\nselect nope from clerk_users';
  const diagnostics = check(cell);
  assert.deepEqual(diagnostics.map(brief), [
    { range: rangeOf(cell, 'clerk_users'), severity: Severity.Error, code: '42601', message: 'syntax error at or near "clerk_users"' },
    { range: rangeOf(cell, 'nope'), severity: Severity.Error, code: '42703', message: 'column "nope" does not exist' },
  ]);
});

test('wrapper: wrong handler and validator, with the fix', () => {
  const cell = 'create foreign data wrapper w handler my_handler validator clerk_fdw_validatr;';
  const [handler, validator] = check(cell);
  assert.deepEqual(brief(handler!), {
    range: rangeOf(cell, 'my_handler'),
    severity: Severity.Error,
    code: '42883',
    message: 'function my_handler() does not exist',
  });
  assert.deepEqual(brief(validator!), {
    range: rangeOf(cell, 'clerk_fdw_validatr'),
    severity: Severity.Error,
    code: '42883',
    message: 'function clerk_fdw_validatr(text[], oid) does not exist',
  });
  assert.deepEqual(handler!.fixes, [{ kind: 'replace', text: 'clerk_fdw_handler', title: 'Change to clerk_fdw_handler' }]);
});

test('server: unknown wrapper, unknown option, inline key, http url, missing key', () => {
  const cell = [
    'create server a foreign data wrapper clerk_wraper;',
    "create server b foreign data wrapper clerk_wrapper options (api_key 'sk_live_0123456789abcdef', api_url 'http://api.example.com/v1', cache_tll '5');",
    "create server c foreign data wrapper clerk_wrapper options (api_url 'http://localhost:8080/v1');",
  ].join('\n');
  const diagnostics = check(cell);
  assert.deepEqual(diagnostics.map(brief), [
    { range: rangeIn(cell, 'server a ', 'a'), severity: Severity.Information, code: 'no-api-key', message: diagnostics[0]!.message.split('\n')[0] },
    { range: rangeOf(cell, 'clerk_wraper'), severity: Severity.Error, code: '42704', message: 'foreign-data wrapper "clerk_wraper" does not exist' },
    {
      range: rangeOf(cell, "'sk_live_0123456789abcdef'"),
      severity: Severity.Warning,
      code: 'inline-secret',
      message:
        "A Clerk secret key is written in the notebook: it is moved to VS Code's SecretStorage when the notebook is saved or the cell runs, and never reaches the file.",
    },
    {
      range: rangeOf(cell, "'http://api.example.com/v1'"),
      severity: Severity.Error,
      code: 'HV024',
      message: diagnostics[3]!.message.split('\n')[0],
    },
    { range: rangeOf(cell, 'cache_tll'), severity: Severity.Error, code: 'HV00D', message: 'invalid option "cache_tll"' },
    { range: rangeIn(cell, 'server c ', 'c'), severity: Severity.Information, code: 'no-api-key', message: diagnostics[5]!.message.split('\n')[0] },
  ]);
  assert.match(diagnostics[1]!.message, /Did you mean "clerk_wrapper"\?/);
  assert.deepEqual(diagnostics[1]!.fixes, [{ kind: 'replace', text: 'clerk_wrapper', title: 'Change to clerk_wrapper' }]);
  assert.match(diagnostics[0]!.message, /SecretStorage/);
  assert.match(diagnostics[3]!.message, /plain http/);
  assert.match(diagnostics[4]!.message, /Did you mean "cache_ttl"\?/);
  assert.deepEqual(diagnostics[4]!.fixes[0], { kind: 'replace', text: 'cache_ttl', title: 'Change to cache_ttl' });
});

test('foreign table: unknown object, server, column, type; duplicates; old object name', () => {
  const cell = [
    "create foreign table t1 (user_id text) server clerk_server options (object 'user');",
    "create foreign table t2 (user_id text) server clerk_srv options (object 'users');",
    "create foreign table t3 (user_id text, emial text, created_at integer, user_id text) server clerk_server options (object 'users');",
    "create foreign table t4 (user_id text, role text) server clerk_server options (object 'junction_table');",
    'create foreign table t5 (user_id text) server clerk_server;',
    "create foreign table t6 (user_id text) server clerk_server options (object 'users', objekt 'x');",
  ].join('\n');
  const diagnostics = check(cell);
  assert.deepEqual(diagnostics.map(brief), [
    { range: rangeOf(cell, "'user'"), severity: Severity.Error, code: 'HV024', message: '"user" is not a Clerk object' },
    { range: rangeOf(cell, 'clerk_srv'), severity: Severity.Error, code: '42704', message: 'server "clerk_srv" does not exist' },
    { range: rangeOf(cell, 'emial'), severity: Severity.Error, code: 'HV005', message: 'column "emial" is not provided by Clerk object "users"' },
    {
      range: rangeOf(cell, 'integer'),
      severity: Severity.Error,
      code: 'HV004',
      message: diagnostics[3]!.message.split('\n')[0],
    },
    { range: rangeOf(cell, 'user_id', 3), severity: Severity.Error, code: '42701', message: 'column "user_id" specified more than once' },
    { range: rangeOf(cell, "'junction_table'"), severity: Severity.Hint, code: 'old-object-name', message: diagnostics[5]!.message },
    { range: rangeOf(cell, 't5'), severity: Severity.Error, code: 'HV00J', message: 'required option "object" is not specified' },
    { range: rangeOf(cell, 'objekt'), severity: Severity.Error, code: 'HV00D', message: 'invalid option "objekt"' },
  ]);
  assert.match(
    diagnostics[0]!.message,
    /Did you mean "users"\? Valid objects: users, organizations, organization_memberships, invitations, .*, billing_statements\./,
  );
  assert.deepEqual(diagnostics[0]!.fixes[0], { kind: 'replace', text: "'users'", title: "Change to 'users'" });
  assert.match(diagnostics[2]!.message, /Did you mean "email"\?/);
  assert.deepEqual(diagnostics[2]!.fixes[0], { kind: 'replace', text: 'email', title: 'Change to email' });
  assert.match(diagnostics[3]!.message, /cannot be declared as integer/);
  assert.match(diagnostics[5]!.message, /old name of 'organization_memberships'/);
});

test('a later cell sees the DDL of earlier cells; a broken definition is reported once', () => {
  const result = analyzer.analyze([
    ...SETUP,
    "create foreign table bad (user_id text, emial text) server clerk_server options (object 'users');",
    'select user_id, emial from bad;\nselect * from bad b join clerk_users u using (user_id);',
  ]);
  assert.equal(result.cells[3]!.diagnostics.length, 1);
  assert.deepEqual(result.cells[4]!.diagnostics, []);
  // Without the setup, everything is missing.
  const alone = analyzer.analyze(["create foreign table t (user_id text) server clerk_server options (object 'users');", 'select * from t']);
  assert.deepEqual(
    alone.cells[0]!.diagnostics.map((d) => d.code),
    ['42704'],
  );
  assert.deepEqual(alone.cells[1]!.diagnostics, []);
});

test('queries: unknown columns, qualified through aliases, unqualified with one table only', () => {
  const cell = [
    'select u.user_id, u.emial, m.rol, o.name from clerk_users u join clerk_organization_memberships m on m.user_id = u.user_id join clerk_organizations o using (organization_id);',
    'select first_name from clerk_users;',
    'select mail, email as e from clerk_users where created_at > 0 order by e;',
    'select email, role from clerk_users, clerk_organization_memberships;',
  ].join('\n');
  const diagnostics = check(cell);
  assert.deepEqual(diagnostics.map(brief), [
    { range: rangeOf(cell, 'emial'), severity: Severity.Error, code: '42703', message: 'column u.emial does not exist' },
    { range: rangeIn(cell, 'm.rol,', 'rol'), severity: Severity.Error, code: '42703', message: 'column m.rol does not exist' },
    { range: rangeOf(cell, 'first_name'), severity: Severity.Error, code: '42703', message: 'column "first_name" does not exist' },
    { range: rangeIn(cell, 'select mail', 'mail'), severity: Severity.Error, code: '42703', message: 'column "mail" does not exist' },
  ]);
  assert.match(diagnostics[0]!.message, /Did you mean "email"\? Columns of clerk_users: user_id, email, created_at\./);
  assert.deepEqual(diagnostics[0]!.fixes, [{ kind: 'replace', text: 'email', title: 'Change to email' }]);
  // A Clerk column the table does not declare: say how to add it.
  assert.match(diagnostics[2]!.message, /Clerk object "users" has a column "first_name".*add "first_name text"/);
});

test('queries: no false positives on valid SQL', () => {
  const cell = [
    'select count(*) as n from clerk_users group by n order by n;',
    'select clerk_users from clerk_users;',
    'select u.* , u from clerk_users u;',
    'with c as (select user_id as x from clerk_users) select x, c.x from c;',
    'with clerk_users as (select 1 as anything) select anything from clerk_users;',
    "select (select count(*) from clerk_organization_memberships where user_id = u.user_id and name = 'x') from clerk_users u, clerk_organizations;",
    'select * from clerk_users u where exists (select 1 from clerk_organization_memberships m where m.user_id = u.user_id);',
    'select email from clerk_users union select name from clerk_organizations order by email;',
    'select x.a from (select email as a from clerk_users) x;',
    'select * from pg_class, pg_catalog.pg_type, information_schema.tables;',
    'create table local_users as select * from clerk_users;',
    'select * from local_users;',
    'create view v as select email from clerk_users;',
    'select * from v, public.clerk_users;',
    'create temp table t (a int); insert into t select 1; update t set a = 2 where a = 1; delete from t;',
    'select 1 from generate_series(1, 3) g, lateral (select g) s;',
  ].join('\n');
  assert.deepEqual(check(cell).map(brief), []);
});

test('tables that nothing creates are a warning, with a suggestion', () => {
  const cell = 'select * from clerk_user;\nselect * from somewhere_else s join clerk_users u on true;\ninsert into audit values (1);';
  const diagnostics = check(cell);
  assert.deepEqual(diagnostics.map(brief), [
    {
      range: rangeOf(cell, 'clerk_user'),
      severity: Severity.Warning,
      code: 'undefined-relation',
      message: 'relation "clerk_user" is not created in this notebook',
    },
    {
      range: rangeOf(cell, 'somewhere_else'),
      severity: Severity.Warning,
      code: 'undefined-relation',
      message: 'relation "somewhere_else" is not created in this notebook',
    },
    { range: rangeOf(cell, 'audit'), severity: Severity.Warning, code: 'undefined-relation', message: 'relation "audit" is not created in this notebook' },
  ]);
  assert.deepEqual(diagnostics[0]!.fixes[0], { kind: 'replace', text: 'clerk_users', title: 'Change to clerk_users' });
});

test('every problem the runtime would meet shows, where the runtime points', () => {
  const cell = "create server clerk_server foreign data wrapper clerk_wrapper options (cache_ttl '5');\nalter server nope options (add cache_ttl '1');";
  const diagnostics = check(cell);
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.message.split('\n')[0], d.range]),
    [
      ['42710', 'server "clerk_server" already exists', rangeOf(cell, 'clerk_server')],
      ['no-api-key', diagnostics[1]!.message, rangeOf(cell, 'clerk_server')],
      ['42704', 'server "nope" does not exist', rangeOf(cell, 'nope')],
    ],
  );
});

test('ranges are in UTF-16 after multi-byte characters and on later lines', () => {
  const cell = "select '😀é' as x,\n  u.emial from clerk_users u";
  const [d] = check(cell);
  assert.deepEqual(d!.range, rangeOf(cell, 'emial'));
});
