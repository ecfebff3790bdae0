import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { Database } from '../../src/fdw/db/database.js';
import { DbError } from '../../src/fdw/db/errors.js';
import type { QueryResult } from '../../src/fdw/db/protocol.js';

let db: Database;
before(async () => {
  db = await Database.open();
});
after(async () => {
  const dir = db.dataDir;
  await db.close();
  assert.equal(existsSync(dir), false, 'a temporary database is deleted on close');
});

test('results carry Postgres type names and exact values', async () => {
  const result = await db.query(`select 9007199254740993::bigint as big, '{"a": [1, {"b": null}], "s": "é"}'::jsonb as doc,
      '2024-01-01 12:34:56.123456+02'::timestamptz as at, array['x', null, 'y,z'] as tags, 12345678901234567890.10::numeric as amount,
      42 as n, true as flag, null::text as nothing, '1 day'::interval as span, '\\x00ff'::bytea as bytes, array[1, 2]::bigint[] as ids`);
  assert.equal(result.command, 'SELECT');
  assert.equal(result.rowCount, 1);
  assert.deepEqual(
    result.columns.map((column) => [column.name, column.type]),
    [
      ['big', 'bigint'],
      ['doc', 'jsonb'],
      ['at', 'timestamp with time zone'],
      ['tags', 'text[]'],
      ['amount', 'numeric'],
      ['n', 'integer'],
      ['flag', 'boolean'],
      ['nothing', 'text'],
      ['span', 'interval'],
      ['bytes', 'bytea'],
      ['ids', 'bigint[]'],
    ],
  );
  assert.deepEqual(result.rows, [
    [
      9007199254740993n,
      { a: [1, { b: null }], s: 'é' },
      '2024-01-01 10:34:56.123456+00',
      ['x', null, 'y,z'],
      '12345678901234567890.10',
      42,
      true,
      null,
      '1 day',
      new Uint8Array([0, 255]),
      [1n, 2n],
    ],
  ]);
});

test('a statement returning no rows reports the rows it affected; notices are collected', async () => {
  await db.exec('create table counted (n int)');
  const insert = await db.query('insert into counted select generate_series(1, 5)');
  assert.deepEqual([insert.command, insert.rowCount, insert.columns], ['INSERT', 5, []]);
  const drop = await db.query('drop table if exists not_there');
  assert.deepEqual(drop.notices, ['table "not_there" does not exist, skipping']);
});

test('exec runs several statements and returns one result each', async () => {
  const results = await db.exec('create table e (a int); insert into e values (1), (2); select a from e order by a');
  assert.deepEqual(
    results.map((result) => result.command),
    ['CREATE', 'INSERT', 'SELECT'],
  );
  assert.deepEqual(results[2]!.rows, [[1], [2]]);
});

test('query takes parameters', async () => {
  const result = await db.query('select $1::text || $2::int as joined', ['n', 7]);
  assert.deepEqual(result.rows, [['n7']]);
});

test('a Postgres error is a DbError with SQLSTATE and position; the database stays usable', async () => {
  await assert.rejects(db.query("select 'é😀', missing_column"), (error: unknown) => {
    assert.ok(error instanceof DbError);
    assert.equal(error.message, 'column "missing_column" does not exist');
    assert.equal(error.code, '42703');
    assert.equal(error.position, 14, '1-based, in characters');
    return true;
  });
  assert.deepEqual((await db.query('select 1')).rows, [[1]]);
});

test('COPY forms PGlite cannot serve are refused instead of hanging or crashing; file COPY works', async () => {
  await db.exec('create table copied (n int); insert into copied values (1), (2)');
  for (const sql of [
    'copy copied from stdin',
    "copy copied from '/dev/blob'",
    "copy copied from program 'cat'",
    'copy copied to stdout',
    "select 1; copy copied to program 'cat'",
  ]) {
    await assert.rejects(db.exec(sql), /cannot run in the embedded database/, sql);
  }
  await db.exec("copy copied to '/tmp/copied.tsv'; copy copied from '/tmp/copied.tsv'");
  assert.deepEqual((await db.query('select count(*) from copied')).rows, [[4n]]);
  assert.deepEqual((await db.query("select 'copy from stdin' as text")).rows, [['copy from stdin']], 'only statements are checked');
});

