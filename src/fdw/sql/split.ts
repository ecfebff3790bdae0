// Statement boundaries from the Postgres scanner's tokens. Working on tokens rather than characters
// means semicolons inside string literals, dollar-quoted bodies, quoted identifiers and comments
// never split a statement, and a statement's range can be trimmed of surrounding comments.

/** A half-open range of UTF-8 byte offsets, as libpg-query reports them. */
export interface ByteSpan {
  start: number;
  end: number;
}

export interface Token extends ByteSpan {
  kind: 'comment' | 'semicolon' | 'other';
}

/** Splits at every `;` token; each statement spans its first to last non-comment token. Empty statements are dropped. */
export function splitAtSemicolons(tokens: readonly Token[]): ByteSpan[] {
  const spans: ByteSpan[] = [];
  let current: ByteSpan | undefined;
  for (const token of tokens) {
    if (token.kind === 'semicolon') {
      if (current) spans.push(current);
      current = undefined;
    } else if (token.kind === 'other') {
      current = current ? { start: current.start, end: token.end } : { start: token.start, end: token.end };
    }
  }
  if (current) spans.push(current);
  return spans;
}

/**
 * Narrows [start, end) to the statement tokens inside it. Postgres's own statement ranges
 * (stmt_location, stmt_len) begin right after the previous semicolon, so they include the
 * whitespace and comments between statements.
 */
export function trimToTokens(tokens: readonly Token[], start: number, end: number): ByteSpan | undefined {
  let span: ByteSpan | undefined;
  for (const token of tokens) {
    if (token.start < start || token.end > end || token.kind !== 'other') continue;
    span = span ? { start: span.start, end: token.end } : { start: token.start, end: token.end };
  }
  return span;
}
