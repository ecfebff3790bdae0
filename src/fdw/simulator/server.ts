// The HTTP server: node:http on 127.0.0.1, answering like Clerk's Backend API. Each request
// is logged, authenticated, rate limited per key, possibly faulted, routed, delayed by the
// configured latency, then answered with JSON.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authenticate, secretKeysFor, type SecretKeys } from './auth.js';
import { Dataset } from './dataset.js';
import { ClerkApiError, internalError, requestBodyInvalid, resourceNotFound, tooManyRequests } from './errors.js';
import { type Fault, FaultInjector, type FaultKind } from './faults.js';
import { BASE62 } from './ids.js';
import { Listings } from './listing.js';
import { applyChanges, DEFAULT_RUNTIME, type RuntimeChanges, type RuntimeOptions, type SimulatorOptions } from './options.js';
import { Rng, Stream } from './prng.js';
import { SlidingWindowLimiter } from './rateLimit.js';
import { type LoggedRequest, queryRecord, RequestLog } from './requestLog.js';
import { matchRoute } from './routes.js';

export interface Simulator {
  /** Base URL including `/v1`, e.g. `http://127.0.0.1:8787/v1`. */
  readonly url: string;
  readonly port: number;
  /** The development key (`sk_test_...`): 100 requests / 10 s by default. */
  readonly secretKey: string;
  /** The production key (`sk_live_...`): 1000 requests / 10 s by default. */
  readonly liveKey: string;
  readonly seed: number;
  /** The dataset's "now" (ms): every timestamp lies before it. */
  readonly now: number;
  readonly dataset: Dataset;
  readonly log: RequestLog;
  /** The current behaviour knobs. */
  readonly options: Readonly<RuntimeOptions>;
  configure(changes: RuntimeChanges): void;
  /** The next requests (one per entry) fail with these faults, before any random one. */
  injectFaults(kinds: readonly FaultKind[]): void;
  /** The next `count` requests get a 429 with `Retry-After: retryAfterSeconds`. */
  inject429(count: number, retryAfterSeconds: number): void;
  /** Appends users newer than every existing one; returns their ids. */
  addUsers(count: number): string[];
  /** Deletes users and their memberships. */
  removeUsers(ids: readonly string[]): void;
  /** Forgets the requests counted against every key's rate limit. */
  resetRateLimits(): void;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  body: unknown;
  headers: Readonly<Record<string, string>>;
}

/** Larger bodies are refused: no write the simulator serves needs near this much. */
const MAX_BODY_BYTES = 1 << 20;

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Keep draining so the response can still be written, but remember the body is too big.
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  return size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8');
}

/** A JSON body; none (empty) is undefined, which the write endpoints refuse with a 400. */
function parseBody(text: string | undefined): unknown {
  if (text === undefined) throw requestBodyInvalid();
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw requestBodyInvalid();
  }
}

function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

class SimulatorServer implements Simulator {
  readonly log = new RequestLog();
  readonly dataset: Dataset;
  private runtime: RuntimeOptions;
  private readonly keys: SecretKeys;
  private readonly listings: Listings;
  private readonly limiter = new SlidingWindowLimiter();
  private readonly faults: FaultInjector;
  private readonly server: Server;
  private requests = 0;

  constructor(options: SimulatorOptions) {
    this.dataset = new Dataset(options);
    this.listings = new Listings(this.dataset);
    this.faults = new FaultInjector(this.dataset.seed);
    const derived = secretKeysFor(this.dataset.seed);
    this.keys = { test: options.secretKey ?? derived.test, live: options.liveKey ?? derived.live };
    if (!this.keys.test.startsWith('sk_test_') || !this.keys.live.startsWith('sk_live_')) {
      throw new RangeError('secretKey must start with sk_test_ and liveKey with sk_live_');
    }
    const { latencyMs, faultRate, faultKinds, rateLimit, onRequest } = options;
    this.runtime = applyChanges(DEFAULT_RUNTIME, { latencyMs, faultRate, faultKinds, rateLimit, onRequest });
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        process.emitWarning(`Clerk simulator: ${String(err)}`);
        res.destroy();
      });
    });
  }

  listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  get secretKey(): string {
    return this.keys.test;
  }

  get liveKey(): string {
    return this.keys.live;
  }

  get seed(): number {
    return this.dataset.seed;
  }

  get now(): number {
    return this.dataset.now;
  }

  get options(): Readonly<RuntimeOptions> {
    return this.runtime;
  }

  configure(changes: RuntimeChanges): void {
    this.runtime = applyChanges(this.runtime, changes);
  }

  injectFaults(kinds: readonly FaultKind[]): void {
    this.faults.enqueue(kinds.map((kind) => ({ kind })));
  }

  inject429(count: number, retryAfterSeconds: number): void {
    this.faults.enqueue(Array.from({ length: count }, () => ({ kind: '429' as const, retryAfterSeconds })));
  }

  addUsers(count: number): string[] {
    return this.dataset.addUsers(count);
  }

  removeUsers(ids: readonly string[]): void {
    this.dataset.removeUsers(ids);
  }

  resetRateLimits(): void {
    this.limiter.reset();
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.close((err) => (err ? reject(err) : resolve()));
      this.server.closeAllConnections();
    });
  }

  /** Deterministic per request, like everything else the seed drives. */
  private traceId(): string {
    return new Rng(this.dataset.seed, Stream.Trace, this.requests).chars(BASE62, 32);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requests++;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const rawBody = await readBody(req);
    const route = matchRoute({ ds: this.dataset, listings: this.listings }, method, url.pathname);
    const entry: LoggedRequest = {
      method,
      path: url.pathname,
      endpoint: route?.endpoint ?? `${method} ${url.pathname}`,
      query: queryRecord(url.searchParams),
      status: 0,
      timestamp: Date.now(),
      keyType: req.headers.authorization === undefined ? 'missing' : 'invalid',
    };
    this.log.add(entry);
    let fault: Fault | undefined;
    let answer: Answer;
    try {
      entry.keyType = authenticate(req.headers.authorization, this.keys);
      const limits = this.runtime.rateLimit;
      if (limits) {
        const admission = this.limiter.admit(entry.keyType, limits[entry.keyType], limits.windowMs, entry.timestamp);
        if (!admission.admitted) throw tooManyRequests(admission.retryAfterSeconds);
      }
      fault = this.faults.next(this.runtime.faultRate, this.runtime.faultKinds);
      if (fault) entry.fault = fault.kind;
      if (fault?.kind === '500') throw internalError();
      if (fault?.kind === '429') throw tooManyRequests(fault.retryAfterSeconds);
      if (!route) throw resourceNotFound();
      this.runtime.onRequest?.(entry);
      answer = { status: 200, body: route.respond(url.searchParams, method === 'GET' ? undefined : parseBody(rawBody)), headers: {} };
    } catch (err) {
      const error = err instanceof ClerkApiError ? err : internalError();
      if (!(err instanceof ClerkApiError)) process.emitWarning(`Clerk simulator: ${String(err)}`);
      answer = { status: error.status, body: error.body(this.traceId()), headers: error.headers };
    }
    await delay(this.runtime.latencyMs);
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    let text = JSON.stringify(answer.body);
    if (fault?.kind === 'truncate') text = text.slice(0, Math.floor(text.length / 2));
    res.writeHead(answer.status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
      ...answer.headers,
    });
    res.end(text);
    entry.status = answer.status;
  }
}

/** Generates the dataset and starts the server; `close()` stops it. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const simulator = new SimulatorServer(options);
  await simulator.listen(options.port ?? 0);
  return simulator;
}
