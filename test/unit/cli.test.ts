// `clerk-notebook run` as a person runs it: a .clerk.sql file, the key in CLERK_API_KEY,
// results on stdout, one CSV per result with --out, errors with cell, line and column.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../../src/fdw/simulator/index.ts';
import { runCli } from '../helpers/cli.ts';

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
  const file = notebook('ok.clerk.sql', `${SETUP}-- %% Count\nselect count(*) as users from clerk_users;\nselect email from clerk_users where email like '%,%' or email is null order by email nulls first limit 3;\n`);
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
  const file = notebook('bad.clerk.sql', `${SETUP}-- %%\nselect 1;\n-- %% Broken\ncreate foreign table t (\n  emial text\n) server my_clerk_server options (object 'users');\n-- %%\nselect 2;\n`);
  const r = await runCli(['run', file, '--api-url', sim.url], { CLERK_API_KEY: sim.secretKey });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /ERROR: {2}column "emial" is not provided by Clerk object "users"/);
  assert.match(r.stderr, /at bad\.clerk\.sql cell 5, line 2, column 3 \(file line 12\)/);
  assert.match(r.stderr, /SQLSTATE HV005/);
  assert.match(r.stderr, /HINT: {2}Did you mean "email"\?/);
  assert.ok(!r.stdout.includes('?column?\n 2'), 'the cell after the error did not run');
});

test('run: a NUL byte in a cell is an error at its line and column, and nothing of the cell runs', async () => {
  const file = notebook('nul.clerk.sql', `-- %%\ncreate table kept (n int);\n-- %%\ninsert into kept values (1);\nselect 2 as b\0, 3;\ndrop table kept;\n-- %%\nselect 3;\n`);
  const r = await runCli(['run', file]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /ERROR: {2}invalid byte sequence for encoding "UTF8": 0x00\n {2}at nul\.clerk\.sql cell 2, line 2, column 14 \(file line 5\)\n {2}SQLSTATE 22021/);
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

test('run: CLERK_API_KEY is not sent to an api_url the notebook chose', async () => {
  const file = notebook('elsewhere.clerk.sql', SETUP.replace("options (api_key '<clerk secret Key>')", `options (api_url '${sim.url}')`) + '-- %%\nselect count(*) from clerk_users;\n');
  sim.log.reset();
  const r = await runCli(['run', file], { CLERK_API_KEY: sim.secretKey });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no api_key for server "my_clerk_server" \(http:\/\/127\.0\.0\.1:\d+\)/);
  assert.equal(sim.log.count(), 0);
});
