// One GET against the Backend API, with the rate limiter, retries and cancellation.
// Returns the parsed JSON body; the raw text is dropped as soon as it is parsed.
import { Agent } from 'undici';
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
  timeoutMs?: number;
}

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

const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
]);

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
      if (Array.isArray(v)) for (const item of v) url.searchParams.append(k, item);
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
        this.opts.limiter.pause(outcome.retryAfterMs);
        if (throttled > max429) throw this.fail(`still rate limited after ${throttled} responses of 429`, details, outcome.status, outcome.body, failures + throttled);
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
    const timeout = this.opts.timeoutMs ?? 30_000;
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
      signal,
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
    const text = await res.body.text();
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
  }

  private fail(what: string, details: ClerkErrorDetails, status: number, body: unknown, attempts: number): ClerkApiError {
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
    const msg = `Clerk API ${describeContext(full)} ${what}: HTTP ${status}${clerk ? ` ${clerk}` : ''}${full.traceId ? ` (trace id ${full.traceId})` : ''}`;
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
