import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sourcesFor } from '../../src/fdw/clerk/reads.js';
import { checkApiUrl } from '../../src/fdw/clerk/apiUrl.js';
import { redactSecrets } from '../../src/fdw/clerk/errors.js';

test('a full scan is one paged source in creation order', () => {
  const [users] = sourcesFor({ object: 'users' });
  assert.equal(users!.path, 'users');
  assert.equal(users!.query.order_by, '+created_at');
  assert.equal(users!.small, false);
  const members = sourcesFor({ object: 'organization_memberships' });
  assert.deepEqual(
    members.map((s) => s.path),
    ['organization_memberships'],
  );
});

test('id lists are split in chunks of 100 and need no count', () => {
  const ids = Array.from({ length: 250 }, (_, i) => `user_${i}`);
  const sources = sourcesFor({ object: 'users', filter: { user_id: ids, created_at_after: 5 } });
  assert.deepEqual(
    sources.map((s) => (s.query.user_id as string[]).length),
    [100, 100, 50],
  );
  assert.ok(sources.every((s) => s.small && s.query.created_at_after === 5));
});

test('memberships read by organization or by user go to the narrow endpoints', () => {
  const byOrg = sourcesFor({ object: 'organization_memberships', filter: { organization_id: ['org_1', 'org_1', 'org_2'], role: ['org:admin'] } });
  assert.deepEqual(
    byOrg.map((s) => s.path),
    ['organizations/org_1/memberships', 'organizations/org_2/memberships'],
  );
  assert.deepEqual(byOrg[0]!.query.role, ['org:admin']);
  assert.ok(byOrg.every((s) => s.notFoundIsEmpty));
  const byUser = sourcesFor({ object: 'organization_memberships', filter: { user_id: ['user_1'] } });
  assert.deepEqual(
    byUser.map((s) => s.path),
    ['users/user_1/organization_memberships'],
  );
});

test('api_url: https anywhere, plain http only to loopback', () => {
  assert.equal(checkApiUrl('https://api.clerk.com/v1/'), 'https://api.clerk.com/v1');
  assert.equal(checkApiUrl('http://127.0.0.1:8787/v1'), 'http://127.0.0.1:8787/v1');
  assert.equal(checkApiUrl('http://localhost:1/v1'), 'http://localhost:1/v1');
  assert.throws(() => checkApiUrl('http://api.clerk.com/v1'), /plain http/);
  assert.throws(() => checkApiUrl('http://127.0.0.1.evil.com/v1'), /plain http/);
  assert.throws(() => checkApiUrl('https://user:pw@api.clerk.com/v1'), /credentials/);
  assert.throws(() => checkApiUrl('not a url'), /not a URL/);
});

test('secret keys are redacted from any text', () => {
  const key = 'sk_test_AbCdEf0123456789xyz';
  assert.equal(redactSecrets(`bad ${key}!`, key), 'bad sk_***!');
  assert.equal(redactSecrets('echo sk_live_ZZZZZZZZZZZZZZZZ'), 'echo sk_live_***');
});
