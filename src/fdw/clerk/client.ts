// The Clerk Backend API client: complete reads of any size, streamed page by page, within
// the key's rate limit, with progress, cancellation and errors that say what failed.
import { setMaxListeners } from 'node:events';
import { z } from 'zod';
import { ClerkApiError, ClerkCancelledError, ClerkSchemaError, describeContext, type ClerkErrorDetails } from './errors.js';
import { Channel, Slots } from './channel.js';
import { limiterFor, type RateLimit, type RateLimiter } from './rateLimiter.js';
import { PAGE_SIZE, sourcesFor, type ReadRequest, type Source, type UserFilter } from './reads.js';
import { TotalCount, listEnvelope, objectSchemas, OBJECT_NOUNS, type ClerkObject, type ClerkObjectName } from './schemas.js';
import { Transport, type Query, type RequestContext, type RequestStats, type TransportOptions } from './transport.js';
import { checkApiUrl, DEFAULT_API_URL } from './apiUrl.js';
import { compileCheck, type Check } from './validate.js';

/** How each request is made: retries, backoff, deadline, body size, Retry-After ceiling (see TransportOptions). */
export type RequestOptions = Partial<Pick<TransportOptions, 'maxRetries' | 'max429' | 'backoffMs' | 'timeoutMs' | 'maxBodyBytes' | 'maxRetryAfterMs'>>;

export interface ClerkClientOptions extends RequestOptions {
  secretKey: string;
  /** Defaults to `https://api.clerk.com/v1`; plain http only to loopback. */
  apiUrl?: string;
  /** Overrides the limit derived from the key (`sk_live_` 1000 / 10 s, else 100 / 10 s). */
  rateLimit?: RateLimit;
  /** A limiter of its own instead of the one shared by every client of this key. */
  limiter?: RateLimiter;
  /** Requests in flight (plus pages waiting to be consumed) per read. */
  concurrency?: number;
}

export interface ReadProgress {
  object: ClerkObjectName;
  /** Rows delivered so far (after de-duplication). */
  rows: number;
  /** Rows Clerk reports, once known for every endpoint of the read. */
  total?: number;
  /** Requests sent, retries and count requests included. */
  requests: number;
  /** 429 responses waited out so far. */
  throttled: number;
  retries: number;
}

export interface ReadOptions {
  signal?: AbortSignal;
  onProgress?: (p: ReadProgress) => void;
  /** Stop after this many rows (a plain `LIMIT n`): only the pages needed are fetched. */
  maxRows?: number;
  /**
   * Ends the read after the page for which it returns true (the page's rows, before
   * de-duplication). No total is asked for; pages go out a few ahead (readAhead), and those past
   * the last one are cancelled.
   */
  stopAfter?: (page: readonly ClerkObject[]) => boolean;
  /** Counters the read adds its requests to (else its own), e.g. to total several reads. */
  stats?: RequestStats;
}

interface ReadState {
  object: ClerkObjectName;
  rows: number;
  stats: RequestStats;
  /** One per endpoint the read takes rows from. */
  sources: SourceRead[];
  /** Ids delivered, over every endpoint: a row two endpoints serve is delivered once. */
  seen: Set<string>;
  channel: Channel<ClerkObject[]>;
  slots: Slots;
  signal: AbortSignal;
  maxRows: number;
  stopAfter?: (page: readonly ClerkObject[]) => boolean;
  onProgress?: (p: ReadProgress) => void;
}

/** One endpoint of a read, and what it has served and said so far: each is checked on its own. */
interface SourceRead {
  source: Source;
  /** Ids this endpoint served, in any pass (whether or not another endpoint delivered them first). */
  seen: Set<string>;
  /** The total Clerk gave first, and last (`/users/count` or a page's `total_count`). */
  firstTotal?: number;
  total?: number;
  /** Whether the pages gave different totals. */
  totalChanged: boolean;
}

/** A page's items as fetched, before validation; `release` frees its fetch slot. */
interface FetchedPage {
  index: number;
  limit: number;
  items: unknown[];
  details: ClerkErrorDetails;
  release: () => void;
}

/** One pass over an endpoint's pages, from offset 0. */
interface Pass {
  /** Ids served in this pass: a full page that adds none means paging does not advance. */
  ids: Set<string>;
  /** The first page that added none. */
  stalled?: { index: number; offset: number };
}

export class ClerkClient {
  readonly apiUrl: string;
  private readonly transport: Transport;
  private readonly concurrency: number;

