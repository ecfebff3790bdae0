// `npm run bench:cold`: a whole cold `clerk-notebook run` of `select count(*) from clerk_users`
// over 100,000 users (the documented columns) against the simulator in its own process (50 ms of
// latency per request, production key: 1000 requests / 10 s), next to a bare fetch + JSON.parse
// of the same pages (8 at a time, as the client reads) in a fresh process. Both are timed from
// spawn to exit, alternately, each after a fresh rate-limit window; medians of 5. Prints a table,
// writes bench/results-cold.json. Not a test: it measures.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { startSimulatorProcess } from './simulatorProcess.js';
import { machine } from './report.js';

const USERS = 100_000;
const RUNS = 5;
const WINDOW_MS = 10_000;

const NOTEBOOK = `-- %%
create foreign data wrapper clerk_wrapper handler clerk_fdw_handler validator clerk_fdw_validator;
-- %%
create server my_clerk_server foreign data wrapper clerk_wrapper options (api_key '<clerk secret Key>');
-- %%
create foreign table clerk_users (user_id text, first_name text, last_name text, email text, gender text, created_at bigint,
  updated_at bigint, last_sign_in_at bigint, phone_numbers bigint, username text) server my_clerk_server options (object 'users');
-- %%
select count(*) from clerk_users;
`;

// The floor: every page fetched and parsed, nothing else (no validation, no database).
const BARE_FETCH = `
const [url, key] = process.argv.slice(1);
let next = 0, done = false, rows = 0;
const page = async (offset) => {
  const res = await fetch(url + '/users?order_by=%2Bcreated_at&limit=500&offset=' + offset, { headers: { Authorization: 'Bearer ' + key } });
  if (res.status !== 200) throw new Error('status ' + res.status);
  return JSON.parse(await res.text());
};
await Promise.all(Array.from({ length: 8 }, async () => {
  while (!done) { const users = await page((next += 500) - 500); rows += users.length; if (users.length < 500) done = true; }
}));
if (rows !== ${USERS}) throw new Error('rows ' + rows);
`;

function timed(args: string[], env: Record<string, string> = {}): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`${args.join(' ')}: exit ${code}\n${stderr}`))));
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const freshWindow = () => new Promise((r) => setTimeout(r, WINDOW_MS + 500));

async function main(): Promise<void> {
  const dir = mkdtempSync(join(os.tmpdir(), 'clerk-cold-'));
  const notebook = join(dir, 'count.clerk.sql');
  writeFileSync(notebook, NOTEBOOK);
  const cli = join(__dirname, '..', 'dist', 'cli.js');
  const sim = await startSimulatorProcess({ users: USERS, orgs: 10, memberships: 10, latencyMs: 50, seed: 1 });
  const fetches: number[] = [];
  const runs: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      await freshWindow();
      fetches.push(await timed(['--input-type=module', '-e', BARE_FETCH, sim.url, sim.liveKey]));
      await freshWindow();
      runs.push(await timed([cli, 'run', notebook, '--api-url', sim.url], { CLERK_API_KEY: sim.liveKey }));
    }
  } finally {
    await sim.close();
  }
  const fetchMs = median(fetches);
  const runMs = median(runs);
  const fmt = (ms: number[]) => ms.map((m) => (m / 1000).toFixed(1)).join(', ');
  console.log('| what | median | runs (s) |');
  console.log('|---|---|---|');
  console.log(`| bare fetch + JSON.parse of ${USERS} users | ${(fetchMs / 1000).toFixed(1)} s | ${fmt(fetches)} |`);
  console.log(`| cold \`clerk-notebook run\`, select count(*) | ${(runMs / 1000).toFixed(1)} s | ${fmt(runs)} |`);
  console.log(`\nratio: ${(runMs / fetchMs).toFixed(2)}x`);
  const out = join(process.cwd(), 'bench', 'results-cold.json');
  writeFileSync(
    out,
    JSON.stringify({ date: new Date().toISOString(), machine: machine(), users: USERS, fetches, runs, ratio: runMs / fetchMs }, null, 2) + '\n',
  );
  console.error(`wrote ${out}`);
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
