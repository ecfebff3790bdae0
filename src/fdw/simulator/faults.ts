// Injected failures: a random share of requests (deterministic from the seed and the order
// of requests) and a one-shot queue that tests fill to fail exactly the next requests.
import { Rng, Stream } from './prng.js';

/**
 * `500`: Clerk's internal_clerk_error body. `reset`: the socket is destroyed before any
 * response. `truncate`: the response is sent with only the first half of its JSON body (a
 * complete HTTP message, so only parsing the JSON fails).
 */
export const FAULT_KINDS = ['500', 'reset', 'truncate'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export type Fault = { kind: FaultKind } | { kind: '429'; retryAfterSeconds: number };

export class FaultInjector {
  private readonly queue: Fault[] = [];
  private readonly rng: Rng;

  constructor(seed: number) {
    this.rng = new Rng(seed, Stream.Faults);
  }

  enqueue(faults: readonly Fault[]): void {
    this.queue.push(...faults);
  }

  clear(): void {
    this.queue.length = 0;
  }

  /** The fault for the next request: a queued one first, else one drawn at `rate`. */
  next(rate: number, kinds: readonly FaultKind[]): Fault | undefined {
    const queued = this.queue.shift();
    if (queued) return queued;
    if (rate <= 0 || kinds.length === 0 || !this.rng.chance(rate)) return undefined;
    return { kind: this.rng.pick(kinds) };
  }
}
