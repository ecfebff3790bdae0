import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '../../src/fdw/db/database.ts';
import { DbCancelledError, DbClosedError } from '../../src/fdw/db/errors.ts';

test('cancel stops a long statement; committed data survives, the interrupted transaction does not', async () => {
  const db = await Database.open();
  try {
    // With nothing running, cancel changes nothing: the session (and its temporary table) stays.
    await db.exec('create temporary table session_state (n int)');
    await db.cancel();
    assert.deepEqual((await db.query('select count(*) from session_state')).rows, [[0n]]);

    await db.exec('create table kept as select generate_series(1, 1000) as n');
    await db.exec('begin; create table abandoned (n int); insert into kept values (0)');
    const long = db.query('select count(*) from generate_series(1, 1e9)');
    const queued = db.query('select 1');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = performance.now();
    await db.cancel();
    await assert.rejects(long, DbCancelledError);
    await assert.rejects(queued, DbCancelledError);
    const cancelMs = performance.now() - started;
    assert.ok(cancelMs < 2000, `cancel took ${cancelMs} ms`);

    const after = performance.now();
    assert.deepEqual((await db.query('select count(*) from kept')).rows, [[1000n]]);
    const reopenMs = performance.now() - after;
    await assert.rejects(db.query('select * from abandoned'), /relation "abandoned" does not exist/);
    assert.equal((await db.openInfo).initializedFrom, 'existing', 'the replacement worker reopens the same directory');
    console.log(`cancel: ${cancelMs.toFixed(0)} ms, first query on the new worker: ${reopenMs.toFixed(0)} ms`);
  } finally {
    await db.close();
  }
});

test('a database in a directory survives close and reopen', async () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'clerk-sql-test-')), 'db');
  try {
    const first = await Database.open({ dataDir });
    assert.equal((await first.openInfo).initializedFrom, 'template');
    await first.exec(`create table snapshot as select n, 'user ' || n as name from generate_series(1, 100) as n`);
    await first.close();
    await assert.rejects(first.query('select 1'), DbClosedError);

    const second = await Database.open({ dataDir });
    try {
      await assert.rejects(Database.open({ dataDir }), /is already open/, 'one Database per directory');
      assert.equal((await second.openInfo).initializedFrom, 'existing');
      assert.deepEqual((await second.query('select count(*), max(name) from snapshot')).rows, [[100n, 'user 99']]);
    } finally {
      await second.close();
    }
  } finally {
    rmSync(join(dataDir, '..'), { recursive: true, force: true });
  }
});

test('a directory that holds something else is not taken over', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clerk-sql-test-'));
  try {
    writeFileSync(join(dataDir, 'notes.txt'), 'mine');
    await assert.rejects(Database.open({ dataDir }), /neither empty nor a database directory/);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
