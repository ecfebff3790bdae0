// Weighted choice among a fixed list, with the cumulative weights computed once.
import type { Rng } from './prng.js';

export class Weights {
  private readonly cumulative: Float64Array;

  constructor(weights: readonly number[]) {
    if (weights.length === 0) throw new RangeError('no weights');
    this.cumulative = new Float64Array(weights.length);
    let total = 0;
    weights.forEach((w, i) => (this.cumulative[i] = total += w));
  }

  /** Index i with probability weights[i] / sum(weights) (binary search). */
  pick(rng: Rng): number {
    const x = rng.next() * (this.cumulative[this.cumulative.length - 1] as number);
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.cumulative[mid] as number) > x) high = mid;
      else low = mid + 1;
    }
    return low;
  }
}
