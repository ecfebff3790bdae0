// The hosted runtime's thread: an abort on the caller's side stops the fetch and the statement in
// the worker promptly; a thread that dies (here: out of memory under a small heap limit) fails
// the pending call with RuntimeStoppedError and the next statement runs in a new thread; a result
// too large for the database thread fails only its statement.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostedRuntime, RuntimeStoppedError } from '../../src/fdw/host/hostedRuntime.js';
import { CellError } from '../../src/fdw/runtime/runtime.js';
import { EnvironmentSecretStore } from '../../src/fdw/runtime/secrets.js';
import { startSimulator, type Simulator } from '../../src/fdw/simulator/index.js';

const SETUP = `create foreign data wrapper clerk_wrapper handler clerk_fdw_handler validator clerk_fdw_validator;
create server my_clerk_server foreign data wrapper clerk_wrapper;
create foreign table clerk_users (user_id text) server my_clerk_server options (object 'users')`;

let sim: Simulator;
let rt: HostedRuntime;

before(async () => {
  sim = await startSimulator({ seed: 3, users: 2_000, orgs: 20, memberships: 100, rateLimit: false });
  rt = await HostedRuntime.start({
    secrets: new EnvironmentSecretStore(sim.secretKey, new URL(sim.url).origin),
    apiUrlOverride: sim.url,
    // Small enough that a 200 MB result exhausts it, large enough for the runtime itself.
    resourceLimits: { maxOldGenerationSizeMb: 64 },
  });
  await rt.execute(SETUP);
});
after(async () => {
  await rt?.close();
  await sim?.close();
});

const cancelled = (e: unknown) => e instanceof CellError && e.code === '57014';

describe('cancellation', () => {
  test('an abort stops a slow fetch promptly; the runtime stays usable', async () => {
    sim.configure({ latencyMs: 2_000 });
    rt.invalidate();
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 300);
    const started = Date.now();
    try {
      await assert.rejects(rt.execute('select count(*) from clerk_users', { signal: abort.signal }), cancelled);
      // One page takes 2 s: rejecting well before it means the abort reached the reads.
      assert.ok(Date.now() - started < 1_500, `took ${Date.now() - started} ms`);
    } finally {
      sim.configure({ latencyMs: 0 });
    }
    assert.equal((await rt.execute('select count(*) from clerk_users'))[0]!.rows[0]![0], 2_000n);
  });

  test('an abort stops a long statement in Postgres', async () => {
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 300);
    await assert.rejects(rt.execute('select count(*) from generate_series(1, 1e10)', { signal: abort.signal }), cancelled);
  });

  test('an already aborted signal runs nothing', async () => {
    const abort = new AbortController();
    abort.abort();
    await assert.rejects(rt.execute('create table never (x int)', { signal: abort.signal }), (e) => cancelled(e) && (e as CellError).statement === 0);
    await assert.rejects(rt.execute('select * from never'), (e) => e instanceof CellError && e.code === '42P01');
  });
});

describe('out of memory', () => {
  test('a result too large for the database thread fails the statement; the runtime and its tables stay', async () => {
    // The database thread gets the heap of the thread that starts it: 64 MB here.
    await assert.rejects(rt.execute("select repeat('x', 1000000) || g from generate_series(1, 200) g"), (e) => {
      assert.ok(e instanceof CellError, String(e));
      assert.equal(e.code, '53200');
      assert.match(e.message, /^out of memory$/);
      return true;
    });
    assert.equal((await rt.execute('select count(*) from clerk_users'))[0]!.rows[0]![0], 2_000n);
  });

  test('a thread that dies fails the pending call clearly, and the next statement runs in a new thread', async () => {
    // Each result fits in the database thread; the runtime's thread keeps every one (all rows
    // but the first, until released), and runs out.
    await assert.rejects(
      (async () => {
        for (let i = 0; i < 20; i++) await rt.execute("select repeat('x', 1000000) || g from generate_series(1, 20) g", { sendRows: 1 });
      })(),
      (e) => {
        assert.ok(e instanceof RuntimeStoppedError, String(e));
        assert.match(e.message, /stopped unexpectedly \(.*memory.*\); the next statement starts a new runtime/);
        return true;
      },
    );
    // A new thread, with a new database: the notebook's tables were in the old one.
    assert.deepEqual((await rt.execute('select 1 as one'))[0]!.rows, [[1]]);
    await assert.rejects(rt.execute('select * from clerk_users'), (e) => e instanceof CellError && e.code === '42P01');
    await rt.execute(SETUP);
    assert.equal((await rt.execute('select count(*) from clerk_users'))[0]!.rows[0]![0], 2_000n);
  });
});

describe('a data directory', () => {
  test('is opened by one runtime at a time, though each runs in its own thread', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clerk-host-'));
    const options = { secrets: new EnvironmentSecretStore(undefined, sim.url), dataDir: join(dir, 'db') };
    try {
      const first = await HostedRuntime.start(options);
      try {
        await assert.rejects(HostedRuntime.start(options), /is already open/);
        await first.execute('create table kept as select 42 as answer');
      } finally {
        await first.close();
      }
      const second = await HostedRuntime.start(options);
      try {
        assert.deepEqual((await second.execute('select answer from kept'))[0]!.rows, [[42]]);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