  constructor({ secretKey, apiUrl, rateLimit, limiter, concurrency, ...requests }: ClerkClientOptions) {
    this.apiUrl = checkApiUrl(apiUrl ?? DEFAULT_API_URL);
    if (!/^sk_(test|live)_\S+$/.test(secretKey)) {
      throw new ClerkApiError('The Clerk secret key must start with sk_test_ or sk_live_ (Clerk Dashboard, API keys).');
    }
    this.concurrency = Math.max(1, concurrency ?? 8);
    this.transport = new Transport({ ...requests, apiUrl: this.apiUrl, secretKey, limiter: limiter ?? limiterFor(secretKey, rateLimit) });
  }

  /**
   * Every row matching `req`, as batches (one per page) in arrival order, de-duplicated by id.
   * Either all rows arrive or the iteration throws: never a silently partial result.
   */
  async *read(req: ReadRequest, opts: ReadOptions = {}): AsyncGenerator<ClerkObject[]> {
    const abort = new AbortController();
    // Every request, limiter wait and backoff of the read listens on this one signal.
    setMaxListeners(0, abort.signal);
    const onAbort = () => abort.abort();
    if (opts.signal?.aborted) throw new ClerkCancelledError();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const state: ReadState = {
      object: req.object,
      rows: 0,
      stats: opts.stats ?? { requests: 0, throttled: 0, retries: 0 },
      sources: sourcesFor(req).map((source) => ({ source, seen: new Set(), totalChanged: false })),
      seen: new Set(),
      channel: new Channel(),
      slots: new Slots(this.concurrency),
      signal: abort.signal,
      maxRows: opts.maxRows ?? Infinity,
      stopAfter: opts.stopAfter,
      onProgress: opts.onProgress,
    };
    let finished = false;
    Promise.all(state.sources.map((read) => this.readSource(read, state))).then(
      () => state.channel.close(),
      (err) => {
        abort.abort();
        state.channel.fail(opts.signal?.aborted ? new ClerkCancelledError() : err);
      },
    );
    try {
      for await (const batch of state.channel) {
        if (opts.signal?.aborted) throw new ClerkCancelledError();
        yield batch;
      }
      finished = true;
    } finally {
      if (!finished) abort.abort();
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Reads one endpoint to the end and checks what it served against what Clerk counts. Rows
   * arrive before the check is done (they are streamed), so a failed check fails the read.
   */
  private async readSource(read: SourceRead, state: ReadState): Promise<void> {
    const { source } = read;
    const first: Pass = { ids: read.seen };
    if (state.stopAfter) {
      await this.readAhead(read, state, first);
    } else {
      const counting = !source.small && source.countPath !== undefined && state.maxRows > PAGE_SIZE;
      // The count runs alongside page 0, so that the pages after it can go out together.
      const [, more] = await Promise.all([counting ? this.count(read, state) : undefined, this.page(read, state, first, 0)]);
      await this.readPass(read, state, first, more);
    }
    if (state.rows >= state.maxRows) return;
    if (!first.stalled && (read.total === undefined || (read.seen.size === read.total && !read.totalChanged))) return;

    // The data changed during the read, or the API contradicts itself: a second look, with a
    // fresh total. Rows created during the read come last (creation order), so when the rows
    // are what Clerk now counts, and no fewer than it counted first, none was skipped.
    // Otherwise a row deleted during the read may have shifted one past a page boundary, a
    // page may have come twice, or the total is wrong: the list is read again from the start
    // (de-duplication drops the repeats) and must then agree with Clerk's total.
    const second: Pass = { ids: new Set() };
    let restart: boolean | undefined;
    if (source.countPath) await this.count(read, state);
    else restart = await this.page(read, state, second, 0);
    if (!first.stalled && read.seen.size === read.total && read.seen.size >= (read.firstTotal ?? 0)) return;
    await this.readPass(read, state, second, restart ?? (await this.page(read, state, second, 0)));
    if (source.countPath) await this.count(read, state);
    if (state.rows >= state.maxRows) return;
    const problem = second.stalled
      ? `paging does not advance: page ${second.stalled.index + 1} (offset ${second.stalled.offset}) held only rows already read (the list ignores offset, or repeats a page)`
      : read.total === undefined || read.seen.size === read.total
        ? undefined
        : read.seen.size < read.total
          ? `Clerk reports ${read.total} rows but ${read.seen.size} could be read: the data changed during the read (run it again), or the list leaves rows out`
          : `Clerk reports ${read.total} rows but served ${read.seen.size} different ones: rows were deleted during the read (run it again), or the total is wrong`;
    if (problem) {
      const details = { object: source.object, endpoint: this.endpoint(source.path) };
      throw new ClerkApiError(`Clerk API ${describeContext(details)}: ${problem}`, details);
    }
  }

  /**
   * The pages of a pass after page 0 (`more`: it was full and new): those the total says
   * exist go out together, then one at a time while they come back full. Paging ends only
   * at a page that is not full, never at the total alone, so a total lower than the rows
   * Clerk serves cannot cut the read short.
   */
  private async readPass(read: SourceRead, state: ReadState, pass: Pass, more: boolean): Promise<void> {
    if (!more) return;
    const planned = Math.ceil(Math.min(read.total ?? 0, state.maxRows) / PAGE_SIZE);
    const fetch = (index: number) => this.page(read, state, pass, index);
    if (!(await inOrder(1, planned, this.concurrency, fetch))) return;
    for (let index = Math.max(1, planned); index * PAGE_SIZE < state.maxRows; index++) {
      if (!(await fetch(index))) return;
    }
  }

  private async count(read: SourceRead, state: ReadState): Promise<void> {
    const { source } = read;
    const endpoint = this.endpoint(source.countPath!);
    const body = await this.transport.get(source.countPath!, countQuery(source.query), this.context(state, { object: source.object }));
    this.setTotal(read, state, parseOrThrow(TotalCount, body, { object: source.object, endpoint }).total_count);
  }

  private setTotal(read: SourceRead, state: ReadState, total: number): void {
    read.totalChanged ||= read.total !== undefined && read.total !== total;
    read.firstTotal ??= total;
    read.total = total;
    this.report(state);
  }

  /**
   * Fetches, validates and delivers one page. Resolves whether the pass goes on: the page was
   * full and held rows new to the pass (a full page of rows already read is recorded as the
   * pass's stall: the list ignores offset, or served a page twice).
   */
  private async page(read: SourceRead, state: ReadState, pass: Pass, index: number): Promise<boolean> {
    const fetched = await this.fetchPage(read, state, index);
    return fetched !== undefined && this.deliver(read, state, pass, fetched);
  }

  /** One page's items, its slot still held; undefined when there is nothing to read (past maxRows, or a parent that is gone). */
  private async fetchPage(read: SourceRead, state: ReadState, index: number, signal = state.signal): Promise<FetchedPage | undefined> {
    const { source } = read;
    const offset = index * PAGE_SIZE;
    // An unpaged list is one page, as long as it is: no shorter page ends it.
    const limit = source.unpaged ? Infinity : Math.min(PAGE_SIZE, state.maxRows - offset);
    if (limit <= 0 || (source.unpaged && index > 0)) return undefined;
    const release = await state.slots.acquire();
    const details: ClerkErrorDetails = { object: source.object, page: { index, offset }, endpoint: this.endpoint(source.path) };
    try {
      const query = source.unpaged ? source.query : { ...source.query, limit, offset };
      const body = await this.transport.get(source.path, query, { ...this.context(state, details), signal });
      if (source.envelope === 'array') {
        if (!Array.isArray(body)) throw new ClerkSchemaError(`Clerk API ${describeContext(details)}: expected a JSON array of ${source.object}`, details);
        return { index, limit, items: body, details, release };
      }
      const env = parseOrThrow(AnyEnvelope, body, details);
      this.setTotal(read, state, env.total_count);
      return { index, limit, items: env.data, details, release };
    } catch (err) {
      release();
      if (source.notFoundIsEmpty && err instanceof ClerkApiError && err.details.status === 404) {
        // No such parent (any more): no rows.
        this.setTotal(read, state, 0);
        return undefined;
      }
      throw err;
    }
  }

  /** Validates a fetched page and hands its new rows to the consumer. Resolves as `page` does. */
  private deliver(read: SourceRead, state: ReadState, pass: Pass, { index, limit, items, details, release }: FetchedPage): boolean {
    const { source } = read;
    const check = rowChecks[source.object];
    const fresh: ClerkObject[] = [];
    let advanced = items.length < limit;
    for (const item of items) {
      if (!check(item)) {
        release();
        parseOrThrow(objectSchemas[source.object], item, details);
        throw new ClerkSchemaError(`Clerk API ${describeContext(details)}: ${OBJECT_NOUNS[source.object]} does not match Clerk's schema`, details);
      }
      const row = item as ClerkObject;
      if (!pass.ids.has(row.id)) {
        advanced = true;
        pass.ids.add(row.id);
      }
      read.seen.add(row.id);
      if (state.seen.has(row.id) || state.rows + fresh.length >= state.maxRows) continue;
      state.seen.add(row.id);
      fresh.push(row);
    }
    if (!advanced) pass.stalled ??= { index, offset: index * PAGE_SIZE };
    state.rows += fresh.length;
    this.report(state);
    if (fresh.length > 0) state.channel.push(fresh, release);
    else release();
    return advanced && items.length >= limit && !state.stopAfter?.(items as ClerkObject[]);
  }

  /**
   * The pages of a read that `stopAfter` ends, where nothing says how many pages it takes:
   * READ_AHEAD of them are kept in flight (each page that comes back and does not end the read
   * sends out the next one), so a read of n pages waits about n / READ_AHEAD round trips
   * instead of n. Pages are delivered in order; those past the last one are cancelled, their
   * answers (or failures) ignored: a read asks for at most READ_AHEAD pages it does not need.
   */
  private async readAhead(read: SourceRead, state: ReadState, pass: Pass): Promise<void> {
    const ahead = new AbortController();
    const signal = AbortSignal.any([state.signal, ahead.signal]);
    setMaxListeners(0, signal);
    const pending = new Map<number, Promise<FetchedPage | undefined>>();
    let asked = 0;
    const ask = () => {
      const page = this.fetchPage(read, state, asked, signal);
      // Observed now: a page past the stop may fail, and nobody awaits it.
      page.catch(() => undefined);
      pending.set(asked++, page);
    };
    try {
      for (let index = 0; index < Math.min(READ_AHEAD, this.concurrency); index++) ask();
      for (let index = 0; ; index++) {
        const page = await pending.get(index)!;
        pending.delete(index);
        if (page === undefined || !this.deliver(read, state, pass, page)) return;
        ask();
      }
    } finally {
      ahead.abort();
      for (const rest of pending.values())
        rest.then(
          (page) => page?.release(),
          () => undefined,
        );
    }
  }

  /** How many users match `filter` (`GET /users/count`): one request. */
  async countUsers(filter: UserFilter, opts: Pick<ReadOptions, 'signal' | 'stats'> = {}): Promise<number> {
    const [source] = sourcesFor({ object: 'users', filter });
    const details = { object: source!.object, endpoint: this.endpoint(source!.countPath!) };
    const stats = opts.stats ?? { requests: 0, throttled: 0, retries: 0 };
    const body = await this.transport.get(source!.countPath!, countQuery(source!.query), { ...details, signal: opts.signal, stats });
    return parseOrThrow(TotalCount, body, details).total_count;
  }

  private endpoint(path: string): string {
    return `GET ${this.transport.url(path).pathname}`;
  }

  /** Request context of a read: its cancellation, and its counters for progress. */
  private context(state: ReadState, details: ClerkErrorDetails): RequestContext {
    return { ...details, signal: state.signal, stats: state.stats };
  }

  private report(state: ReadState): void {
    if (!state.onProgress) return;
    let total: number | undefined = 0;
    for (const read of state.sources) total = read.total === undefined || total === undefined ? undefined : total + read.total;
    if (total !== undefined) total = Math.min(total, state.maxRows);
    state.onProgress({ object: state.object, rows: state.rows, total, ...state.stats });
  }
}

const AnyEnvelope = listEnvelope(z.unknown());
/** Pages of a read that stopAfter ends kept in flight: what it may ask for and not need, against the round trips it saves. */
const READ_AHEAD = 4;
const rowChecks = Object.fromEntries(Object.entries(objectSchemas).map(([object, schema]) => [object, compileCheck(schema)])) as Record<ClerkObjectName, Check>;

/**
 * `fetch(i)` for i from `from` up to `to`, `width` at a time, in order; none starts after one
 * resolves false. Resolves whether none did. `to` may be huge (a total that lies): only
 * `width` calls are ever pending.
 */
async function inOrder(from: number, to: number, width: number, fetch: (index: number) => Promise<boolean>): Promise<boolean> {
  let next = from;
  let more = true;
  const worker = async () => {
    while (more && next < to) if (!(await fetch(next++))) more = false;
  };
  await Promise.all(Array.from({ length: Math.max(0, Math.min(width, to - from)) }, worker));
  return more;
}

function countQuery(query: Query): Query {
  const { order_by: _order, limit: _limit, offset: _offset, ...filters } = query;
  return filters;
}

/** Validates `value`; on failure names the object id and the field path. */
function parseOrThrow<T extends z.ZodTypeAny>(schema: T, value: unknown, details: ClerkErrorDetails): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const id = typeof (value as { id?: unknown })?.id === 'string' ? ` "${(value as { id: string }).id}"` : '';
  const path =
    issue.path.length > 0
      ? issue.path.map((p: PropertyKey, i: number) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${String(p)}`)).join('')
      : '(the object)';
  const what = details.object ? OBJECT_NOUNS[details.object as ClerkObjectName] : 'response';
  throw new ClerkSchemaError(`Clerk API ${describeContext(details)}: ${what}${id} field ${path}: ${issue.message}`, details);
}
