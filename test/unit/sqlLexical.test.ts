import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { lineEnd, mayChangeSchema, skipBlockComment, skipDollarQuote, skipQuoted, statementAround, withoutComments } from '../../src/fdw/sql/lexical.js';

test('a -- comment ends at \\n or \\r, or at the end of the text', () => {
  assert.equal(lineEnd('-- a\nb', 0), 4);
  assert.equal(lineEnd('-- a\r\nb', 0), 4);
  assert.equal(lineEnd('-- a', 0), 4);
});

test('block comments nest; one left open runs to the end', () => {
  const text = '/* a /* b */ c */ d';
  assert.equal(text.slice(skipBlockComment(text, 0)), ' d');
  assert.equal(skipBlockComment('/* a /* b */ c', 0), 14);
});

test('quotes: doubled quotes stay inside; backslashes escape only in E strings', () => {
  assert.equal(skipQuoted("'it''s' x", 0), 7);
  assert.equal(skipQuoted('"a""b" x', 0), 6);
  assert.equal(skipQuoted("'a\\' x", 0), 4);
  assert.equal(skipQuoted("'a\\'b' x", 0, true), 6);
  assert.equal(skipQuoted("'open", 0), 5);
});

test('dollar quotes: tagged bodies skip whole; $1 and a lone $ open nothing', () => {
  assert.equal(skipDollarQuote('$$ a; $$ b', 0), 8);
  assert.equal(skipDollarQuote('$f$ $$ $f$ b', 0), 10);
  assert.equal(skipDollarQuote('$1 + 1', 0), 1);
  assert.equal(skipDollarQuote('$tag$ open', 0), 10);
});

describe('statements and comments for text being typed', () => {
  test("a ';' in a string, comment or dollar quote does not end the statement", () => {
    const text = "select ';' as a -- ;\n/* ; */, $$;$$ from t; select 2";
    const first = statementAround(text, 10);
    assert.equal(text.slice(first.start, first.end), "select ';' as a -- ;\n/* ; */, $$;$$ from t");
    const second = statementAround(text, text.length);
    assert.equal(text.slice(second.start, second.end), ' select 2');
  });

  test('a string left open at the cursor holds it to the end', () => {
    const text = "select 1; create foreign table t (a text) server s options (object 'us; x";
    const at = statementAround(text, text.indexOf('us') + 2);
    assert.equal(text.slice(at.start, at.end), " create foreign table t (a text) server s options (object 'us; x");
  });

  test('comments become spaces, line breaks kept', () => {
    const text = "select 1 -- note\n/* a\n /* nested */ b */ + 2 '--not'";
    const out = withoutComments(text);
    assert.equal(out.length, text.length);
    assert.equal(out, `select 1        \n    \n${' '.repeat(' /* nested */ b */'.length)} + 2 '--not'`);
  });
});

test("statements that may change the database's tables, by their words", () => {
  for (const text of [
    'create table t (a int)',
    'select 1;\n-- then\nALTER TABLE t ADD b int',
    'begin; drop view v; commit',
    'do $$ begin null; end $$',
    'call refresh_all()',
    'select * into t2 from t',
    'import foreign schema clerk from server s into public',
  ])
    assert.equal(mayChangeSchema(text), true, text);
  for (const text of [
    'select * from t',
    "select 'create table x' from t -- drop table t",
    'insert into t values (1)',
    'update t set a = 1; delete from t',
    '/* alter */ select $$create$$',
    '',
  ])
    assert.equal(mayChangeSchema(text), false, text);
});
