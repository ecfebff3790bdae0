// A cell's error as people read it: message, the line with a caret (as psql), DETAIL, HINT, place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorText } from '../../src/results/errorText.js';

const at = (line: number, character: number) => ({ offset: 0, line, character });

test('message, the offending line with a caret under the position, hint, then where', () => {
  const text = 'select user_id,\n  emial\nfrom clerk_users;';
  assert.equal(
    errorText(
      { code: '42703', message: 'column "emial" does not exist', hint: 'Perhaps you meant to reference the column "clerk_users.email".', position: at(1, 2) },
      { text, statement: 1, cell: 'cell [5] "Emails"' },
    ),
    [
      'ERROR:  column "emial" does not exist',
      'LINE 2:   emial',
      '          ^',
      'HINT:  Perhaps you meant to reference the column "clerk_users.email".',
      'at cell [5] "Emails", line 2, column 3 · statement 2 · SQLSTATE 42703',
    ].join('\n'),
  );
});

test('tabs stay tabs under the line, so the caret lands under the character', () => {
  const out = errorText({ code: '42601', message: 'syntax error at or near "form"', position: at(0, 10) }, { text: '\tselect 1 form t' });
  assert.deepEqual(out.split('\n').slice(1, 3), ['LINE 1: \tselect 1 form t', '        \t         ^']);
});

test('a long line is shown as a window around the position', () => {
  const line = 'x'.repeat(150) + ' bad ' + 'y'.repeat(150);
  const [, quoted, caret] = errorText({ code: '42601', message: 'syntax error', position: at(0, 151) }, { text: line }).split('\n');
  assert.equal(quoted!.length, 'LINE 1: ...'.length + 100 + 3);
  assert.ok(quoted!.startsWith('LINE 1: ...') && quoted!.endsWith('...'));
  assert.equal(quoted![caret!.indexOf('^')], 'b');
});

test('without a position or cell text: message, detail, and the SQLSTATE', () => {
  assert.equal(
    errorText({ code: 'HV000', message: 'Clerk API users failed', detail: 'Reading foreign table "clerk_users".' }),
    'ERROR:  Clerk API users failed\nDETAIL:  Reading foreign table "clerk_users".\nSQLSTATE HV000',
  );
});

test('the file line when the cell sits in a file', () => {
  assert.match(
    errorText({ code: '42P01', message: 'x', position: at(2, 0) }, { cell: 'a.clerk.sql cell 4', lineOffset: 10 }),
    /at a\.clerk\.sql cell 4, line 3, column 1 \(file line 13\) · SQLSTATE 42P01$/,
  );
});

test('a key in the quoted line is masked, and the caret still points where the error is', () => {
  const key = 'sk_live_Fake0Key-With.Dots_and-dashes99';
  const text = `create server s foreign data wrapper w options (api_key '${key}); select 'x' frm t`;
  const inKey = errorText({ code: '42601', message: 'unterminated quoted string', position: at(0, text.indexOf(key) - 1) }, { text }).split('\n');
  assert.ok(!inKey.join('\n').includes('Fake0Key'), inKey.join('\n'));
  assert.equal(inKey[1]![inKey[2]!.indexOf('^')], "'");
  const after = errorText({ code: '42601', message: 'syntax error at or near "frm"', position: at(0, text.indexOf('frm')) }, { text }).split('\n');
  assert.ok(!after.join('\n').includes('Dots'));
  assert.equal(after[1]!.slice(after[2]!.indexOf('^')).slice(0, 3), 'frm');
  const within = errorText({ code: '42601', message: 'x', position: at(0, text.indexOf('Dots')) }, { text }).split('\n');
  assert.equal(within[1]!.slice(within[2]!.indexOf('^')).slice(0, 11), 'sk_live_***');
});
