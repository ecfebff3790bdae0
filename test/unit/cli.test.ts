// `clerk-notebook run` as a person runs it: a .clerk.sql file, the key in CLERK_API_KEY,
// results on stdout, one CSV per result with --out, errors with cell, line and column.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../../src/fdw/simulator/index.js';
import { runCli } from '../helpers/cli.js';

const SETUP = `-- %% [markdown]
-- # Test notebook
-- %%
create foreign data wrapper clerk_wrapper handler clerk_fdw_handler validator clerk_fdw_validator;
create server my_clerk_server foreign data wrapper clerk_wrapper options (api_key '<clerk secret Key>');
-- %% Tables
create foreign table clerk_users (user_id text, email text, created_at bigint) server my_clerk_server options (object 'users');
`;

let sim: Simulator;
let dir: string;
before(async () => {
  sim = await startSimulator({ seed: 21, users: 700, orgs: 20, memberships: 100, rateLimit: false });
  dir = mkdtempSync(join(tmpdir(), 'clerk-cli-'));
});
after(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

function notebook(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

test('run: results on stdout, one CSV per result, progress and notices on stderr', async () => {
  const file = notebook(
    'ok.clerk.sql',
    `${SETUP}-- %% Count\nselect count(*) as users from clerk_users;\nselect email from clerk_users where email like '%,%' or email is null order by email nulls first limit 3;\n`,
  );
  const out = join(dir, 'out');
  const r = await runCli(['run', file, '--api-url', sim.url, '--out', out, '--format', 'csv'], { CLERK_API_KEY: sim.secretKey });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^users\r\n700\r\n/m);
  assert.deepEqual(readdirSync(out).sort(), ['cell04-stmt1.csv', 'cell04-stmt2.csv']);
  assert.equal(readFileSync(join(out, 'cell04-stmt1.csv'), 'utf8'), 'users\r\n700\r\n');
  assert.match(r.stderr, /NOTICE: {2}api_key of server "my_clerk_server" is not a Clerk secret key/);
  assert.ok(!r.stdout.includes(sim.secretKey) && !r.stderr.includes(sim.secretKey));
});

test('run: the first error stops the run, with cell, line and column', async () => {
  const file = notebook(
    'bad.clerk.sql',
    `${SETUP}-- %%\nselect 1;\n-- %% Broken\ncreate foreign table t (\n  emial text\n) server my_clerk_server options (object 'users');\n-- %%\nselect 2;\n`,
  );
  const r = await runCli(['run', file, '--api-url', sim.url], { CLERK_API_KEY: sim.secretKey });
  assert.equal(r.code, 1);
  assert.ok(r.stderr.includes(['ERROR:  column "emial" is not provided by Clerk object "users"', 'LINE 2:   emial text', '          ^'].join('\n')), r.stderr);
  assert.match(r.stderr, /HINT: {2}Did you mean "email"\?/);
  assert.match(r.stderr, /at bad\.clerk\.sql cell 5, line 2, column 3 \(file line 12\) · statement 1 · SQLSTATE HV005\n/);
  assert.ok(!r.stdout.includes('?column?\n 2'), 'the cell after the error did not run');
});

test('run: a NUL byte in a cell is an error at its line and column, and nothing of the cell runs', async () => {
  const file = notebook(
    'nul.clerk.sql',
    `-- %%\ncreate table kept (n int);\n-- %%\ninsert into kept values (1);\nselect 2 as b\0, 3;\ndrop table kept;\n-- %%\nselect 3;\n`,
  );
  const r = await runCli(['run', file]);
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    /ERROR: {2}invalid byte sequence for encoding "UTF8": 0x00\nLINE 2: select 2 as b\\x00, 3;\n {21}\^\n[^]*at nul\.clerk\.sql cell 2, line 2, column 14 \(file line 5\) · statement 2 · SQLSTATE 22021\n/,
  );
  assert.doesNotMatch(r.stdout, /INSERT|DROP/);
});

test('run: without CLERK_API_KEY, a clear error and no request', async () => {
  const file = notebook('nokey.clerk.sql', `${SETUP}-- %%\nselect count(*) from clerk_users;\n`);
  sim.log.reset();
  const r = await runCli(['run', file, '--api-url', sim.url], {});
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no api_key for server "my_clerk_server"/);
  assert.equal(sim.log.count(), 0);
});

