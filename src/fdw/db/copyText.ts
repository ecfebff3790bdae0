// Encodes JS rows in COPY's text format (one line per row, tab-separated, \N for NULL), which
// keeps NULL and the empty string apart and needs escaping for only four characters.
// How a value is written depends on its column's type: json/jsonb columns get JSON.stringify of
// any value (so a JS string becomes a JSON string), array columns get an array literal.

export type ColumnKind = 'scalar' | 'json' | 'array' | 'jsonArray';

const JSON_OIDS = new Set([114, 3802]);

export function columnKind(typeOid: number, typcategory: string, elementOid: number): ColumnKind {
  if (JSON_OIDS.has(typeOid)) return 'json';
  if (typcategory === 'A') return JSON_OIDS.has(elementOid) ? 'jsonArray' : 'array';
  return 'scalar';
}

/** The rows as COPY text-format lines, each ending in a newline. */
export function encodeRows(rows: readonly (readonly unknown[])[], kinds: readonly ColumnKind[]): string {
  let out = '';
  for (const row of rows) {
    if (row.length !== kinds.length) throw new TypeError(`row has ${row.length} values for ${kinds.length} columns`);
    for (let i = 0; i < row.length; i++) {
      if (i > 0) out += '\t';
      out += encodeField(row[i], kinds[i] ?? 'scalar');
    }
    out += '\n';
  }
  return out;
}

function encodeField(value: unknown, kind: ColumnKind): string {
  if (value === null || value === undefined) return '\\N';
  switch (kind) {
    case 'json':
      return escapeCopy(JSON.stringify(value));
    case 'array':
    case 'jsonArray':
      return escapeCopy(Array.isArray(value) ? arrayLiteral(value, kind === 'jsonArray') : scalarText(value));
    case 'scalar':
      return escapeCopy(scalarText(value));
  }
}

/**
 * Text input form of a scalar: strings as they are, numbers and bigints in decimal, booleans as
 * t/f, Dates in ISO 8601 (UTC), bytes as bytea hex, other objects as JSON.
 */
function scalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
  return JSON.stringify(value);
}

// Every element is double-quoted, so no element needs to be checked for delimiters or spaces.
function arrayLiteral(values: readonly unknown[], jsonElements: boolean): string {
  const elements = values.map((value) => {
    if (value === null || value === undefined) return 'NULL';
    if (Array.isArray(value) && !jsonElements) return arrayLiteral(value, false);
    const text = jsonElements ? JSON.stringify(value) : scalarText(value);
    return `"${text.replace(/["\\]/g, '\\$&')}"`;
  });
  return `{${elements.join(',')}}`;
}

const COPY_SPECIAL = /[\\\n\r\t]/;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeCopy(text: string): string {
  return COPY_SPECIAL.test(text) ? text.replace(/[\\\n\r\t]/g, (char) => COPY_ESCAPES[char] ?? char) : text;
}
