// The `*.clerk.sql` notebook file format: a plain SQL file whose cells are separated by lines
// starting `-- %%`, so the file runs as-is in psql, diffs cleanly in git and stores no outputs.
//
//   select 1;                          <- text before the first marker: a code cell
//   -- %% [markdown] Intro             <- a markdown cell, titled "Intro"
//   -- # Sign-ups                         its lines are `-- ` comments; a bare `--` is an empty line
//   --
//   -- %% Sign-ups per month           <- a code cell, titled "Sign-ups per month"
//   select date_trunc('month', ...)
//
// Pure (no `vscode` import): the VS Code serializer and the headless CLI share it.
//
// A line is a marker only where psql would read it as a `--` comment: a `-- %%` line inside a
// string, quoted identifier, dollar quote or block comment of the SQL is part of that SQL. The
// flip side is psql's too: a cell that leaves such a construct open swallows the markers after
// it until the construct closes. A `-- %%` line typed at the top level of a code cell is a
// marker on the next parse: that is how a cell is split in the text.
//
// Saving is byte-exact: every parsed cell carries its exact text (`metadata.raw`), written back
// as long as the cell still decodes to the same kind, title and source. An edited, moved or new
// cell is rendered in the file's dominant line ending.

import { lineEnd, skipSqlToken } from '../fdw/sql/lexical.js';

export type CellKind = 'code' | 'markdown';
export type Eol = '\n' | '\r\n';

export interface CellMetadata {
  /** Text after `-- %%` (and after `[markdown]`) on the cell's marker line. */
  title?: string;
  /** The cell's exact text in the file as parsed: marker line, body, trailing blank lines and line endings. */
  raw?: string;
}

export interface NotebookCell {
  kind: CellKind;
  /** What the cell editor shows: no marker line, markdown without its `-- ` prefixes, `\n` line endings. */
  source: string;
  metadata?: CellMetadata;
}

export interface NotebookMetadata {
  /** The file started with a UTF-8 byte order mark. */
  bom?: boolean;
  /** The file's dominant line ending, used for edited and new cells. */
  eol?: Eol;
}

export interface NotebookData {
  cells: NotebookCell[];
  metadata?: NotebookMetadata;
}

/** A code cell as the CLI runs it. */
export interface RunnableCell {
  /** 1-based position among all cells, markdown included, as the notebook numbers them. */
  index: number;
  title: string | undefined;
  source: string;
  /**
   * Lines of the file before the cell's first source line: line L (1-based) of the source is
   * line L + lineOffset of the file (not counting a BOM); columns are the same in both.
   */
  lineOffset: number;
}

const MARKER = '-- %%';
const MARKDOWN_TAG = '[markdown]';
const BOM = '\uFEFF';

export function parseNotebook(text: string): NotebookData {
  const bom = text.startsWith(BOM);
  const body = bom ? text.slice(BOM.length) : text;
  const cells = splitCells(body).map(({ raw }): NotebookCell => {
    const cell = decodeCell(raw);
    const metadata: CellMetadata = cell.title === undefined ? { raw } : { title: cell.title, raw };
    return { kind: cell.kind, source: cell.source, metadata };
  });
  return { cells, metadata: { bom, eol: dominantEol(body) } };
}

export function serializeNotebook(data: NotebookData): string {
  const eol = data.metadata?.eol ?? '\n';
  let out = '';
  data.cells.forEach((cell, i) => {
    // A marker must start a line, and the previous cell may have been the file's last one,
    // written without a final newline.
    if (out !== '' && !endsWithLineBreak(out)) out += eol;
    out += writeCell(cell, i === 0, eol);
  });
  return (data.metadata?.bom ? BOM : '') + out;
}

/** The code cells of a notebook file, with where each one's source starts in the file. */
export function cellsForRun(text: string): RunnableCell[] {
  const body = text.startsWith(BOM) ? text.slice(BOM.length) : text;
  return splitCells(body).flatMap(({ raw, line }, i): RunnableCell[] => {
    const cell = decodeCell(raw);
    if (cell.kind !== 'code') return [];
    const lineOffset = line + (cell.marker === null ? 0 : 1);
    return [{ index: i + 1, title: cell.title, source: cell.source, lineOffset }];
  });
}

interface CellText {
  raw: string;
  /** 0-based line of the file on which the cell starts. */
  line: number;
}

function splitCells(body: string): CellText[] {
  const starts = markerOffsets(body);
  if (starts[0] !== 0) starts.unshift(0);
  const cells: CellText[] = [];
  let line = 0;
  starts.forEach((start, i) => {
    const raw = body.slice(start, starts[i + 1] ?? body.length);
    // Only the text before the first marker can be empty, and then it is no cell.
    if (raw === '') return;
    cells.push({ raw, line });
    line += countLineBreaks(raw);
  });
  return cells;
}

interface DecodedCell {
  kind: CellKind;
  title: string | undefined;
  source: string;
  /** The marker line as written, or null for the text before the first marker. */
  marker: string | null;
  /** Empty lines after the source (the usual gap before the next marker), kept when the cell is rewritten. */
  blankLines: number;
  endsWithEol: boolean;
}

