// The hosted runtime (a Runtime in a worker thread) against a direct Runtime on the same
// simulator: the same results, values of every decoded kind, the same CellErrors, keys asked of
// the caller's thread, progress, a 100,000-row result that comes back whole, and views (sort,
// filter, pages) of the rows a result keeps in the thread, equal to what Postgres orders and selects.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { isMainThread } from 'node:worker_threads';
import { HostedRuntime } from '../../src/fdw/host/hostedRuntime.js';
import { CellError, Runtime, type FetchProgress, type StatementResult } from '../../src/fdw/runtime/runtime.js';
import { MemorySecretStore, type SecretStore } from '../../src/fdw/runtime/secrets.js';
import { SqlError } from '../../src/fdw/runtime/sqlError.js';
import { startSimulator, type Simulator } from '../../src/fdw/simulator/index.js';
import { QUERY_ORDER, type GridView } from '../../src/results/view.js';

const SETUP = `create foreign data wrapper clerk_wrapper handler clerk_fdw_handler validator clerk_fdw_validator;
create server my_clerk_server foreign data wrapper clerk_wrapper;
create foreign table clerk_users (user_id text, first_name text, email text, created_at bigint, phone_numbers bigint)
  server my_clerk_server options (object 'users');
create server keyless_server foreign data wrapper clerk_wrapper;
create foreign table keyless_users (user_id text) server keyless_server options (object 'users');
create server locked_server foreign data wrapper clerk_wrapper;
create foreign table locked_users (user_id text) server locked_server options (object 'users');
create server refused_server foreign data wrapper clerk_wrapper;
create foreign table refused_users (user_id text) server refused_server options (object 'users')`;

/** Records who asked for which key, and on which thread; the store fails for locked_server. */
class RecordingSecrets implements SecretStore {
  readonly asked: { server: string; origin: string; mainThread: boolean }[] = [];
  constructor(private readonly store: SecretStore) {}
  get(server: string, origin: string): Promise<string | undefined> {
    this.asked.push({ server, origin, mainThread: isMainThread });
    if (server === 'locked_server') return Promise.reject(new Error('secret storage is locked'));
    if (server === 'refused_server')
      return Promise.reject(new SqlError({ code: 'HV00N', message: `requests of server "${server}" were not allowed`, hint: 'Allow them.' }));
    return this.store.get(server, origin);
  }
}

let sim: Simulator;
let direct: Runtime;
let hosted: HostedRuntime;
let hostedSecrets: RecordingSecrets;

before(async () => {
  sim = await startSimulator({ seed: 7, users: 1_300, orgs: 30, memberships: 300, rateLimit: false });
  const store = new MemorySecretStore();
  store.set('my_clerk_server', new URL(sim.url).origin, sim.secretKey);
  hostedSecrets = new RecordingSecrets(store);
  const options = { apiUrlOverride: sim.url, rateLimit: { requests: 100_000, windowMs: 1000 } };
  [direct, hosted] = await Promise.all([
    Runtime.start({ ...options, secrets: new RecordingSecrets(store) }),
    HostedRuntime.start({ ...options, secrets: hostedSecrets }),
  ]);
  await Promise.all([direct.execute(SETUP), hosted.execute(SETUP)]);
});
after(async () => {
  await Promise.all([direct?.close(), hosted?.close()]);
  await sim?.close();
});

/**
 * A result without what may differ between two runs: timings, the age of cached rows, and request
 * counts (a request retried because a keep-alive socket closed just as it was reused counts in
 * one run only).
 */
function comparable(results: StatementResult[]) {
  return results.map(({ elapsedMs: _elapsed, requests: _requests, sources, ...rest }) => ({
    ...rest,
    sources: sources.map(({ ageMs: _age, requests: _sourceRequests, ...s }) => s),
  }));
}

async function bothFail(source: string): Promise<[CellError, CellError]> {
  const failure = (run: Promise<unknown>) =>
    run.then(
      () => assert.fail(`expected an error from: ${source}`),
      (e: unknown) => {
        assert.ok(e instanceof CellError, String(e));
        return e;
      },
    );
  return Promise.all([failure(direct.execute(source)), failure(hosted.execute(source))]);
}

function fieldsOf(e: CellError) {
  return {
    name: e.name,
    code: e.code,
    message: e.message,
    detail: e.detail,
    hint: e.hint,
    position: e.position,
    statement: e.statement,
    results: comparable(e.results),
  };
}

