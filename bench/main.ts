// `npm run bench`: the Clerk client against the simulator with 50 ms latency per request.
// Prints a table and writes bench/results.json. Not a test: it measures.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClerkClient } from '../src/fdw/clerk/client.js';
import { RateLimiter, type RateLimit } from '../src/fdw/clerk/rateLimiter.js';
import type { ClerkObjectName } from '../src/fdw/clerk/schemas.js';
import { clerkFdwMemberships, clerkFdwScan } from './clerkFdwStrategy.js';
import { runtimeFigures, type RuntimeFigures } from './runtimeBench.js';
import { startSimulatorProcess } from './simulatorProcess.js';
import { machine, markdownTable } from './report.js';

const SIZE = { users: 100_000, orgs: 2_000, memberships: 20_000 };
const LATENCY_MS = 50;
const WINDOW_MS = 10_000;
/** clerk_fdw's per-organization membership requests are timed on this many organizations. */
const CLERK_FDW_ORG_SAMPLE = 40;

interface Row {
  scenario: string;
  object: ClerkObjectName;
  limit: string;
  rows: number;
  requests: number;
  throttled: number;
  ms: number;
  /** The least time the rate limit allows (whole windows, then one latency). */
  boundMs: number;
  vsBound: number;
  /** The same read with no latency and no rate limit: what the CPU (simulator and client) needs. */
  floorMs: number;
  peakRssMb: number;
}

/** The least time `requests` can take at `limit` per window: whole windows, then one latency. */
function rateLimitBound(requests: number, limit: RateLimit): number {
  return Math.floor((requests - 1) / limit.requests) * limit.windowMs + LATENCY_MS;
}

function peakRssWhile<T>(work: () => Promise<T>): Promise<[T, number]> {
  (globalThis as { gc?: () => void }).gc?.();
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  return work().then((value) => {
    clearInterval(timer);
    return [value, Math.max(peak, process.memoryUsage().rss) / 2 ** 20];
  });
}

const waitForFreshWindow = () => new Promise((r) => setTimeout(r, WINDOW_MS + 500));

/** Reads every row of `object`, counting them and keeping the last progress report. */
async function readAll(client: ClerkClient, object: ClerkObjectName) {
  let last = { requests: 0, throttled: 0 };
  let rows = 0;
  for await (const batch of client.read({ object }, { onProgress: (p) => (last = p) })) rows += batch.length;
  return { rows, ...last };
}

/** Each object read with no latency and no limit: the CPU floor of the same work. */
async function cpuFloors(): Promise<Map<ClerkObjectName, number>> {
  const sim = await startSimulatorProcess({ ...SIZE, latencyMs: 0, seed: 1, rateLimit: 0 });
  const floors = new Map<ClerkObjectName, number>();
  try {
    for (const object of ['users', 'organizations', 'organization_memberships'] as const) {
      const client = new ClerkClient({ apiUrl: sim.url, secretKey: sim.liveKey, limiter: new RateLimiter({ requests: 1e9, windowMs: WINDOW_MS }) });
      const start = performance.now();
      await readAll(client, object);
      floors.set(object, performance.now() - start);
    }
  } finally {
    await sim.close();
  }
  return floors;
}

