// A named cell result: a `-- name: signups` comment among the lines before a cell's first
// statement keeps the cell's last query result as the table `signups`, which later cells query.
// A comment, as sqlc names its queries: visible and editable in the cell (the notebook editor
// does not edit cell titles), read the same by the runtime and the language server, and psql
// skips it.
import { leadingComment } from './lexical.js';

const NAME_COMMENT = /^--\s*name:\s*([A-Za-z_][A-Za-z0-9_]*)\s*$/i;

export interface ResultName {
  /** The table's name, lower case (as Postgres folds an unquoted name). */
  name: string;
  /** UTF-16 offsets of the name in the cell. */
  start: number;
  end: number;
}

export function resultNameOf(text: string): ResultName | undefined {
  const found = leadingComment(text, NAME_COMMENT);
  if (!found) return undefined;
  const name = found.match[1]!;
  const start = found.start + found.match[0].lastIndexOf(name);
  return { name: name.toLowerCase(), start, end: start + name.length };
}
