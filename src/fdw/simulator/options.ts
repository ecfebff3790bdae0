// The simulator's options: the dataset's (fixed at start) and the behaviour knobs that
// `configure()` may change while it runs.
import type { DatasetOptions } from './dataset.js';
import { FAULT_KINDS, type FaultKind } from './faults.js';
import { CLERK_RATE_LIMITS, type RateLimits } from './rateLimit.js';
import type { LoggedRequest } from './requestLog.js';

export interface RuntimeOptions {
  /** Added before every response (errors included). Default 0. */
  latencyMs: number;
  /** Share of authenticated, admitted requests that fail, 0..1. Default 0. */
  faultRate: number;
  /** The faults `faultRate` draws from. Default all: 500, reset, truncate. */
  faultKinds: FaultKind[];
  /** Per-key limits; false disables rate limiting. Default Clerk's. */
  rateLimit: RateLimits | false;
  /**
   * Called for each authenticated, admitted request before it is answered: a test may change
   * the data here (e.g. `sim.addUsers(3)`) to see what a read does under change.
   */
  onRequest: ((request: LoggedRequest) => void) | undefined;
}

/** What `configure()` accepts: any subset; `rateLimit` fields merge into the current limits. */
export interface RuntimeChanges extends Partial<Omit<RuntimeOptions, 'rateLimit'>> {
  rateLimit?: Partial<RateLimits> | false;
}

export interface SimulatorOptions extends DatasetOptions, RuntimeChanges {
  /** 0 (the default) picks a free port. The server binds 127.0.0.1 only. */
  port?: number;
  /** Override the development key derived from the seed (must start with sk_test_). */
  secretKey?: string;
  /** Override the production key derived from the seed (must start with sk_live_). */
  liveKey?: string;
}

export const DEFAULT_RUNTIME: Readonly<RuntimeOptions> = {
  latencyMs: 0,
  faultRate: 0,
  faultKinds: [...FAULT_KINDS],
  rateLimit: { ...CLERK_RATE_LIMITS },
  onRequest: undefined,
};

/** `current` with `changes` applied, validated. */
export function applyChanges(current: RuntimeOptions, changes: RuntimeChanges): RuntimeOptions {
  const { rateLimit, ...rest } = changes;
  const defined = Object.fromEntries(Object.entries(rest).filter(([key, value]) => value !== undefined || key === 'onRequest'));
  const base = current.rateLimit === false ? CLERK_RATE_LIMITS : current.rateLimit;
  const next: RuntimeOptions = {
    ...current,
    ...defined,
    rateLimit: rateLimit === undefined ? current.rateLimit : rateLimit === false ? false : { ...base, ...rateLimit },
  };
  if (!(next.latencyMs >= 0)) throw new RangeError('latencyMs must be >= 0');
  if (!(next.faultRate >= 0 && next.faultRate <= 1)) throw new RangeError('faultRate must be between 0 and 1');
  const unknown = next.faultKinds.filter((k) => !FAULT_KINDS.includes(k));
  if (unknown.length > 0) throw new RangeError(`unknown fault kinds: ${unknown.join(', ')} (known: ${FAULT_KINDS.join(', ')})`);
  if (next.rateLimit) {
    const { test, live, windowMs } = next.rateLimit;
    if (![test, live, windowMs].every((n) => Number.isInteger(n) && n > 0)) throw new RangeError('rate limits must be positive integers');
  }
  return next;
}
