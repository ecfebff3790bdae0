// Clerk's per-key rate limit as a sliding window: a request is admitted when fewer than N
// requests of the same key were admitted in the last W ms, so no window of W ever holds more
// than N. Rejected requests are not counted.

export interface RateLimits {
  /** Requests per window for the development key (Clerk: 100). */
  test: number;
  /** Requests per window for the production key (Clerk: 1000). */
  live: number;
  /** Clerk: 10 s. */
  windowMs: number;
}

export const CLERK_RATE_LIMITS: Readonly<RateLimits> = { test: 100, live: 1000, windowMs: 10_000 };

export type Admission = { admitted: true } | { admitted: false; retryAfterSeconds: number };

export class SlidingWindowLimiter {
  /** Admission times per key, oldest first. */
  private readonly admitted = new Map<string, number[]>();

  admit(key: string, limit: number, windowMs: number, now: number): Admission {
    let times = this.admitted.get(key);
    if (!times) {
      times = [];
      this.admitted.set(key, times);
    }
    let expired = 0;
    while (expired < times.length && (times[expired] as number) <= now - windowMs) expired++;
    times.splice(0, expired);
    if (times.length < limit) {
      times.push(now);
      return { admitted: true };
    }
    // The request could be admitted once the oldest of the window's requests leaves it
    // (the one `limit` places back: the limit may have been lowered since it was admitted).
    const frees = (times[times.length - limit] as number) + windowMs;
    return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil((frees - now) / 1000)) };
  }

  reset(): void {
    this.admitted.clear();
  }
}
