// `clerk-notebook sync --database URL [--schema clerk] [--objects LIST] [--full] [--api-url URL]
//  [--overlap SECONDS] [--wait SECONDS] [--quiet]`: Clerk's users, organizations and memberships
// as real tables of a PostgreSQL database (src/fdw/sync). Exit codes fit cron: 0 synced, 1 failed
// (nothing changed), 2 wrong usage, 75 (EX_TEMPFAIL) another sync held the lock past --wait,
// 128 + n stopped by signal n.
import { parseArgs } from 'node:util';
import { checkApiUrl, DEFAULT_API_URL } from '../fdw/clerk/apiUrl.js';
import { ClerkClient } from '../fdw/clerk/client.js';
import { redactSecrets } from '../fdw/clerk/errors.js';
import { PostgresEngine } from '../fdw/db/postgres.js';
import { apiTarget } from '../fdw/runtime/apiTarget.js';
import { SimulatorPool } from '../fdw/simulator/pool.js';
import { SYNC_OBJECTS } from '../fdw/sync/tables.js';
import { SyncBusyError, syncClerk, type SyncProgress, type SyncResult } from '../fdw/sync/sync.js';
import { stopOnSignals } from './signals.js';

const USAGE = `usage: clerk-notebook sync --database URL [--schema clerk] [--objects ${SYNC_OBJECTS.join(',')}] [--full] [--api-url URL] [--overlap SECONDS] [--wait SECONDS] [--quiet]`;
const EX_USAGE = 2;
const EX_TEMPFAIL = 75;
/** Progress lines at most this often. */
const PROGRESS_MS = 2000;

class UsageError extends Error {}

export async function runSyncCommand(argv: string[]): Promise<number> {
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(argv);
  } catch (error) {
    process.stderr.write(`clerk-notebook sync: ${(error as Error).message}\n${USAGE}\n`);
    return EX_USAGE;
  }
  const stop = stopOnSignals((text) => process.stderr.write(text));
  const simulators = new SimulatorPool();
  let key: string | undefined;
  let engine: PostgresEngine | undefined;
  try {
    const client = await clerkClient(options.apiUrl, simulators);
    key = client.key;
    engine = await PostgresEngine.connect({ url: options.database });
    const result = await syncClerk({
      engine,
      client: client.client,
      schema: options.schema,
      objects: options.objects,
      full: options.full,
      overlapMs: options.overlapSeconds * 1000,
      lockTimeoutMs: options.waitSeconds * 1000,
      signal: stop.signal,
      onProgress: options.quiet ? undefined : progressWriter(),
    });
    process.stdout.write(summary(result, options.schema, engine.description));
    return 0;
  } catch (error) {
    if (stop.exitCode !== undefined) return stop.exitCode;
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`clerk-notebook sync: ${redactSecrets(message, key)}\nnothing was changed\n`);
    return error instanceof SyncBusyError ? EX_TEMPFAIL : 1;
  } finally {
    await engine?.close();
    await simulators.close();
    stop.dispose();
  }
}

function parseOptions(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        database: { type: 'string' },
        schema: { type: 'string', default: 'clerk' },
        objects: { type: 'string', default: SYNC_OBJECTS.join(',') },
        full: { type: 'boolean', default: false },
        'api-url': { type: 'string' },
        overlap: { type: 'string', default: '300' },
        wait: { type: 'string', default: '600' },
        quiet: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values } = parsed;
  if (!values.database) throw new UsageError('--database URL is required (a postgres:// URL; what it leaves out comes from PG* variables and ~/.pgpass)');
  if (values.schema.trim() === '') throw new UsageError('--schema must name a schema');
  const objects = values.objects.split(',').map((o) => o.trim());
  for (const object of objects) {
    if (!(SYNC_OBJECTS as string[]).includes(object)) throw new UsageError(`--objects: "${object}" is not one of ${SYNC_OBJECTS.join(', ')}`);
  }
  return {
    database: values.database,
    schema: values.schema,
    // In the tables' order, once each: memberships after the users and organizations they name.
    objects: SYNC_OBJECTS.filter((o) => objects.includes(o)),
    full: values.full,
    apiUrl: values['api-url'],
    overlapSeconds: seconds(values.overlap, '--overlap'),
    waitSeconds: seconds(values.wait, '--wait'),
    quiet: values.quiet,
  };
}

function seconds(text: string, flag: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) throw new UsageError(`${flag} must be a number of seconds, not "${text}"`);
  return value;
}

/** The client of --api-url (the built-in simulator, or Clerk's API with CLERK_API_KEY), and the key it sends. */
async function clerkClient(apiUrl: string | undefined, simulators: SimulatorPool): Promise<{ client: ClerkClient; key: string }> {
  const target = apiTarget(apiUrl ?? process.env.CLERK_API_URL ?? DEFAULT_API_URL, apiUrl ? '--api-url' : 'CLERK_API_URL');
  if (target.kind === 'simulator') {
    const sim = await simulators.get(target.spec);
    return { client: new ClerkClient({ apiUrl: sim.url, secretKey: sim.secretKey }), key: sim.secretKey };
  }
  const key = process.env.CLERK_API_KEY;
  if (!key) throw new Error(`no Clerk secret key: set CLERK_API_KEY (it is sent only to ${target.origin})`);
  return { client: new ClerkClient({ apiUrl: checkApiUrl(target.apiUrl), secretKey: key }), key };
}

function progressWriter(): (p: SyncProgress) => void {
  let last = 0;
  let lastObject: string | undefined;
  return (p) => {
    const now = Date.now();
    if (p.object === lastObject && p.phase === 'reading' && now - last < PROGRESS_MS) return;
    last = now;
    lastObject = p.object;
    const of = p.total === undefined ? '' : ` of ${p.total.toLocaleString('en-US')}`;
    process.stderr.write(`${p.object}: ${p.phase} ${p.rows.toLocaleString('en-US')}${of} rows, ${p.requests} requests\n`);
  };
}

function summary(result: SyncResult, schema: string, where: string): string {
  const lines = result.objects.map(
    (o) =>
      `${`${schema}.${o.object}`.padEnd(32)} ${o.mode.padEnd(11)} ${String(o.read).padStart(9)} read ${String(o.inserted).padStart(8)} inserted ${String(o.updated).padStart(8)} updated ${String(o.deleted).padStart(8)} deleted ${String(o.requests).padStart(6)} requests`,
  );
  return `${lines.join('\n')}\nsync run ${result.runId} into ${where}: ${result.mode}, ${result.requests} requests, ${(result.durationMs / 1000).toFixed(1)} s\n`;
}
