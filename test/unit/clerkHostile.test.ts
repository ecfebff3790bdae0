// The client and the runtime against a hostile Clerk API (test/helpers/hostileClerk.ts): a read
// returns every row or fails naming the table, the request and what was inconsistent; paging
// that does not advance fails; every request has a deadline and every wait a ceiling; values
// that cannot be loaded name their row and column.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ClerkClient, type ClerkClientOptions } from '../../src/fdw/clerk/client.js';
import type { ReadRequest } from '../../src/fdw/clerk/reads.js';
import { RateLimiter } from '../../src/fdw/clerk/rateLimiter.js';
import { CellError, Runtime } from '../../src/fdw/runtime/runtime.js';
import { EnvironmentSecretStore } from '../../src/fdw/runtime/secrets.js';
import { startHostileClerk, type HostileClerk } from '../helpers/hostileClerk.js';
import { readAll } from '../helpers/readAll.js';

let api: HostileClerk;
before(async () => {
  api = await startHostileClerk({ users: 1_200, organizations: { org_a: 600, org_b: 600, org_c: 3 } });
});
after(() => api.close());

function fresh(hostility: Parameters<HostileClerk['configure']>[0] = {}): void {
  api.requests.length = 0;
  api.configure(hostility);
}

/** A client with a limiter of its own and short waits; any read still running after 10 s is stopped. */
function client(opts: Partial<ClerkClientOptions> = {}): ClerkClient {
  return new ClerkClient({ apiUrl: api.url, secretKey: api.secretKey, limiter: new RateLimiter({ requests: 10_000, windowMs: 1_000 }), backoffMs: 1, ...opts });
}

function read(req: ReadRequest, opts: Partial<ClerkClientOptions> = {}) {
  return readAll(client(opts), req, { signal: AbortSignal.timeout(10_000) });
}

/** The error a read fails with (an AbortError means it did not end by itself within 10 s). */
async function failure(req: ReadRequest, opts: Partial<ClerkClientOptions> = {}): Promise<Error> {
  return read(req, opts).then(
    (rows) => assert.fail(`expected an error, got ${rows.length} rows`),
    (e: unknown) => e as Error,
  );
}

const twoOrgs: ReadRequest = { object: 'organization_memberships', filter: { organization_id: ['org_a', 'org_b'] } };
const ids = (n: number) => Array.from({ length: n }, (_, i) => `user_${i}`);

describe('multi-source reads are checked as strictly as single-source ones', () => {
  test('a row missing from each of two organizations fails the read, naming the request and the counts', async () => {
    fresh({
      hide: [
        { id: 'orgmem_org_a_550', times: Infinity },
        { id: 'orgmem_org_b_10', times: Infinity },
      ],
    });
    const err = await failure(twoOrgs);
    assert.match(err.message, /organization_memberships, GET \/v1\/organizations\/org_(a|b)\/memberships: Clerk reports 600 rows but 599 could be read/);
  });

  test('a row missing from the memberships of one of 101 users fails the read', async () => {
    fresh({ hide: [{ id: 'orgmem_org_b_77', times: Infinity }] });
    const err = await failure({ object: 'organization_memberships', filter: { user_id: ids(101) } });
    assert.match(err.message, /GET \/v1\/users\/user_77\/organization_memberships: Clerk reports 2 rows but 1 could be read/);
  });

  test('a row missed by the first pass is found by the second look: every row, once', async () => {
    // Hidden from the first pass's pages of both lists (2 each), served from then on.
    fresh({
      hide: [
        { id: 'orgmem_org_a_550', times: 2 },
        { id: 'orgmem_org_b_10', times: 2 },
      ],
    });
    const rows = await read(twoOrgs);
    assert.equal(rows.length, 1_200);
    assert.equal(new Set(rows.map((r) => r.id)).size, 1_200);
  });
});

describe('totals that lie', () => {
  test('a count lower than the rows served fails instead of truncating to it (users, /users/count)', async () => {
    fresh({ total: (_list, real) => real - 200 });
    const err = await failure({ object: 'users' });
    assert.match(err.message, /users, GET \/v1\/users: Clerk reports 1000 rows but served 1200 different ones/);
  });

  test('a total_count lower than the rows served fails (the list envelope)', async () => {
    fresh({ total: () => 1_000 });
    const err = await failure({ object: 'organization_memberships' });
    assert.match(err.message, /GET \/v1\/organization_memberships: Clerk reports 1000 rows but served 1203 different ones/);
  });

  test('a total_count of 2^53-1 is an inconsistency naming the request, not "Invalid array length"', async () => {
    fresh({ total: () => Number.MAX_SAFE_INTEGER });
    const err = await failure({ object: 'organization_memberships', filter: { organization_id: ['org_a'] } });
    assert.match(err.message, /GET \/v1\/organizations\/org_a\/memberships: Clerk reports 9007199254740991 rows but 600 could be read/);
    // Two passes, each page 0 and at most 8 pages (the concurrency) ahead of the short one.
    assert.ok(api.requests.length <= 18, `${api.requests.length} requests`);
  });
});