test("run: api_url 'simulator:' reads the built-in simulator, with no key", async () => {
  const file = notebook(
    'sim.clerk.sql',
    SETUP.replace("options (api_key '<clerk secret Key>')", "options (api_url 'simulator:?users=250&seed=3')") +
      '-- %%\nselect count(*) as users from clerk_users;\n',
  );
  const r = await runCli(['run', file, '--format', 'csv'], {});
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^users\r\n250\r\n/m);
});

test("run: a bad simulator parameter is an error at the option's value", async () => {
  const file = notebook('badsim.clerk.sql', SETUP.replace("options (api_key '<clerk secret Key>')", "options (api_url 'simulator:?userz=250')"));
  const r = await runCli(['run', file], {});
  assert.equal(r.code, 1);
  assert.match(r.stderr, /ERROR: {2}invalid value for option "api_url": unknown simulator parameter "userz" \(did you mean "users"\?\)/);
  // A long line is shown around the position, as psql does; the caret is under the value.
  assert.match(r.stderr, /LINE 2: \.\.\. server my_clerk_server foreign data wrapper clerk_wrapper options \(api_url 'simulator:\?userz=250'\);\n {87}\^\n/);
});

test('run: CLERK_API_KEY is not sent to an api_url the notebook chose', async () => {
  const file = notebook(
    'elsewhere.clerk.sql',
    SETUP.replace("options (api_key '<clerk secret Key>')", `options (api_url '${sim.url}')`) + '-- %%\nselect count(*) from clerk_users;\n',
  );
  sim.log.reset();
  const r = await runCli(['run', file], { CLERK_API_KEY: sim.secretKey });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no api_key for server "my_clerk_server" \(http:\/\/127\.0\.0\.1:\d+\)/);
  assert.equal(sim.log.count(), 0);
});

test('run: control characters in values, column names and notices are escaped in table output, as psql does', async () => {
  const file = notebook(
    'escapes.clerk.sql',
    `-- %%\nselect E'Eve\\x1b]0;pwned\\x07' as first_name, E'ok\\rforged line' as last_name, E'a\\tb\\u009b' as U&"col\\001B[31m", 'plain' as plain;\ndo $$ begin raise notice 'copy %', E'\\x1b]52;c;ZXZpbA==\\x07'; end $$;\n`,
  );
  const r = await runCli(['run', file]);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout + r.stderr, /(?![\t\n])\p{Cc}/u, 'no control character but newline and tab reaches the terminal');
  assert.match(r.stdout, /Eve\\x1B\]0;pwned\\x07/);
  assert.match(r.stdout, /ok\\rforged line/);
  assert.match(r.stdout, /a {7}b\\u009B/);
  assert.match(r.stdout, /col\\x1B\[31m/);
  assert.match(r.stderr, /NOTICE: {2}copy \\x1B\]52;c;ZXZpbA==\\x07/);
});

test('run: --format json is one JSON document, --format ndjson one line per row; both escape C1 controls', async () => {
  const file = notebook(
    'formats.clerk.sql',
    `-- %%\nselect n, E'x\\u0085' || n as s from generate_series(1, 3) as n;\ncreate table formats_t (n int);\n-- %% Second\nselect 9007199254740993::bigint as big, null::text as nothing;\n`,
  );
  const json = await runCli(['run', file, '--format', 'json']);
  assert.equal(json.code, 0, json.stderr);
  assert.deepEqual(JSON.parse(json.stdout), [
    {
      cell: 1,
      statement: 1,
      command: 'SELECT',
      columns: [
        { name: 'n', type: 'integer' },
        { name: 's', type: 'text' },
      ],
      rows: [1, 2, 3].map((n) => ({ n, s: `x\u0085${n}` })),
      rowCount: 3,
    },
    {
      cell: 2,
      statement: 1,
      command: 'SELECT',
      columns: [
        { name: 'big', type: 'bigint' },
        { name: 'nothing', type: 'text' },
      ],
      rows: [{ big: '9007199254740993', nothing: null }],
      rowCount: 1,
    },
  ]);
  assert.doesNotMatch(json.stdout, /\u0085/);
  const ndjson = await runCli(['run', file, '--format', 'ndjson']);
  assert.equal(ndjson.code, 0, ndjson.stderr);
  assert.deepEqual(
    ndjson.stdout
      .trimEnd()
      .split('\n')
      .map((line): unknown => JSON.parse(line)),
    [
      ...[1, 2, 3].map((n) => ({ cell: 1, statement: 1, row: { n, s: `x\u0085${n}` } })),
      { cell: 2, statement: 1, row: { big: '9007199254740993', nothing: null } },
    ],
  );
});

