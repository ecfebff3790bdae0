// The database engine pushed past its limits: runaway recursion, a thread out of memory, a
// statement that runs or spills too long fail the statement, every time, and leave the database
// usable; no setting a notebook makes can keep the database from opening.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '../../src/fdw/db/database.js';
import { DbError } from '../../src/fdw/db/errors.js';

let db: Database;
before(async () => {
  db = await Database.open();
  await db.exec(`
    create function recurse(n int) returns int language plpgsql as $$ begin return recurse(n + 1); end $$;
    create function recurse_rows() returns setof int language plpgsql as $$ begin return query select * from recurse_rows(); end $$;
    create function recurse_sql(n int) returns int language sql as $$ select case when n < 0 then 0 else recurse_sql(n + 1) end $$;
    create table kept as select 42 as answer`);
});
after(async () => {
  await db.close();
});

function stackDepthExceeded(error: unknown): boolean {
  assert.ok(error instanceof DbError, String(error));
  assert.equal(error.code, '54001', error.message);
  assert.equal(error.message, 'stack depth limit exceeded');
  return true;
}

test('infinite recursion fails with "stack depth limit exceeded" every time, and the database stays usable', async () => {
  const attempts: [string, number][] = [
    ['select recurse(1)', 6],
    ['select * from recurse_rows()', 3],
    [`select (repeat('[', 200000) || repeat(']', 200000))::jsonb`, 6],
    ['select recurse_sql(1)', 1],
  ];
  for (const [sql, times] of attempts) {
    for (let attempt = 0; attempt < times; attempt++) {
      await assert.rejects(db.query(sql), stackDepthExceeded, `${sql}, attempt ${attempt + 1}`);
      assert.deepEqual((await db.query('select answer from kept')).rows, [[42]]);
    }
  }
});

test('a stack overflow Postgres does not catch first (max_stack_depth raised) fails the statement and reopens the database', async () => {
  for (let attempt = 0; attempt < 2; attempt++) {
    await db.exec(`set max_stack_depth = '7680kB'`);
    await assert.rejects(db.query(`select (repeat('[', 3000000) || repeat(']', 3000000))::jsonb`), (error: DbError) => {
      stackDepthExceeded(error);
      assert.match(error.detail!, /native stack ran out before Postgres's own limit \(max_stack_depth\).*The database was reopened/);
      return true;
    });
    assert.deepEqual((await db.query('show max_stack_depth')).rows, [['2MB']], 'a new session');
    assert.deepEqual((await db.query('select answer from kept')).rows, [[42]]);
  }
});

test('a database thread out of memory fails the statement with a clear error, and the next one runs', async () => {
  const small = await Database.open({ heapLimitMb: 64 });
  try {
    await small.exec('create table kept as select 7 as n');
    await assert.rejects(small.query(`select repeat('x', 1000000) from generate_series(1, 300)`), (error: DbError) => {
      assert.ok(error instanceof DbError);
      assert.equal(error.code, '53200');
      assert.equal(error.message, 'out of memory');
      assert.match(error.detail!, /used all of its 64 MB of heap/);
      return true;
    });
    assert.deepEqual((await small.query('select n from kept')).rows, [[7]]);
  } finally {
    await small.close();
  }
});

test('a statement timeout stops a runaway statement (each page of a stream too), and the next statement runs', async () => {
  const limited = await Database.open({ statementTimeoutMs: 1500 });
  try {
    await limited.exec('create table kept as select 7 as n');
    const started = performance.now();
    await assert.rejects(limited.query('with recursive r(n) as (select 1 union all select n + 1 from r) select count(*) from r'), (error: DbError) => {
      assert.equal(error.code, '57014');
      assert.equal(error.message, 'canceling statement due to statement timeout');
      return true;
    });
    assert.ok(performance.now() - started < 5000, `stopped after ${performance.now() - started} ms`);
    await assert.rejects(
      limited.stream('select count(*) from generate_series(1, 1000000000)', async (pages) => {
        for await (const page of pages) void page;
      }),
      /statement timeout/,
    );
    assert.deepEqual((await limited.query('select n from kept')).rows, [[7]]);
  } finally {
    await limited.close();
  }
});

test('temp_file_limit stops a statement that spills too much to disk', async () => {
  const limited = await Database.open({ tempFileLimitKb: 10_240 });
  try {
    await assert.rejects(limited.query('select count(*) from (select n from generate_series(1, 3000000) as n order by n desc) as sorted'), (error: DbError) => {
      assert.equal(error.code, '53400');
      assert.match(error.message, /temporary file size exceeds "temp_file_limit" \(10240kB\)/);
      return true;
    });
  } finally {
    await limited.close();
  }
});

test('ALTER SYSTEM is refused, so no setting can keep a data directory from opening; one that already does is named', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'clerk-sql-engine-'));
  try {
    const dataDir = join(realpathSync(dir), 'db');
    const first = await Database.open({ dataDir });
    await assert.rejects(
      first.query(`alter system set shared_preload_libraries = 'evil'`),
      (error: DbError) => error.code === '0A000' && /ALTER SYSTEM is not allowed/.test(error.message),
    );
    await first.close();
    const again = await Database.open({ dataDir });
    assert.deepEqual((await again.query('select 1 as opens')).rows, [[1]]);
    await again.close();
    // What an earlier version let through.
    appendFileSync(join(dataDir, 'postgresql.auto.conf'), "shared_preload_libraries = 'evil'\n");
    await assert.rejects(
      Database.open({ dataDir }),
      /its postgresql\.auto\.conf holds settings written by ALTER SYSTEM \(shared_preload_libraries = 'evil'\), read at every start\. Delete those lines/,
    );
    // Damaged otherwise: where, at least.
    rmSync(join(dataDir, 'postgresql.auto.conf'));
    rmSync(join(dataDir, 'postgresql.conf'));
    mkdirSync(join(dataDir, 'postgresql.conf'));
    await assert.rejects(Database.open({ dataDir }), new RegExp(`the database in ${dataDir} does not start \\(.+\\): its files are damaged`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
