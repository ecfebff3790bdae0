// Values of a result as Postgres prints them (psql, COPY ... CSV): the one text form of the CLI's
// outputs, the notebook's grid and its exports.
import type { ColumnKind } from './view.js';

/**
 * Postgres's text output of a decoded value; `null` stays null (SQL NULL). `type` is the
 * column's type as format_type() spells it: a json/jsonb array is JSON, not a Postgres array.
 */
export function pgText(value: unknown, type?: string): string | null {
  if (value === null || value === undefined) return null;
  if (type === 'jsonb' || type === 'json') return typeof value === 'string' && type === 'json' ? value : jsonbText(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (value instanceof Uint8Array) return '\\x' + Buffer.from(value).toString('hex');
  if (Array.isArray(value)) return arrayLiteral(value);
  return jsonbText(value);
}

/**
 * A value as the grid and its copies for spreadsheets show it: a boolean as `true` / `false`
 * (Postgres's `t` / `f` reads as a letter to anyone not fluent in psql), the rest as Postgres's text.
 * Exports keep Postgres's text (CSV as COPY writes it).
 */
export function shownText(text: string, kind: ColumnKind): string {
  if (kind !== 'boolean') return text;
  return text === 't' ? 'true' : text === 'f' ? 'false' : text;
}

/** jsonb's output spacing: `{"a": 1, "b": [1, 2]}`. */
export function jsonbText(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(jsonbText).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${JSON.stringify(k)}: ${jsonbText(v)}`)
    .join(', ')}}`;
}

function arrayLiteral(items: unknown[]): string {
  const parts = items.map((item) => {
    if (item === null || item === undefined) return 'NULL';
    if (Array.isArray(item)) return arrayLiteral(item);
    const text = pgText(item)!;
    return text === '' || /[{},"\\\s]|^NULL$/i.test(text) ? `"${text.replace(/["\\]/g, '\\$&')}"` : text;
  });
  return `{${parts.join(',')}}`;
}

/** One CSV field as COPY ... CSV writes it: NULL unquoted and empty, "" for an empty string. */
export function csvField(text: string | null): string {
  if (text === null) return '';
  return text === '' || /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Text as psql's aligned format shows it, so that a value cannot drive the terminal (set its
 * title, write the clipboard with OSC 52, move the cursor, or overwrite a line with \r): a
 * carriage return is `\r`, a tab is spaces to the next multiple of 8, other control characters are
 * `\xHH` (C0, DEL) and `\u00HH` (C1). A newline is `↵` in a table cell; `newlines: 'keep'` keeps
 * it, for messages of several lines.
 */
export function terminalText(text: string, newlines: 'mark' | 'keep' = 'mark'): string {
  if (!/\p{Cc}/u.test(text)) return text;
  let out = '';
  let lineStart = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === '\n') {
      out += newlines === 'keep' ? '\n' : '↵';
      if (newlines === 'keep') lineStart = out.length;
    } else if (char === '\r') out += '\\r';
    else if (char === '\t') out += ' '.repeat(8 - ((out.length - lineStart) % 8));
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`;
    else if (code >= 0x80 && code <= 0x9f) out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += char;
  }
  return out;
}