test('operations run in the order they were called', async () => {
  await db.exec('create table ordered (n int)');
  const inserts = Array.from({ length: 20 }, (_, n) => db.query(`insert into ordered values (${n})`));
  const read = db.query('select array_agg(n) from ordered');
  await Promise.all(inserts);
  assert.deepEqual(
    (await read).rows[0]![0],
    Array.from({ length: 20 }, (_, n) => n),
  );
});

test('COPY from an async iterable of text chunks, into a schema-qualified table', async () => {
  await db.exec('create schema clerk; create table clerk."Users" (id text, n int)');
  async function* pages() {
    for (let page = 0; page < 5; page++) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      yield Array.from({ length: 1000 }, (_, i) => `user_${page * 1000 + i}\t${page * 1000 + i}\n`).join('');
    }
  }
  assert.equal(await db.copyText({ schema: 'clerk', name: 'Users' }, ['id', 'n'], pages()), 5000);
  assert.deepEqual((await db.query('select count(*), sum(n) from clerk."Users"')).rows, [[5000n, 12497500n]]);
});

test('a failing COPY loads nothing, whether the data or the source fails', async () => {
  await db.exec('create table strict (n int not null)');
  await assert.rejects(db.copyText('strict', ['n'], '1\n2\n\\N\n'), /null value in column "n"/);
  async function* failing() {
    yield '1\n2\n';
    throw new Error('source broke');
  }
  await assert.rejects(db.copyText('strict', ['n'], failing()), /source broke/);
  assert.deepEqual((await db.query('select count(*) from strict')).rows, [[0n]]);
});

test("COPY inside the caller's transaction commits with it", async () => {
  await db.exec('create table in_tx (n int)');
  await db.exec('begin');
  await db.copyText('in_tx', ['n'], '1\n2\n');
  await db.exec('rollback');
  assert.deepEqual((await db.query('select count(*) from in_tx')).rows, [[0n]]);
});

test('copyText loads rows in COPY text format: escapes, NULL, the empty string, JSON', async () => {
  await db.exec('create table texts (id int, note text, doc jsonb)');
  async function* chunks() {
    yield '1\tline\\nbreak\t{"a": 1}\n2\t\\N\t\\N\n';
    yield '3\t\t[]\n';
  }
  assert.equal(await db.copyText('texts', ['id', 'note', 'doc'], chunks()), 3);
  assert.deepEqual((await db.query('select * from texts order by id')).rows, [
    [1, 'line\nbreak', { a: 1 }],
    [2, null, null],
    [3, '', []],
  ]);
});

test('COPY with replace swaps the table contents in one transaction', async () => {
  await db.exec('create table replaced (n int not null)');
  await db.copyText('replaced', ['n'], '1\n2\n3\n');
  assert.equal(await db.copyText('replaced', ['n'], '7\n8\n', { replace: true }), 2);
  assert.deepEqual((await db.query('select array_agg(n order by n) from replaced')).rows, [[[7, 8]]]);
  await assert.rejects(db.copyText('replaced', ['n'], '9\n\\N\n', { replace: true }), /null value/);
  assert.deepEqual((await db.query('select array_agg(n order by n) from replaced')).rows, [[[7, 8]]], 'a failed replace keeps the old rows');
});

