// A temporary embedded database starts while the notebook's first statements run: the FDW DDL of
// a new database waits for nothing, and the first foreign table's pages are fetched (ahead of its
// COPY) before the database is up. What may fail on a new database is not deferred.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CellError, Runtime } from '../../src/fdw/runtime/runtime.js';
import { EnvironmentSecretStore } from '../../src/fdw/runtime/secrets.js';
import { startSimulator, type Simulator } from '../../src/fdw/simulator/index.js';

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 21, users: 3_000, orgs: 5, memberships: 5, rateLimit: false, latencyMs: 5 });
});
after(() => sim.close());

const start = () => Runtime.start({ secrets: new EnvironmentSecretStore(sim.secretKey, new URL(sim.url).origin), apiUrlOverride: sim.url });

const SETUP = `create foreign data wrapper clerk_wrapper handler clerk_fdw_handler validator clerk_fdw_validator;
create server my_clerk_server foreign data wrapper clerk_wrapper options (api_key '<clerk secret Key>');
create foreign table clerk_users (user_id text, email text, created_at bigint) server my_clerk_server options (object 'users');`;

test("the first foreign table's pages are fetched while the database starts, and every row arrives", async () => {
  let firstRequest: number | undefined;
  sim.configure({ onRequest: (r) => void (r.endpoint.startsWith('GET /v1/users') && (firstRequest ??= performance.now())) });
  const runtime = await start();
  let startedAt: number | undefined;
  const started = runtime.started.then(() => (startedAt = performance.now()));
  try {
    await runtime.execute(SETUP);
    const [count] = await runtime.execute('select count(*), count(distinct user_id) from clerk_users');
    assert.deepEqual(count!.rows, [[3000n, 3000n]]);
    await started;
    assert.ok(firstRequest !== undefined && startedAt !== undefined);
    assert.ok(firstRequest < startedAt, `first request ${(startedAt - firstRequest).toFixed(0)} ms before the database was up`);
    // The deferred DDL and catalog save ran: the table is there and the catalog knows it.
    const [tables] = await runtime.execute("select count(*) from clerk_fdw.catalog where state::text like '%clerk_users%'");
    assert.deepEqual(tables!.rows, [[1n]]);
  } finally {
    sim.configure({ onRequest: undefined });
    await runtime.close();
  }
});

test('DDL that could fail on a new database waits for it, and fails at its own statement', async () => {
  const runtime = await start();
  try {
    await runtime.execute(SETUP.split('\n').slice(0, 2).join('\n'));
    await assert.rejects(
      runtime.execute(`create foreign table nosuch.clerk_users (user_id text) server my_clerk_server options (object 'users')`),
      (err: unknown) => err instanceof CellError && err.code === '3F000' && /schema "nosuch" does not exist/.test(err.message),
    );
    // The runtime goes on: the catalog did not keep the table.
    await runtime.execute(`create foreign table clerk_users (user_id text) server my_clerk_server options (object 'users')`);
    const [count] = await runtime.execute('select count(*) from clerk_users');
    assert.deepEqual(count!.rows, [[3000n]]);
  } finally {
    await runtime.close();
  }
});

test('a statement cancelled while the database starts is cancelled, and the runtime goes on', async () => {
  const runtime = await start();
  try {
    await runtime.execute(SETUP);
    const abort = new AbortController();
    const running = runtime.execute('select count(*) from clerk_users', { signal: abort.signal });
    abort.abort();
    await assert.rejects(running, (err: unknown) => err instanceof CellError && err.code === '57014');
    const [count] = await runtime.execute('select count(*) from clerk_users');
    assert.deepEqual(count!.rows, [[3000n]]);
  } finally {
    await runtime.close();
  }
});
