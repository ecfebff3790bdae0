// What a column's value is in the API, and the Postgres types it converts to. Every kind of
// value is one table of conversions: the declared types it accepts, what each gives (for
// documentation), and the converter. The rule behind the tables: a declared type changes
// the representation the way a Postgres cast from the default type would (`text` of a
// bigint is its digits, of a boolean `true`/`false`, of jsonb the JSON text), except that
// timestamps convert from milliseconds, as in the Supabase Clerk wrapper, and contact lists
// (email addresses, phone numbers) give their primary entry as text.
import { PG, type PgType } from './pgTypes.js';
import { arrayLiteral, integerText, jsonText, millisToDate, millisToTimestamp, millisToTimestamptz } from './formats.js';

/** From an API object to the Postgres text form of the column (before COPY escaping), or NULL. */
export type Converter<O> = (obj: O) => string | null;

export interface Conversion<O> {
  readonly types: readonly PgType[];
  /** What the column holds when declared with one of `types`. */
  readonly result: string;
  readonly convert: Converter<O>;
  /** What COPY must escape in the text (catalog/copy.ts). */
  readonly escape: CopyEscape;
  /** Why another declared type is likely what was meant, and which: a notice at CREATE FOREIGN TABLE, with quick fixes. */
  readonly advice?: Advice;
}

export interface Advice {
  readonly message: string;
  readonly better: readonly PgType[];
}

/**
 * `none`: digits, a boolean or a timestamp, nothing to escape. `json`: text made by jsonText,
 * well-formed and free of control characters, where only backslashes need doubling. `text`:
 * anything else.
 */
export type CopyEscape = 'none' | 'json' | 'text';

/** A column's value: its JSON type in the API, its unit, default type and conversions. */
export interface ColumnValue<O> {
  readonly jsonType: string;
  readonly unit?: string;
  readonly defaultType: PgType;
  readonly conversions: readonly Conversion<O>[];
}

export type Read<O> = (obj: O) => unknown;

type Format<V> = readonly [types: readonly PgType[], result: string, format: (value: V) => string | null, options?: { escape?: CopyEscape; advice?: Advice }];

/**
 * Conversions that read the value, check its JSON type and format it. A value of another
 * JSON type is NULL: the client's zod validation rejects such payloads before they get here,
 * and a NULL can never break a COPY row the way a misplaced string could.
 */
