// `clerk-notebook simulate`: serves the simulator until SIGINT or SIGTERM.
import { parseArgs } from 'node:util';
import { DEFAULT_DATASET } from './dataset.js';
import { FAULT_KINDS, type FaultKind } from './faults.js';
import type { SimulatorOptions } from './options.js';
import { CLERK_RATE_LIMITS } from './rateLimit.js';
import { startSimulator } from './server.js';

/** The port the README's curl examples use; `--port 0` picks a free one. */
export const DEFAULT_PORT = 8787;

const USAGE = `usage: clerk-notebook simulate [options]

  --port N          port on 127.0.0.1 (default ${DEFAULT_PORT}; 0 = any free port)
  --seed N          data seed (default ${DEFAULT_DATASET.seed})
  --users N         users (default ${DEFAULT_DATASET.users})
  --orgs N          organizations (default one per ${DEFAULT_DATASET.usersPerOrg} users)
  --memberships N   memberships (default ${DEFAULT_DATASET.membershipsPerUser} per user)
  --waitlist N      waitlist entries (default one per ${DEFAULT_DATASET.usersPerWaitlistEntry} users)
  --invitations N   invitations sent directly, besides the waitlist's (default one per ${DEFAULT_DATASET.usersPerInvitation} users)
  --now TIME        the dataset's "now", ISO 8601 or ms (default ${new Date(DEFAULT_DATASET.now).toISOString()})
  --latency-ms N    delay added to every response (default 0)
  --fault-rate X    share of requests that fail, 0..1 (default 0)
  --faults LIST     kinds drawn by --fault-rate: ${FAULT_KINDS.join(',')} (default all)
  --rate-limit N    requests per 10 s for both keys (default ${CLERK_RATE_LIMITS.test} sk_test_, ${CLERK_RATE_LIMITS.live} sk_live_; 0 = none)
`;

function integerOption(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}, got "${value}"`);
  return n;
}

function timeOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isSafeInteger(ms)) throw new Error(`--now must be an ISO 8601 date or milliseconds, got "${value}"`);
  return ms;
}

function faultKinds(value: string | undefined): FaultKind[] | undefined {
  if (value === undefined) return undefined;
  const kinds = value
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  const unknown = kinds.filter((k) => !(FAULT_KINDS as readonly string[]).includes(k));
  if (unknown.length > 0) throw new Error(`--faults: unknown kind "${unknown.join(', ')}" (known: ${FAULT_KINDS.join(',')})`);
  return kinds as FaultKind[];
}

/** Parses the `simulate` arguments into simulator options (throws with a message on bad input). */
export function parseSimulateArgs(argv: string[]): (SimulatorOptions & { port: number }) | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      seed: { type: 'string' },
      users: { type: 'string' },
      orgs: { type: 'string' },
      memberships: { type: 'string' },
      waitlist: { type: 'string' },
      invitations: { type: 'string' },
      now: { type: 'string' },
      'latency-ms': { type: 'string' },
      'fault-rate': { type: 'string' },
      faults: { type: 'string' },
      'rate-limit': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const faultRate = values['fault-rate'] === undefined ? undefined : Number(values['fault-rate']);
  if (faultRate !== undefined && !(faultRate >= 0 && faultRate <= 1)) throw new Error(`--fault-rate must be between 0 and 1, got "${values['fault-rate']}"`);
  const rateLimit = integerOption('rate-limit', values['rate-limit'], 0);
  return {
    port: integerOption('port', values.port, 0) ?? DEFAULT_PORT,
    seed: integerOption('seed', values.seed, Number.MIN_SAFE_INTEGER),
    users: integerOption('users', values.users, 0),
    orgs: integerOption('orgs', values.orgs, 0),
    memberships: integerOption('memberships', values.memberships, 0),
    waitlist: integerOption('waitlist', values.waitlist, 0),
    invitations: integerOption('invitations', values.invitations, 0),
    now: timeOption(values.now),
    latencyMs: integerOption('latency-ms', values['latency-ms'], 0),
    faultRate,
    faultKinds: faultKinds(values.faults),
    rateLimit: rateLimit === undefined ? undefined : rateLimit === 0 ? false : { test: rateLimit, live: rateLimit },
  };
}

export async function runSimulateCommand(argv: string[]): Promise<number> {
  const options = parseSimulateArgs(argv);
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const started = performance.now();
  const sim = await startSimulator(options);
  const generatedMs = Math.round(performance.now() - started);
  const counts = sim.dataset.counts();
  const limits = sim.options.rateLimit;
  const perWindow = (n: number) => (limits ? `${n} requests / ${limits.windowMs / 1000} s` : 'no rate limit');
  process.stdout.write(
    [
      `Clerk Backend API simulator (seed ${sim.seed}, now ${new Date(sim.now).toISOString()})`,
      `  base URL    ${sim.url}`,
      `  secret key  ${sim.secretKey}  (development: ${perWindow(limits ? limits.test : 0)})`,
      `  live key    ${sim.liveKey}  (production: ${perWindow(limits ? limits.live : 0)})`,
      `  data        ${counts.users} users, ${counts.orgs} organizations, ${counts.memberships} memberships, ${counts.waitlist} waitlist entries, ${counts.invitations} invitations (generated in ${generatedMs} ms)`,
      `  try         curl -H "Authorization: Bearer ${sim.secretKey}" "${sim.url}/users?limit=2"`,
      'Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await sim.close();
  return 0;
}
