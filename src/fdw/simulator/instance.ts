// What every generated object may depend on besides its own row: the seed, the dataset's
// "now", and the id of the Clerk instance the data belongs to.
import { clerkId } from './ids.js';
import { Rng, Stream } from './prng.js';
import { HISTORY_MS } from './timeline.js';

export interface Instance {
  readonly seed: number;
  readonly now: number;
  readonly instanceId: string;
}

export function createInstance(seed: number, now: number): Instance {
  return { seed, now, instanceId: clerkId('ins_', now - HISTORY_MS, new Rng(seed, Stream.Instance)) };
}
