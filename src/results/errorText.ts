// A cell's error as people read it, the same in the notebook's output and the CLI: Postgres's
// message first, then the offending line with a caret under the position (as psql prints
// `LINE 3: ...`), DETAIL and HINT, and last where it is: cell, line and column, statement,
// SQLSTATE.
import type { SqlErrorFields } from '../fdw/runtime/sqlError.js';
import { KEY_SHAPE, MASKED_KEY } from '../fdw/clerk/errors.js';

export interface ErrorPlace {
  /** The cell's text, to quote the line the position points at. */
  text?: string;
  /** 0-based statement of the cell that failed. */
  statement?: number;
  /** How the cell is named, e.g. `cell [5] "Sign-ups per month"` or `report.clerk.sql cell 3`. */
  cell?: string;
  /** Lines before the cell in its file, to say the file line too (the CLI). */
  lineOffset?: number;
}

/** Lines longer than this are shown as a window around the position, as psql does. */
const MAX_LINE = 100;

export function errorText(err: SqlErrorFields, place: ErrorPlace = {}): string {
  const lines = [`ERROR:  ${err.message}`];
  const quoted = place.text !== undefined && err.position ? quoteLine(place.text, err.position.line, err.position.character) : undefined;
  if (quoted) lines.push(...quoted);
  if (err.detail) lines.push(`DETAIL:  ${err.detail}`);
  if (err.hint) lines.push(`HINT:  ${err.hint}`);
  lines.push(errorPlace(err, place));
  return lines.join('\n');
}

/** "at cell [5], line 3, column 8 · statement 2 · SQLSTATE 42703" */
export function errorPlace(err: SqlErrorFields, place: ErrorPlace = {}): string {
  const at = [place.cell];
  if (err.position) {
    const fileLine = place.lineOffset !== undefined ? ` (file line ${err.position.line + place.lineOffset + 1})` : '';
    at.push(`line ${err.position.line + 1}, column ${err.position.character + 1}${fileLine}`);
  }
  const where = at.filter(Boolean).join(', ');
  const parts = [where && `at ${where}`, place.statement !== undefined ? `statement ${place.statement + 1}` : '', `SQLSTATE ${err.code}`];
  return parts.filter(Boolean).join(' · ');
}

/** `LINE 3: select emial from t` and a caret under column `character` (0-based). */
function quoteLine(text: string, line: number, at: number): string[] | undefined {
  const written = text.split(/\r\n|\r|\n/)[line];
  if (written === undefined) return undefined;
  const { source, character } = withoutKeys(written, at);
  let from = 0;
  let to = source.length;
  if (source.length > MAX_LINE) {
    from = Math.max(0, Math.min(character - MAX_LINE / 2, source.length - MAX_LINE));
    to = from + MAX_LINE;
  }
  const prefix = `LINE ${line + 1}: ${from > 0 ? '...' : ''}`;
  const shown = source.slice(from, to) + (to < source.length ? '...' : '');
  // Tabs stay tabs under the line, so the caret lands under the character however tabs are drawn.
  const lead = source.slice(from, Math.max(from, Math.min(character, source.length))).replace(/[^\t]/g, ' ');
  return [prefix + shown, ' '.repeat(prefix.length) + lead + '^'];
}

/**
 * The line with anything shaped like a Clerk key masked (the cell's own text is quoted, and an
 * error in a statement that does not parse points right at the key), and where the caret goes in
 * it: inside a key, at the key's start.
 */
function withoutKeys(line: string, character: number): { source: string; character: number } {
  let source = '';
  let caret: number | undefined;
  let last = 0;
  for (const m of line.matchAll(KEY_SHAPE)) {
    if (caret === undefined && character < m.index) caret = source.length + character - last;
    source += line.slice(last, m.index);
    if (caret === undefined && character < m.index + m[0].length) caret = source.length;
    source += m[0].replace(KEY_SHAPE, MASKED_KEY);
    last = m.index + m[0].length;
  }
  caret ??= source.length + character - last;
  return { source: source + line.slice(last), character: caret };
}
