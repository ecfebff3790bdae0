// Small lexical helpers over a cell's text (UTF-16 offsets): where the token at an offset ends,
// what comes after a keyword. The AST gives byte locations of the start of most nodes; these
// helpers find the extent of the name, string or type written there.

import { lineEnd, skipBlockComment, skipQuoted } from '../../fdw/sql/lexical.ts';

const IDENT_START = /[A-Za-z_\u0080-\uFFFF]/;
const IDENT_PART = /[A-Za-z0-9_$\u0080-\uFFFF]/;

export interface Span {
  start: number;
  end: number;
}

/** Skips whitespace and comments (line comments, and block comments, nested as in Postgres). */
export function skipTrivia(text: string, offset: number): number {
  let i = offset;
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (text.startsWith('--', i)) i = lineEnd(text, i);
    else if (text.startsWith('/*', i)) i = skipBlockComment(text, i);
    else return i;
  }
}

/** The token starting at `offset`: a quoted identifier, a string literal, an identifier, a number, or one character. */
export function tokenAt(text: string, offset: number): Span {
  const start = Math.max(0, Math.min(offset, text.length));
  if (start >= text.length) return { start, end: start };
  const first = text[start]!;
  if (first === '"' || first === "'") return { start, end: skipQuoted(text, start) };
  if ((first === 'E' || first === 'e') && text[start + 1] === "'") return { start, end: skipQuoted(text, start + 1, true) };
  if (IDENT_START.test(first)) {
    let i = start + 1;
    while (i < text.length && IDENT_PART.test(text[i]!)) i++;
    return { start, end: i };
  }
  if (/[0-9]/.test(first)) {
    let i = start + 1;
    while (i < text.length && /[0-9.]/.test(text[i]!)) i++;
    return { start, end: i };
  }
  return { start, end: start + 1 };
}

/** The token after the one at `offset` (e.g. the value after an option name). */
export function tokenAfter(text: string, offset: number): Span {
  const current = tokenAt(text, offset);
  return tokenAt(text, skipTrivia(text, current.end));
}

/** The last name of a dotted reference starting at `offset` (`u.email` → `email`). */
export function lastNameOfReference(text: string, offset: number): Span {
  let token = tokenAt(text, offset);
  for (;;) {
    const dot = skipTrivia(text, token.end);
    if (text[dot] !== '.') return token;
    const next = tokenAt(text, skipTrivia(text, dot + 1));
    if (next.end === next.start || !(IDENT_START.test(text[next.start]!) || text[next.start] === '"')) return token;
    token = next;
  }
}

/** Extent of a column's type in a column definition: up to the next `,` or `)` at depth 0, or a column constraint. */
export function typeSpan(text: string, offset: number): Span {
  let depth = 0;
  let i = offset;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') {
      if (depth === 0) break;
      depth--;
    } else if (c === ',' && depth === 0) break;
    else if (c === '"' || c === "'") {
      i = tokenAt(text, i).end;
      continue;
    } else if (text.startsWith('--', i) || text.startsWith('/*', i)) break;
    i++;
  }
  let end = i;
  const written = text.slice(offset, end);
  const constraint = /\s+(not\s+null|null|default|collate|constraint|options|check|generated)\b/i.exec(written);
  if (constraint) end = offset + constraint.index;
  while (end > offset && /\s/.test(text[end - 1]!)) end--;
  return { start: offset, end: Math.max(end, offset + 1) };
}

/** Start offset of the first match of `pattern`'s group 1 in text[from, to), or undefined. */
export function findGroup(text: string, from: number, to: number, pattern: RegExp): number | undefined {
  const match = pattern.exec(text.slice(from, to));
  if (!match || match[1] === undefined) return undefined;
  return from + match.index + match[0].lastIndexOf(match[1]);
}
