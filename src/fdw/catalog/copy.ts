// Rows for Postgres COPY in TEXT format, the format the DB layer loads with:
//
//   COPY t (c1, c2, ...) FROM STDIN (FORMAT text)      -- tab delimiter, NULL as \N: the defaults
//
// One line per object: the declared columns' values in declared order, separated by a tab,
// ended by `\n`; NULL is `\N`; in values, backslash, tab, newline and carriage return are
// written `\\`, `\t`, `\n`, `\r`, so a value can never split a field or a row (and a value
// that reads `\N` stays text). U+0000, which Postgres text cannot hold, and unpaired
// surrogates, which UTF-8 cannot encode, become U+FFFD; the caller sends the text as UTF-8.
// Text format rather than CSV: it has one escaping rule for every character, and NULL and
// the empty string cannot be confused.
import { OBJECT_NOUNS, type ClerkObject } from '../clerk/schemas.js';
import { ValueError } from './formats.js';
import type { CopyEscape } from './values.js';
import { validateForeignTable, type CatalogDiagnostic, type DeclaredColumn } from './validate.js';

export const COPY_OPTIONS = '(FORMAT text)';

// What a COPY text field cannot carry as is: the characters COPY escapes, U+0000 (which
// Postgres text cannot hold) and unpaired surrogates (which UTF-8 cannot encode).
const UNSAFE = /[\\\t\n\r\0]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** jsonText's output: well-formed, with no raw control characters (JSON escapes them), so only backslashes are COPY's. */
const escapeJson = (json: string): string => (json.includes('\\') ? json.replaceAll('\\', '\\\\') : json);

/**
 * The value as a COPY text field, in well-formed UTF-16 so that every UTF-8 encoder writes
 * the same bytes (PGlite's own encoder, for one, fails on some unpaired surrogates).
 */
function copyEscape(value: string): string {
  return UNSAFE.test(value) ? value.replace(UNSAFE_ALL, (c) => ESCAPES[c] ?? '\uFFFD') : value;
}

const ESCAPERS: Readonly<Record<CopyEscape, (value: string) => string>> = { none: (value) => value, json: escapeJson, text: copyEscape };

/** A table whose declaration does not pass validateForeignTable. */
export class CatalogError extends Error {
  constructor(readonly diagnostics: readonly CatalogDiagnostic[]) {
    super(diagnostics.find((d) => d.severity === 'error')?.message ?? 'invalid Clerk foreign table');
    this.name = 'CatalogError';
  }
}

/**
 * Compiles, once per table, the function that turns one API object into its COPY line.
 * Throws CatalogError when the declaration has errors (the runtime validates at CREATE
 * FOREIGN TABLE, so this only happens if it skipped that). A value Postgres cannot take
 * throws ValueError naming the object's id and the column.
 */
export function compileCopyRow(objectOption: string, columns: readonly DeclaredColumn[]): (obj: ClerkObject) => string {
  const { object, resolved, diagnostics } = validateForeignTable(objectOption, columns);
  if (!object || !resolved) throw new CatalogError(diagnostics);
  const converters = resolved.map((r) => r.conversion.convert);
  const escapes = resolved.map((r) => ESCAPERS[r.conversion.escape]);
  const count = converters.length;
  if (count === 0) return () => '\n';
  // Joined from an array, the newline added to the last field: one flat string per row, not
  // a tree of concatenated pieces, is what keeps 100,000 held rows cheap for the garbage
  // collector (catalogPerf.test.ts).
  const fields = new Array<string>(count);
  return (obj) => {
    for (let i = 0; i < count; i++) {
      let value: string | null;
      try {
        value = converters[i]!(obj);
      } catch (error) {
        if (error instanceof ValueError)
          throw new ValueError(`${OBJECT_NOUNS[object]} "${obj.id}", column ${resolved[i]!.column.name}: ${error.message}`, error.code);
        throw error;
      }
      fields[i] = value === null ? '\\N' : escapes[i]!(value);
    }
    fields[count - 1] += '\n';
    return fields.join('\t');
  };
}
