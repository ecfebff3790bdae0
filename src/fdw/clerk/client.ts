// The Clerk Backend API client: complete reads of any size, streamed page by page, within
// the key's rate limit, with progress, cancellation and errors that say what failed.
import { setMaxListeners } from 'node:events';
import { z } from 'zod';
import { ClerkApiError, ClerkCancelledError, ClerkSchemaError, describeContext, type ClerkErrorDetails } from './errors.js';
import { Channel, Slots } from './channel.js';
import { limiterFor, type RateLimit, type RateLimiter } from './rateLimiter.js';
import { PAGE_SIZE, sourcesFor, type ReadRequest, type Source, type UserFilter } from './reads.js';
import {
  Organization,
  TotalCount,
  User,
  listEnvelope,
  objectSchemas,
  type ClerkObject,
  type ClerkObjectName,
} from './schemas.js';
import { Transport, type Query, type RequestContext, type RequestStats } from './transport.js';
import { checkApiUrl, DEFAULT_API_URL } from './apiUrl.js';
import { compileCheck, type Check } from './validate.js';

export interface ClerkClientOptions {
  secretKey: string;
  /** Defaults to `https://api.clerk.com/v1`; plain http only to loopback. */
  apiUrl?: string;
  /** Overrides the limit derived from the key (`sk_live_` 1000 / 10 s, else 100 / 10 s). */
  rateLimit?: RateLimit;
  /** A limiter of its own instead of the one shared by every client of this key. */
  limiter?: RateLimiter;
  /** Requests in flight (plus pages waiting to be consumed) per read. */
  concurrency?: number;
  maxRetries?: number;
  backoffMs?: number;
  timeoutMs?: number;
  max429?: number;
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
}

interface ReadState {
  object: ClerkObjectName;
  rows: number;
  stats: RequestStats;
  totals: Map<Source, number>;
  sources: number;
  seen: Set<string>;
  channel: Channel<ClerkObject[]>;
  slots: Slots;
  signal: AbortSignal;
  maxRows: number;
  onProgress?: (p: ReadProgress) => void;
}

interface PageResult {
  /** Items in the page, before de-duplication. */
  count: number;
  total?: number;
}

export class ClerkClient {
  readonly apiUrl: string;
  private readonly transport: Transport;
  private readonly concurrency: number;

