// The Postgres text form of values: what a converter hands to COPY before COPY's own escaping.

const DAY_MS = 86_400_000;
const SMALL = 2 ** 30;

/**
 * A value Postgres cannot take (outside a type's range, JSON nested too deeply to convert),
 * with Postgres's SQLSTATE for it. The COPY row builder adds the row and the column.
 */
export class ValueError extends RangeError {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'ValueError';
  }
}

/**
 * An integer's decimal digits, as String(n) gives them. V8 converts small integers quickly
 * but larger ones, today's milliseconds among them, through a general double-to-text routine
 * several times slower; converting two small halves instead takes a fifth off building the
 * seed's users rows (three timestamps each).
 */
export function integerText(n: number): string {
  if (n < SMALL && n > -SMALL) return String(n);
  if (n < 0) return `-${integerText(-n)}`;
  let high = Math.floor(n / 1e6);
  let low = n - high * 1e6;
  // Near 2^53 the division can round up to the next integer.
  if (low < 0) {
    high -= 1;
    low += 1e6;
  }
  return integerText(high) + String(1e6 + low).slice(1);
}

/**
 * Postgres's ranges in epoch milliseconds, as [first, end): every type starts at Julian day 0
 * (4714-11-24 BC, "4713 BC" in Postgres's documentation); timestamps end with 294276, dates
 * with 5874897. Checked here because COPY's own "out of range" error names neither the row
 * nor the column.
 */
const RANGES = {
  timestamptz: [-210_866_803_200_000, 9_224_318_016_000_000, '4713 BC to 294276 AD'],
  timestamp: [-210_866_803_200_000, 9_224_318_016_000_000, '4713 BC to 294276 AD'],
  date: [-210_866_803_200_000, 185_331_707_078_400_000, '4713 BC to 5874897 AD'],
} as const;

function inRange(ms: number, type: keyof typeof RANGES): number {
  const [first, end, text] = RANGES[type];
  if (ms < first || ms >= end) throw new ValueError(`${ms} milliseconds is outside the range of ${type} (${text})`, '22008');
  return ms;
}

/**
 * Calendar fields of an epoch-milliseconds instant in UTC. Plain integer arithmetic (Howard
 * Hinnant's days-from-civil, inverted) instead of Date: Date stops at ±275,760 years and
 * writes years outside 0..9999 as `+010000`/`-000001`, which Postgres does not read.
 */
function civil(ms: number) {
  const days = Math.floor(ms / DAY_MS);
  const msOfDay = ms - days * DAY_MS;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day, msOfDay };
}

const pad2 = (n: number) => (n < 10 ? '0' : '') + n;

/** ISO-8601 date and time in UTC; Postgres has no year 0, so year 0 is 1 BC. */
function isoParts(ms: number): { date: string; time: string; era: string } {
  const { year, month, day, msOfDay } = civil(ms);
  const bc = year <= 0;
  const date = `${String(bc ? 1 - year : year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
  const seconds = Math.floor(msOfDay / 1000);
  const time = `${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}.${String(msOfDay % 1000).padStart(3, '0')}`;
  return { date, time, era: bc ? ' BC' : '' };
}

/** `2024-05-28T08:00:00.000Z`: an absolute instant, whatever the session's TimeZone. */
export function millisToTimestamptz(ms: number): string {
  const { date, time, era } = isoParts(inRange(ms, 'timestamptz'));
  return `${date}T${time}Z${era}`;
}

/** `2024-05-28T08:00:00.000`: the UTC wall-clock time (timestamp has no zone to keep). */
export function millisToTimestamp(ms: number): string {
  const { date, time, era } = isoParts(inRange(ms, 'timestamp'));
  return `${date}T${time}${era}`;
}

/** `2024-05-28`: the UTC calendar date. */
export function millisToDate(ms: number): string {
  const { date, era } = isoParts(inRange(ms, 'date'));
  return date + era;
}

// Postgres json/jsonb reject the escape \u0000 and unpaired surrogates (which JSON.stringify
// writes as \udXXX). Both are rare, so the fast path only looks for their escapes in the
// output; a literal backslash before "u0000" also matches, which merely takes the slow path.
const SUSPECT_JSON = /\\u0000|\\ud[89a-f]/i;
const ILL_FORMED = /\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function wellFormed(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(ILL_FORMED, '\uFFFD');
  if (Array.isArray(value)) return value.map(wellFormed);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [wellFormed(key), wellFormed(item)]));
  }
  return value;
}

/**
 * JSON text Postgres's json and jsonb accept: U+0000 and unpaired surrogates in strings
 * and keys become U+FFFD (the replacement character), as a UTF-8 encoder would do.
 */
export function jsonText(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    return SUSPECT_JSON.test(text) ? JSON.stringify(wellFormed(value)) : text;
  } catch (error) {
    // JSON.stringify recurses: some thousands of levels of nesting (which JSON.parse reads
    // fine, and anyone can put in a user's unsafe_metadata) overflow the stack.
    if (error instanceof RangeError && /call stack/.test(error.message)) {
      throw new ValueError(`the JSON value is nested ${nesting(value)} levels deep, too deep to convert`, '54001');
    }
    throw error;
  }
}

/** Levels of objects and arrays, counted without recursion (for the value recursion failed on). */
function nesting(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    for (const inner of Object.values(item)) stack.push([inner, depth + 1]);
  }
  return deepest;
}

/** A Postgres array literal; every element is quoted, so commas, braces and spaces are data. */
export function arrayLiteral(items: readonly (string | null)[]): string {
  return `{${items.map((item) => (item === null ? 'NULL' : `"${item.replace(/["\\]/g, '\\$&')}"`)).join(',')}}`;
}
