// A small seeded PRNG (sfc32). Every generated object draws from its own stream, keyed by
// (seed, stream, index), so object i can be rebuilt on demand without generating 0..i-1 and
// without keeping it in memory.

/** Independent random streams: one per concern, so adding draws to one never shifts another. */
export const Stream = {
  Company: 1,
  User: 2,
  UserDetail: 3,
  Organization: 4,
  OrganizationDetail: 5,
  Membership: 6,
  Keys: 7,
  Faults: 8,
  Trace: 9,
  Instance: 10,
  Write: 11,
  Waitlist: 12,
  Invitation: 13,
  OrganizationInvitation: 14,
  Session: 15,
  Billing: 16,
  Configuration: 17,
} as const;

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function mixPart(h: number, part: number): number {
  const low = part >>> 0;
  const high = Math.floor(part / 0x1_0000_0000) >>> 0;
  return fmix32(fmix32(h ^ fmix32(low + 0x7f4a7c15)) ^ fmix32(high + 0x2545f491));
}

/** Hashes four integers (any safe integers, negative included) into 32 bits. */
function hash32(a: number, b: number, c: number, d: number): number {
  return mixPart(mixPart(mixPart(mixPart(0x9e3779b9, a), b), c), d);
}

// Building short strings one `+=` at a time costs microseconds each (a chain of cons strings
// flattened later); filling a reused array of char codes and converting it once does not.
const scratch = new Map<number, number[]>();

/** A reusable array of exactly `length` char codes (callers overwrite every entry). */
export function scratchCodes(length: number): number[] {
  let codes = scratch.get(length);
  if (!codes) {
    codes = new Array<number>(length).fill(0);
    scratch.set(length, codes);
  }
  return codes;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** The stream of (seed, stream, index, sub): one per generated object or concern. */
  constructor(seed: number, stream: number, index = 0, sub = 0) {
    this.a = this.b = this.c = this.d = 0;
    this.reseed(seed, stream, index, sub);
  }

  /** Restarts this generator on another stream (saves an allocation per generated row). */
  reseed(seed: number, stream: number, index = 0, sub = 0): this {
    const h = hash32(seed, stream, index, sub);
    this.a = fmix32(h ^ 0x243f6a88);
    this.b = fmix32(h ^ 0x85a308d3);
    this.c = fmix32(h ^ 0x13198a2e);
    this.d = 1;
    // sfc32 needs a few rounds before its output stops echoing the seed.
    for (let i = 0; i < 12; i++) this.u32();
    return this;
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 0x1_0000_0000;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)] as T;
  }

  /** Exponential with this mean, truncated to [0, max) (one draw either way). */
  exponential(mean: number, max = Infinity): number {
    return -Math.log(1 - this.next() * -Math.expm1(-max / mean)) * mean;
  }

  /** `length` characters from `alphabet`. */
  chars(alphabet: string, length: number): string {
    const codes = scratchCodes(length);
    for (let i = 0; i < length; i++) codes[i] = alphabet.charCodeAt(this.int(alphabet.length));
    return String.fromCharCode(...codes);
  }

  /** A uniformly random ordering of 0..n-1 (Fisher-Yates). */
  permutation(n: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = out[i] as number;
      out[i] = out[j] as number;
      out[j] = t;
    }
    return out;
  }
}
