// COPY rows: escaping, arrays, NULLs and a round-trip property over arbitrary schema-shaped
// objects. (The build-time bound has its own file, catalogPerf.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { OBJECT_NOUNS, objectSchemas, type ClerkObject } from '../../src/fdw/clerk/schemas.js';
import { CLERK_OBJECTS, CatalogError, columnsOf, compileCopyRow, normalizeType, ValueError, type DeclaredColumn } from '../../src/fdw/catalog/index.js';
import { arbitraryFor, decodeCopyLine, userFixture, wellFormed } from './catalogHelpers.js';

const declare = (...columns: [string, string][]): DeclaredColumn[] => columns.map(([name, type]) => ({ name, type: normalizeType(type) }));
const kyle = userFixture('user--node-sdk-getUser');

test('a row: tab-separated declared columns, \\N for NULL, one newline at the end', () => {
  const row = compileCopyRow(
    'users',
    declare(['user_id', 'text'], ['email', 'text'], ['gender', 'text'], ['phone_numbers', 'bigint'], ['created_at', 'timestamptz']),
  );
  // This fixture's timestamps are seconds (see its .source.md); a real one is milliseconds.
  assert.equal(row({ ...kyle, created_at: 1716883200000 }), 'user_noone\tkyle@tech.com\t\\N\t2\t2024-05-28T08:00:00.000Z\n');
  assert.equal(compileCopyRow('users', [])(kyle), '\n', 'a table without columns has empty rows');
});

test('tricky strings are escaped as COPY text format requires', () => {
  const row = compileCopyRow('users', declare(['first_name', 'text'], ['last_name', 'text']));
  const cases: [string, string][] = [
    ['tab\there', 'tab\\there'],
    ['line\nbreak', 'line\\nbreak'],
    ['carriage\rreturn', 'carriage\\rreturn'],
    ['back\\slash', 'back\\\\slash'],
    ['\\N', '\\\\N'],
    ['"quoted", with commas', '"quoted", with commas'],
    ['Zoë 山田 😀', 'Zoë 山田 😀'],
    ['', ''],
    ['nul\u0000byte', 'nul\uFFFDbyte'],
    ['\\.', '\\\\.'],
    ['lone \ud800 high, lone \udc00 low, pair 😀', 'lone \uFFFD high, lone \uFFFD low, pair 😀'],
    ['\udc00\ud800', '\uFFFD\uFFFD'],
  ];
  for (const [value, escaped] of cases) {
    const line = row({ id: 'user_1', first_name: value, last_name: null });
    assert.equal(line, `${escaped}\t\\N\n`, JSON.stringify(value));
    assert.deepEqual(decodeCopyLine(line.slice(0, -1)), [wellFormed(value), null]);
  }
});

test('arrays: quoted elements, quotes and backslashes escaped, NULL elements, then COPY escaping', () => {
  const row = compileCopyRow('organization_memberships', declare(['permissions', 'text[]']));
  const member = (permissions: unknown[]) => row({ id: 'm', permissions });
  assert.equal(member([]), '{}\n');
  assert.equal(member(['org:a', 'b,c', '{d}', 'NULL', ' e ']), '{"org:a","b,c","{d}","NULL"," e "}\n');
  // An array literal `{"say \"hi\"","a\\b"}`, whose backslashes COPY then doubles.
  assert.equal(member(['say "hi"', 'a\\b']), '{"say \\\\"hi\\\\"","a\\\\\\\\b"}\n');
  assert.equal(member(['x', null, 'tab\t']), '{"x",NULL,"tab\\t"}\n');
});

test('jsonb values are JSON text, escaped for COPY like any text', () => {
  const row = compileCopyRow('users', declare(['public_metadata', 'jsonb'], ['created_at', 'jsonb']));
  const line = row({ id: 'u', public_metadata: { note: 'a\tb\nc\\d "e"' }, created_at: 5 });
  assert.equal(line, '{"note":"a\\\\tb\\\\nc\\\\\\\\d \\\\"e\\\\""}\t5\n');
  assert.deepEqual(JSON.parse(decodeCopyLine(line.slice(0, -1))[0]!), { note: 'a\tb\nc\\d "e"' });
});

test('compiling an invalid table throws the validation diagnostics', () => {
  assert.throws(
    () => compileCopyRow('users', declare(['emial', 'text'])),
    (error: unknown) =>
      error instanceof CatalogError && error.message === 'column "emial" is not provided by Clerk object "users"' && error.diagnostics.length === 1,
  );
  assert.throws(() => compileCopyRow('nope', declare(['id', 'text'])), /"nope" is not a Clerk object/);
  assert.equal(compileCopyRow('junction_table', declare(['role', 'text']))({ id: 'm', role: 'admin' }), 'admin\n');
});

for (const object of CLERK_OBJECTS) {
  test(`property: every column of ${object}, as every allowed type, converts and round-trips through COPY`, () => {
    const columns = columnsOf(object);
    fc.assert(
      fc.property(arbitraryFor(objectSchemas[object]), (obj) => {
        for (const column of columns) {
          const declared = column.conversions.map((c) => ({ name: column.name, type: c.types[0]! }));
          for (const [i, conversion] of column.conversions.entries()) {
            const row = compileCopyRow(object, [declared[i]!]);
            let expected: string | null;
            try {
              expected = conversion.convert(obj as ClerkObject);
            } catch (error) {
              // A value Postgres cannot take (a timestamp before 4713 BC): the row names the object and the column.
              assert.ok(error instanceof ValueError, String(error));
              assert.throws(() => row(obj as ClerkObject), {
                name: 'ValueError',
                message: `${OBJECT_NOUNS[object]} "${(obj as ClerkObject).id}", column ${column.name}: ${error.message}`,
              });
              continue;
            }
            assert.ok(expected === null || typeof expected === 'string');
            const line = row(obj as ClerkObject);
            assert.ok(line.endsWith('\n') && !line.slice(0, -1).includes('\n') && !line.includes('\r') && !line.includes('\t'));
            assert.deepEqual(decodeCopyLine(line.slice(0, -1)), [expected === null ? null : wellFormed(expected)]);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
}

test('property: a row has one field per declared column', () => {
  const columns = columnsOf('users').map((c) => ({ name: c.name, type: c.defaultType }));
  const row = compileCopyRow('users', columns);
  fc.assert(
    fc.property(arbitraryFor(objectSchemas.users), (obj) => {
      assert.equal(decodeCopyLine(row(obj as ClerkObject).slice(0, -1)).length, columns.length);
    }),
    { numRuns: 200 },
  );
});
