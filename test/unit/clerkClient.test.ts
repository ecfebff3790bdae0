// The Clerk client against the simulator: complete reads and their request counts, targeted
// reads, faults, 429 storms, cancellation, schema drift, bad keys, secrecy of the key.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ClerkClient, type ClerkClientOptions, type ReadProgress } from '../../src/fdw/clerk/client.js';
import { ClerkApiError } from '../../src/fdw/clerk/errors.js';
import { RateLimiter } from '../../src/fdw/clerk/rateLimiter.js';
import type { OrganizationMembership, User } from '../../src/fdw/clerk/schemas.js';
import { startSimulator, type Simulator } from '../../src/fdw/simulator/index.js';
import { readAll } from '../helpers/readAll.js';

const SIZE = { seed: 7, users: 2_300, orgs: 120, memberships: 1_600 };

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ ...SIZE, rateLimit: false });
});
after(() => sim.close());

/** A client of the development key with a limiter of its own (tests must not share one). */
function client(opts: Partial<ClerkClientOptions> = {}): ClerkClient {
  return new ClerkClient({
    apiUrl: sim.url,
    secretKey: sim.secretKey,
    limiter: new RateLimiter({ requests: 10_000, windowMs: 1_000 }),
    backoffMs: 5,
    ...opts,
  });
}

function fresh(): void {
  sim.log.reset();
  sim.configure({ latencyMs: 0, faultRate: 0, rateLimit: false });
  sim.resetRateLimits();
}

