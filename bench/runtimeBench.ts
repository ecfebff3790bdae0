// The FDW runtime's figures: point lookup against full scan, loading 100,000 users into
// Postgres, the first statement after a cold start, and peak memory of a 100,000-user query.
import { ClerkClient } from '../src/fdw/clerk/client.js';
import { RateLimiter } from '../src/fdw/clerk/rateLimiter.js';
import type { User } from '../src/fdw/clerk/schemas.js';
import { compileCopyRow, documentedColumns, formatType } from '../src/fdw/catalog/index.js';
import { Database } from '../src/fdw/db/database.js';
import { Runtime } from '../src/fdw/runtime/runtime.js';
import { EnvironmentSecretStore } from '../src/fdw/runtime/secrets.js';
import type { SimulatorProcess } from './simulatorProcess.js';

export interface RuntimeFigures {
  coldStartMs: number;
  firstStatementMs: number;
  fullScan: { ms: number; requests: number; rows: number; peakRssMb: number };
  pointLookup: { ms: number; requests: number; rows: number };
  copy100kUsers: { buildMs: number; copyMs: number; rows: number };
}

const SETUP = `create foreign data wrapper clerk_wrapper handler clerk_fdw_handler validator clerk_fdw_validator;
create server my_clerk_server foreign data wrapper clerk_wrapper;
create foreign table clerk_users (user_id text, first_name text, last_name text, email text, gender text,
  created_at bigint, updated_at bigint, last_sign_in_at bigint, phone_numbers bigint, username text)
  server my_clerk_server options (object 'users')`;

export async function runtimeFigures(sim: SimulatorProcess, peakRssWhile: <T>(work: () => Promise<T>) => Promise<[T, number]>): Promise<RuntimeFigures> {
  const secrets = new EnvironmentSecretStore(sim.liveKey, new URL(sim.url).origin);
  let started = performance.now();
  const rt = await Runtime.start({ secrets, apiUrlOverride: sim.url });
  const coldStartMs = performance.now() - started;
  try {
    started = performance.now();
    await rt.execute('select 1');
    const firstStatementMs = performance.now() - started;
    await rt.execute(SETUP);

    const [scan, peakRssMb] = await peakRssWhile(() => rt.execute('select count(*) from clerk_users'));
    const full = scan[0]!;
    const email = (await rt.execute('select email from clerk_users where email is not null order by created_at desc limit 1'))[0]!.rows[0]![0] as string;
    rt.invalidate();
    const lookup = (await rt.execute(`select * from clerk_users where email = '${email}'`))[0]!;

    return {
      coldStartMs,
      firstStatementMs,
      fullScan: { ms: full.elapsedMs, requests: full.requests, rows: Number(full.rows[0]![0]), peakRssMb },
      pointLookup: { ms: lookup.elapsedMs, requests: lookup.requests, rows: lookup.rowCount },
      copy100kUsers: await copyFigures(sim),
    };
  } finally {
    await rt.close();
  }
}

/** COPY alone: the users are fetched first, then turned into COPY text and loaded. */
async function copyFigures(sim: SimulatorProcess): Promise<RuntimeFigures['copy100kUsers']> {
  const client = new ClerkClient({ apiUrl: sim.url, secretKey: sim.liveKey, limiter: new RateLimiter({ requests: 1e9, windowMs: 10_000 }) });
  const users: User[] = [];
  for await (const batch of client.read({ object: 'users' })) users.push(...(batch as User[]));
  const columns = [...documentedColumns('users')];
  const db = await Database.open();
  try {
    await db.exec(`create table users_copy (${columns.map((c) => `"${c.name}" ${formatType(c.type)}`).join(', ')})`);
    let started = performance.now();
    const toLine = compileCopyRow('users', columns);
    const text = users.map(toLine).join('');
    const buildMs = performance.now() - started;
    started = performance.now();
    const rows = await db.copyText(
      'users_copy',
      columns.map((c) => c.name),
      text,
    );
    return { buildMs, copyMs: performance.now() - started, rows };
  } finally {
    await db.close();
  }
}
