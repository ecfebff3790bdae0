// One GET against the Backend API, with the rate limiter, retries and cancellation.
// Returns the parsed JSON body; the raw text is dropped as soon as it is parsed.
import { Agent, type Dispatcher } from 'undici';
import { ClerkApiError, ClerkCancelledError, describeContext, redactSecrets, type ClerkErrorDetails } from './errors.js';
import { ClerkErrors } from './schemas.js';
import type { RateLimiter } from './rateLimiter.js';

export type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

export interface TransportOptions {
  /** Base URL including the version, e.g. `https://api.clerk.com/v1`. */
  apiUrl: string;
  secretKey: string;
  limiter: RateLimiter;
  /** Retries after a 5xx, a connection fault, a timeout or a cut-off body. */
  maxRetries?: number;
  /** How many 429s one request may get before the read fails. */
  max429?: number;
  /** First backoff step; doubles each retry, with full jitter. */
  backoffMs?: number;
  /** The most one attempt may take, from sending the request to the last byte of the body (default 30 s). */
  timeoutMs?: number;
  /** The largest response body read (default 64 MB; a page of 500 users is about 2 MB). */
  maxBodyBytes?: number;
  /** The longest Retry-After waited out (default 60 s); a 429 asking for more fails the read at once. */
  maxRetryAfterMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_BODY_BYTES = 64 * 2 ** 20;
const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

export interface RequestContext extends ClerkErrorDetails {
  signal?: AbortSignal;
  /** Counters the transport adds to, for progress and benchmarks. */
  stats?: RequestStats;
}

export interface RequestStats {
  /** Requests sent, retries included. */
  requests: number;
  /** Responses of 429 (each one paused the key's limiter for its Retry-After). */
  throttled: number;
  /** Retries after a 5xx, a connection fault, a timeout or a cut-off body. */
  retries: number;
}

// One keep-alive pool for the process: connections are reused across pages and reads.
const agent = new Agent({ keepAliveTimeout: 30_000, connections: 16, pipelining: 1 });

const RETRYABLE_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_CONNECT_TIMEOUT']);

export class Transport {
  readonly origin: string;
  private readonly base: URL;

  constructor(private readonly opts: TransportOptions) {
    this.base = new URL(opts.apiUrl.endsWith('/') ? opts.apiUrl : opts.apiUrl + '/');
    this.origin = this.base.origin;
  }

  /** Builds the URL of `path` (relative to the API base, e.g. `users/count`) with its query. */
  url(path: string, query: Query = {}): URL {
    const url = new URL(path.replace(/^\//, ''), this.base);
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined) continue;
      if (typeof v === 'object') for (const item of v) url.searchParams.append(k, item);
      else url.searchParams.set(k, String(v));
    }
    return url;
  }

  async get(path: string, query: Query, ctx: RequestContext): Promise<unknown> {
    const { signal, stats, ...context } = ctx;
    const url = this.url(path, query);
    const details: ClerkErrorDetails = { ...context, endpoint: `GET ${url.pathname}` };
    const maxRetries = this.opts.maxRetries ?? 5;
    const max429 = this.opts.max429 ?? 30;
    let failures = 0;
    let throttled = 0;
    for (;;) {
      if (signal?.aborted) throw new ClerkCancelledError();
      const done = await this.opts.limiter.acquire(signal);
      if (stats) stats.requests++;
      let outcome: Outcome;
      try {
        outcome = await this.once(url, signal);
      } catch (err) {
        if (signal?.aborted) throw new ClerkCancelledError();
        if (!isRetryableError(err)) throw this.faultError(err, details, failures + 1);
        outcome = { kind: 'fault', error: err };
      } finally {
        done();
      }
      if (outcome.kind === 'ok') return outcome.body;
      if (outcome.kind === 'throttled') {
        throttled++;
        if (stats) stats.throttled++;
        // Waiting is bounded like everything else: a wait longer than the ceiling is Clerk's
        // answer (or a broken server's), not a pause, and it must not hold the key's other reads.
        const ceiling = this.opts.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
        if (outcome.retryAfterMs > ceiling) {
          const wait = `; Clerk asks to wait ${Math.ceil(outcome.retryAfterMs / 1000)} s, more than the ${ceiling / 1000} s a request waits`;
          throw this.fail('rate limited', details, outcome.status, outcome.body, failures + throttled, wait);
        }
        this.opts.limiter.pause(outcome.retryAfterMs);
        if (throttled > max429)
          throw this.fail(`still rate limited after ${throttled} responses of 429`, details, outcome.status, outcome.body, failures + throttled);
        continue;
      }
      if (outcome.kind === 'http' && !(outcome.status >= 500)) throw this.fail('request failed', details, outcome.status, outcome.body, failures + 1);
      failures++;
      if (failures > maxRetries) {
        if (outcome.kind === 'http') throw this.fail(`failed after ${failures} attempts`, details, outcome.status, outcome.body, failures);
        throw this.faultError(outcome.error, details, failures);
      }
      if (stats) stats.retries++;
      await sleep(backoff(this.opts.backoffMs ?? 200, failures), signal);
    }
  }

