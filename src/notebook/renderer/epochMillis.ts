// Integers that are times: a column of epoch milliseconds (Clerk's `created_at`, `last_sign_in_at`
// ...), which the value viewer also shows as a date and time, in UTC and in the local time zone,
// and the chart puts on a time axis (chartModel.ts). Pure: no DOM.
import type { ViewColumn } from '../../results/view.js';

/** 2001-01-01 .. 2100-01-01 UTC: milliseconds a value plausibly is, rather than a count or an id. */
const PLAUSIBLE = [Date.UTC(2001, 0, 1), Date.UTC(2100, 0, 1)] as const;
const INTEGER_TYPE = /^(bigint|int8|integer|int4|int|numeric|decimal)$/;
const INTEGER = /^-?\d+$/;

/** An integer column named `*_at`, or whose values (at least one) are all plausible epoch milliseconds. */
export function isEpochMillisColumn(column: ViewColumn, values: Iterable<string | null>): boolean {
  if (!INTEGER_TYPE.test(column.type.toLowerCase())) return false;
  if (/_at$/i.test(column.name)) return true;
  let seen = false;
  for (const v of values) {
    if (v === null) continue;
    if (!INTEGER.test(v) || Number(v) < PLAUSIBLE[0] || Number(v) >= PLAUSIBLE[1]) return false;
    seen = true;
  }
  return seen;
}

/** The time `text` milliseconds after the epoch, in UTC (ISO 8601) and local time (with its offset); undefined when not a time. */
export function epochMillisTimes(text: string): { utc: string; local: string } | undefined {
  if (!INTEGER.test(text)) return undefined;
  const date = new Date(Number(text));
  if (Number.isNaN(date.getTime())) return undefined;
  const two = (n: number) => String(n).padStart(2, '0');
  const offset = -date.getTimezoneOffset();
  const zone = `${offset < 0 ? '-' : '+'}${two(Math.floor(Math.abs(offset) / 60))}:${two(Math.abs(offset) % 60)}`;
  const local =
    `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ` +
    `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')} ${zone}`;
  return { utc: date.toISOString(), local };
}
