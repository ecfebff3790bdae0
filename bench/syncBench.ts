// `npm run bench:sync [-- --users N]`: `clerk-notebook sync` of users into a real PostgreSQL (a
// throwaway cluster of Debian's postgresql) from the simulator in its own process, with 50 ms of
// latency per request and the production key's rate limit (1000 requests / 10 s) on the client.
// Measures, for N users (default 100,000), with the CPU time of each process (the client, the
// Postgres backend, the simulator):
//   - fetch: merely reading every user (the client parses the JSON), the floor a sync is held to;
//   - full: the first sync, into an empty table (rows flow into COPY as the pages arrive);
//   - incremental after 1% of the users were updated (PATCH through the simulator's API);
//   - incremental after 10 users were deleted (found by bisecting creation-time counts);
//   - incremental with nothing changed;
//   - up to 100,000 users, fetch and full sync again at the development key's limit (100 requests
//     / 10 s), where the read waits on the limit rather than on this machine's 2 cores.
// Prints a table, writes bench/results-sync.json. Not a test: it measures.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ClerkClient } from '../src/fdw/clerk/client.js';
import { RateLimiter } from '../src/fdw/clerk/rateLimiter.js';
import { PostgresEngine } from '../src/fdw/db/postgres.js';
import { syncClerk } from '../src/fdw/sync/sync.js';
import { startPostgresCluster } from '../test/helpers/postgresCluster.js';
import { startSimulatorProcess } from './simulatorProcess.js';
import { machine, markdownTable } from './report.js';

const LATENCY_MS = 50;
const PRODUCTION = { requests: 1000, windowMs: 10_000 };
const DEVELOPMENT = { requests: 100, windowMs: 10_000 };
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
  postgresCpuMs: number;
  simulatorCpuMs: number;
  peakRssMb: number;
}

/** CPU time (user + system, ms) a process has used so far: Linux's /proc, in clock ticks of 10 ms. */
function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
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
  const rows: Row[] = [];
  try {
    const fetchOnly = async (scenario: string, limit: typeof PRODUCTION) => {
      await freshWindow();
      const simCpu = processCpuMs(sim.pid);
      const [fetched, rss, cpuMs] = await measured(async () => {
        const started = performance.now();
        let count = 0;
        let requests = 0;
        const reader = new ClerkClient({ apiUrl: sim.url, secretKey: sim.liveKey, limiter: new RateLimiter(limit) });
        for await (const page of reader.read({ object: 'users' }, { onProgress: (p) => (requests = p.requests) })) count += page.length;
        return { count, requests, ms: performance.now() - started };
      });
      const simulatorCpuMs = processCpuMs(sim.pid) - simCpu;
      rows.push({
        scenario,
        rows: fetched.count,
        inserted: 0,
        updated: 0,
        deleted: 0,
        requests: fetched.requests,
        ms: fetched.ms,
        cpuMs,
        postgresCpuMs: 0,
        simulatorCpuMs,
        peakRssMb: rss,
      });
    };
    await fetchOnly('fetch only', PRODUCTION);

    const engine = await PostgresEngine.connect({ url: cluster.url });
    const backend = Number((await engine.query('select pg_backend_pid()')).rows[0]![0]);
    const sync = async (scenario: string, limit = PRODUCTION) => {
      await freshWindow();
      const [simCpu, pgCpu] = [processCpuMs(sim.pid), processCpuMs(backend)];
      const reader = new ClerkClient({ apiUrl: sim.url, secretKey: sim.liveKey, limiter: new RateLimiter(limit) });
      const [result, rss, cpuMs] = await measured(() =>
        syncClerk({ engine, client: reader, schema: 'clerk', objects: ['users'], full: false, overlapMs: 300_000, lockTimeoutMs: 10_000 }),
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
        postgresCpuMs: processCpuMs(backend) - pgCpu,
        simulatorCpuMs: processCpuMs(sim.pid) - simCpu,
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
    if (users <= 100_000) {
      await fetchOnly('fetch only, development limit', DEVELOPMENT);
      await engine.exec('drop schema clerk cascade');
      await sync('full (first sync), development limit', DEVELOPMENT);
    }
    await engine.close();
  } finally {
    await sim.close();
    await cluster.stop();
  }

  const fmt = (n: number, digits = 0) => n.toFixed(digits);
  const header = ['scenario', 'rows read', 'inserted', 'updated', 'deleted', 'requests', 'wall ms', 'CPU ms: client', 'Postgres', 'simulator', 'peak RSS MB'];
  const table = rows.map((r) => [
    r.scenario,
    fmt(r.rows),
    fmt(r.inserted),
    fmt(r.updated),
    fmt(r.deleted),
    fmt(r.requests),
    fmt(r.ms),
    fmt(r.cpuMs),
    fmt(r.postgresCpuMs),
    fmt(r.simulatorCpuMs),
    fmt(r.peakRssMb),
  ]);
  console.log(markdownTable(header, table));

  const [fetchOnly, full, onePercent] = rows;
  const [devFetch, devFull] = rows.slice(5);
  const summary = {
    fullVsFetch: full!.ms / fetchOnly!.ms,
    ...(devFull ? { fullVsFetchDevelopmentLimit: devFull.ms / devFetch!.ms } : {}),
    incrementalRequestsVsFull: onePercent!.requests / full!.requests,
    incrementalTimeVsFull: onePercent!.ms / full!.ms,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  console.log('\n' + JSON.stringify(summary, null, 2));
  const out = join(process.cwd(), 'bench', users === 100_000 ? 'results-sync.json' : `results-sync-${users}.json`);
  writeFileSync(
    out,
    JSON.stringify(
      { date: new Date().toISOString(), machine: machine(), users, latencyMs: LATENCY_MS, rateLimits: { PRODUCTION, DEVELOPMENT }, rows, summary },
      null,
      2,
    ) + '\n',
  );
  console.error(`wrote ${out}`);
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