test('a notebook gives the results of a direct Runtime', async () => {
  const cells = [
    'select * from clerk_users order by user_id',
    "select count(*), count(email), min(created_at) from clerk_users where email like '%a%'",
    'create table phones as select user_id, phone_numbers from clerk_users where phone_numbers > 0',
    'select count(*) from phones; create view named as select user_id, first_name from clerk_users where first_name is not null; select count(*) from named',
  ];
  for (const cell of cells) {
    const [a, b] = await Promise.all([direct.execute(cell), hosted.execute(cell)]);
    assert.deepEqual(comparable(b), comparable(a), cell);
  }
});

test('values of every decoded kind arrive as the direct Runtime gives them', async () => {
  const sql = `select 1::int2, 2::int4, 3::int8, 9007199254740993::int8, 1.5::float8, 'NaN'::float8, '12345678901234567890.123'::numeric,
    true, null::text, 'é ☃ \\t'::text, '\\x00ff'::bytea, '{"a": [1, {"b": null}]}'::jsonb, '[1, 2]'::json,
    array[1, 2, null], array['a', null], '2024-02-29 12:34:56.789012+05:30'::timestamptz, '2024-02-29'::date,
    '1 day 02:03:04'::interval, gen_random_uuid() is not null, '(1,2)'::point`;
  const [a, b] = await Promise.all([direct.execute(sql), hosted.execute(sql)]);
  assert.deepEqual(comparable(b), comparable(a));
  const row = b[0]!.rows[0]!;
  assert.equal(typeof row[3], 'bigint');
  assert.ok(row[10] instanceof Uint8Array);
});

test("errors are CellErrors with the direct Runtime's fields", async () => {
  const cells = [
    // Syntax error: position from the parser.
    'select 1;\nselect * fromm clerk_users',
    // Postgres error in the second statement: the first one's result comes with it.
    'select count(*) from clerk_users;\nselect emial from clerk_users',
    // The FDW catalog's own error, with a hint.
    "create foreign table bad_users (user_id text, emial text) server my_clerk_server options (object 'users')",
    "insert into clerk_users (user_id) values ('x')",
  ];
  for (const cell of cells) {
    const [a, b] = await bothFail(cell);
    assert.deepEqual(fieldsOf(b), fieldsOf(a), cell);
    assert.ok(b.position, cell);
  }
});

test("keys are asked of the caller's thread; a missing key is the direct Runtime's error", async () => {
  hosted.invalidate();
  await hosted.execute('select count(*) from clerk_users');
  const origin = new URL(sim.url).origin;
  assert.deepEqual(hostedSecrets.asked.at(-1), { server: 'my_clerk_server', origin, mainThread: true });
  const [a, b] = await bothFail('select 1; select * from keyless_users');
  assert.deepEqual(fieldsOf(b), fieldsOf(a));
  assert.match(b.message, /no api_key for server "keyless_server"/);
  assert.deepEqual(hostedSecrets.asked.at(-1), { server: 'keyless_server', origin, mainThread: true });
});

test('a failing secret store fails the statement, as in a direct Runtime', async () => {
  const [a, b] = await bothFail('select * from locked_users');
  assert.deepEqual(fieldsOf(b), fieldsOf(a));
  assert.match(b.message, /secret storage is locked/);
  // A store's SqlError keeps its SQLSTATE and hint across the thread boundary.
  const [c, d] = await bothFail('select * from refused_users');
  assert.deepEqual(fieldsOf(d), fieldsOf(c));
  assert.equal(d.code, 'HV00N');
  assert.equal(d.hint, 'Allow them.');
});

test('progress events arrive while the rows are fetched', async () => {
  hosted.invalidate();
  const events: FetchProgress[] = [];
  const [result] = await hosted.execute('select count(*) from clerk_users', { onProgress: (p) => events.push(p) });
  const last = events.at(-1);
  assert.ok(last, 'no progress event');
  assert.equal(last.table, 'clerk_users');
  assert.equal(last.object, 'users');
  assert.equal(last.rows, 1_300);
  assert.equal(last.requests, result!.requests);
});

test('a 100,000-row result comes back whole, in order', async () => {
  const sql = "select g, 'user_' || g, g::int8 * 3, g % 7 = 0, case when g % 5 = 0 then null else now()::date end from generate_series(1, 100000) g";
  const [a, b] = await Promise.all([direct.execute(sql), hosted.execute(sql)]);
  assert.equal(b[0]!.rows.length, 100_000);
  assert.deepEqual(comparable(b), comparable(a));
});

