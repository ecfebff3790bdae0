import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ItemKind, completeAt } from '../../src/language/analysis/completion.js';
import { keywordsAt } from '../../src/language/analysis/keywords.js';
import type { Scope } from '../../src/language/analysis/model.js';

const keywords = (before: string) => [...keywordsAt(before).keywords];

test('keywords: statement starts at the start of a statement only', () => {
  for (const before of ['', '  ', '-- a comment\n', '/* x */ ']) assert.ok(keywords(before).includes('create'), JSON.stringify(before));
  assert.deepEqual(keywords('select count('), []);
  assert.deepEqual(keywords('select * from ('), []);
});

test('keywords: the next words of the FDW DDL', () => {
  const cases: [string, string[]][] = [
    ['create ', ['foreign data wrapper', 'server', 'foreign table', 'table', 'view']],
    ['CREATE  Foreign ', ['data wrapper', 'table']],
    ['create foreign data wrapper clerk_wrapper ', ['handler', 'validator']],
    ['create foreign data wrapper w handler ', ['clerk_fdw_handler']],
    ['create foreign data wrapper w handler clerk_fdw_handler ', ['validator']],
    ['create foreign data wrapper w validator clerk_fdw_validator ', ['handler']],
    ['create server ', ['if not exists']],
    ['create server x ', ['foreign data wrapper']],
    ['create server if not exists "my server" ', ['foreign data wrapper']],
    ['create server x foreign data wrapper clerk_fdw ', ['options']],
    ['create foreign table t (\n  user_id text, -- the id\n  email text\n) ', ['server']],
    ['create foreign table t (user_id text) server s ', ['options']],
    ['alter server s ', ['options']],
    ['alter foreign table t ', ['options']],
    ['drop ', ['foreign table', 'server', 'foreign data wrapper', 'table', 'view']],
    ['drop server ', ['if exists']],
    ['drop server if exists s ', ['cascade']],
    ['import ', ['foreign schema']],
    ['import foreign schema clerk ', ['from server', 'limit to', 'except']],
    ['import foreign schema clerk limit to (clerk_users) ', ['from server']],
    ['import foreign schema clerk from server s ', ['into']],
    ['create user mapping for current_user ', ['server']],
  ];
  for (const [before, expected] of cases) {
    const got = keywords(before);
    for (const k of expected) assert.ok(got.includes(k), `${JSON.stringify(before)}: ${k} not in ${got.join(', ')}`);
  }
  // Precise: only what can come next.
  assert.deepEqual(keywords('create server x '), ['foreign data wrapper']);
  assert.deepEqual(keywords('create foreign table t (user_id text) '), ['server']);
  assert.deepEqual(keywords('create server x foreign data wrapper w '), ['options']);
  for (const before of ['create server x foreign data wrapper ', 'create foreign table t (user_id text) server ', 'create foreign table t '])
    assert.deepEqual(keywords(before), [], before);
  assert.deepEqual(keywords("create server x foreign data wrapper w options (api_key 'k') "), []);
  assert.deepEqual(keywords('create foreign data wrapper w handler clerk_fdw_handler validator clerk_fdw_validator '), []);
  assert.equal(keywordsAt('create server x ').ddl, true);
});

test('keywords: the clauses of a query where an item is complete', () => {
  const cases: [string, string[]][] = [
    ['select ', []],
    ['select email ', ['from']],
    ['select count(*) ', ['from']],
    ['select email, ', []],
    ['select * from ', []],
    ['select * from clerk_users u ', ['where', 'join', 'left join', 'group by', 'order by', 'limit']],
    ['select * from clerk_users u join clerk_organization_memberships m ', ['on', 'using']],
    ['select * from a join b on ', []],
    ['select * from a join b on a.id ', []],
    ['select * from a join b on a.id = b.id ', ['and', 'or', 'where', 'group by', 'order by', 'limit']],
    ['select * from a join b using (id) ', ['where', 'group by']],
    ['select * from a cross join b ', ['where', 'join']],
    ['select * from a where ', []],
    ['select * from a where email ', []],
    ["select * from a where email like '%x' ", ['and', 'or', 'group by', 'order by', 'limit']],
    ["select * from a where email = 'x' and ", []],
    ['select role, count(*) from a group by role ', ['having', 'order by', 'limit']],
    ['select * from a order by created_at ', ['asc', 'desc', 'limit']],
    ['select * from a order by created_at desc ', ['limit']],
    ['select * from a limit 10 ', ['offset']],
    ['select * from a group ', ['by']],
    ['select * from a left ', ['join', 'outer join']],
    ['select * from (select email ', ['from']],
    ['select * from (select email from a) x ', ['where', 'join']],
    ['with c as (select 1) select * from c ', ['where', 'join']],
    ['create view v as select email from clerk_users ', ['where', 'join']],
  ];
  for (const [before, expected] of cases) {
    const got = keywords(before);
    if (expected.length === 0) assert.deepEqual(got, [], JSON.stringify(before));
    for (const k of expected) assert.ok(got.includes(k), `${JSON.stringify(before)}: ${k} not in ${got.join(', ')}`);
  }
  assert.deepEqual(keywords('select email '), ['from']);
  assert.ok(!keywords('select * from a where x = 1 ').includes('where'));
  // Words that are names of Object.prototype's members are words like any other.
  assert.deepEqual(keywords('select constructor '), ['from']);
  assert.deepEqual(keywords('select a from t where constructor = 1 and tostring '), []);
  // Strings and comments are not words.
  assert.deepEqual(keywords("select 'from a where' "), ['from']);
  assert.deepEqual(keywords('select email -- from a where\n'), ['from']);
});

const SCOPE: Scope = {
  servers: ['s'],
  wrappers: ['w'],
  foreignTables: [{ name: 'clerk_users', schema: 'public', object: 'users', columns: [{ name: 'email', type: { name: 'text', array: false } }] }],
  relations: [],
  variables: [],
  namedResults: [],
};

test('completion: keywords as keyword items after the columns, filtered by the word being typed by the editor', () => {
  const query = 'select email from clerk_users wh';
  const entries = completeAt(query, query.length, SCOPE);
  assert.deepEqual(
    entries.map((e) => e.label),
    ['email', 'where', 'join', 'left join', 'inner join', 'cross join', 'group by', 'order by', 'limit'],
  );
  const where = entries.find((e) => e.label === 'where')!;
  assert.equal(where.kind, ItemKind.Keyword);
  assert.deepEqual(where.replace, { start: query.length - 2, end: query.length });
  assert.ok(entries.every((e, i) => i === 0 || e.sortText! > entries[0]!.sortText!));
  // In DDL, no columns of the tables it names.
  const ddl = 'create foreign table clerk_users2 (email text) server s ';
  assert.deepEqual(
    completeAt(ddl, ddl.length, SCOPE).map((e) => e.label),
    ['options'],
  );
  // At the start of a cell: statement starts and the setup snippet.
  const start = completeAt('', 0, SCOPE).map((e) => e.label);
  assert.ok(start.includes('select') && start.includes('create') && start.includes('clerk_fdw setup'));
  const second = 'select 1;\ncr';
  assert.ok(completeAt(second, second.length, SCOPE).some((e) => e.label === 'create'));
});
