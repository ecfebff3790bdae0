import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '../../src/fdw/db/database.js';
import { DbCancelledError, DbClosedError, type DbError } from '../../src/fdw/db/errors.js';

// The tests run in order: the database reopened by the first one is the one the cancel test uses
// (each open costs about a second).
const scratch = mkdtempSync(join(tmpdir(), 'clerk-sql-test-'));
const dataDir = join(scratch, 'db');
let reopened: Database | undefined;

after(async () => {
  await reopened?.close();
  rmSync(scratch, { recursive: true, force: true });
});

test('a database in a directory survives close and reopen; one Database per directory', async () => {
  const first = await Database.open({ dataDir });
  assert.equal((await first.openInfo).initializedFrom, 'template');
  await first.exec(`create table snapshot as select n, 'user ' || n as name from generate_series(1, 100) as n`);
  await first.close();
  await assert.rejects(first.query('select 1'), DbClosedError);

  reopened = await Database.open({ dataDir });
  assert.equal((await reopened.openInfo).initializedFrom, 'existing');
  assert.deepEqual((await reopened.query('select count(*), max(name) from snapshot')).rows, [[100n, 'user 99']]);
  await assert.rejects(Database.open({ dataDir }), /is already open/);
});

test('cancel stops a long statement; committed data survives, the interrupted transaction does not', async () => {
  const db = reopened ?? assert.fail('needs the database of the previous test');
  // With nothing running, cancel changes nothing: the session (and its temporary table) stays.
  await db.exec('create temporary table session_state (n int)');
  await db.cancel();
  assert.deepEqual((await db.query('select count(*) from session_state')).rows, [[0n]]);

  await db.exec('begin; create table abandoned (n int); insert into snapshot values (0)');
  const long = db.query('select count(*) from generate_series(1, 1e9)');
  const queued = db.query('select 1');
  await new Promise((resolve) => setTimeout(resolve, 300));
  const started = performance.now();
  await db.cancel();
  await assert.rejects(long, DbCancelledError);
  await assert.rejects(queued, DbCancelledError);
  const cancelMs = performance.now() - started;
  assert.ok(cancelMs < 2000, `cancel took ${cancelMs} ms`);

  const restarted = performance.now();
  assert.deepEqual((await db.query('select count(*) from snapshot')).rows, [[100n]]);
  const restartMs = performance.now() - restarted;
  await assert.rejects(db.query('select * from abandoned'), /relation "abandoned" does not exist/);
  await assert.rejects(db.query('select * from session_state'), /does not exist/, 'session state does not survive a cancel');
  assert.equal((await db.openInfo).initializedFrom, 'existing', 'the replacement worker reopens the same directory');
  console.log(`cancel: ${cancelMs.toFixed(0)} ms, first query on the new worker: ${restartMs.toFixed(0)} ms`);
});

/** Files of the database's own directory that no relation owns, and their total size. */
async function orphanFiles(db: Database): Promise<{ files: string[]; bytes: number }> {
  const { rows } = await db.query(
    `select (select oid from pg_database where datname = current_database())::text, array(select pg_relation_filenode(oid)::text from pg_class where pg_relation_filenode(oid) is not null)`,
  );
  const [database, nodes] = rows[0] as [string, string[]];
  const dir = join(db.dataDir, 'base', database);
  const files = readdirSync(dir).filter((file) => /^\d+/.test(file) && !nodes.includes(/^\d+/.exec(file)![0]));
  return { files, bytes: files.reduce((sum, file) => sum + statSync(join(dir, file)).size, 0) };
}

test("a cancelled statement leaves no files behind, however often: a CREATE TABLE AS's table, a sort's temporary files", async () => {
  const db = reopened ?? assert.fail('needs the database of the first test');
  for (let attempt = 0; attempt < 2; attempt++) {
    const filling = db.query(
      `create table never_made as select a * 1000 + b as n, repeat('x', 200) as padding from generate_series(1, 100000) as a, generate_series(1, 1000) as b`,
    );
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await db.cancel();
    await assert.rejects(filling, DbCancelledError);
    await assert.rejects(db.query('select * from never_made'), /does not exist/);
    assert.deepEqual(await orphanFiles(db), { files: [], bytes: 0 });
  }
  const temporaryFiles = join(db.dataDir, 'base', 'pgsql_tmp');
  const sorting = db.query('select count(*) from (select n from generate_series(1, 30000000) as n order by n desc) as sorted');
  await new Promise((resolve) => setTimeout(resolve, 4000));
  assert.notDeepEqual(readdirSync(temporaryFiles), [], 'the sort spilled to temporary files');
  await db.cancel();
  await assert.rejects(sorting, DbCancelledError);
  await db.query('select 1');
  assert.deepEqual(readdirSync(temporaryFiles), []);
});

test('a directory that holds something else is not taken over', async () => {
  const other = mkdtempSync(join(scratch, 'other-'));
  writeFileSync(join(other, 'notes.txt'), 'mine');
  await assert.rejects(Database.open({ dataDir: other }), (error: DbError) => {
    assert.match(error.message, /other-\w+ is neither empty nor a database directory \(it holds notes\.txt\)/);
    assert.match(error.hint!, /Give an empty or new directory/);
    return true;
  });
});
