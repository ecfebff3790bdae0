import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SqlParser, type ParsedStatement } from '../../src/fdw/sql/parser.js';

let parser: SqlParser;
before(async () => {
  parser = await SqlParser.load();
});

const texts = (statements: ParsedStatement[]) => statements.map((statement) => statement.text);

test('splits a cell into statements with their ranges and ASTs', () => {
  const cell = "-- users\nselect 1;\n\n/* two */ select 'a;b', $$x;y$$ ;  -- trailing\ninsert into t values (1)";
  const { statements, errors } = parser.parse(cell);
  assert.deepEqual(errors, []);
  assert.deepEqual(texts(statements), ['select 1', "select 'a;b', $$x;y$$", 'insert into t values (1)']);
  assert.deepEqual(
    statements.map((statement) => statement.index),
    [0, 1, 2],
  );
  const second = statements[1]!;
  assert.equal(second.start.line, 3);
  assert.equal(second.start.character, 10);
  assert.equal(cell.slice(second.start.offset, second.end.offset), second.text);
  assert.ok(second.ok && 'SelectStmt' in second.ast);
  assert.ok(statements[2]!.ok && 'InsertStmt' in statements[2]!.ast);
});

test('AST locations are byte offsets into the whole cell', () => {
  const cell = "select 'é😀';\nselect b from t";
  const { statements, source } = parser.parse(cell);
  const ast = statements[1]!.ok ? statements[1]!.ast : assert.fail('expected a valid statement');
  const rangeVar = (ast as { SelectStmt: { fromClause: { RangeVar: { location: number } }[] } }).SelectStmt.fromClause[0]!.RangeVar;
  assert.equal(rangeVar.location, Buffer.byteLength(cell.slice(0, cell.lastIndexOf('t'))));
  assert.equal(source.offsetOfByte(rangeVar.location), cell.lastIndexOf('t'));
});

test('a syntax error is structured, with its position after multi-byte characters', () => {
  const cell = "select 'é', '😀', '日本' frm users";
  const { statements, errors } = parser.parse(cell);
  assert.equal(statements.length, 1);
  assert.equal(errors.length, 1);
  const [error] = errors;
  assert.equal(error!.message, 'syntax error at or near "users"');
  assert.equal(error!.position.offset, cell.indexOf('users'));
  assert.deepEqual({ line: error!.position.line, character: error!.position.character }, { line: 0, character: cell.indexOf('users') });
  assert.equal(error!.statementIndex, 0);
});

test('an error in statement 3 keeps statements 1, 2 and 4, and every bad statement reports its own error', () => {
  const cell = 'select 1;\nselect 2 from t;\nselect 3 frm x;\nselect 4;\nselec 5';
  const { statements, errors } = parser.parse(cell);
  assert.deepEqual(texts(statements), ['select 1', 'select 2 from t', 'select 3 frm x', 'select 4', 'selec 5']);
  assert.deepEqual(
    statements.map((statement) => statement.ok),
    [true, true, false, true, false],
  );
  assert.deepEqual(
    errors.map((error) => [error.statementIndex, error.message]),
    [
      [2, 'syntax error at or near "x"'],
      [4, 'syntax error at or near "selec"'],
    ],
  );
  assert.equal(errors[0]!.position.offset, cell.indexOf('x;'));
  assert.deepEqual({ line: errors[1]!.position.line, character: errors[1]!.position.character }, { line: 4, character: 0 });
  // Statements parsed on their own still carry cell-relative byte locations.
  const second = statements[1]!;
  assert.ok(second.ok);
  const location = (second.ast as { SelectStmt: { fromClause: { RangeVar: { location: number } }[] } }).SelectStmt.fromClause[0]!.RangeVar.location;
  assert.equal(location, cell.indexOf('t;'));
});

test('an unterminated literal is reported where it starts; the statements before it survive', () => {
  const cell = "select 1;\nselect 'é😀 and more;\nselect 3";
  const { statements, errors } = parser.parse(cell);
  assert.equal(statements.length, 2);
  assert.ok(statements[0]!.ok);
  assert.equal(errors.length, 1);
  assert.match(errors[0]!.message, /unterminated quoted string/);
  assert.equal(errors[0]!.position.offset, cell.indexOf("'é"));
  assert.equal(statements[1]!.text, "select 'é😀 and more;\nselect 3");
});

test('empty, blank and comment-only cells have no statements and no errors', () => {
  for (const cell of ['', '   \n', '-- nothing\n/* here */', ';;']) {
    const { statements, errors } = parser.parse(cell);
    assert.deepEqual([statements, errors], [[], []], JSON.stringify(cell));
  }
});

test('a NUL is an error where it is, and does not hide what follows it', () => {
  for (const [cell, line, character] of [
    ['select 1;\nselect 2 as b\0, 3;\ndrop table t;', 1, 13],
    ["select 'é😀\0';\nselect 2", 0, 11],
    ['\0', 0, 0],
    ['select 1; -- a comment \0\nselect 2', 0, 23],
  ] as const) {
    const { statements, errors } = parser.parse(cell);
    assert.equal(errors.length, 1, JSON.stringify(cell));
    const [error] = errors;
    assert.equal(error!.message, 'invalid byte sequence for encoding "UTF8": 0x00');
    assert.equal(error!.code, '22021');
    assert.deepEqual([error!.position.line, error!.position.character], [line, character], JSON.stringify(cell));
    assert.equal(cell.at(error!.position.offset), '\0');
    assert.equal(statements.at(-1)!.end.offset >= cell.lastIndexOf(cell.trimEnd().at(-1)!), true, 'the statements after the NUL are there');
  }
  assert.deepEqual(texts(parser.parse('select 1;\nselect 2 as b\0, 3;\ndrop table t;').statements), ['select 1', 'select 2 as b\0, 3', 'drop table t']);
});

test('a lone surrogate does not shift positions', () => {
  const cell = "select '\uD800' frm t";
  const [error] = parser.parse(cell).errors;
  assert.equal(error!.position.offset, cell.lastIndexOf('t'));
});

test('parsing a typical statement takes well under a millisecond once loaded', () => {
  const sql = `with active as (
      select u.id, u.email, o.name from clerk.users u
      join clerk.organization_memberships m on m.user_id = u.id
      join clerk.organizations o on o.id = m.organization_id
      where u.created_at > now() - interval '30 days')
    select name, count(*) from active group by name order by 2 desc limit 10`;
  for (let i = 0; i < 50; i++) parser.parse(sql);
  const runs = 500;
  const start = performance.now();
  for (let i = 0; i < runs; i++) parser.parse(sql);
  const perParse = (performance.now() - start) / runs;
  assert.ok(perParse < 5, `parse took ${perParse.toFixed(3)} ms`);
});
