// Postgres type names as the catalog compares them. A declared column type reaches us in many
// spellings: SQL text (`bigint`, `timestamp(3) with time zone`, `character varying(255)`,
// `text[]`) or libpg-query's parse tree (`pg_catalog.int8`, `timestamptz`, `_text`, or a
// name plus `arrayBounds`). All of them normalize to the pg_type name Postgres itself uses,
// so the catalog needs only one spelling per type.

/** A type as the catalog sees it: the canonical pg_type name and whether it is an array. */
export interface PgType {
  /** `int8`, `int4`, `int2`, `numeric`, `float8`, `float4`, `bool`, `text`, `varchar`, `bpchar`,
   * `json`, `jsonb`, `date`, `timestamp`, `timestamptz`; any other type keeps its lower-case name. */
  readonly name: string;
  readonly array: boolean;
}

/** Every spelling of the types the catalog converts to, mapped to the pg_type name. */
const CANONICAL: Readonly<Record<string, string>> = {
  bigint: 'int8',
  int8: 'int8',
  integer: 'int4',
  int: 'int4',
  int4: 'int4',
  smallint: 'int2',
  int2: 'int2',
  numeric: 'numeric',
  decimal: 'numeric',
  'double precision': 'float8',
  float8: 'float8',
  float: 'float8',
  real: 'float4',
  float4: 'float4',
  boolean: 'bool',
  bool: 'bool',
  text: 'text',
  'character varying': 'varchar',
  'char varying': 'varchar',
  varchar: 'varchar',
  character: 'bpchar',
  char: 'bpchar',
  bpchar: 'bpchar',
  json: 'json',
  jsonb: 'jsonb',
  date: 'date',
  timestamp: 'timestamp',
  'timestamp without time zone': 'timestamp',
  'timestamp with time zone': 'timestamptz',
  timestamptz: 'timestamptz',
};

/** How messages spell a type: the name people write in DDL. */
const DISPLAY: Readonly<Record<string, string>> = {
  int8: 'bigint',
  int4: 'integer',
  int2: 'smallint',
  float8: 'double precision',
  float4: 'real',
  bool: 'boolean',
  bpchar: 'char',
};

/**
 * Normalizes a declared type. `spelling` is SQL text or the parse tree's dotted name list
 * (`['pg_catalog', 'int8']`); `array` says the parse tree had `arrayBounds`.
 */
export function normalizeType(spelling: string | readonly string[], array = false): PgType {
  const dotted = typeof spelling === 'string' ? spelling : spelling.join('.');
  let text = dotted.trim().toLowerCase().replace(/\s+/g, ' ');
  // `text[]`, `int[3][3]` and the SQL-standard `text array` all mean a one-type array.
  const arraySyntax = /(\s*\[\d*\])+$|\s+array(\s*\[\d*\])?$/;
  if (arraySyntax.test(text)) {
    array = true;
    text = text.replace(arraySyntax, '');
  }
  text = text.replace(/^pg_catalog\./, '');
  // `float(p)` is real up to 24 bits of precision, as in Postgres.
  const floatPrecision = /^float\s*\(\s*(\d+)\s*\)$/.exec(text);
  if (floatPrecision) return { name: Number(floatPrecision[1]) <= 24 ? 'float4' : 'float8', array };
  // Type modifiers (`varchar(255)`, `timestamp(3) with time zone`) don't change the conversion.
  text = text.replace(/\s*\([^)]*\)/g, '').trim();
  const name = CANONICAL[text];
  if (name) return { name, array };
  // `_text` is how pg_type names the array of `text`.
  if (text.startsWith('_') && CANONICAL[text.slice(1)] === text.slice(1)) return { name: text.slice(1), array: true };
  return { name: text, array };
}

/** The DDL spelling of a type, for messages and documentation. */
export function formatType(type: PgType): string {
  return (DISPLAY[type.name] ?? type.name) + (type.array ? '[]' : '');
}

export function sameType(a: PgType, b: PgType): boolean {
  return a.name === b.name && a.array === b.array;
}

const scalar = (name: string): PgType => ({ name, array: false });

/** The types the catalog itself names. */
export const PG = {
  int8: scalar('int8'),
  int4: scalar('int4'),
  int2: scalar('int2'),
  numeric: scalar('numeric'),
  float8: scalar('float8'),
  float4: scalar('float4'),
  bool: scalar('bool'),
  text: scalar('text'),
  varchar: scalar('varchar'),
  json: scalar('json'),
  jsonb: scalar('jsonb'),
  date: scalar('date'),
  timestamp: scalar('timestamp'),
  timestamptz: scalar('timestamptz'),
  textArray: { name: 'text', array: true },
  varcharArray: { name: 'varchar', array: true },
} as const satisfies Record<string, PgType>;
