// Parses a notebook cell with the real Postgres parser (libpg-query, WASM) into statements, each
// with its AST or its syntax error, and its range in the cell.
//
// Postgres rejects a whole multi-statement string when any statement has a syntax error. A
// notebook cell is better served by knowing every statement: when the cell does not parse as a
// whole, it is split at the scanner's `;` tokens and each statement is parsed on its own, so the
// statements before and after a bad one still get their ASTs, and every bad one gets its error.
// A caller that executes cells should still run nothing from a cell whose `errors` is not empty:
// the user sees all syntax errors at once, before any statement has had side effects (psql, which
// splits client-side, would run statements 1 and 2 before failing on 3).

import { loadModule, parseSync, scanSync, type Node, type RawStmt } from 'libpg-query';
import { SourceText, wellFormed, type TextPosition } from './sourceText.js';
import { splitAtSemicolons, trimToTokens, type ByteSpan, type Token } from './split.js';

export interface SqlSyntaxError {
  /** Postgres's message, e.g. `syntax error at or near "frm"`. */
  message: string;
  /** SQLSTATE when it is not syntax_error (42601). */
  code?: string;
  /** Where Postgres's error cursor points. */
  position: TextPosition;
  statementIndex: number;
}

interface StatementBase {
  index: number;
  /** Range of the statement in the cell, without surrounding comments and the closing `;`. */
  start: TextPosition;
  end: TextPosition;
  text: string;
}

export interface ValidStatement extends StatementBase {
  ok: true;
  /** The statement node, e.g. `{ SelectStmt: {...} }`. Its `location` fields are UTF-8 byte offsets into the whole cell. */
  ast: Node;
}

export interface InvalidStatement extends StatementBase {
  ok: false;
  error: SqlSyntaxError;
}

export type ParsedStatement = ValidStatement | InvalidStatement;

export interface ParsedCell {
  source: SourceText;
  statements: ParsedStatement[];
  errors: SqlSyntaxError[];
}

// Postgres's words for a NUL in any text it is given.
const NUL_MESSAGE = 'invalid byte sequence for encoding "UTF8": 0x00';
const CHARACTER_NOT_IN_REPERTOIRE = '22021';

interface CursorError {
  message: string;
  /** 0-based code point offset; libpg-query has already made Postgres's 1-based cursor 0-based. */
  cursor: number;
}

/** Load once with `await SqlParser.load()` (instantiates the WASM module); parsing is then synchronous. */
export class SqlParser {
  private constructor() {}

  static async load(): Promise<SqlParser> {
    await loadModule();
    return new SqlParser();
  }

  parse(text: string): ParsedCell {
    const source = new SourceText(text);
    // Same UTF-16 length as `text`, so every offset computed on one holds for the other. A NUL
    // would end the text for the parser (a C string), silently dropping what follows: it is
    // parsed as a space and is an error at its place, as Postgres refuses it in any text.
    const nul = text.indexOf('\0');
    const input = wellFormed(text).replaceAll('\0', ' ');
    if (!/\S/.test(input) && nul === -1) return { source, statements: [], errors: [] };

    const whole = attempt(() => parseSync(input).stmts ?? []);
    let statements = whole.ok ? splitParsed(whole.value, input, source) : splitFailed(whole.error, input, source);
    if (nul !== -1) statements = markFailure(statements, { message: NUL_MESSAGE, code: CHARACTER_NOT_IN_REPERTOIRE }, source.positionAt(nul), source);
    // Numbered here, once the list is final.
    statements.forEach((statement, index) => {
      statement.index = index;
      if (!statement.ok) statement.error.statementIndex = index;
    });
    const errors = statements.flatMap((statement) => (statement.ok ? [] : [statement.error]));
    return { source, statements, errors };
  }
}

function splitParsed(raws: readonly RawStmt[], input: string, source: SourceText): ParsedStatement[] {
  const tokens = scan(input, source, undefined);
  return raws.flatMap((raw): ParsedStatement[] =>
    raw.stmt ? [{ ...statementBase(rawStatementSpan(raw, tokens, source.byteLength), source), ok: true, ast: raw.stmt }] : [],
  );
}

function splitFailed(error: CursorError, input: string, source: SourceText): ParsedStatement[] {
  const tokens = scan(input, source, error);
  const statements = splitAtSemicolons(tokens).map((span) => parseAlone(span, input, source));
  return statements.some((statement) => !statement.ok) ? statements : markFailure(statements, error, source.positionOfCodePoint(error.cursor), source);
}

