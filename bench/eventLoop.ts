// How long the runtime blocks its caller's event loop (in VS Code: the extension host's thread,
// shared by every extension). Phases: cold start, the first statement, a full read of 100,000
// users, and a 100,000-row result. The simulator runs in a child process, so its own CPU does not
// count on the measured thread, and so does every run of a mode, so that one run's garbage and
// warm code do not count in the next.
//
//   node --import tsx bench/eventLoop.ts [direct|hosted ...]    (default: both)
//
// Prints a table of medians over RUNS runs and writes every run to bench/results-eventloop.json.
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { ExecuteOptions, RuntimeOptions, StatementResult } from '../src/fdw/runtime/runtime.js';
import { EnvironmentSecretStore } from '../src/fdw/runtime/secrets.js';
import { startSimulator } from '../src/fdw/simulator/index.js';
import { machine } from './report.js';

const USERS = 100_000;
const SEED = 1;
const RUNS = 3;
/** Set in a run's process: the simulator to use. */
const SIMULATOR_ENV = 'EVENTLOOP_BENCH_SIMULATOR';
const MODES = ['direct', 'hosted'] as const;
type Mode = (typeof MODES)[number];

const SETUP = `create foreign data wrapper clerk_wrapper handler clerk_fdw_handler validator clerk_fdw_validator;
create server my_clerk_server foreign data wrapper clerk_wrapper;
create foreign table clerk_users (user_id text, first_name text, last_name text, email text, gender text,
  created_at bigint, updated_at bigint, last_sign_in_at bigint, phone_numbers bigint, username text)
  server my_clerk_server options (object 'users')`;

interface Phase {
  mode: Mode;
  phase: string;
  /** Longest gap between two ticks of a 1 ms interval, less the interval. */
  maxBlockMs: number;
  /** Time this thread was busy (event loop utilization's active time): its own work, whatever the machine's load. */
  busyMs: number;
  /** monitorEventLoopDelay (10 ms resolution). */
  p99Ms: number;
  histogramMaxMs: number;
  totalMs: number;
}

/** What both runtimes offer the controller. */
interface RuntimeLike {
  execute(source: string, opts?: ExecuteOptions): Promise<StatementResult[]>;
  close(): Promise<void>;
}

async function runtimeStarter(mode: Mode): Promise<(options: RuntimeOptions) => Promise<RuntimeLike>> {
  // Imported only when measured, so the other mode's modules are not loaded on this thread.
  if (mode === 'direct') {
    const { Runtime } = await import('../src/fdw/runtime/runtime.js');
    return (options) => Runtime.start(options);
  }
  const { HostedRuntime } = await import('../src/fdw/host/hostedRuntime.js');
  return (options) => HostedRuntime.start(options);
}

/** Runs `work` while watching this thread's event loop. */
async function measure<T>(mode: Mode, phase: string, work: () => Promise<T>): Promise<[T, Phase]> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  let last = performance.now();
  let maxGap = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
  }, 1);
  histogram.enable();
  const utilization = performance.eventLoopUtilization();
  const started = performance.now();
  try {
    const value = await work();
    const totalMs = performance.now() - started;
    // The gap still open when the work ends counts too.
    maxGap = Math.max(maxGap, performance.now() - last);
    const ms = (ns: number) => ns / 1e6;
    const busyMs = performance.eventLoopUtilization(utilization).active;
    return [
      value,
      { mode, phase, maxBlockMs: Math.max(0, maxGap - 1), busyMs, p99Ms: ms(histogram.percentile(99)), histogramMaxMs: ms(histogram.max), totalMs },
    ];
  } finally {
    clearInterval(ticker);
    histogram.disable();
  }
}

