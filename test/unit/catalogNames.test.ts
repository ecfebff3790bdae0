// Names: Postgres type spellings, Clerk object names and "did you mean".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLERK_OBJECTS, closestMatch, formatType, lookupObject, normalizeType } from '../../src/fdw/catalog/index.js';
import { editDistance } from '../../src/fdw/catalog/suggest.js';

test('every spelling of a type normalizes to its pg_type name', () => {
  const cases: [string | string[], string, boolean?][] = [
    ['bigint', 'int8'],
    ['INT8', 'int8'],
    [['pg_catalog', 'int8'], 'int8'],
    ['pg_catalog.int4', 'int4'],
    ['integer', 'int4'],
    ['int', 'int4'],
    ['smallint', 'int2'],
    ['int2', 'int2'],
    ['boolean', 'bool'],
    ['bool', 'bool'],
    ['character varying(255)', 'varchar'],
    ['varchar', 'varchar'],
    ['timestamp with time zone', 'timestamptz'],
    ['timestamp(3)   WITH TIME ZONE', 'timestamptz'],
    [['pg_catalog', 'timestamptz'], 'timestamptz'],
    ['timestamp without time zone', 'timestamp'],
    ['timestamp', 'timestamp'],
    ['double precision', 'float8'],
    ['float8', 'float8'],
    ['float', 'float8'],
    ['float(10)', 'float4'],
    ['float(53)', 'float8'],
    ['real', 'float4'],
    ['numeric(10, 2)', 'numeric'],
    ['decimal', 'numeric'],
    ['json', 'json'],
    ['jsonb', 'jsonb'],
    ['date', 'date'],
    ['text', 'text'],
    ['uuid', 'uuid'],
  ];
  for (const [spelling, name] of cases) assert.deepEqual(normalizeType(spelling), { name, array: false }, String(spelling));
});

test('arrays: [] suffixes, ARRAY, the _name form and the parse tree flag', () => {
  for (const spelling of ['text[]', 'text []', 'text[3]', 'text[][]', 'text array', '_text', 'pg_catalog._text']) {
    assert.deepEqual(normalizeType(spelling), { name: 'text', array: true }, spelling);
  }
  assert.deepEqual(normalizeType('character varying(20)[]'), { name: 'varchar', array: true });
  assert.deepEqual(normalizeType(['text'], true), { name: 'text', array: true });
  assert.deepEqual(normalizeType('_foo'), { name: '_foo', array: false }, 'an unknown _name is a name');
});

test('types are spelled for messages as people write them', () => {
  assert.equal(formatType(normalizeType('int8')), 'bigint');
  assert.equal(formatType(normalizeType('float8')), 'double precision');
  assert.equal(formatType(normalizeType('_text')), 'text[]');
  assert.equal(formatType(normalizeType('timestamp with time zone')), 'timestamptz');
  assert.equal(formatType(normalizeType('bool')), 'boolean');
});

test('edit distance counts a transposition as one edit', () => {
  assert.equal(editDistance('emial', 'email'), 1);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('same', 'same'), 0);
});

test('closest match: plausible typos only, earlier candidate on ties', () => {
  assert.equal(closestMatch('emial', ['user_id', 'email', 'gender']), 'email');
  assert.equal(closestMatch('createdat', ['created_at', 'updated_at']), 'created_at');
  assert.equal(closestMatch('Email', ['email']), 'email');
  assert.equal(closestMatch('zzzzzz', ['email', 'user_id']), undefined);
  assert.equal(closestMatch('ab', ['cd']), undefined, 'two edits of two letters is not a typo');
});

test('objects: the three names, the old junction_table name with its notice', () => {
  assert.deepEqual(lookupObject('users'), { ok: true, object: 'users' });
  assert.deepEqual(lookupObject('organizations'), { ok: true, object: 'organizations' });
  assert.deepEqual(lookupObject('organization_memberships'), { ok: true, object: 'organization_memberships' });
  assert.deepEqual(lookupObject('junction_table'), {
    ok: true,
    object: 'organization_memberships',
    notice: "object 'junction_table' is the old name of 'organization_memberships' (clerk_fdw v0.2.2)",
  });
});

test('an unknown object gets a suggestion and the list of valid names', () => {
  const typo = lookupObject('user');
  assert.ok(!typo.ok);
  assert.equal(typo.message, '"user" is not a Clerk object');
  assert.equal(typo.suggestion, 'users');
  assert.equal(typo.hint, `Did you mean "users"? Valid objects: ${CLERK_OBJECTS.join(', ')}.`);
  assert.deepEqual(typo.valid, CLERK_OBJECTS);
  assert.deepEqual(CLERK_OBJECTS.slice(0, 3), ['users', 'organizations', 'organization_memberships'], "clerk_fdw's objects first");

  const oldTypo = lookupObject('junction_tabel');
  assert.ok(!oldTypo.ok);
  assert.equal(oldTypo.suggestion, 'organization_memberships', 'a typo of the old name suggests the current one');

  const nothing = lookupObject('invoices');
  assert.ok(!nothing.ok);
  assert.equal(nothing.suggestion, undefined);
  assert.equal(nothing.hint, `Valid objects: ${CLERK_OBJECTS.join(', ')}.`);
  assert.equal(lookupObject('toString').ok, false, 'prototype names are not objects');
  assert.equal(lookupObject('Users').ok, false, 'option values are case-sensitive');
});