test('COPY of 100,000 rows x 10 columns with ~1 KB of jsonb each', async () => {
  await db.exec(`create table users (id text, email text, first_name text, last_name text, public_metadata jsonb,
    banned boolean, created_at timestamptz, last_sign_in_at bigint, tags text[], external_id text)`);
  const metadata = JSON.stringify({ bio: 'x'.repeat(900), plan: 'pro', flags: [1, 2, 3], nested: { greeting: 'héllo' } });
  const lines = Array.from(
    { length: 100_000 },
    (_, i) =>
      [
        `user_${i}`,
        `user${i}@example.com`,
        `First${i}`,
        `Last${i}`,
        metadata,
        i % 7 === 0 ? 't' : 'f',
        new Date(1_700_000_000_000 + i * 1000).toISOString(),
        1_700_000_000_000 + i,
        '{a,b}',
        '\\N',
      ].join('\t') + '\n',
  );
  // In chunks of 500 rows, as the runtime loads a Clerk read page by page.
  async function* pages() {
    for (let start = 0; start < lines.length; start += 500) yield lines.slice(start, start + 500).join('');
  }
  const started = performance.now();
  const loaded = await db.copyText(
    'users',
    ['id', 'email', 'first_name', 'last_name', 'public_metadata', 'banned', 'created_at', 'last_sign_in_at', 'tags', 'external_id'],
    pages(),
    { replace: true },
  );
  const elapsed = performance.now() - started;
  console.log(`COPY of 100,000 rows: ${elapsed.toFixed(0)} ms`);
  assert.equal(loaded, 100_000);
  assert.ok(elapsed < 20_000, `took ${elapsed.toFixed(0)} ms`);
  const check = await db.query(`select count(*), count(*) filter (where banned), sum(length(public_metadata->>'bio')), max(last_sign_in_at) from users`);
  assert.deepEqual(check.rows, [[100_000n, 14_286n, 90_000_000n, 1_700_000_099_999n]]);
});

test('stream reads a query a page at a time through a cursor, every row once, in order', async () => {
  const pages: { columns: string[]; rows: number }[] = [];
  let total = 0n;
  const result = await db.stream(
    'select n, n * 2 as twice from generate_series(1, 25000) as n order by n',
    async (source) => {
      for await (const page of source) {
        pages.push({ columns: page.columns.map((column) => `${column.name} ${column.type}`), rows: page.rows.length });
        for (const [n] of page.rows) total += BigInt(n as number);
      }
      return 'consumed';
    },
    10_000,
  );
  assert.equal(result, 'consumed');
  assert.deepEqual(
    pages.map((page) => page.rows),
    [10_000, 10_000, 5_000],
  );
  assert.deepEqual(pages[0]!.columns, ['n integer', 'twice integer']);
  assert.equal(total, 312_512_500n);
  const empty = await db.stream('select 1 as one where false', async (source) => {
    const all = [];
    for await (const page of source) all.push(page);
    return all;
  });
  assert.deepEqual(
    empty.map((page) => [page.columns.map((column) => column.name), page.rows]),
    [[['one'], []]],
    'no rows: one page, with the columns',
  );
});

test('a stream that fails (the query, or its consumer) leaves nothing open; errors point into the query', async () => {
  await assert.rejects(
    db.stream('select missing_column', async () => undefined),
    (error: DbError) => error.code === '42703' && error.position === 8,
  );
  await assert.rejects(
    db.stream(
      'select 1 / (20000 - n) from generate_series(1, 30000) as n',
      async (source) => {
        for await (const page of source) void page;
      },
      1000,
    ),
    /division by zero/,
  );
  await assert.rejects(
    db.stream('select n from generate_series(1, 30000) as n', async (source) => {
      for await (const page of source) if (page.rows.length > 0) throw new Error('the consumer broke');
    }),
    /the consumer broke/,
  );
  assert.deepEqual((await db.query('select 1 as still_usable')).rows, [[1]]);
  // In the caller's transaction, which stays the caller's.
  await db.exec('begin; create table streamed_in_tx as select 5 as n');
  assert.deepEqual(
    await db.stream(
      'select n from streamed_in_tx',
      async (source: AsyncIterable<QueryResult, undefined>) => (await source[Symbol.asyncIterator]().next()).value?.rows,
    ),
    [[5]],
  );
  await db.exec('rollback');
  await assert.rejects(db.query('select * from streamed_in_tx'), /does not exist/);
});