  constructor(opts: ClerkClientOptions) {
    this.apiUrl = checkApiUrl(opts.apiUrl ?? DEFAULT_API_URL);
    if (!/^sk_(test|live)_\S+$/.test(opts.secretKey)) {
      throw new ClerkApiError('The Clerk secret key must start with sk_test_ or sk_live_ (Clerk Dashboard, API keys).');
    }
    this.concurrency = Math.max(1, opts.concurrency ?? 8);
    this.transport = new Transport({
      apiUrl: this.apiUrl,
      secretKey: opts.secretKey,
      limiter: opts.limiter ?? limiterFor(opts.secretKey, opts.rateLimit),
      maxRetries: opts.maxRetries,
      backoffMs: opts.backoffMs,
      timeoutMs: opts.timeoutMs,
      max429: opts.max429,
    });
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
    const sources = sourcesFor(req);
    const state: ReadState = {
      object: req.object,
      rows: 0,
      stats: { requests: 0, throttled: 0, retries: 0 },
      totals: new Map(),
      sources: sources.length,
      seen: new Set(),
      channel: new Channel(),
      slots: new Slots(this.concurrency),
      signal: abort.signal,
      maxRows: opts.maxRows ?? Infinity,
      onProgress: opts.onProgress,
    };
    let finished = false;
    Promise.all(sources.map((s) => this.readSource(s, state))).then(
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

  /** All rows of `req` in one array (for small reads and tests; large reads should stream). */
  async readAll(req: ReadRequest, opts: ReadOptions = {}): Promise<ClerkObject[]> {
    const out: ClerkObject[] = [];
    for await (const batch of this.read(req, opts)) out.push(...batch);
    return out;
  }

  /** `GET /users/count` with the same filters a read takes. */
  async countUsers(filter: UserFilter = {}, signal?: AbortSignal): Promise<number> {
    const [source] = sourcesFor({ object: 'users', filter });
    const body = await this.transport.get('users/count', countQuery(source!.query), { object: 'users', signal });
    return parseOrThrow(TotalCount, body, { object: 'users', endpoint: this.endpoint('users/count') }).total_count;
  }

  /** `GET /users/{id}`; undefined when Clerk answers 404. */
  getUser(id: string, signal?: AbortSignal) {
    return this.getOne(`users/${encodeURIComponent(id)}`, User, 'users', signal);
  }

  /** `GET /organizations/{id_or_slug}`; undefined when Clerk answers 404. */
  getOrganization(idOrSlug: string, signal?: AbortSignal) {
    return this.getOne(`organizations/${encodeURIComponent(idOrSlug)}`, Organization, 'organizations', signal);
  }

  private async getOne<T extends z.ZodTypeAny>(path: string, schema: T, object: ClerkObjectName, signal?: AbortSignal): Promise<z.infer<T> | undefined> {
    try {
      const body = await this.transport.get(path, {}, { object, signal });
      return parseOrThrow(schema, body, { object, endpoint: this.endpoint(path) });
    } catch (err) {
      if (err instanceof ClerkApiError && err.details.status === 404) return undefined;
      throw err;
    }
  }

  private async readSource(source: Source, state: ReadState): Promise<void> {
    const first = await this.firstPages(source, state);
    if (!first) return;
    let expected = first.total;
    await this.readRest(source, state, first);
    // Rows deleted during a read shift later pages back by one, so one could be skipped.
    // When fewer rows arrived than Clerk counted, read once more; de-duplication drops repeats.
    if (expected !== undefined && state.rows < Math.min(expected, state.maxRows) && state.sources === 1) {
      expected = source.countPath ? await this.count(source, state) : expected;
      if (state.rows < Math.min(expected, state.maxRows)) {
        await this.readRest(source, state, await this.page(source, state, 0));
        if (state.rows < Math.min(expected, state.maxRows)) {
          throw new ClerkApiError(
            `Clerk API ${describeContext({ object: source.object, endpoint: this.endpoint(source.path) })}: Clerk reports ${expected} rows but ${state.rows} could be read; the data changed during the read, run it again`,
            { object: source.object },
          );
        }
      }
    }
  }

  /** Page 0, with the total when it can be known (the count endpoint runs alongside). */
  private async firstPages(source: Source, state: ReadState): Promise<(PageResult & { total?: number }) | undefined> {
    const counting = !source.small && source.countPath && state.maxRows > PAGE_SIZE;
    const [total, page] = await Promise.all([counting ? this.count(source, state) : undefined, this.page(source, state, 0)]);
    if (page === undefined) return undefined;
    const known = total ?? page.total;
    if (known !== undefined) {
      state.totals.set(source, known);
      this.report(state);
    }
    return { ...page, total: known };
  }

  /** The pages after the first: in parallel when the total is known, then on while pages are full. */
  private async readRest(source: Source, state: ReadState, first: PageResult | undefined): Promise<void> {
    if (!first || first.count < PAGE_SIZE) return;
    const known = state.totals.get(source);
    const total = Math.min(known ?? 0, state.maxRows);
    const planned = Math.max(1, Math.ceil(total / PAGE_SIZE));
    let last = first;
    if (planned > 1) {
      const pages = await Promise.all(Array.from({ length: planned - 1 }, (_, i) => this.page(source, state, i + 1)));
      last = pages[pages.length - 1] ?? first;
    }
    // Go on while pages are full, unless the last one is exactly as full as the total said:
    // an unknown total, or rows created during the read, make it fuller.
    const expectedLast = known === undefined ? undefined : known - (planned - 1) * PAGE_SIZE;
    if (expectedLast !== undefined && last.count <= expectedLast) return;
    for (let index = planned; last.count >= PAGE_SIZE && index * PAGE_SIZE < state.maxRows; index++) {
      const next = await this.page(source, state, index);
      if (!next) return;
      last = next;
    }
  }

  private async count(source: Source, state: ReadState): Promise<number> {
    const endpoint = this.endpoint(source.countPath!);
    const body = await this.transport.get(source.countPath!, countQuery(source.query), this.context(state, { object: source.object }));
    return parseOrThrow(TotalCount, body, { object: source.object, endpoint }).total_count;
  }

  /** Fetches, validates and delivers one page. */
  private async page(source: Source, state: ReadState, index: number): Promise<PageResult | undefined> {
    const offset = index * PAGE_SIZE;
    const limit = Math.min(PAGE_SIZE, state.maxRows - offset);
    if (limit <= 0) return { count: 0 };
    const release = await state.slots.acquire();
    const details: ClerkErrorDetails = { object: source.object, page: { index, offset }, endpoint: this.endpoint(source.path) };
    let body: unknown;
    try {
      body = await this.transport.get(source.path, { ...source.query, limit, offset }, this.context(state, details));
    } catch (err) {
      release();
      if (source.notFoundIsEmpty && err instanceof ClerkApiError && err.details.status === 404) return undefined;
      throw err;
    }
    let items: unknown[];
    let total: number | undefined;
    if (source.envelope === 'array') {
      if (!Array.isArray(body)) {
        release();
        throw new ClerkSchemaError(`Clerk API ${describeContext(details)}: expected a JSON array of ${source.object}`, details);
      }
      items = body;
    } else {
      let env: z.infer<typeof AnyEnvelope>;
      try {
        env = parseOrThrow(AnyEnvelope, body, details);
      } catch (err) {
        release();
        throw err;
      }
      items = env.data;
      total = env.total_count;
    }
    const check = rowChecks[source.object];
    const fresh: ClerkObject[] = [];
    for (const item of items) {
      if (!check(item)) {
        release();
        parseOrThrow(objectSchemas[source.object], item, details);
        throw new ClerkSchemaError(`Clerk API ${describeContext(details)}: ${singular(source.object)} does not match Clerk's schema`, details);
      }
      const row = item as ClerkObject;
      if (state.seen.has(row.id) || state.rows + fresh.length >= state.maxRows) continue;
      state.seen.add(row.id);
      fresh.push(row);
    }
    state.rows += fresh.length;
    if (total !== undefined && source.envelope === 'data') state.totals.set(source, total);
    this.report(state);
    if (fresh.length > 0) state.channel.push(fresh, release);
    else release();
    return { count: items.length, total };
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
    let total: number | undefined;
    if (state.totals.size === state.sources) {
      total = 0;
      for (const t of state.totals.values()) total += t;
      total = Math.min(total, state.maxRows);
    }
    state.onProgress({ object: state.object, rows: state.rows, total, ...state.stats });
  }
}

const AnyEnvelope = listEnvelope(z.unknown());
const rowChecks = {
  users: compileCheck(objectSchemas.users),
  organizations: compileCheck(objectSchemas.organizations),
  organization_memberships: compileCheck(objectSchemas.organization_memberships),
} satisfies Record<ClerkObjectName, Check>;

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
  const path = issue.path.length > 0 ? issue.path.map((p: PropertyKey, i: number) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${String(p)}`)).join('') : '(the object)';
  const what = details.object ? singular(details.object) : 'response';
  throw new ClerkSchemaError(`Clerk API ${describeContext(details)}: ${what}${id} field ${path}: ${issue.message}`, details);
}

function singular(object: string): string {
  return object === 'users' ? 'user' : object === 'organizations' ? 'organization' : 'organization membership';
}
