// Query-string parsing with Clerk's rules: repeated parameters in both `x=a&x=b` and
// `x[]=a` forms (at most 100 values), integer `limit` 1..500 and `offset` >= 0, `order_by`
// with a `+`/`-` prefix, `+`/`-` include/exclude prefixes on id lists. An empty value counts
// as absent. Invalid values throw Clerk's 422.
import { paramValueInvalid } from './errors.js';

export const MAX_LIST_VALUES = 100;
export const MAX_LIMIT = 500;
export const DEFAULT_LIMIT = 10;

const INTEGER = /^-?\d+$/;
const NON_NEGATIVE_INTEGER = /^\d+$/;

function first(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name);
  return value === null || value === '' ? undefined : value;
}

export function text(query: URLSearchParams, name: string): string | undefined {
  return first(query, name);
}

/** Every value of `name` and `name[]`. */
export function list(query: URLSearchParams, name: string): string[] {
  const values = [...query.getAll(name), ...query.getAll(`${name}[]`)].filter((v) => v !== '');
  if (values.length > MAX_LIST_VALUES) {
    throw paramValueInvalid(name, `${values.length} values (at most ${MAX_LIST_VALUES})`);
  }
  return values;
}

export function integer(query: URLSearchParams, name: string): number | undefined {
  const value = first(query, name);
  if (value === undefined) return undefined;
  if (!INTEGER.test(value) || !Number.isSafeInteger(Number(value))) throw paramValueInvalid(name, value);
  return Number(value);
}

export function boolean(query: URLSearchParams, name: string): boolean | undefined {
  const value = first(query, name);
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw paramValueInvalid(name, value);
}

export interface Paging {
  limit: number;
  offset: number;
}

export function paging(query: URLSearchParams): Paging {
  const limit = first(query, 'limit');
  const offset = first(query, 'offset');
  const limitValue = limit === undefined ? DEFAULT_LIMIT : Number(limit);
  if (limit !== undefined && (!NON_NEGATIVE_INTEGER.test(limit) || limitValue < 1 || limitValue > MAX_LIMIT)) {
    throw paramValueInvalid('limit', limit);
  }
  if (offset !== undefined && (!NON_NEGATIVE_INTEGER.test(offset) || !Number.isSafeInteger(Number(offset)))) {
    throw paramValueInvalid('offset', offset);
  }
  return { limit: limitValue, offset: offset === undefined ? 0 : Number(offset) };
}

export interface Order<F extends string> {
  field: F;
  descending: boolean;
}

/** `order_by`: the first value only (as Clerk documents), `-` descending, `+` or none ascending. */
export function order<F extends string>(query: URLSearchParams, fields: readonly F[], fallback: Order<F>): Order<F> {
  const value = first(query, 'order_by');
  if (value === undefined) return fallback;
  // A literal `+` arrives as a space unless the client percent-encodes it.
  const sign = value[0];
  const name = sign === '-' || sign === '+' || sign === ' ' ? value.slice(1) : value;
  const field = fields.find((f) => f === name);
  if (field === undefined) throw paramValueInvalid('order_by', value);
  return { field, descending: sign === '-' };
}

/** An id list where `-id` excludes and `+id` or `id` includes. */
export interface Selection {
  include: string[];
  exclude: string[];
}

export function selection(query: URLSearchParams, name: string): Selection {
  const include: string[] = [];
  const exclude: string[] = [];
  for (const value of list(query, name)) {
    if (value.startsWith('-')) exclude.push(value.slice(1));
    else if (value.startsWith('+') || value.startsWith(' ')) include.push(value.slice(1));
    else include.push(value);
  }
  return { include, exclude };
}

export function isEmptySelection(s: Selection): boolean {
  return s.include.length === 0 && s.exclude.length === 0;
}