test('with sendRows, only the first rows come over; the rest are read from the thread until released', async () => {
  const sql = "select g, 'user_' || g from generate_series(1, 25000) g order by g";
  const [full] = await direct.execute(sql);
  const [first, small] = await hosted.execute(`${sql}; select 1 as one`, { sendRows: 100 });
  assert.equal(first!.rows.length, 100);
  assert.deepEqual(first!.rows, full!.rows.slice(0, 100));
  assert.equal(first!.rowCount, 25_000);
  const remote = first!.remote!;
  assert.equal(remote.total, 25_000);
  // A result within the limit comes whole, with nothing kept.
  assert.equal(small!.remote, undefined);
  const read = (offset: number) => remote.page(QUERY_ORDER, offset, 12_000).then((p) => p.rows);
  assert.deepEqual([...(await read(0)), ...(await read(12_000)), ...(await read(24_000))], full!.rows);
  remote.release();
  await assert.rejects(remote.page(QUERY_ORDER, 0, 10), /this result is no longer kept/);
});

test('views of the rows kept in the thread: sorted and filtered over every row, as Postgres would', async () => {
  // Values of several kinds, in an order none of the views asks for.
  const select = `select g as n, 'user_' || g as name, (g * 7919) % 25000 as scrambled, case when g % 10 = 0 then null else g % 3 end as tri,
    timestamptz '2024-01-01 00:00:00+00' + ((g * 37) % 1000) * interval '1 hour' as at from generate_series(1, 25000) g`;
  const [sent] = await hosted.execute(`${select} order by g`, { sendRows: 100 });
  const remote = sent!.remote!;
  const same = async (view: GridView, orderBy: string, where = 'true') => {
    const [expected] = await direct.execute(`select * from (${select}) s where ${where} order by ${orderBy}`);
    const first = await remote.page(view, 0, 100);
    const later = await remote.page(view, 12_300, 100);
    assert.equal(first.total, expected!.rows.length, orderBy);
    assert.deepEqual(first.rows, expected!.rows.slice(0, 100), `${orderBy}: first page`);
    assert.deepEqual(later.rows, expected!.rows.slice(12_300, 12_400), `${orderBy}: a later page`);
  };
  const key = (column: number, descending: boolean) => ({ column, descending });
  await same({ ...QUERY_ORDER, sort: [key(2, true)] }, 'scrambled desc');
  // NULLs first descending, then the ties in query order.
  await same({ ...QUERY_ORDER, sort: [key(3, true)] }, 'tri desc nulls first, n');
  await same({ ...QUERY_ORDER, sort: [key(3, false), key(4, true)] }, 'tri nulls last, at desc, n');
  await same(
    { sort: [key(4, false)], filter: 'USER_1', columns: [{ column: 3, kind: 'values', values: ['1', null] }] },
    'at, n',
    "name ilike '%user_1%' and (tri = 1 or tri is null)",
  );
  await same(
    { ...QUERY_ORDER, columns: [{ column: 4, kind: 'range', min: '2024-01-10', max: '2024-01-20 12:00:00+00' }] },
    'n',
    "at between '2024-01-10' and '2024-01-20 12:00:00+00'",
  );
  const values = await remote.values({ ...QUERY_ORDER, columns: [{ column: 0, kind: 'range', max: '100' }] }, 3, 10);
  // n ≤ 100: 30 of each remainder and 10 NULLs (every tenth); ties in the column's order.
  assert.deepEqual(values, {
    values: [
      { value: '0', count: 30 },
      { value: '1', count: 30 },
      { value: '2', count: 30 },
      { value: null, count: 10 },
    ],
    distinct: 4,
  });
  // A chart of scrambled by at reads every row where they are kept: past the limit, each step's extremes.
  const chart = await remote.chart({ x: 4, xRead: 'date', y: [2] });
  assert.equal(chart.total, 25_000);
  assert.equal(chart.drawn.from, 'steps');
  assert.ok(chart.rows.length > 1000 && chart.rows.length <= 20_000, `${chart.rows.length} rows`);
  const ys = chart.rows.map((r) => Number(r[1]));
  assert.deepEqual([Math.min(...ys), Math.max(...ys)], [0, 24_999], 'the lowest and highest y of all the rows, not of the output');
  remote.release();
});
