// `npm run bench:sync [-- --users N]`: `clerk-notebook sync` of users into a real PostgreSQL (a
// throwaway cluster of Debian's postgresql) from the simulator in its own process, with 50 ms of
// latency per request and the production key's rate limit (1000 requests / 10 s) on the client.
// Measures, for N users (default 100,000):
//   - fetch: merely reading every user (the client parses the JSON), the floor a sync is held to;
//   - full: the first sync, into an empty table (rows flow into COPY as the pages arrive);
//   - incremental after 1% of the users were updated (PATCH through the simulator's API);
//   - incremental after 10 users were deleted (found by bisecting creation-time counts);
//   - incremental with nothing changed.
// Prints a table, writes bench/results-sync.json. Not a test: it measures.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { ClerkClient } from '../src/fdw/clerk/client.js';
import { RateLimiter } from '../src/fdw/clerk/rateLimiter.js';
import { PostgresEngine } from '../src/fdw/db/postgres.js';
import { syncClerk } from '../src/fdw/sync/sync.js';
import { startPostgresCluster } from '../test/helpers/postgresCluster.js';
import { startSimulatorProcess } from './simulatorProcess.js';

const LATENCY_MS = 50;
const PRODUCTION = { requests: 1000, windowMs: 10_000 };
const WINDOW_MS = 10_000;

interface Row {
  scenario: string;
  rows: number;
  inserted: number;
  updated: number;
  deleted: number;
  requests: number;
  ms: number;
  /** CPU time of this process (the client: parsing, COPY text); Postgres and the simulator run in others. */
  cpuMs: number;
  peakRssMb: number;
}

/** The work's result, this process's peak RSS (MB) and CPU time (ms) while it ran. */
function measured<T>(work: () => Promise<T>): Promise<[T, number, number]> {
  (globalThis as { gc?: () => void }).gc?.();
  let peak = process.memoryUsage().rss;
  const cpu = process.cpuUsage();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  return work().then((value) => {
    clearInterval(timer);
    const used = process.cpuUsage(cpu);
    return [value, Math.max(peak, process.memoryUsage().rss) / 2 ** 20, (used.user + used.system) / 1000];
  });
}

/** Each measured step starts with a fresh rate-limit window, as a cron run would. */
const freshWindow = () => new Promise((r) => setTimeout(r, WINDOW_MS + 500));

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { users: { type: 'string', default: '100000' } } });
  const users = Number(values.users);
  const cluster = await startPostgresCluster();
  const sim = await startSimulatorProcess({ users, orgs: 10, memberships: 10, latencyMs: LATENCY_MS, seed: 1, rateLimit: 0 });
  const client = () => new ClerkClient({ apiUrl: sim.url, secretKey: sim.liveKey, limiter: new RateLimiter(PRODUCTION) });
  const rows: Row[] = [];
  try {
    await freshWindow();
    const [fetched, fetchRss, fetchCpu] = await measured(async () => {
      const started = performance.now();
      let count = 0;
      let requests = 0;
      for await (const page of client().read({ object: 'users' }, { onProgress: (p) => (requests = p.requests) })) count += page.length;
      return { count, requests, ms: performance.now() - started };
    });
    rows.push({
      scenario: 'fetch only',
      rows: fetched.count,
      inserted: 0,
      updated: 0,
      deleted: 0,
      requests: fetched.requests,
      ms: fetched.ms,
      cpuMs: fetchCpu,
      peakRssMb: fetchRss,
    });

    const engine = await PostgresEngine.connect({ url: cluster.url });
    const sync = async (scenario: string) => {
      await freshWindow();
      const [result, rss, cpuMs] = await measured(() =>
        syncClerk({ engine, client: client(), schema: 'clerk', objects: ['users'], full: false, overlapMs: 300_000, lockTimeoutMs: 10_000 }),
      );
      const u = result.objects[0]!;
      rows.push({
        scenario,
        rows: u.read,
        inserted: u.inserted,
        updated: u.updated,
        deleted: u.deleted,
        requests: result.requests,
        ms: result.durationMs,
        cpuMs,
        peakRssMb: rss,
      });
      return result;
    };
    await sync('full (first sync)');

    // Writes go to the simulator unthrottled, with the development key (the sync reads with the production one).
    const write = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${sim.url}${path}`, {
        method,
        headers: { Authorization: `Bearer ${sim.testKey}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    };
    const ids = (await engine.query('select user_id from clerk.users order by created_at')).rows.map(([id]) => String(id));
    const step = Math.floor(ids.length / (users / 100));
    const changed = ids.filter((_, i) => i % step === 0).slice(0, users / 100);
    for (let i = 0; i < changed.length; i += 50) {
      await Promise.all(changed.slice(i, i + 50).map((id) => write('PATCH', `/users/${id}`, { first_name: `Changed ${id.slice(-4)}` })));
    }
    await sync(`incremental, 1% updated (${changed.length})`);
    const deleted = ids.filter((_, i) => i % Math.floor(ids.length / 10) === 5).slice(0, 10);
    for (const id of deleted) await write('DELETE', `/users/${id}`);
    await sync(`incremental, ${deleted.length} deleted`);
    await sync('incremental, nothing changed');
    await engine.close();
  } finally {
    await sim.close();
    await cluster.stop();
  }

  const fmt = (n: number, digits = 0) => n.toFixed(digits);
  const header = ['scenario', 'rows read', 'inserted', 'updated', 'deleted', 'requests', 'wall ms', 'client CPU ms', 'peak RSS MB'];
  const table = rows.map((r) => [
    r.scenario,
    fmt(r.rows),
    fmt(r.inserted),
    fmt(r.updated),
    fmt(r.deleted),
    fmt(r.requests),
    fmt(r.ms),
    fmt(r.cpuMs),
    fmt(r.peakRssMb),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i]!.length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |';
  console.log(line(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const t of table) console.log(line(t));

  const [fetchOnly, full, onePercent] = rows;
  const summary = {
    fullVsFetch: full!.ms / fetchOnly!.ms,
    incrementalRequestsVsFull: onePercent!.requests / full!.requests,
    incrementalTimeVsFull: onePercent!.ms / full!.ms,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  console.log('\n' + JSON.stringify(summary, null, 2));
  const machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version };
  const out = join(process.cwd(), 'bench', users === 100_000 ? 'results-sync.json' : `results-sync-${users}.json`);
  writeFileSync(
    out,
    JSON.stringify({ date: new Date().toISOString(), machine, users, latencyMs: LATENCY_MS, rateLimit: PRODUCTION, rows, summary }, null, 2) + '\n',
  );
  console.error(`wrote ${out}`);
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