describe('complete reads', () => {
  test('every user, far past 500, equal to the data, in pages of 500 plus one count', async () => {
    fresh();
    const progress: ReadProgress[] = [];
    const rows = (await readAll(client(), { object: 'users' }, { onProgress: (p) => progress.push(p) })) as User[];
    assert.equal(rows.length, SIZE.users);
    assert.equal(new Set(rows.map((r) => r.id)).size, SIZE.users);
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (let i = 0; i < SIZE.users; i += 97) {
      const expected = sim.dataset.user(i)!;
      assert.deepEqual(byId.get(expected.id), expected);
    }
    assert.equal(sim.log.count('GET /v1/users'), Math.ceil(SIZE.users / 500));
    assert.equal(sim.log.count('GET /v1/users/count'), 1);
    assert.ok(sim.log.entries.filter((e) => e.endpoint === 'GET /v1/users').every((e) => e.query.order_by === '+created_at' && e.query.limit === '500'));
    const last = progress.at(-1)!;
    assert.deepEqual([last.rows, last.total, last.requests], [SIZE.users, SIZE.users, 6]);
  });

  test('memberships come from the instance-wide list: one request per 500, not one per organization', async () => {
    fresh();
    const rows = (await readAll(client(), { object: 'organization_memberships' })) as OrganizationMembership[];
    assert.equal(rows.length, SIZE.memberships);
    assert.deepEqual(sim.log.countByEndpoint(), { 'GET /v1/organization_memberships': Math.ceil(SIZE.memberships / 500) });
    assert.ok(
      rows.some((m) => !m.public_user_data),
      'some memberships have no public_user_data',
    );
  });

  test('organizations: total from the first page, members_count included', async () => {
    fresh();
    const rows = await readAll(client(), { object: 'organizations' });
    assert.equal(rows.length, SIZE.orgs);
    assert.equal(sim.log.count('GET /v1/organizations'), 1);
    assert.ok(rows.every((o) => typeof (o as { members_count?: number }).members_count === 'number'));
  });

  test('pages go out in parallel when the total is known', async () => {
    fresh();
    sim.configure({ latencyMs: 400 });
    const start = Date.now();
    await readAll(client(), { object: 'users' });
    const ms = Date.now() - start;
    // Count and 5 pages one after another: >= 2400 ms; count with page 0, then 4 pages at once: ~800 ms.
    assert.ok(ms < 1600, `took ${ms} ms`);
    const times = sim.log.entries.map((e) => e.timestamp);
    assert.ok(Math.max(...times.slice(2)) - Math.min(...times.slice(2)) < 300, 'pages 2-5 sent together');
  });

  test('a plain limit fetches only the rows asked for', async () => {
    fresh();
    const rows = await readAll(client(), { object: 'users' }, { maxRows: 10 });
    assert.equal(rows.length, 10);
    assert.deepEqual(sim.log.countByEndpoint(), { 'GET /v1/users': 1 });
    assert.equal(sim.log.entries[0]!.query.limit, '10');
    fresh();
    assert.equal((await readAll(client(), { object: 'users' }, { maxRows: 1200 })).length, 1200);
    assert.equal(sim.log.count('GET /v1/users'), 3);
  });

  test('a read that stopAfter ends reads pages ahead, delivers them in order, and cancels those past the stop', async () => {
    // 5,000 users, newest update first. Later pages answer sooner (a page at offset o waits
    // 300 - o / 50 ms), so arrival order is not page order; offsets from 3,000 fail with 500.
    const users = Array.from({ length: 5_000 }, (_, i) => ({ id: `user_${String(i).padStart(5, '0')}`, updated_at: 1_000_000 - i }));
    const asked: number[] = [];
    const server = createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      const offset = Number(url.searchParams.get('offset'));
      asked.push(offset);
      setTimeout(
        () => {
          if (offset >= 3_000) {
            res.statusCode = 500;
            return res.end('{"errors":[{"code":"internal","message":"down"}]}');
          }
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify(users.slice(offset, offset + Number(url.searchParams.get('limit')))));
        },
        300 - offset / 50,
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const c = new ClerkClient({ apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, secretKey: 'sk_test_ahead000000000', maxRetries: 0 });
    const read = async (lastOffset: number) => {
      asked.length = 0;
      const stopAt = users[lastOffset]!.updated_at;
      const start = Date.now();
      const pages: string[][] = [];
      for await (const page of c.read(
        { object: 'users', recentlyUpdatedFirst: true },
        { stopAfter: (p) => p.some((u) => (u as User).updated_at! <= stopAt) },
      )) {
        pages.push(page.map((u) => u.id));
      }
      return { ids: pages.flat(), ms: Date.now() - start, requests: asked.length };
    };
    try {
      // The stop is on page 4 (offset 1,500-1,999): pages 0-3 arrive in order, nothing after them.
      const four = await read(1_700);
      assert.deepEqual(
        four.ids,
        users.slice(0, 2_000).map((u) => u.id),
      );
      // One at a time: 4 x ~290 ms. Ahead: pages 0-3 together, ~300 ms.
      assert.ok(four.ms < 700, `took ${four.ms} ms`);
      assert.ok(four.requests <= 8, `${four.requests} requests for 4 pages`);
      // Pages past the stop fail (offsets >= 3,000): they are cancelled or ignored, the read succeeds.
      const six = await read(2_600);
      assert.deepEqual(
        six.ids,
        users.slice(0, 3_000).map((u) => u.id),
      );
      assert.ok(
        asked.some((o) => o >= 3_000),
        'a page past the stop was asked for',
      );
      // A failing page the read needs fails it.
      await assert.rejects(read(3_200), (err: Error) => err instanceof ClerkApiError && /offset 3000/.test(err.message) && /500/.test(err.message));
    } finally {
      server.close();
    }
  });

  test('rows created during the read are picked up, none is repeated', async () => {
    const mutating = await startSimulator({ seed: 9, users: 1_400, orgs: 5, memberships: 10, rateLimit: false });
    try {
      let added = false;
      mutating.configure({
        onRequest: (r) => {
          if (!added && r.endpoint === 'GET /v1/users' && r.query.offset === '500') {
            added = true;
            mutating.addUsers(120);
          }
        },
      });
      const c = new ClerkClient({
        apiUrl: mutating.url,
        secretKey: mutating.secretKey,
        limiter: new RateLimiter({ requests: 1000, windowMs: 1000 }),
        concurrency: 1,
      });
      const rows = await readAll(c, { object: 'users' });
      assert.equal(new Set(rows.map((r) => r.id)).size, rows.length);
      assert.equal(rows.length, 1_520);
    } finally {
      await mutating.close();
    }
  });

  test('rows deleted during the read fail it, naming the counts: the rows they shifted were skipped, and those delivered cannot be taken back', async () => {
    const mutating = await startSimulator({ seed: 9, users: 1_400, orgs: 5, memberships: 10, rateLimit: false });
    try {
      const victims = [...mutating.dataset.users()].slice(0, 10).map((u) => u.id);
      let removed = false;
      mutating.configure({
        onRequest: (r) => {
          if (!removed && r.endpoint === 'GET /v1/users' && r.query.offset === '500') {
            removed = true;
            mutating.removeUsers(victims);
          }
        },
      });
      const c = new ClerkClient({
        apiUrl: mutating.url,
        secretKey: mutating.secretKey,
        limiter: new RateLimiter({ requests: 1000, windowMs: 1000 }),
        concurrency: 1,
      });
      await assert.rejects(
        readAll(c, { object: 'users' }),
        /users, GET \/v1\/users: Clerk reports 1390 rows but served 1400 different ones: rows were deleted during the read \(run it again\)/,
      );
    } finally {
      await mutating.close();
    }
  });
});

