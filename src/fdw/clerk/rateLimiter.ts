// Client-side rate limiting, one limiter per secret key (Clerk limits per key).
//
// It is a token bucket of `requests` tokens where a spent token comes back exactly `windowMs`
// after its request completed. Unlike a bucket refilled at a steady rate, this never allows more
// than `requests` requests in any window, so it stays under Clerk's limit whether the server
// counts in fixed or sliding windows, while still letting a whole window's budget go out at once.
// Counting from completion, not from sending, matters: the server counts a request when it
// takes it in, which can be well after it was sent (a busy server, queued connections), and
// never after its response arrived.
import { createHash } from 'node:crypto';
import { ClerkCancelledError } from './errors.js';

export interface RateLimit {
  requests: number;
  windowMs: number;
}

/** Clerk's documented limits: production instances 1000 / 10 s, development 100 / 10 s. */
export function defaultRateLimit(secretKey: string): RateLimit {
  return secretKey.startsWith('sk_live_') ? { requests: 1000, windowMs: 10_000 } : { requests: 100, windowMs: 10_000 };
}

// Clocks and timers are not exact; a small margin keeps a request that was granted just as a
// token came back from reaching the server inside the previous window.
const MARGIN_MS = 25;

/** Call when the request's response (or failure) is in: its token starts its way back. */
export type Done = () => void;

export class RateLimiter {
  private readonly spent: number[] = []; // completion times, oldest first
  private inFlight = 0;
  private readonly waiters: { resolve: () => void; reject: (e: unknown) => void; signal?: AbortSignal; onAbort?: () => void }[] = [];
  private pausedUntil = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    public limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {}

  /** Resolves when a request may be sent; rejects at once when `signal` aborts. */
  acquire(signal?: AbortSignal): Promise<Done> {
    if (signal?.aborted) return Promise.reject(new ClerkCancelledError());
    return new Promise<void>((resolve, reject) => {
      const waiter: (typeof this.waiters)[number] = { resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(new ClerkCancelledError());
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.waiters.push(waiter);
      this.drain();
    }).then(() => {
      let done = false;
      return () => {
        if (done) return;
        done = true;
        this.inFlight--;
        this.spent.push(this.now());
        this.drain();
      };
    });
  }

  /** Blocks every request of this key until `ms` from now (a 429's Retry-After). */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
    this.drain();
  }

  /** Milliseconds until the next request could be granted (0 = now). */
  delay(): number {
    const t = this.now();
    let wait = Math.max(0, this.pausedUntil - t);
    this.expire(t);
    const over = this.inFlight + this.spent.length - this.limit.requests;
    if (over >= 0) {
      // Every token is out: the next one back is the oldest completed one (or, with all of them
      // in flight, one that completes later: drain() runs again then).
      wait = Math.max(wait, over < this.spent.length ? this.spent[over]! + this.limit.windowMs + MARGIN_MS - t : Infinity);
    }
    return wait;
  }

  private expire(t: number): void {
    while (this.spent.length > 0 && this.spent[0]! + this.limit.windowMs + MARGIN_MS <= t) this.spent.shift();
  }

  private drain(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.waiters.length > 0) {
      const wait = this.delay();
      if (wait > 0) {
        if (Number.isFinite(wait)) this.timer = setTimeout(() => this.drain(), wait);
        return;
      }
      const w = this.waiters.shift()!;
      if (w.signal && w.onAbort) w.signal.removeEventListener('abort', w.onAbort);
      this.inFlight++;
      w.resolve();
    }
  }
}

const limiters = new Map<string, RateLimiter>();

/**
 * The limiter shared by every client of one secret key in this process. The map is keyed by a
 * hash so the key itself is not kept here.
 */
export function limiterFor(secretKey: string, limit?: RateLimit): RateLimiter {
  const id = createHash('sha256').update(secretKey).digest('hex');
  let limiter = limiters.get(id);
  if (!limiter) {
    limiter = new RateLimiter(limit ?? defaultRateLimit(secretKey));
    limiters.set(id, limiter);
  } else if (limit) {
    limiter.limit = limit;
  }
  return limiter;
}
