// A named cell result: a `-- name: signups` comment among the lines before a cell's first
// statement keeps the cell's last query result as the table `signups`, which later cells query.
// A comment, as sqlc names its queries: visible and editable in the cell (the notebook editor
// does not edit cell titles), read the same by the runtime and the language server, and psql
// skips it.
import { lineEnd } from './lexical.js';

const NAME_COMMENT = /^--\s*name:\s*([A-Za-z_][A-Za-z0-9_]*)\s*$/i;

export interface ResultName {
  /** The table's name, lower case (as Postgres folds an unquoted name). */
  name: string;
  /** UTF-16 offsets of the name in the cell. */
  start: number;
  end: number;
}

export function resultNameOf(text: string): ResultName | undefined {
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) i++;
    else if (text.startsWith('--', i)) {
      const end = lineEnd(text, i);
      const line = text.slice(i, end).trimEnd();
      const match = NAME_COMMENT.exec(line);
      if (match) {
        const start = i + line.lastIndexOf(match[1]!);
        return { name: match[1]!.toLowerCase(), start, end: start + match[1]!.length };
      }
      i = end;
    } else return undefined;
  }
  return undefined;
}