async function phasesOf(mode: Mode, sim: { url: string; secretKey: string }): Promise<Phase[]> {
  const start = await runtimeStarter(mode);
  const phases: Phase[] = [];
  const step = async <T>(phase: string, work: () => Promise<T>): Promise<T> => {
    const [value, figures] = await measure(mode, phase, work);
    phases.push(figures);
    return value;
  };
  const options: RuntimeOptions = {
    secrets: new EnvironmentSecretStore(sim.secretKey, new URL(sim.url).origin),
    apiUrlOverride: sim.url,
    rateLimit: { requests: 100_000, windowMs: 1000 },
  };
  const rt = await step('cold start', () => start(options));
  try {
    await step('first statement (select 1)', () => rt.execute('select 1'));
    await step('FDW DDL (3 statements)', () => rt.execute(SETUP));
    const [count] = await step(`full read of ${USERS.toLocaleString('en-US')} users (count)`, () => rt.execute('select count(*) from clerk_users'));
    if (Number(count!.rows[0]![0]) !== USERS) throw new Error(`read ${String(count!.rows[0]![0])} users, expected ${USERS}`);
    const [all] = await step(`${USERS.toLocaleString('en-US')}-row result (cached rows)`, () => rt.execute('select * from clerk_users'));
    if (all!.rows.length !== USERS) throw new Error(`got ${all!.rows.length} rows, expected ${USERS}`);
  } finally {
    await step('close', () => rt.close());
  }
  return phases;
}

/** The simulator in a child process (this file, run with `simulator`): sends its URL and key. */
async function serveSimulator(): Promise<void> {
  const sim = await startSimulator({ seed: SEED, users: USERS, rateLimit: false });
  process.send!({ url: sim.url, secretKey: sim.secretKey });
  process.on('disconnect', () => void sim.close().then(() => process.exit(0)));
}

/** Runs this file in a child process (fork() passes this process's --import tsx on) and returns what it sends. */
function child<T>(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<[T, () => void]> {
  const proc = fork(__filename, args, { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with code ${code}`)));
    proc.once('message', (message) => {
      proc.removeAllListeners('exit');
      resolve([message as T, () => proc.connected && proc.disconnect()]);
    });
  });
}

function table(phases: Phase[]): string {
  const head = ['mode', 'phase', 'max block ms', 'busy ms', 'p99 ms', 'total ms'];
  const groups = new Map<string, Phase[]>();
  for (const p of phases) groups.set(`${p.mode}\n${p.phase}`, [...(groups.get(`${p.mode}\n${p.phase}`) ?? []), p]);
  const median = (runs: Phase[], f: (p: Phase) => number) => {
    const sorted = runs.map(f).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]!;
  };
  const rows = [...groups.values()].map((runs) => [
    runs[0]!.mode,
    runs[0]!.phase,
    median(runs, (p) => p.maxBlockMs).toFixed(1),
    median(runs, (p) => p.busyMs).toFixed(0),
    median(runs, (p) => p.p99Ms).toFixed(1),
    median(runs, (p) => p.totalMs).toFixed(0),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === 'simulator') return serveSimulator();
  const given = process.env[SIMULATOR_ENV];
  if (given) {
    // A run's process: one mode, its phases sent to the parent.
    process.send!(await phasesOf(args[0] as Mode, JSON.parse(given) as { url: string; secretKey: string }));
    return;
  }
  const unknown = args.filter((a) => !(MODES as readonly string[]).includes(a));
  if (unknown.length > 0) throw new Error(`unknown mode ${unknown.join(', ')}; modes: ${MODES.join(', ')}`);
  const modes = args.length > 0 ? (args as Mode[]) : [...MODES];
  const [sim, stopSimulator] = await child<{ url: string; secretKey: string }>(['simulator']);
  const phases: Phase[] = [];
  try {
    // Modes interleaved, so that a busy spell of the machine does not fall on one mode's runs only.
    for (let run = 0; run < RUNS; run++) {
      for (const mode of modes) {
        const [figures, done] = await child<Phase[]>([mode], { ...process.env, [SIMULATOR_ENV]: JSON.stringify(sim) });
        done();
        phases.push(...figures);
      }
    }
  } finally {
    stopSimulator();
  }
  console.log(`medians of ${RUNS} runs\n${table(phases)}`);
  const out = join(__dirname, 'results-eventloop.json');
  writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), machine: machine(), users: USERS, runs: RUNS, phases }, null, 2)}\n`);
  console.log(`\nwritten to ${out}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
