// Small lexical helpers over a cell's text (UTF-16 offsets): where the token at an offset ends,
// what comes after a keyword. The AST gives byte locations of the start of most nodes; these
// helpers find the extent of the name, string or type written there, and the names it gives
// without a location (a server's name, the wrapper a server uses).

import { lineEnd, skipBlockComment, skipQuoted } from './lexical.js';

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

/** Whether the token `span` is the bare word `word` (case-insensitive, as Postgres folds it) or the punctuation `word`. */
function isWord(text: string, span: Span, word: string): boolean {
  return text.slice(span.start, span.end).toLowerCase() === word;
}

/** The tokens of text[from, to), comments and whitespace skipped. */
function tokensIn(text: string, from: number, to: number): Span[] {
  const tokens: Span[] = [];
  const end = Math.min(to, text.length);
  for (let i = skipTrivia(text, from); i < end; i = skipTrivia(text, tokens.at(-1)!.end)) tokens.push(tokenAt(text, i));
  return tokens;
}

/**
 * The names written after the words `words` in text[range) (`drop server if exists a, s.b` after
 * `['drop', 'server']`: `a` and `s.b`), for the names a parse tree gives without a location. An
 * `if [not] exists` after the words is skipped; the list ends at the first token that is neither a
 * name nor a comma. Empty when the words are not there.
 */
export function namesAfter(text: string, range: Span, words: readonly string[]): Span[] {
  const tokens = tokensIn(text, range.start, range.end);
  const at = tokens.findIndex((_, i) => words.every((w, j) => tokens[i + j] !== undefined && isWord(text, tokens[i + j]!, w)));
  if (at < 0) return [];
  let i = at + words.length;
  if (tokens[i] && isWord(text, tokens[i]!, 'if')) i += tokens[i + 1] && isWord(text, tokens[i + 1]!, 'not') ? 3 : 2;
  const names: Span[] = [];
  while (tokens[i] && (IDENT_START.test(text[tokens[i]!.start]!) || text[tokens[i]!.start] === '"')) {
    const name = { start: tokens[i]!.start, end: lastNameOfReference(text, tokens[i]!.start).end };
    names.push(name);
    while (tokens[i] && tokens[i]!.start < name.end) i++;
    if (!tokens[i] || !isWord(text, tokens[i]!, ',')) break;
    i++;
  }
  return names;
}