  private async once(url: URL, signal: AbortSignal | undefined): Promise<Outcome> {
    const timeoutMs = this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // One deadline for the whole exchange. undici's own timeouts bound only the wait for the
    // headers and each gap between body chunks, which a body trickled a byte at a time never
    // exceeds; they are off, so that this deadline is the one rule.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    const cancel = () => deadline.abort();
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      const res = await agent.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: 'GET',
        headers: {
          authorization: `Bearer ${this.opts.secretKey}`,
          accept: 'application/json',
          'clerk-api-version': '2021-02-05',
          'user-agent': 'clerk-sql-notebook',
        },
        signal: deadline.signal,
        headersTimeout: 0,
        bodyTimeout: 0,
      });
      const text = await bodyText(res.body, this.opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
      let body: unknown;
      try {
        body = text.length === 0 ? undefined : JSON.parse(text);
      } catch {
        // A cut-off or garbled body is a transport fault, not an answer: it is retried.
        return { kind: 'fault', error: new Error(`response body is not valid JSON (HTTP ${res.statusCode}, ${text.length} bytes)`) };
      }
      if (res.statusCode === 429) return { kind: 'throttled', status: 429, body, retryAfterMs: retryAfterMs(res.headers['retry-after']) };
      if (res.statusCode >= 200 && res.statusCode < 300) return { kind: 'ok', body };
      return { kind: 'http', status: res.statusCode, body };
    } catch (err) {
      // The deadline, not a cancellation: a fault like a timed-out connection, retried.
      if (deadline.signal.aborted && !signal?.aborted) return { kind: 'fault', error: new Error(`no complete response within ${timeoutMs / 1000} s`) };
      throw err;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', cancel);
    }
  }

  private fail(what: string, details: ClerkErrorDetails, status: number, body: unknown, attempts: number, after = ''): ClerkApiError {
    const parsed = ClerkErrors.safeParse(body);
    const first = parsed.success ? parsed.data.errors[0] : undefined;
    const full: ClerkErrorDetails = {
      ...details,
      status,
      attempts,
      code: first?.code,
      clerkMessage: first?.long_message ?? first?.message,
      traceId: parsed.success ? parsed.data.clerk_trace_id : undefined,
    };
    const clerk = [full.code, full.clerkMessage].filter(Boolean).join(': ');
    const msg = `Clerk API ${describeContext(full)} ${what}: HTTP ${status}${clerk ? ` ${clerk}` : ''}${full.traceId ? ` (trace id ${full.traceId})` : ''}${after}`;
    return new ClerkApiError(this.redact(msg), { ...full, clerkMessage: full.clerkMessage && this.redact(full.clerkMessage) });
  }

  private faultError(err: unknown, details: ClerkErrorDetails, attempts: number): ClerkApiError {
    const reason = err instanceof Error ? `${err.message}${(err as { code?: string }).code ? ` (${(err as { code?: string }).code})` : ''}` : String(err);
    const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
    return new ClerkApiError(this.redact(`Clerk API ${describeContext(details)} failed${tries}: ${reason}`), { ...details, attempts });
  }

  private redact(text: string): string {
    return redactSecrets(text, this.opts.secretKey);
  }
}

type Outcome =
  | { kind: 'ok'; body: unknown }
  | { kind: 'throttled'; status: 429; body: unknown; retryAfterMs: number }
  | { kind: 'http'; status: number; body: unknown }
  | { kind: 'fault'; error: unknown };

/** `Retry-After` in seconds (Clerk's form) or an HTTP date; 1 s when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined): number {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return 1000;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : 1000;
}

/** The body as text, refused as soon as it grows past `limit` bytes (before it is all in memory). */
async function bodyText(body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      body.destroy();
      throw new Error(`the response body is larger than ${limit / 2 ** 20} MB`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

/** Exponential backoff with full jitter, capped at 10 s. */
function backoff(baseMs: number, attempt: number): number {
  return Math.random() * Math.min(10_000, baseMs * 2 ** (attempt - 1));
}

/** Connection faults and timeouts are worth another try; anything else (a bad URL, DNS) is not. */
function isRetryableError(err: unknown): boolean {
  const code = (err as { code?: string } | undefined)?.code;
  return code !== undefined && RETRYABLE_CODES.has(code);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new ClerkCancelledError());
    const onAbort = () => {
      clearTimeout(t);
      reject(new ClerkCancelledError());
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