async function main() {
  const floors = await cpuFloors();
  const sim = await startSimulatorProcess({ ...SIZE, latencyMs: LATENCY_MS, seed: 1 });
  const rows: Row[] = [];
  let runtime: RuntimeFigures | undefined;
  try {
    const limits: [string, string, RateLimit][] = [
      ['development (100 / 10 s)', sim.testKey, { requests: 100, windowMs: WINDOW_MS }],
      ['production (1000 / 10 s)', sim.liveKey, { requests: 1000, windowMs: WINDOW_MS }],
    ];
    for (const [limitName, key, limit] of limits) {
      for (const object of ['users', 'organizations', 'organization_memberships'] as const) {
        await waitForFreshWindow();
        // A limiter of its own per scenario: each starts with a full window, as the server does.
        const client = new ClerkClient({ apiUrl: sim.url, secretKey: key, limiter: new RateLimiter(limit) });
        const start = performance.now();
        const [read, peak] = await peakRssWhile(() => readAll(client, object));
        const ms = performance.now() - start;
        const boundMs = rateLimitBound(read.requests - read.throttled, limit);
        rows.push({
          scenario: 'this client',
          object,
          limit: limitName,
          rows: read.rows,
          requests: read.requests,
          throttled: read.throttled,
          ms,
          boundMs,
          vsBound: ms / boundMs,
          floorMs: floors.get(object)!,
          peakRssMb: peak,
        });
        console.error(`  ${object} at ${limitName}: ${read.rows} rows, ${read.requests} requests, ${ms.toFixed(0)} ms`);
      }
    }

    await waitForFreshWindow();
    runtime = await runtimeFigures(sim, peakRssWhile);

    // clerk_fdw's strategy stays under either limit (one request per ~0.55 s), so one run serves both.
    await waitForFreshWindow();
    for (const object of ['users', 'organizations'] as const) {
      const r = await clerkFdwScan(sim.url, sim.testKey, object);
      rows.push({
        scenario: "clerk_fdw's strategy",
        object,
        limit: 'either',
        rows: r.rows,
        requests: r.requests,
        throttled: 0,
        ms: r.ms,
        boundMs: NaN,
        vsBound: NaN,
        floorMs: NaN,
        peakRssMb: NaN,
      });
      console.error(`  clerk_fdw ${object}: ${r.rows} rows, ${r.requests} requests, ${r.ms.toFixed(0)} ms`);
    }
    const m = await clerkFdwMemberships(sim.url, sim.testKey, CLERK_FDW_ORG_SAMPLE);
    rows.push({
      scenario: `clerk_fdw's strategy (timed on ${m.sampled} orgs, extrapolated)`,
      object: 'organization_memberships',
      limit: 'either',
      rows: NaN,
      requests: m.requests,
      throttled: 0,
      ms: m.ms,
      boundMs: NaN,
      vsBound: NaN,
      floorMs: NaN,
      peakRssMb: NaN,
    });
  } finally {
    await sim.close();
  }

  const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
  const header = ['scenario', 'object', 'rate limit', 'rows', 'requests', '429s', 'wall ms', 'rate-limit bound ms', 'x bound', 'CPU floor ms', 'peak RSS MB'];
  const table = rows.map((r) => [
    r.scenario,
    r.object,
    r.limit,
    fmt(r.rows),
    fmt(r.requests),
    fmt(r.throttled),
    fmt(r.ms),
    fmt(r.boundMs),
    fmt(r.vsBound, 2),
    fmt(r.floorMs),
    fmt(r.peakRssMb),
  ]);
  console.log(markdownTable(header, table));

  const ours = (o: ClerkObjectName, limit: string) => rows.find((r) => r.scenario === 'this client' && r.object === o && r.limit.startsWith(limit))!;
  const fdwMembers = rows.find((r) => r.object === 'organization_memberships' && r.scenario.startsWith('clerk_fdw'))!;
  const summary = {
    membershipsSpeedupVsClerkFdw: {
      development: fdwMembers.ms / ours('organization_memberships', 'development').ms,
      production: fdwMembers.ms / ours('organization_memberships', 'production').ms,
    },
    users100kDevelopmentVsBound: ours('users', 'development').vsBound,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  console.log('\n' + JSON.stringify(summary, null, 2));
  if (runtime) {
    console.log('\nFDW runtime (production key, 50 ms latency):');
    console.log(
      `  runtime start (cold, database from the shipped template): ${runtime.coldStartMs.toFixed(0)} ms; first statement: ${runtime.firstStatementMs.toFixed(0)} ms`,
    );
    console.log(
      `  full scan, select count(*) from clerk_users: ${runtime.fullScan.rows} rows, ${runtime.fullScan.requests} requests, ${runtime.fullScan.ms.toFixed(0)} ms, peak RSS ${runtime.fullScan.peakRssMb.toFixed(0)} MB`,
    );
    console.log(
      `  point lookup, where email = '...': ${runtime.pointLookup.rows} row, ${runtime.pointLookup.requests} request, ${runtime.pointLookup.ms.toFixed(0)} ms`,
    );
    console.log(
      `  COPY of 100,000 users (10 columns): ${runtime.copy100kUsers.buildMs.toFixed(0)} ms to build the text, ${runtime.copy100kUsers.copyMs.toFixed(0)} ms to load`,
    );
  }
  const out = join(process.cwd(), 'bench', 'results.json');
  writeFileSync(
    out,
    JSON.stringify({ date: new Date().toISOString(), machine: machine(), simulator: { ...SIZE, latencyMs: LATENCY_MS }, rows, summary, runtime }, null, 2) +
      '\n',
  );
  console.error(`wrote ${out}`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
