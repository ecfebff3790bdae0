// What changed in Clerk's users since the last sync, at the cost of the change, not of the table:
//  1. the users updated since the high-water mark (the table's newest updated_at, less an overlap
//     margin), read newest first (`order_by=-updated_at`) down to the mark: created and updated
//     users;
//  2. deletions, which no list shows: when Clerk's count of users differs from the table's (after
//     step 1), the creation-time ranges whose counts differ are found by bisection
//     (`/users/count?created_at_after&created_at_before` against the table's own count), and only
//     those ranges are read whole; a user of such a range that Clerk no longer lists is deleted.
//     The search costs at most a page per 500 users: past that, every user is read instead.
// Everything read lands in the staging table; the ranges read whole land in the ranges table. The
// caller applies both in the sync's transaction.
import type { ClerkClient } from '../clerk/client.js';
import { ClerkApiError } from '../clerk/errors.js';
import { PAGE_SIZE } from '../clerk/reads.js';
import type { ClerkObject, User } from '../clerk/schemas.js';
import type { RequestStats } from '../clerk/transport.js';
import type { Engine } from '../db/engine.js';
import { qualified, quoteIdent } from '../sql/identifiers.js';
import { copyPages, type Relation } from './staging.js';
import type { SyncTable } from './tables.js';

export interface UsersDeltaOptions {
  engine: Engine;
  client: ClerkClient;
  table: SyncTable;
  target: Relation;
  staging: Relation;
  /** Holds `lo` and `hi` (timestamptz) of each creation range read whole: [lo, hi). */
  ranges: Relation;
  /** The table's newest updated_at, in ms. */
  highWater: number;
  /** The table's rows (sync.ts's storedRows). */
  rows: number;
  overlapMs: number;
  stats: RequestStats;
  signal?: AbortSignal;
  onRows?: (rows: number) => void;
}

export interface UsersDelta {
  /** Users read in step 1. */
  changed: number;
  /** Creation ranges read whole in step 2, and the users read in them. */
  ranges: number;
  rangeRows: number;
  /** The search cost as much as reading every user, and every user was read (users Clerk did not list are deleted). */
  whole: boolean;
}

/** A range whose counts differ is read whole once Clerk counts at most a page of users in it: splitting it further costs a request and saves at most a page. */
const LEAF_ROWS = PAGE_SIZE;
/** Users created a little after this machine's now (clock skew) are still inside the first range. */
const FUTURE_MARGIN_MS = 86_400_000;

const ms = (param: string) => `(timestamptz 'epoch' + ${param}::bigint * interval '1 millisecond')`;