// Parses one statement in place: everything before it is replaced by as many spaces as it has
// bytes, so the AST's byte locations are offsets into the whole cell without any rewriting.
function parseAlone(span: ByteSpan, input: string, source: SourceText): ParsedStatement {
  const base = statementBase(span, source);
  const text = input.slice(base.start.offset, base.end.offset);
  const result = attempt(() => parseSync(' '.repeat(span.start) + text).stmts ?? []);
  if (result.ok) {
    const ast = result.value[0]?.stmt;
    return ast ? { ...base, ok: true, ast } : invalid(base, 'empty statement', base.start);
  }
  // The padding is one code point per byte, so the cursor's code points past it are inside the statement.
  const inStatement = new SourceText(text).offsetOfCodePoint(Math.max(0, result.error.cursor - span.start));
  return invalid(base, result.error.message, source.positionAt(base.start.offset + inStatement));
}

function invalid({ index, start, end, text }: StatementBase, message: string, position: TextPosition, code?: string): InvalidStatement {
  return { index, start, end, text, ok: false, error: { message, position, statementIndex: index, ...(code ? { code } : {}) } };
}

function statementBase(span: ByteSpan, source: SourceText): StatementBase {
  const start = source.positionOfByte(span.start);
  const end = source.positionOfByte(span.end);
  return { index: 0, start, end, text: source.text.slice(start.offset, end.offset) };
}

function rawStatementSpan(raw: RawStmt, tokens: readonly Token[], byteLength: number): ByteSpan {
  // libpg-query's JSON leaves out zero values: no stmt_location is 0, no stmt_len is "to the end".
  const start = raw.stmt_location ?? 0;
  const end = raw.stmt_len ? start + raw.stmt_len : byteLength;
  return trimToTokens(tokens, start, end) ?? { start, end };
}

/**
 * The scanner's tokens. Scanning fails on an unterminated literal or comment, which by definition
 * runs to the end of the text: the text is then scanned up to the parser's error cursor, and the
 * rest becomes one token. (If the parser stopped at an earlier syntax error, the rest from there
 * on is one statement, reported with that error.)
 */
function scan(input: string, source: SourceText, parseError: CursorError | undefined): Token[] {
  const whole = attempt(() => toTokens(scanSync(input).tokens));
  if (whole.ok || !parseError) return whole.ok ? whole.value : [];
  const stop = source.offsetOfCodePoint(parseError.cursor);
  const prefix = input.slice(0, stop);
  const before = /\S/.test(prefix) ? attempt(() => toTokens(scanSync(prefix).tokens)) : { ok: true as const, value: [] };
  const rest: Token = { start: source.byteOfOffset(stop), end: source.byteLength, kind: 'other' };
  return [...(before.ok ? before.value : []), rest];
}

function toTokens(tokens: readonly { start: number; end: number; tokenName: string; text: string }[]): Token[] {
  return tokens.map(({ start, end, tokenName, text }) => ({
    start,
    end,
    kind: tokenName === 'SQL_COMMENT' || tokenName === 'C_COMMENT' ? 'comment' : text === ';' ? 'semicolon' : 'other',
  }));
}

// Keeps the promise that a cell which fails to parse as a whole reports an error, even when each
// piece parsed alone (e.g. a split inside a BEGIN ATOMIC body): the piece holding the cursor
// carries it. The same for an error found outside the parser (a NUL).
function markFailure(statements: ParsedStatement[], error: { message: string; code?: string }, position: TextPosition, source: SourceText): ParsedStatement[] {
  if (statements.length === 0) {
    return [invalid(statementBase({ start: 0, end: source.byteLength }, source), error.message, position, error.code)];
  }
  let holder = 0;
  statements.forEach((statement, index) => {
    if (statement.start.offset <= position.offset) holder = index;
  });
  return statements.map((statement, index) => (index === holder ? invalid(statement, error.message, position, error.code) : statement));
}

type Attempt<T> = { ok: true; value: T } | { ok: false; error: CursorError };

// libpg-query reports syntax errors by throwing SqlError; anything else it throws (e.g. a failure
// inside the WASM module) is reported the same way, at the start, rather than escaping.
function attempt<T>(run: () => T): Attempt<T> {
  try {
    return { ok: true, value: run() };
  } catch (error) {
    const details = (error as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { message, cursor: details?.cursorPosition ?? 0 } };
  }
}