describe('targeted reads (filter pushdown)', () => {
  test('by ids: chunks of 100, no count request', async () => {
    fresh();
    const ids = Array.from({ length: 150 }, (_, i) => sim.dataset.user(i * 3)!.id);
    const rows = await readAll(client(), { object: 'users', filter: { user_id: ids } });
    assert.deepEqual(rows.map((r) => r.id).sort(), [...ids].sort());
    assert.deepEqual(sim.log.countByEndpoint(), { 'GET /v1/users': 2 });
  });

  test('a point lookup by email or username costs one request', async () => {
    const user = [...Array(200).keys()].map((i) => sim.dataset.user(i)!).find((u) => u.username && (u.email_addresses?.length ?? 0) > 0)!;
    fresh();
    const byEmail = await readAll(client(), { object: 'users', filter: { email_address: [user.email_addresses![0]!.email_address] } });
    assert.deepEqual(
      byEmail.map((r) => r.id),
      [user.id],
    );
    const byName = await readAll(client(), { object: 'users', filter: { username: [user.username!] } });
    assert.deepEqual(
      byName.map((r) => r.id),
      [user.id],
    );
    assert.equal(sim.log.entries.length, 2);
  });

  test('a created_at range returns exactly the users inside it', async () => {
    fresh();
    const all = (await readAll(client(), { object: 'users' })) as User[];
    const times = all.map((u) => u.created_at!).sort((a, b) => a - b);
    const [after, before] = [times[300]!, times[1900]!];
    const rows = (await readAll(client(), { object: 'users', filter: { created_at_after: after, created_at_before: before } })) as User[];
    assert.equal(rows.length, all.filter((u) => u.created_at! > after && u.created_at! < before).length);
    assert.ok(rows.every((u) => u.created_at! > after && u.created_at! < before));
  });

  test('memberships of one organization, of one user, and of an unknown organization', async () => {
    fresh();
    const all = (await readAll(client(), { object: 'organization_memberships' })) as OrganizationMembership[];
    const orgId = all[0]!.organization!.id;
    sim.log.reset();
    const ofOrg = (await readAll(client(), { object: 'organization_memberships', filter: { organization_id: [orgId] } })) as OrganizationMembership[];
    assert.equal(ofOrg.length, all.filter((m) => m.organization!.id === orgId).length);
    assert.deepEqual(Object.keys(sim.log.countByEndpoint()), ['GET /v1/organizations/{organization_id}/memberships']);
    const userId = all.find((m) => m.public_user_data)!.public_user_data!.user_id;
    const ofUser = (await readAll(client(), { object: 'organization_memberships', filter: { user_id: [userId] } })) as OrganizationMembership[];
    assert.equal(ofUser.length, all.filter((m) => m.public_user_data?.user_id === userId).length);
    assert.deepEqual(await readAll(client(), { object: 'organization_memberships', filter: { organization_id: ['org_doesnotexist'] } }), []);
  });
});

describe('faults and rate limits', () => {
  test('500s, resets and cut-off bodies are retried; the result is complete', async () => {
    fresh();
    sim.injectFaults(['500', 'reset', 'truncate', '500']);
    let last: ReadProgress | undefined;
    const rows = await readAll(client(), { object: 'users' }, { onProgress: (p) => (last = p) });
    assert.equal(rows.length, SIZE.users);
    assert.equal(last!.retries, 4);
  });

  test('a random fault rate of 20% still gives every row', async () => {
    fresh();
    sim.configure({ faultRate: 0.2 });
    const rows = await readAll(client({ maxRetries: 8 }), { object: 'organization_memberships' });
    assert.equal(rows.length, SIZE.memberships);
  });

  test('a persistent failure is an error naming object, page, status, Clerk code and trace id', async () => {
    fresh();
    sim.configure({ faultRate: 1, faultKinds: ['500'] });
    const err = await readAll(client({ maxRetries: 2 }), { object: 'organizations' }).then(
      () => assert.fail('expected an error'),
      (e: unknown) => e as ClerkApiError,
    );
    assert.ok(err instanceof ClerkApiError);
    assert.match(err.message, /organizations, page 1 \(offset 0\), GET \/v1\/organizations failed after 3 attempts: HTTP 500 internal_clerk_error/);
    assert.match(err.message, /trace id \S+/);
    assert.equal(sim.log.count(), 3);
    sim.configure({ faultRate: 0, faultKinds: ['500', 'reset', 'truncate'] });
  });

  test('a 429 storm is waited out with Retry-After, not counted as failure', async () => {
    fresh();
    sim.inject429(3, 1);
    const start = Date.now();
    let last: ReadProgress | undefined;
    const rows = await readAll(client({ maxRetries: 0 }), { object: 'organizations' }, { onProgress: (p) => (last = p) });
    assert.equal(rows.length, SIZE.orgs);
    assert.equal(last!.throttled, 3);
    assert.ok(Date.now() - start >= 1000, 'Retry-After was honoured');
  });

  test('within the key limit no 429 is ever sent back', async () => {
    fresh();
    sim.configure({ rateLimit: { test: 4, windowMs: 500 } });
    const c = client({ limiter: new RateLimiter({ requests: 4, windowMs: 500 }) });
    const start = Date.now();
    const rows = await readAll(c, { object: 'users' }); // 6 requests at 4 per 500 ms
    assert.equal(rows.length, SIZE.users);
    assert.equal(sim.log.count(undefined, 429), 0);
    assert.ok(Date.now() - start >= 500);
  });

  test('cancellation stops every in-flight and queued request at once, and nothing is retried', async () => {
    fresh();
    sim.configure({ latencyMs: 150 });
    const ctrl = new AbortController();
    const c = client({ concurrency: 2 });
    const reading = readAll(c, { object: 'users' }, { signal: ctrl.signal });
    let abortedAt = 0;
    setTimeout(() => {
      abortedAt = Date.now();
      ctrl.abort();
    }, 200);
    await assert.rejects(reading, { name: 'AbortError' });
    assert.ok(abortedAt > 0 && Date.now() - abortedAt < 50, 'rejected at once');
    // Requests already on the wire may still arrive; nothing queued or retried goes out later.
    await new Promise((r) => setTimeout(r, 300));
    const sent = sim.log.count();
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(sim.log.count(), sent, 'no request after the abort');
    assert.ok(sent < 6, `${sent} requests`);
  });
});

