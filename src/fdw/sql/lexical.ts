// Character-level skips over Postgres's lexical constructs, for the places that scan SQL text
// without the parser: the notebook format's marker search and the language server's token
// extents and keyword context. Offsets are UTF-16 (JS string indices). Each returns the offset
// just after the construct starting at `i`, or the text's length when it is left open.

/** A `--` comment ends at `\n` or, as in PostgreSQL, at `\r`. */
export function lineEnd(text: string, i: number): number {
  COMMENT_END.lastIndex = i;
  return COMMENT_END.exec(text)?.index ?? text.length;
}

const COMMENT_END = /[\r\n]/g;

/** Block comments nest in PostgreSQL. */
export function skipBlockComment(text: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < text.length) {
    if (text.startsWith('/*', j)) {
      depth++;
      j += 2;
    } else if (text.startsWith('*/', j)) {
      depth--;
      j += 2;
      if (depth === 0) return j;
    } else {
      j++;
    }
  }
  return text.length;
}

/** A string or quoted identifier: a quote doubled inside is the quote itself; in an E'' string a backslash escapes the next character. */
export function skipQuoted(text: string, i: number, backslashEscapes = false): number {
  const quote = text[i]!;
  for (let j = i + 1; j < text.length; j++) {
    if (backslashEscapes && text[j] === '\\') {
      j++;
    } else if (text[j] === quote) {
      if (text[j + 1] !== quote) return j + 1;
      j++;
    }
  }
  return text.length;
}

const DOLLAR_DELIMITER = /\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/y;

/** A dollar-quoted body (`$$...$$`, `$tag$...$tag$`); `$1` and a lone `$` open nothing. */
export function skipDollarQuote(text: string, i: number): number {
  DOLLAR_DELIMITER.lastIndex = i;
  const tag = DOLLAR_DELIMITER.exec(text)?.[0];
  if (tag === undefined) return i + 1;
  const close = text.indexOf(tag, i + tag.length);
  return close === -1 ? text.length : close + tag.length;
}

// Identifiers are consumed whole: a `$` inside one (`a$$`) opens nothing, and only a lone E
// before a quote makes an escape string (`E'...'`, not `name'...'`).
const IDENTIFIER = /[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/y;

/** The offset just after the token (or single character) starting at i. */
export function skipSqlToken(text: string, i: number): number {
  switch (text[i]) {
    case '-':
      return text[i + 1] === '-' ? lineEnd(text, i) : i + 1;
    case '/':
      return text[i + 1] === '*' ? skipBlockComment(text, i) : i + 1;
    case "'":
    case '"':
      return skipQuoted(text, i);
    case '$':
      return skipDollarQuote(text, i);
    default: {
      IDENTIFIER.lastIndex = i;
      const word = IDENTIFIER.exec(text)?.[0];
      if (word === undefined) return i + 1;
      const end = i + word.length;
      return (word === 'E' || word === 'e') && text[end] === "'" ? skipQuoted(text, end, true) : end;
    }
  }
}

/**
 * The statement around `offset`: from just after the `;` before it to the `;` after it (or the
 * text's ends). A `;` in a string, comment or dollar-quoted body does not count; a construct left
 * open at the offset (a string being typed) holds it.
 */
export function statementAround(text: string, offset: number): { start: number; end: number } {
  let start = 0;
  let i = 0;
  while (i < text.length) {
    if (text[i] === ';') {
      if (i >= offset) return { start, end: i };
      start = i + 1;
    }
    const next = skipSqlToken(text, i);
    if (next > offset && i < offset && next === text.length) return { start, end: text.length };
    i = next;
  }
  return { start, end: text.length };
}

/** The text with its comments replaced by spaces, line breaks kept: offsets stay the same. */
export function withoutComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const next = skipSqlToken(text, i);
    const token = text.slice(i, next);
    out += token.startsWith('--') || token.startsWith('/*') ? token.replace(/[^\r\n]/g, ' ') : token;
    i = next;
  }
  return out;
}

/** First words of the statements that may change which relations exist or their columns. */
const SCHEMA_CHANGES = new Set(['create', 'drop', 'alter', 'import', 'do', 'call']);

/**
 * Whether a statement of the text may change the database's relations or their columns: DDL, a
 * DO block or CALL, `select ... into`. By its words, without the parser (the extension host has
 * none), so it may say yes to a statement that changes nothing, never no to one that does.
 */
export function mayChangeSchema(text: string): boolean {
  let first: string | undefined;
  let i = 0;
  while (i < text.length) {
    const next = skipSqlToken(text, i);
    const c = text[i]!;
    if (c === ';') first = undefined;
    else if (/[A-Za-z_]/.test(c)) {
      const word = text.slice(i, next).toLowerCase();
      if (first === undefined) {
        first = word;
        if (SCHEMA_CHANGES.has(word)) return true;
      } else if (word === 'into' && (first === 'select' || first === 'with')) return true;
    }
    i = next;
  }
  return false;
}

/**
 * The first `--` line among the comments before a cell's first statement that `pattern` matches
 * (the line without its trailing blanks): how a cell names its result (`-- name:`) and its chart
 * (`-- chart:`).
 */
export function leadingComment(text: string, pattern: RegExp): { start: number; end: number; match: RegExpExecArray } | undefined {
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i]!)) i++;
    else if (text.startsWith('--', i)) {
      const end = lineEnd(text, i);
      const line = text.slice(i, end).trimEnd();
      const match = pattern.exec(line);
      if (match) return { start: i, end: i + line.length, match };
      i = end;
    } else return undefined;
  }
  return undefined;
}
