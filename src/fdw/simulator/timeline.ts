// The dataset's clock. Everything is placed relative to a fixed "now" (an option) so that
// output is deterministic and "active in the last 7 days" means the same thing on every run.

export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;
export const DAY_MS = 86_400_000;
/** Clerk's default maximum session lifetime: a signed-in user is active for at most this long without signing in again. */
export const SESSION_LIFETIME_MS = 7 * DAY_MS;
/** 2025-06-02T12:00:00Z: the default "now" of a dataset. */
export const DEFAULT_NOW = Date.UTC(2025, 5, 2, 12, 0, 0);
/** The instance's history: about four years of sign-ups before "now". */
export const HISTORY_MS = 4 * 365 * DAY_MS;
/** Sign-ups per day grow this many times over the history (about x2 a year). */
const GROWTH_OVER_HISTORY = 16;

/**
 * The time at position u in [0, 1) of the history when sign-ups grow exponentially:
 * the inverse of the cumulative distribution of a density proportional to G^t.
 * Increasing in u, so evenly spread positions give increasing, ever denser timestamps.
 */
export function growthTime(u: number, now: number): number {
  const t = Math.log1p(u * (GROWTH_OVER_HISTORY - 1)) / Math.log(GROWTH_OVER_HISTORY);
  return Math.round(now - HISTORY_MS + t * HISTORY_MS);
}

/** Start of the UTC day: `last_active_at` has day precision. */
export function floorDay(ms: number): number {
  return ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS);
}

export function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
