// `clerk-notebook run` as a person runs it: a .clerk.sql file, the key in CLERK_API_KEY,
// results on stdout, one CSV per result with --out, errors with cell, line and column.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../../src/fdw/simulator/index.ts';

const CLI = join(import.meta.dirname, '../../src/cli.ts');
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

function run(args: string[], env: Record<string, string | undefined>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...process.env, CLERK_API_KEY: undefined, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

function notebook(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

test('run: results on stdout, one CSV per result, progress and notices on stderr', async () => {
  const file = notebook('ok.clerk.sql', `${SETUP}-- %% Count\nselect count(*) as users from clerk_users;\nselect email from clerk_users where email like '%,%' or email is null order by email nulls first limit 3;\n`);
  const out = join(dir, 'out');
  const r = await run(['run', file, '--api-url', sim.url, '--out', out, '--format', 'csv'], { CLERK_API_KEY: sim.secretKey });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^users\r\n700\r\n/m);
  assert.deepEqual(readdirSync(out).sort(), ['cell04-stmt1.csv', 'cell04-stmt2.csv']);
  assert.equal(readFileSync(join(out, 'cell04-stmt1.csv'), 'utf8'), 'users\r\n700\r\n');
  assert.match(r.stderr, /NOTICE: {2}api_key of server "my_clerk_server" is not a Clerk secret key/);
  assert.ok(!r.stdout.includes(sim.secretKey) && !r.stderr.includes(sim.secretKey));
});

test('run: the first error stops the run, with cell, line and column', async () => {
  const file = notebook('bad.clerk.sql', `${SETUP}-- %%\nselect 1;\n-- %% Broken\ncreate foreign table t (\n  emial text\n) server my_clerk_server options (object 'users');\n-- %%\nselect 2;\n`);
  const r = await run(['run', file, '--api-url', sim.url], { CLERK_API_KEY: sim.secretKey });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /ERROR: {2}column "emial" is not provided by Clerk object "users"/);
  assert.match(r.stderr, /at bad\.clerk\.sql cell 5, line 2, column 3 \(file line 12\)/);
  assert.match(r.stderr, /SQLSTATE HV005/);
  assert.match(r.stderr, /HINT: {2}Did you mean "email"\?/);
  assert.ok(!r.stdout.includes('?column?\n 2'), 'the cell after the error did not run');
});

test('run: without CLERK_API_KEY, a clear error and no request', async () => {
  const file = notebook('nokey.clerk.sql', `${SETUP}-- %%\nselect count(*) from clerk_users;\n`);
  sim.log.reset();
  const r = await run(['run', file, '--api-url', sim.url], {});
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no api_key for server "my_clerk_server"/);
  assert.equal(sim.log.count(), 0);
});

test('run: CLERK_API_KEY is not sent to an api_url the notebook chose', async () => {
  const file = notebook('elsewhere.clerk.sql', SETUP.replace("options (api_key '<clerk secret Key>')", `options (api_url '${sim.url}')`) + '-- %%\nselect count(*) from clerk_users;\n');
  sim.log.reset();
  const r = await run(['run', file], { CLERK_API_KEY: sim.secretKey });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no api_key for server "my_clerk_server" \(http:\/\/127\.0\.0\.1:\d+\)/);
  assert.equal(sim.log.count(), 0);
});

test('run: a key in a statement that does not parse is not printed, in whole or in part', async () => {
  const key = 'sk_live_Fake0Key-With.Dots_and-dashes99';
  for (const option of [`api_key '${key});`, `api_key ${key});`]) {
    const file = notebook('leak.clerk.sql', `-- %%\ncreate server leaky foreign data wrapper clerk_wrapper options (${option}\n`);
    const r = await run(['run', file, '--api-url', sim.url], { CLERK_API_KEY: sim.secretKey });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /ERROR: {2}(unterminated quoted string|syntax error) at or near "'?sk_live_\*\*\*"/);
    for (const piece of ['Fake0Key', 'With', 'Dots', 'dashes99']) assert.ok(!r.stdout.includes(piece) && !r.stderr.includes(piece), r.stderr);
  }
});

test('run: a CLERK_API_URL that is not a URL is named in the error', async () => {
  const file = notebook('url.clerk.sql', `${SETUP}`);
  const r = await run(['run', file], { CLERK_API_KEY: sim.secretKey, CLERK_API_URL: 'garbage' });
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'clerk-notebook: CLERK_API_URL "garbage" is not a URL (expected e.g. https://api.clerk.com/v1)\n');
});