function conversions<O, V>(read: Read<O>, accept: (value: unknown) => value is V, formats: readonly Format<V>[], escape: CopyEscape = 'text'): Conversion<O>[] {
  return formats.map(([types, result, format, options]) => ({
    types,
    result,
    convert: (obj: O) => {
      const value = read(obj);
      return accept(value) ? format(value) : null;
    },
    escape: options?.escape ?? escape,
    ...(options?.advice ? { advice: options.advice } : {}),
  }));
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isInteger = (v: unknown): v is number => Number.isInteger(v);
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
const isPresent = (v: unknown): v is NonNullable<unknown> => v !== null && v !== undefined;
const TEXT = [PG.text, PG.varchar];
const JSON_TYPES = [PG.jsonb, PG.json];

export function stringValue<O>(read: Read<O>): ColumnValue<O> {
  return {
    jsonType: 'string',
    defaultType: PG.text,
    conversions: conversions(read, isString, [
      [TEXT, 'the string', (s) => s],
      [JSON_TYPES, 'a JSON string', jsonText, { escape: 'json' }],
    ]),
  };
}

const MILLIS_UNIT = 'milliseconds since the Unix epoch';

export function millisValue<O>(read: Read<O>): ColumnValue<O> {
  return {
    jsonType: 'integer',
    unit: MILLIS_UNIT,
    defaultType: PG.int8,
    conversions: conversions(
      read,
      isInteger,
      [
        // integer, smallint and real cannot hold today's milliseconds exactly: not offered.
        [[PG.int8, PG.numeric, PG.float8], 'the milliseconds, as Clerk sends them', integerText],
        [[PG.timestamptz], 'the instant, converted from milliseconds', millisToTimestamptz],
        [[PG.timestamp], 'the UTC date and time, converted from milliseconds', millisToTimestamp],
        [[PG.date], 'the UTC date', millisToDate],
        [
          TEXT,
          'the milliseconds as digits',
          integerText,
          {
            advice: {
              message: 'holds milliseconds since the Unix epoch as digits (such as 1718000000000), which sort and compare as text, not as times',
              better: [PG.timestamptz, PG.int8],
            },
          },
        ],
        [JSON_TYPES, 'a JSON number (milliseconds)', integerText],
      ],
      'none',
    ),
  };
}

export function integerValue<O>(read: Read<O>, unit?: string): ColumnValue<O> {
  return {
    jsonType: 'integer',
    ...(unit ? { unit } : {}),
    defaultType: PG.int8,
    conversions: conversions(
      read,
      isInteger,
      [
        [[PG.int8, PG.int4, PG.int2, PG.numeric, PG.float8, PG.float4], 'the number', integerText],
        [TEXT, 'the number as digits', integerText],
        [JSON_TYPES, 'a JSON number', integerText],
      ],
      'none',
    ),
  };
}

export function booleanValue<O>(read: Read<O>): ColumnValue<O> {
  return {
    jsonType: 'boolean',
    defaultType: PG.bool,
    conversions: conversions(
      read,
      isBoolean,
      [
        [[PG.bool], 'the boolean', String],
        [TEXT, '`true` or `false`', String],
        [JSON_TYPES, 'a JSON boolean', String],
      ],
      'none',
    ),
  };
}

/** The strings of a JSON array; other elements are NULL. */
const stringItems = (items: readonly unknown[]) => items.map((item) => (typeof item === 'string' ? item : null));

/**
 * Objects, arrays and values of any JSON type. JSON null is SQL NULL, as for every column.
 * An array of strings (`permissions`) can also be declared `text[]`.
 */
export function jsonValue<O>(read: Read<O>, jsonType: string, stringArray = false): ColumnValue<O> {
  const formats: Format<NonNullable<unknown>>[] = [
    [JSON_TYPES, 'the JSON value', jsonText, { escape: 'json' }],
    [TEXT, 'the JSON text', jsonText, { escape: 'json' }],
  ];
  if (stringArray) {
    formats.push([[PG.textArray, PG.varcharArray], 'a Postgres array of the strings', (v) => (Array.isArray(v) ? arrayLiteral(stringItems(v)) : null)]);
  }
  return { jsonType, defaultType: PG.jsonb, conversions: conversions(read, isPresent, formats) };
}

/** A user's email addresses or phone numbers, one of which may be the primary one. */
export interface ContactList<O, C> {
  /** Singular and plural, for documentation. */
  readonly noun: readonly [string, string];
  readonly list: (obj: O) => readonly C[] | null | undefined;
  readonly primaryId: (obj: O) => string | null | undefined;
  readonly id: (contact: C) => string | undefined;
  readonly value: (contact: C) => string;
}

/** The primary entry, else the first one; undefined for an empty or missing list. */
function primaryContact<O, C>(spec: ContactList<O, C>, obj: O): C | undefined {
  const list = spec.list(obj);
  if (!list || list.length === 0) return undefined;
  const primary = spec.primaryId(obj);
  if (primary) {
    for (const contact of list) if (spec.id(contact) === primary) return contact;
  }
  return list[0];
}

/** The primary contact's value: the string a `text` declaration of the list gives. */
export function primaryValueOf<O, C>(spec: ContactList<O, C>): Read<O> {
  return (obj) => {
    const contact = primaryContact(spec, obj);
    return contact === undefined ? undefined : spec.value(contact);
  };
}

export function contactListValue<O, C>(spec: ContactList<O, C>): ColumnValue<O> {
  const isList = (v: unknown): v is readonly C[] => Array.isArray(v);
  const primary = primaryValueOf(spec);
  const [one, many] = spec.noun;
  return {
    jsonType: 'array of objects',
    defaultType: PG.jsonb,
    conversions: [
      ...conversions(spec.list, isList, [[[PG.int8, PG.int4, PG.int2, PG.numeric], `how many ${many} there are`, (list) => integerText(list.length)]], 'none'),
      ...conversions(spec.list, isList, [
        [[PG.textArray, PG.varcharArray], `all the ${many}, as a Postgres array`, (list) => arrayLiteral(stringItems(list.map(spec.value)))],
        [JSON_TYPES, `the array of ${one} objects, as Clerk sends it`, jsonText, { escape: 'json' }],
      ]),
      ...conversions(primary, isString, [[TEXT, `the primary ${one}, else the first; NULL when there are none`, (s) => s]]),
    ],
  };
}
