import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SqlParser } from '../../src/fdw/sql/parser.js';
import { listRelations, relationsRead, type RelationRef } from '../../src/fdw/sql/relations.js';

let parser: SqlParser;
before(async () => {
  parser = await SqlParser.load();
});

function relations(sql: string, list = listRelations): RelationRef[] {
  const { statements, source, errors } = parser.parse(sql);
  assert.deepEqual(errors, []);
  const [statement] = statements;
  assert.ok(statement?.ok);
  return list(statement.ast, source);
}

const names = (refs: RelationRef[]) => refs.map((ref) => `${ref.usage}:${ref.schema ? `${ref.schema}.` : ''}${ref.name}${ref.alias ? ` ${ref.alias}` : ''}`);

test('joins: schema, alias and position of each table', () => {
  const sql = 'select * from clerk.users u\n  join clerk.organization_memberships as m on m.user_id = u.id\n  left join orgs on true, other';
  const refs = relations(sql);
  assert.deepEqual(names(refs), ['read:clerk.users u', 'read:clerk.organization_memberships m', 'read:orgs', 'read:other']);
  assert.deepEqual(refs[1]!.position, { offset: sql.indexOf('clerk.organization_memberships'), line: 1, character: 7 });
});

test('positions are right after multi-byte characters', () => {
  const sql = "select 'é😀日本' as x from t";
  const [ref] = relations(sql);
  assert.equal(ref!.position.offset, sql.lastIndexOf('t'));
});

test('subqueries in FROM, WHERE, SELECT list, LATERAL and set operations', () => {
  const sql = `select (select max(id) from s1), x.* from (select * from s2) x
    cross join lateral (select * from s3 where s3.a = x.a) l
    where exists (select 1 from s4) and id in (select id from s5)
    union all select * from s6 except select * from s7`;
  assert.deepEqual(names(relations(sql)), ['read:s1', 'read:s2', 'read:s3', 'read:s4', 'read:s5', 'read:s6', 'read:s7']);
});

test('CTE names shadow tables, but only where they are in scope', () => {
  const sql = `with users as (select * from clerk.users), recent as (select * from users where x)
    select * from recent join users on true join public.users on true join orgs on true
    where id in (with orgs as (select 1) select * from orgs)`;
  assert.deepEqual(names(relations(sql)), ['read:clerk.users', 'read:public.users', 'read:orgs']);
});

test('a CTE does not see the CTEs after it, except under WITH RECURSIVE', () => {
  assert.deepEqual(names(relations('with a as (select * from b), b as (select 1) select * from a')), ['read:b']);
  assert.deepEqual(names(relations('with recursive a as (select * from b), b as (select * from a) select * from a')), []);
  const recursive = 'with recursive tree as (select id from nodes union all select n.id from nodes n join tree t on n.parent = t.id) select * from tree';
  assert.deepEqual(names(relations(recursive)), ['read:nodes', 'read:nodes n']);
});

test('INSERT ... SELECT, UPDATE ... FROM, DELETE ... USING and MERGE separate targets from sources', () => {
  assert.deepEqual(names(relations('insert into local.users select * from clerk.users')), ['target:local.users', 'read:clerk.users']);
  assert.deepEqual(names(relations('with src as (select * from a) insert into b select * from src')), ['read:a', 'target:b']);
  assert.deepEqual(names(relations('update t set x = s.x from s where t.id = s.id')), ['target:t', 'read:s']);
  assert.deepEqual(names(relations('delete from t using s where t.id = s.id')), ['target:t', 'read:s']);
  assert.deepEqual(names(relations('merge into t using s on t.id = s.id when matched then do nothing')), ['target:t', 'read:s']);
});

test('CREATE TABLE AS, SELECT INTO, CREATE VIEW and EXPLAIN', () => {
  assert.deepEqual(names(relations('create table snapshot as select * from clerk.users join o on true')), ['create:snapshot', 'read:clerk.users', 'read:o']);
  assert.deepEqual(names(relations('select * into copy from src')), ['create:copy', 'read:src']);
  assert.deepEqual(names(relations('create view v as with c as (select * from a) select * from c join b on true')), ['create:v', 'read:a', 'read:b']);
  assert.deepEqual(names(relations('explain analyze select * from a where id in (select id from b)')), ['read:a', 'read:b']);
  assert.deepEqual(names(relations('create materialized view mv as select * from a')), ['create:mv', 'read:a']);
});

test('DDL and COPY', () => {
  assert.deepEqual(names(relations('create foreign table clerk.users (id text) server clerk_server')), ['create:clerk.users']);
  assert.deepEqual(names(relations('create table t (like template, id int references parent)')), ['create:t', 'read:template', 'read:parent']);
  assert.deepEqual(names(relations('copy t from stdin')), ['target:t']);
  assert.deepEqual(names(relations('copy t to stdout')), ['read:t']);
  assert.deepEqual(names(relations('copy (select * from a) to stdout')), ['read:a']);
  assert.deepEqual(names(relations('truncate a, b')), ['target:a', 'target:b']);
  assert.deepEqual(names(relations('alter table a add column c int')), ['target:a']);
});

test('FOR UPDATE OF names are not relations', () => {
  assert.deepEqual(names(relations('select * from a x for update of x')), ['read:a x']);
});

test('relationsRead keeps only the relations whose rows are read', () => {
  assert.deepEqual(names(relations('insert into t select * from s', relationsRead)), ['read:s']);
});