describe('paging that does not advance', () => {
  test('a list that ignores offset (total_count 0) fails after a few requests', async () => {
    fresh({ ignoreOffset: true, total: () => 0 });
    const err = await failure({ object: 'organization_memberships' });
    assert.match(err.message, /GET \/v1\/organization_memberships: paging does not advance: page 2 \(offset 500\) held only rows already read/);
    assert.ok(api.requests.length < 10, `${api.requests.length} requests`);
  });

  test('a list that ignores offset under an id filter (no total) fails after a few requests', async () => {
    fresh({ ignoreOffset: true });
    const err = await failure({ object: 'users', filter: { user_id: ids(100) } });
    assert.match(err.message, /users, GET \/v1\/users: paging does not advance: page 2 \(offset 500\) held only rows already read/);
    assert.ok(api.requests.length < 10, `${api.requests.length} requests`);
  });

  test('a page served twice once: the second look reads every row', async () => {
    fresh({ repeatPage: { list: 'organization_memberships', offset: 500, times: 1 } });
    const rows = await read({ object: 'organization_memberships' });
    assert.equal(new Set(rows.map((r) => r.id)).size, 1_203);
  });

  test('a page served twice every time fails', async () => {
    fresh({ repeatPage: { list: 'organization_memberships', offset: 500, times: Infinity } });
    const err = await failure({ object: 'organization_memberships' });
    assert.match(err.message, /paging does not advance: page 2 \(offset 500\) held only rows already read/);
  });
});

describe('every request has a deadline, every wait a ceiling', () => {
  test('a body trickled a byte at a time fails at the request deadline, headers and body together', async () => {
    fresh({ trickleMs: 20 });
    const started = Date.now();
    const err = await failure({ object: 'organizations' }, { timeoutMs: 300, maxRetries: 1 });
    assert.match(err.message, /organizations, page 1 \(offset 0\), GET \/v1\/organizations failed after 2 attempts: no complete response within 0\.3 s/);
    assert.ok(Date.now() - started < 2_000, `${Date.now() - started} ms`);
  });

  test("an absurd Retry-After fails at once with Clerk's text", async () => {
    for (const retryAfter of ['999999999', new Date(Date.now() + 365 * 86_400_000).toUTCString()]) {
      fresh({ retryAfter });
      const started = Date.now();
      const err = await failure({ object: 'organizations' });
      assert.match(
        err.message,
        /organizations, page 1 \(offset 0\), GET \/v1\/organizations rate limited: HTTP 429 too_many_requests: Too many requests, retry later \(trace id trace_hostile\); Clerk asks to wait \d+ s, more than the 60 s a request waits/,
      );
      assert.ok(Date.now() - started < 1_000, `${Date.now() - started} ms`);
      assert.deepEqual(api.requests, [{ path: 'organizations', status: 429 }]);
    }
  });

  test('a body larger than the limit fails naming the limit, without being retried', async () => {
    fresh({ pageBody: () => JSON.stringify({ data: [{ id: 'org_big', name: 'x'.repeat(3 * 2 ** 20) }], total_count: 1 }) });
    const err = await failure({ object: 'organizations' }, { maxBodyBytes: 2 ** 20 });
    assert.match(err.message, /organizations, page 1 \(offset 0\), GET \/v1\/organizations failed: the response body is larger than 1 MB/);
    assert.deepEqual(api.requests, [{ path: 'organizations', status: 200 }]);
  });
});

describe('the runtime names the foreign table, the row and the column', () => {
  let rt: Runtime;
  before(async () => {
    rt = await Runtime.start({
      secrets: new EnvironmentSecretStore(api.secretKey, new URL(api.url).origin),
      apiUrlOverride: api.url,
      rateLimit: { requests: 100_000, windowMs: 1_000 },
    });
    await rt.execute(`create foreign data wrapper w handler clerk_fdw_handler validator clerk_fdw_validator;
create server s foreign data wrapper w options (api_key '<clerk secret key>');
create foreign table clerk_members (id text, user_id text, organization_id text) server s options (object 'organization_memberships');
create foreign table clerk_users (user_id text, last_sign_in_at timestamptz, unsafe_metadata jsonb) server s options (object 'users');`);
  });
  after(() => rt.close());

  async function cellError(sql: string): Promise<CellError> {
    return rt.execute(sql, { refresh: true }).then(
      (r) => assert.fail(`expected an error, got ${r.at(-1)?.rowCount} rows`),
      (e: unknown) => {
        assert.ok(e instanceof CellError, String(e));
        return e;
      },
    );
  }

  test("where organization_id in ('org_a','org_b') with a row missing from each fails, naming the table", async () => {
    fresh({
      hide: [
        { id: 'orgmem_org_a_550', times: Infinity },
        { id: 'orgmem_org_b_10', times: Infinity },
      ],
    });
    const err = await cellError("select count(*) from clerk_members where organization_id in ('org_a', 'org_b')");
    assert.equal(err.code, 'HV000');
    assert.match(
      err.message,
      /^foreign table "clerk_members": Clerk API organization_memberships, GET \/v1\/organizations\/org_(a|b)\/memberships: Clerk reports 600 rows but 599 could be read/,
    );
  });

  test('a timestamp out of Postgres range names the user and the column', async () => {
    fresh({
      pageBody: (list) =>
        list === 'users'
          ? JSON.stringify([
              { id: 'user_ok', last_sign_in_at: 1 },
              { id: 'user_ancient', last_sign_in_at: -9e14 },
            ])
          : undefined,
      total: () => 2,
    });
    const err = await cellError('select * from clerk_users');
    assert.equal(err.code, '22008');
    assert.match(
      err.message,
      /^foreign table "clerk_users": user "user_ancient", column last_sign_in_at: -900000000000000 milliseconds is outside the range of timestamptz \(4713 BC to 294276 AD\)/,
    );
  });

  test('JSON nested too deeply to convert names the user and the column', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    fresh({ pageBody: (list) => (list === 'users' ? `[{"id":"user_deep","unsafe_metadata":{"a":${deep}}}]` : undefined), total: () => 1 });
    const err = await cellError('select * from clerk_users');
    assert.match(
      err.message,
      /^foreign table "clerk_users": user "user_deep", column unsafe_metadata: the JSON value is nested 100001 levels deep, too deep to convert/,
    );
  });
});