describe('bad input and secrecy', () => {
  test('a wrong key gets Clerk 401 as an error without the key', async () => {
    const wrong = 'sk_test_WrongWrongWrongWrongWrong123';
    const err = await readAll(client({ secretKey: wrong }), { object: 'users' }).then(
      () => assert.fail('expected an error'),
      (e: unknown) => e as Error,
    );
    assert.match(err.message, /HTTP 401 clerk_key_invalid/);
    assert.ok(!err.message.includes(wrong) && !JSON.stringify(err).includes(wrong) && !String(err.stack).includes(wrong));
  });

  test('a malformed key and a non-loopback http URL are refused before any request', () => {
    assert.throws(() => new ClerkClient({ secretKey: 'pk_test_x' }), /sk_test_ or sk_live_/);
    assert.throws(() => new ClerkClient({ secretKey: sim.secretKey, apiUrl: 'http://example.com/v1' }), /plain http/);
  });

  test('the key appears in no error, progress or thrown message of a failing read', async () => {
    fresh();
    sim.configure({ faultRate: 1, faultKinds: ['reset'] });
    const texts: string[] = [];
    await readAll(client({ maxRetries: 1 }), { object: 'users' }, { onProgress: (p) => texts.push(JSON.stringify(p)) }).catch((e: Error) =>
      texts.push(e.message, String(e.stack), JSON.stringify(e)),
    );
    sim.configure({ faultRate: 0 });
    assert.ok(texts.length > 1);
    for (const t of texts) assert.ok(!t.includes(sim.secretKey), t);
  });

  test('schema drift: a mistyped field names the object id and the field path', async () => {
    const server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url!.startsWith('/v1/users/count')) return res.end('{"object":"total_count","total_count":2}');
      res.end(JSON.stringify([{ id: 'user_ok' }, { id: 'user_bad', email_addresses: [{ id: 'idn_1', email_address: 42 }] }]));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const c = new ClerkClient({ apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, secretKey: 'sk_test_drift0000000000' });
      await assert.rejects(readAll(c, { object: 'users' }), (e: Error) => {
        assert.match(
          e.message,
          /users, page 1 \(offset 0\), GET \/v1\/users: user "user_bad" field email_addresses\[0\]\.email_address: Invalid input: expected string, received number/,
        );
        return true;
      });
    } finally {
      server.close();
    }
  });
});

describe('scale', () => {
  test('100,000 users stream in 202 requests with every row once', async () => {
    const big = await startSimulator({ seed: 3, users: 100_000, orgs: 10, memberships: 10, rateLimit: false });
    try {
      const c = new ClerkClient({ apiUrl: big.url, secretKey: big.liveKey, limiter: new RateLimiter({ requests: 10_000, windowMs: 1000 }) });
      const seen = new Set<string>();
      let batches = 0;
      const baseline = process.memoryUsage().heapUsed;
      let peak = 0;
      for await (const batch of c.read({ object: 'users' })) {
        batches++;
        for (const u of batch) seen.add(u.id);
        peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
      }
      assert.equal(seen.size, 100_000);
      assert.equal(batches, 200);
      // 200 full pages, the empty one that ends the read (paging ends only at a page that is
      // not full, never at the total alone), and the count.
      assert.equal(big.log.count('GET /v1/users', 200) + big.log.count('GET /v1/users/count', 200), 202);
      // All 100,000 users as objects would take well over 1 GB; a few pages at a time, far less.
      assert.ok(peak < 400 * 2 ** 20, `heap grew by ${(peak / 2 ** 20).toFixed(0)} MB`);
    } finally {
      await big.close();
    }
  });
});
