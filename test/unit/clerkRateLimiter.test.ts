import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimiter, defaultRateLimit, limiterFor } from '../../src/fdw/clerk/rateLimiter.js';

test('limits follow the key type, as Clerk documents', () => {
  assert.deepEqual(defaultRateLimit('sk_test_abc'), { requests: 100, windowMs: 10_000 });
  assert.deepEqual(defaultRateLimit('sk_live_abc'), { requests: 1000, windowMs: 10_000 });
});

test('never more than N grants in any window, and a full budget at once', async () => {
  const limiter = new RateLimiter({ requests: 5, windowMs: 300 });
  const start = Date.now();
  const grants: number[] = [];
  await Promise.all(
    Array.from({ length: 12 }, () =>
      limiter.acquire().then((done) => {
        grants.push(Date.now() - start);
        done();
      }),
    ),
  );
  grants.sort((a, b) => a - b);
  assert.ok(grants[4]! < 50, `first five at once: ${grants.join(',')}`);
  for (let i = 5; i < grants.length; i++) assert.ok(grants[i]! - grants[i - 5]! >= 300, `window kept: ${grants.join(',')}`);
  assert.ok(grants[11]! < 2 * 300 + 200, `no needless wait: ${grants.join(',')}`);
});

test('a pause (Retry-After) holds every request of the key', async () => {
  const limiter = new RateLimiter({ requests: 100, windowMs: 1000 });
  limiter.pause(250);
  const start = Date.now();
  await limiter.acquire();
  assert.ok(Date.now() - start >= 240);
});

test('an aborted wait rejects at once and frees its place', async () => {
  const limiter = new RateLimiter({ requests: 1, windowMs: 10_000 });
  (await limiter.acquire())();
  const ctrl = new AbortController();
  const waiting = limiter.acquire(ctrl.signal);
  setTimeout(() => ctrl.abort(), 20);
  const start = Date.now();
  await assert.rejects(waiting, /cancelled/);
  assert.ok(Date.now() - start < 200);
  await assert.rejects(limiter.acquire(AbortSignal.abort()), /cancelled/);
});

test('a token comes back a window after its request completed, not after it was sent', async () => {
  const limiter = new RateLimiter({ requests: 1, windowMs: 100 });
  const done = await limiter.acquire();
  const start = Date.now();
  setTimeout(done, 150); // a slow request: the server may have counted it as late as this
  await limiter.acquire();
  assert.ok(Date.now() - start >= 250, `waited ${Date.now() - start} ms`);
});

test('one limiter per key, shared by every client of that key', () => {
  assert.equal(limiterFor('sk_test_same'), limiterFor('sk_test_same'));
  assert.notEqual(limiterFor('sk_test_same'), limiterFor('sk_test_other'));
});