test('run: results stream, in bounded memory; an error part-way through still closes the JSON document and names the cell', async () => {
  // 1,000,000 rows through a CLI whose heap is 64 MB: held whole, they would not fit.
  const file = notebook(
    'big.clerk.sql',
    `-- %%\nselect n, 'user_' || n as id from generate_series(1, 1000000) as n;\n-- %% Fails\nselect 1 / (15000 - n) as r from generate_series(1, 30000) as n;\n`,
  );
  const child = spawnSync(
    process.execPath,
    ['--max-old-space-size=64', '--import', 'tsx', join(import.meta.dirname, '../../src/cli.ts'), 'run', file, '--format', 'json'],
    {
      env: { ...process.env, CLERK_API_KEY: undefined },
      maxBuffer: 256 * 1024 * 1024,
      encoding: 'utf8',
    },
  );
  assert.equal(child.status, 1, child.stderr);
  const document = JSON.parse(child.stdout) as { rows: unknown[]; rowCount: number }[];
  assert.equal(document[0]!.rowCount, 1_000_000);
  assert.deepEqual(document[0]!.rows.at(-1), { n: 1_000_000, id: 'user_1000000' });
  assert.equal(document[1]!.rowCount, 10_000, 'the first page of the failing result, then the error');
  assert.match(child.stderr, /ERROR: {2}division by zero\n[^]*at big\.clerk\.sql cell 2, line 1, column 1 \(file line 4\)/);
});

test('run: --statement-timeout stops a runaway statement and says how to raise it; a bad value is a clear error', async () => {
  const file = notebook('runaway.clerk.sql', `-- %%\ndo $$ begin loop end loop; end $$;\n`);
  const r = await runCli(['run', file, '--statement-timeout', '1']);
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    /ERROR: {2}canceling statement due to statement timeout\n[^]*HINT: {2}Raise the statement timeout with --statement-timeout SECONDS \(CLI\) or the clerkSql\.statementTimeout setting \(VS Code\); 0 turns it off\.\nat runaway\.clerk\.sql cell 1, line 1, column 1 \(file line 2\) · statement 1 · SQLSTATE 57014\n/,
  );
  const bad = await runCli(['run', file, '--temp-file-limit', 'lots']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--temp-file-limit must be a number of mb \(0 for no limit\), not "lots"/);
});

test('run: a key in a statement that does not parse is not printed, in whole or in part', async () => {
  const key = 'sk_live_Fake0Key-With.Dots_and-dashes99';
  for (const option of [`api_key '${key});`, `api_key ${key});`]) {
    const file = notebook('leak.clerk.sql', `-- %%\ncreate server leaky foreign data wrapper clerk_wrapper options (${option}\n`);
    const r = await runCli(['run', file, '--api-url', sim.url], { CLERK_API_KEY: sim.secretKey });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /ERROR: {2}(unterminated quoted string|syntax error) at or near "'?sk_live_\*\*\*"/);
    for (const piece of ['Fake0Key', 'With', 'Dots', 'dashes99']) assert.ok(!r.stdout.includes(piece) && !r.stderr.includes(piece), r.stderr);
  }
});

test('run: a CLERK_API_URL that is not a URL is named in the error', async () => {
  const file = notebook('url.clerk.sql', `${SETUP}`);
  const r = await runCli(['run', file], { CLERK_API_KEY: sim.secretKey, CLERK_API_URL: 'garbage' });
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'clerk-notebook: CLERK_API_URL "garbage" is not a URL (expected e.g. https://api.clerk.com/v1)\n');
});
