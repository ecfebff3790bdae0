// Values as Postgres prints them: the text form shared by the CLI, the notebook and exports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvField, pgText } from '../../src/cli/valueText.ts';

test('a jsonb array is JSON, a text[] is a Postgres array literal', () => {
  const accounts = [{ provider: 'oauth_google', id: 'eac_1' }];
  assert.equal(pgText(accounts, 'jsonb'), '[{"provider": "oauth_google", "id": "eac_1"}]');
  assert.equal(pgText(['a', 'b c', null, 'q"x', ''], 'text[]'), '{a,"b c",NULL,"q\\"x",""}');
  assert.equal(pgText({ a: [1, 2] }, 'jsonb'), '{"a": [1, 2]}');
  assert.equal(pgText('"raw"', 'json'), '"raw"');
});

test('scalars print as psql prints them', () => {
  assert.equal(pgText(true), 't');
  assert.equal(pgText(12345678901234567890n), '12345678901234567890');
  assert.equal(pgText(null), null);
  assert.equal(pgText(new Uint8Array([1, 255])), '\\x01ff');
});

test('CSV fields as COPY ... CSV writes them: NULL empty, empty string quoted', () => {
  assert.deepEqual([null, '', 'a,b', 'say "hi"', 'line\nbreak', 'plain'].map(csvField), ['', '""', '"a,b"', '"say ""hi"""', '"line\nbreak"', 'plain']);
});