export async function readUsersDelta(o: UsersDeltaOptions): Promise<UsersDelta> {
  const { engine, client, stats, signal } = o;
  const since = o.highWater - o.overlapMs;
  let previous = Infinity;
  let rows = 0;
  // The read stops after the first page that reaches below the mark. A list that is not in
  // -updated_at order would make that stop early and lose changes: it fails instead.
  const updatedAt = (user: User) => user.updated_at ?? -Infinity;
  const stopAfter = (page: readonly ClerkObject[]) => page.some((u) => updatedAt(u as User) < since);
  const ordered = async function* (pages: AsyncIterable<ClerkObject[]>) {
    for await (const page of pages) {
      for (const user of page as User[]) {
        if (updatedAt(user) > previous) {
          throw new ClerkApiError(
            `Clerk API GET /v1/users?order_by=-updated_at: user "${user.id}" came after an older update; the list is not in -updated_at order`,
            {
              object: 'users',
            },
          );
        }
        previous = updatedAt(user);
      }
      rows += page.length;
      o.onRows?.(rows);
      yield page;
    }
  };
  // Clerk's count is asked for alongside the read (a round trip less). Taken a little earlier than
  // the read's last page, it may differ from what the read saw: a user created meanwhile makes a
  // search that finds nothing to do; one deleted meanwhile is found by the next run.
  const counted = client.countUsers({}, { stats, signal });
  // Observed now: a failed read must not leave the count's failure unhandled.
  counted.catch(() => undefined);
  const changed = await copyPages(
    engine,
    o.table,
    o.staging,
    ordered(client.read({ object: 'users', recentlyUpdatedFirst: true }, { stopAfter, stats, signal })),
  );

  const key = quoteIdent(o.table.key);
  /** Creation times (ms, ascending) of the table's users as they will be once the changed users are applied: read once, when a search is needed (8 bytes a user). */
  let created: Float64Array | undefined;
  const loadCreated = async () => {
    const { rows } = await engine.query(
      `select round(extract(epoch from created_at) * 1000)::float8 from (
         select created_at from ${qualified(o.target)} t where not exists (select 1 from ${qualified(o.staging)} s where s.${key} = t.${key})
         union all select distinct on (${key}) created_at from ${qualified(o.staging)}) after_sync
       where created_at is not null order by 1`,
    );
    created = Float64Array.from(rows, ([at]) => Number(at));
  };
  /** Index of the first creation time >= t. */
  const lowerBound = (t: number) => {
    let [a, b] = [0, created!.length];
    while (a < b) {
      const m = (a + b) >>> 1;
      if (created![m]! < t) a = m + 1;
      else b = m;
    }
    return a;
  };
  const localCount = (lo: number, hi: number) => lowerBound(hi) - lowerBound(lo);
  /** The middle creation time of the table's users in [lo, hi): bisection halves what the table holds. */
  const localMiddle = (lo: number, hi: number) => {
    const [a, b] = [lowerBound(lo), lowerBound(hi)];
    return a < b ? created![(a + b) >>> 1]! : undefined;
  };
  const remoteCount = (lo: number, hi: number) => client.countUsers({ created_at_after: lo - 1, created_at_before: hi }, { stats, signal });

  let ranges = 0;
  let rangeRows = 0;
  const readRange = async (lo: number, hi: number) => {
    ranges++;
    await engine.query(`insert into ${qualified(o.ranges)} values (${ms('$1')}, ${ms('$2')})`, [lo, hi]);
    // Read before copying: a range is at most a page or two, and the connection stays free for
    // the other branches' counts meanwhile.
    const pages: ClerkObject[][] = [];
    for await (const page of client.read({ object: 'users', filter: { created_at_after: lo - 1, created_at_before: hi } }, { stats, signal })) pages.push(page);
    const read = await copyPages(engine, o.table, o.staging, pages);
    rangeRows += read;
  };
  // `remote`: Clerk's count in [lo, hi). The right half's count is the rest of it (one request per
  // split): a count that is off because users changed meanwhile only makes a range read whole, or
  // leaves a difference the next sync finds.
  // The search may cost at most what reading every user does (a page per 500): counts that keep
  // disagreeing (users changing fast, or an API whose counts are wrong) end it, and every user is
  // read instead.
  let budget = Math.ceil(o.rows / PAGE_SIZE) + 1;
  const spend = () => --budget >= 0;
  const reconcile = async (lo: number, hi: number, remote: number, local?: number): Promise<void> => {
    if (budget < 0 || (local ?? localCount(lo, hi)) === remote) return;
    if (!spend()) return;
    if (remote <= LEAF_ROWS || hi - lo <= 1) return readRange(lo, hi);
    const middle = localMiddle(lo, hi);
    const mid = middle !== undefined && middle > lo && middle < hi ? middle : lo + Math.floor((hi - lo) / 2);
    const left = await remoteCount(lo, mid);
    // Both halves at once: the wall time is the depth of the search, not the number of counts.
    await Promise.all([reconcile(lo, mid, left), reconcile(mid, hi, remote - left)]);
  };
  // The first comparison is of the whole table, counted without reading it: its rows, plus the staged users it lacks.
  const added = await engine.query(
    `select count(distinct ${key}) from ${qualified(o.staging)} s where not exists (select 1 from ${qualified(o.target)} t where t.${key} = s.${key})`,
  );
  const total = await counted;
  const local = o.rows + Number(added.rows[0]![0]);
  if (local !== total) {
    const newest = await engine.query(
      `select (extract(epoch from greatest((select max(created_at) from ${qualified(o.target)}), (select max(created_at) from ${qualified(o.staging)}))) * 1000)::bigint`,
    );
    const hi = Math.max(Date.now(), Number(newest.rows[0]![0] ?? 0) + 1) + FUTURE_MARGIN_MS;
    await loadCreated();
    await reconcile(0, hi, total, local);
    if (budget < 0) {
      const whole = await copyPages(engine, o.table, o.staging, client.read({ object: 'users' }, { stats, signal }));
      return { changed, ranges, rangeRows: rangeRows + whole, whole: true };
    }
  }
  return { changed, ranges, rangeRows, whole: false };
}
