// Clerk ids are KSUIDs: a 4-byte timestamp (seconds since 2014-05-13) and 16 random bytes,
// base62-encoded into 27 characters after the prefix (`user_2g7np7Hrk0SN6kj5EDMLDaKNL0S`).
// Generated ids have that shape, so ids from the 2020s start with `2` like real ones and sort
// roughly by creation time, as real ones do.
import { type Rng, scratchCodes } from './prng.js';

export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KSUID_EPOCH_SECONDS = 1_400_000_000;
/** The KSUID's six leading base62 digits hold its 32-bit timestamp; 21 more hold the payload. */
const LEADING_DIGITS = 6;
const PAYLOAD_DIGITS = 21;
/** 2^128 / 62^21: one timestamp second in units of the sixth base62 digit. */
const SECOND_IN_LEADING_UNITS = 2 ** 128 / 62 ** PAYLOAD_DIGITS;

/**
 * A KSUID-shaped id. A full 160-bit base62 conversion costs microseconds per id; instead the
 * leading digits come from the timestamp plus a random fraction of a second (the payload's
 * share of them) and the other digits are random: a valid KSUID whose timestamp is within a
 * second of `createdAtMs`, at a fraction of the cost.
 */
export function clerkId(prefix: string, createdAtMs: number, rng: Rng): string {
  const seconds = Math.max(0, Math.floor(createdAtMs / 1000) - KSUID_EPOCH_SECONDS);
  let leading = Math.floor((seconds + rng.next()) * SECOND_IN_LEADING_UNITS);
  const codes = scratchCodes(LEADING_DIGITS + PAYLOAD_DIGITS);
  for (let k = LEADING_DIGITS - 1; k >= 0; k--) {
    codes[k] = BASE62.charCodeAt(leading % 62);
    leading = Math.floor(leading / 62);
  }
  for (let k = LEADING_DIGITS; k < codes.length; k++) codes[k] = BASE62.charCodeAt(rng.int(62));
  return prefix + String.fromCharCode(...codes);
}
