// The two engines give the same answers: each check runs on the embedded database (PGlite) and on
// a real PostgreSQL server (a throwaway cluster), and compares what the runtime would see.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Database } from '../../src/fdw/db/database.js';
import type { Engine } from '../../src/fdw/db/engine.js';
import { DbCancelledError, DbClosedError, DbError } from '../../src/fdw/db/errors.js';
import { PostgresEngine } from '../../src/fdw/db/postgres.js';
import { startPostgresCluster, type PostgresCluster } from '../helpers/postgresCluster.js';

let cluster: PostgresCluster;
let embedded: Database;
let server: PostgresEngine;
before(async () => {
  cluster = await startPostgresCluster();
  [embedded, server] = await Promise.all([Database.open(), PostgresEngine.connect({ url: cluster.url })]);
});
after(async () => {
  await Promise.all([embedded?.close(), server?.close()]);
  await cluster?.stop();
});

/** The same operation on both engines: the results must be equal. */
async function same<T>(operation: (engine: Engine) => Promise<T>): Promise<T> {
  const [a, b] = await Promise.all([operation(embedded), operation(server)]);
  assert.deepEqual(b, a);
  return a;
}

async function failure(engine: Engine, operation: (engine: Engine) => Promise<unknown>): Promise<Error> {
  return operation(engine).then(
    () => assert.fail('expected an error'),
    (error: unknown) => error as Error,
  );
}

test('values of every type the runtime meets decode alike', async () => {
  const r = await same((e) =>
    e.query(`select 1::int2 a, 2::int4 b, 9007199254740993::int8 c, 1.50::numeric d, 1.5::real e, 2.25::float8 f, true g, 'x'::text h,
      '{"a":[1,2]}'::json i, '{"b":null}'::jsonb j, '\\x00ff'::bytea k, '2024-02-29'::date l, '12:34:56.789'::time m,
      '2024-02-29 12:34:56.123456'::timestamp n, '2024-02-29 12:34:56.123456+02'::timestamptz o, interval '1 day 02:03:04' p,
      '6f1e7b6e-0c8a-4f3e-9f6a-1c2b3d4e5f60'::uuid q, '{1,9007199254740993}'::int8[] r, '{a,NULL,"b c"}'::text[] s,
      '{2024-01-01 00:00:00+00}'::timestamptz[] t, null::text u`),
  );
  assert.equal(r.rows[0]![2], 9007199254740993n);
  assert.equal(r.rows[0]![14], '2024-02-29 10:34:56.123456+00');
  assert.deepEqual(r.rows[0]![17], [1n, 9007199254740993n]);
});

test('command tags, row counts and notices', async () => {
  await same((e) => e.exec('create table t1 (a int primary key, b text)'));
  await same((e) => e.query("insert into t1 values (1, 'a'), (2, 'b'), (3, 'c')"));
  await same((e) => e.query("update t1 set b = 'x' where a > 1"));
  await same((e) => e.query('delete from t1 where a = 3'));
  const [, last] = await same((e) => e.exec("select 1; do $$ begin raise notice 'hello %', 42; end $$"));
  assert.deepEqual(last!.notices, ['hello 42']);
});

test('errors carry SQLSTATE and position; the engine stays usable', async () => {
  for (const engine of [embedded, server]) {
    const error = await failure(engine, (e) => e.query('select nope from t1'));
    assert.ok(error instanceof DbError);
    assert.deepEqual([error.code, error.position, error.message], ['42703', 8, 'column "nope" does not exist']);
    const syntax = (await failure(engine, (e) => e.exec('select 1; selec 2'))) as DbError;
    assert.deepEqual([syntax.code, syntax.position], ['42601', 11]);
  }
  await same((e) => e.query('select count(*) from t1'));
});

test('a stream reads pages, each with the columns; an error position counts from the query', async () => {
  const pages = await same((e) =>
    e.stream(
      'select g as n, g::text as s from generate_series(1, 25000) g',
      async (all) => {
        const seen: { rows: number; columns: number; command: string }[] = [];
        for await (const page of all) seen.push({ rows: page.rows.length, columns: page.columns.length, command: page.command });
        return seen;
      },
      10_000,
    ),
  );
  assert.deepEqual(
    pages.map((p) => p.rows),
    [10_000, 10_000, 5_000],
  );
  for (const engine of [embedded, server]) {
    const error = (await failure(engine, (e) => e.stream('select nope', async () => undefined))) as DbError;
    assert.deepEqual([error.code, error.position], ['42703', 8]);
  }
});

test('COPY text loads all or nothing, and replace empties the table first', async () => {
  await same((e) => e.exec('create table t2 (a int, b text)'));
  assert.equal(await same((e) => e.copyText('t2', ['a', 'b'], ['1\tone\n', '2\t\\N\n'])), 2);
  for (const engine of [embedded, server]) await failure(engine, (e) => e.copyText('t2', ['a', 'b'], '3\tthree\nnot a number\tx\n'));
  assert.equal(await same((e) => e.copyText({ schema: 'public', name: 't2' }, ['a', 'b'], '7\tseven\n', { replace: true })), 1);
  const rows = await same((e) => e.query('select * from t2'));
  assert.deepEqual(rows.rows, [[7, 'seven']]);
  // The rows' own source failing (Clerk's API, in the runtime) reaches the caller as it is, and nothing is loaded.
  class SourceFailure extends Error {}
  for (const engine of [embedded, server]) {
    async function* failing() {
      yield '8\teight\n';
      throw new SourceFailure('the API went away');
    }
    const error = await failure(engine, (e) => e.copyText('t2', ['a', 'b'], failing(), { replace: true }));
    assert.ok(error instanceof SourceFailure, `${engine.kind}: ${String(error)}`);
  }
  await same((e) => e.query('select * from t2'));
});

test('COPY to or from the client is refused with a message on both, never silently dropped', async () => {
  for (const engine of [embedded, server]) {
    for (const sql of ['copy t1 to stdout', 'copy t1 from stdin']) {
      const error = await failure(engine, (e) => e.query(sql));
      assert.match(error.message, /^COPY to or from the client .*cannot run/, `${engine.kind}: ${sql}`);
    }
  }
  await same((e) => e.query('select count(*) from t1'));
});

test('cancel stops a running statement, drops the queued ones, and the engine goes on', async () => {
  for (const engine of [embedded, server]) {
    const started = performance.now();
    const running = engine.query('select pg_sleep(30)');
    const queued = engine.query('select 1');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await engine.cancel();
    await assert.rejects(running, DbCancelledError);
    await assert.rejects(queued, DbCancelledError);
    assert.ok(performance.now() - started < 5000, `${engine.kind}: cancelled in ${Math.round(performance.now() - started)} ms`);
    assert.deepEqual((await engine.query('select 2 as two')).rows, [[2]]);
  }
});

test('the server is described without its password; a closed engine refuses work', async () => {
  const url = new URL(cluster.url);
  url.password = 'not-shown';
  const engine = await PostgresEngine.connect({ url: url.toString() });
  assert.equal(engine.description, `postgres://postgres@127.0.0.1:${url.port}/postgres`);
  await engine.close();
  await assert.rejects(engine.query('select 1'), DbClosedError);
  const down = await PostgresEngine.connect({ url: 'postgres://someone:secret@127.0.0.1:9/none' }).then(
    () => assert.fail('connected to nothing'),
    (error: Error) => error,
  );
  assert.match(down.message, /^could not connect to postgres:\/\/someone@127\.0\.0\.1:9\/none: .*ECONNREFUSED/);
  assert.ok(!down.message.includes('secret'));
});