function decodeCell(raw: string): DecodedCell {
  const lines = splitLines(raw);
  // The text before the first marker cannot start with one: the scan would have found it.
  const header = lines[0] === undefined ? undefined : parseMarker(lines[0]);
  const body = header ? lines.slice(1) : lines;
  let end = body.length;
  while (end > 0 && body[end - 1] === '') end--;
  const content = body.slice(0, end);
  const kind = header?.kind ?? 'code';
  return {
    kind,
    title: header?.title,
    source: (kind === 'markdown' ? content.map(decodeMarkdownLine) : content).join('\n'),
    marker: header ? (lines[0] ?? null) : null,
    blankLines: body.length - end,
    endsWithEol: endsWithLineBreak(raw),
  };
}

function writeCell(cell: NotebookCell, first: boolean, eol: Eol): string {
  const raw = cell.metadata?.raw;
  const original = raw === undefined ? undefined : decodeCell(raw);
  const title = normalizeTitle(cell.metadata?.title);
  // The editor may hand back other line breaks than the `\n` of decoded sources: that is no edit.
  const source = cell.source.replace(LINE_BREAK, '\n');
  const sameHeader = original !== undefined && original.kind === cell.kind && original.title === title;
  // Text before the first marker has no marker line, so it is only itself at the top of the file.
  if (raw !== undefined && sameHeader && original.source === source && (first || original.marker !== null)) {
    return raw;
  }
  // Without a marker an empty cell would vanish on the next parse.
  const markerless = first && original?.marker === null && sameHeader && source !== '';
  const marker = sameHeader && original.marker !== null ? original.marker : renderMarker(cell.kind, title);
  const sourceLines = source === '' ? [] : source.split('\n');
  const lines = [
    ...(markerless ? [] : [marker]),
    ...(cell.kind === 'markdown' ? sourceLines.map(encodeMarkdownLine) : sourceLines),
    ...new Array<string>(original?.blankLines ?? 0).fill(''),
  ];
  return lines.join(eol) + ((original?.endsWithEol ?? true) ? eol : '');
}

function parseMarker(line: string): { kind: CellKind; title: string | undefined } | undefined {
  if (!line.startsWith(MARKER)) return undefined;
  const rest = line.slice(MARKER.length).trim();
  return rest.startsWith(MARKDOWN_TAG)
    ? { kind: 'markdown', title: normalizeTitle(rest.slice(MARKDOWN_TAG.length)) }
    : { kind: 'code', title: normalizeTitle(rest) };
}

function renderMarker(kind: CellKind, title: string | undefined): string {
  return [MARKER, ...(kind === 'markdown' ? [MARKDOWN_TAG] : []), ...(title === undefined ? [] : [title])].join(' ');
}

/** A title lives on the marker line, so it cannot hold line breaks nor keep outer spaces. */
function normalizeTitle(title: string | undefined): string | undefined {
  const normalized = title?.replace(/[\r\n]+/g, ' ').trim();
  return normalized === '' ? undefined : normalized;
}

// A markdown line starting `%%` would be written as a marker line, so it is escaped with a
// backslash; one more backslash keeps the escape reversible for lines that start `\%%`.
const ESCAPED = /^\\+%%/;
const NEEDS_ESCAPE = /^\\*%%/;

function encodeMarkdownLine(line: string): string {
  if (line === '') return '--';
  return `-- ${NEEDS_ESCAPE.test(line) ? `\\${line}` : line}`;
}

/** Lenient with hand-written files: `--text` reads as `text`, and a non-comment line is shown as it is. */
function decodeMarkdownLine(line: string): string {
  if (!line.startsWith('--')) return line;
  const text = line.slice(line.startsWith('-- ') ? 3 : 2);
  return ESCAPED.test(text) ? text.slice(1) : text;
}

// A lone `\r` ends a line too, as it does for PostgreSQL's `--` comments and for VS Code.
const LINE_BREAK = /\r\n|\r|\n/g;

/** Lines without their line breaks. */
function splitLines(raw: string): string[] {
  const lines = raw.split(LINE_BREAK);
  // After a final line break comes no line, only an empty string.
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function endsWithLineBreak(text: string): boolean {
  return text.endsWith('\n') || text.endsWith('\r');
}

function countLineBreaks(text: string): number {
  return text.match(LINE_BREAK)?.length ?? 0;
}

/** CRLF if it ends more lines than LF does; a lone `\r` is too rare to be a style to write. */
function dominantEol(text: string): Eol {
  const crlf = text.match(/\r\n/g)?.length ?? 0;
  const lf = text.match(/(?<!\r)\n/g)?.length ?? 0;
  return crlf > lf ? '\r\n' : '\n';
}

// ---- The lexer: just enough of PostgreSQL's (and psql's) to know where `--` comments start.

/** Offsets of the marker lines: lines starting `-- %%` that are outside any SQL construct. */
function markerOffsets(text: string): number[] {
  const offsets: number[] = [];
  // Every position the loop stops at is outside strings and comments.
  for (let i = 0; i < text.length; i = skipToken(text, i)) {
    if ((i === 0 || text[i - 1] === '\n' || text[i - 1] === '\r') && text.startsWith(MARKER, i)) offsets.push(i);
  }
  return offsets;
}

/** The offset just after the token at i; a psql meta-command (`\set`, `\echo ...`) runs to the end of its line, quotes included. */
function skipToken(text: string, i: number): number {
  return text[i] === '\\' ? lineEnd(text, i) : skipSqlToken(text, i);
}
