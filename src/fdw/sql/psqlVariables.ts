// psql's variables in a cell: `\set name value` and `\unset name` meta-commands, and the
// references `:name`, `:'name'` (a string literal) and `:"name"` (a quoted identifier), found
// where psql finds them: outside strings, quoted identifiers, dollar quotes and comments, `::`
// being a cast. So a notebook file still runs in psql, with the same values.
//
// One difference from psql, on purpose: psql splices `:name`'s value into the SQL as text, so a
// value can carry SQL. Here every value is data: `:name` becomes a number when the value is one,
// else a string literal (of unknown type, as a bound parameter would be: `limit :n`,
// `where created_at > :since` work); `:'name'` a string literal and `:"name"` an identifier,
// quoted as psql quotes them.
import { quoteIdent } from './identifiers.js';
import { lineEnd, skipSqlToken } from './lexical.js';

/** `:name`, `:'name'`, `:"name"`. */
export type ReferenceForm = 'value' | 'literal' | 'identifier';

/** UTF-16 offsets into the cell. */
export interface Span {
  start: number;
  end: number;
}

export interface VariableReference extends Span {
  name: string;
  form: ReferenceForm;
}

/** A piece of a `\set` value: text as written (quotes resolved), or a variable's value. */
export type ValuePart = { text: string } | { reference: VariableReference };

export type MetaCommand = (Span & { kind: 'set'; name: string; nameSpan: Span; value: ValuePart[] }) | (Span & { kind: 'unset'; name: string; nameSpan: Span });

/** A meta-command this notebook does not run, or a `\set` it cannot read. */
export interface PsqlProblem extends Span {
  /** A reference to a variable not set (which a --set may still give), or a line the notebook cannot run. */
  kind: 'not-set' | 'unsupported';
  message: string;
  hint?: string;
}

/** What a cell holds of psql, in text order. */
export type PsqlItem = { command: MetaCommand } | { reference: VariableReference } | { problem: PsqlProblem };

const NAME = /[A-Za-z0-9_]+/y;
const VALUE_REFERENCE = /:([A-Za-z_][A-Za-z0-9_]*)/y;
const QUOTED_REFERENCE = /:(['"])([A-Za-z0-9_]+)\1/y;

/** The cell's meta-commands and variable references, in order. */
export function scanPsql(text: string): PsqlItem[] {
  const items: PsqlItem[] = [];
  // Most cells have neither: a plain search is much cheaper than the token walk.
  if (!/[\\:]/.test(text)) return items;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') {
      const end = lineEnd(text, i);
      items.push(metaCommand(text, i, end));
      i = end;
    } else if (c === ':') {
      if (text[i + 1] === ':') {
        i += 2;
        continue;
      }
      const reference = referenceAt(text, i);
      if (reference) items.push({ reference });
      i = reference?.end ?? i + 1;
    } else {
      i = skipSqlToken(text, i);
    }
  }
  return items;
}

function referenceAt(text: string, i: number): VariableReference | undefined {
  QUOTED_REFERENCE.lastIndex = i;
  const quoted = QUOTED_REFERENCE.exec(text);
  if (quoted) return { name: quoted[2]!, form: quoted[1] === "'" ? 'literal' : 'identifier', start: i, end: i + quoted[0].length };
  VALUE_REFERENCE.lastIndex = i;
  const plain = VALUE_REFERENCE.exec(text);
  return plain ? { name: plain[1]!, form: 'value', start: i, end: i + plain[0].length } : undefined;
}

function metaCommand(text: string, start: number, end: number): PsqlItem {
  const word = /^\\[A-Za-z]*/.exec(text.slice(start, end))![0];
  const span = { start, end };
  if (word !== '\\set' && word !== '\\unset') {
    return {
      problem: {
        ...span,
        kind: 'unsupported',
        message: `psql meta-command "${word === '\\' ? text.slice(start, Math.min(end, start + 2)) : word}" is not supported in a notebook`,
        hint: 'A notebook runs \\set and \\unset; the other psql meta-commands work only in psql.',
      },
    };
  }
  let i = skipSpaces(text, start + word.length, end);
  NAME.lastIndex = i;
  const name = i < end ? NAME.exec(text)?.[0] : undefined;
  if (name === undefined || !/[\s]|^$/.test(text.slice(i + name.length, i + name.length + 1))) {
    return {
      problem: {
        ...span,
        kind: 'unsupported',
        message: `${word} needs a variable name (letters, digits and underscores)`,
        hint: `For example: ${word} since${word === '\\set' ? " '2025-01-01'" : ''}`,
      },
    };
  }
  const nameSpan = { start: i, end: i + name.length };
  i = skipSpaces(text, nameSpan.end, end);
  if (word === '\\unset') {
    return i < end
      ? { problem: { ...span, kind: 'unsupported', message: `\\unset takes one variable name; found "${text.slice(i, end).trim()}" after it` } }
      : { command: { ...span, kind: 'unset', name, nameSpan } };
  }
  const value = setValue(text, i, end);
  return 'problem' in value ? { problem: { ...span, ...value.problem } } : { command: { ...span, kind: 'set', name, nameSpan, value: value.parts } };
}

function skipSpaces(text: string, i: number, end: number): number {
  while (i < end && /\s/.test(text[i]!)) i++;
  return i;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', b: '\b', r: '\r', f: '\f' };

/**
 * psql's reading of `\set`'s arguments: they are concatenated (`\set x a b` is "ab"); in single
 * quotes `''` is a quote and a backslash escapes (`\n`, `\t`, octal...), double quotes are kept;
 * `:name` forms take a variable's value. Backquotes run a shell command in psql: refused.
 */
function setValue(text: string, i: number, end: number): { parts: ValuePart[] } | { problem: Omit<PsqlProblem, 'start' | 'end'> } {
  const unsupported = (message: string, hint: string) => ({ problem: { kind: 'unsupported' as const, message, hint } });
  const parts: ValuePart[] = [];
  const add = (s: string) => {
    const last = parts.at(-1);
    if (last && 'text' in last) last.text += s;
    else parts.push({ text: s });
  };
  while (i < end) {
    const c = text[i]!;
    if (/\s/.test(c)) i++;
    else if (c === '`') return unsupported('\\set with a backquoted shell command is not supported in a notebook', 'Give the value itself.');
    else if (c === "'") {
      let j = i + 1;
      let closed = false;
      while (j < end) {
        const d = text[j]!;
        if (d === "'" && text[j + 1] === "'") {
          add("'");
          j += 2;
        } else if (d === "'") {
          closed = true;
          j++;
          break;
        } else if (d === '\\' && j + 1 < end) {
          const octal = /^[0-7]{1,3}/.exec(text.slice(j + 1, Math.min(end, j + 4)))?.[0];
          if (octal) add(String.fromCharCode(parseInt(octal, 8)));
          else add(ESCAPES[text[j + 1]!] ?? text[j + 1]!);
          j += 1 + (octal?.length ?? 1);
        } else {
          add(d);
          j++;
        }
      }
      if (!closed) return unsupported('unterminated quoted string in \\set', "Close the value's quote on the same line.");
      i = j;
    } else if (c === '"') {
      const close = text.indexOf('"', i + 1);
      const stop = close === -1 || close >= end ? end : close + 1;
      add(text.slice(i, stop));
      i = stop;
    } else if (c === ':' && referenceAt(text, i)) {
      const reference = referenceAt(text, i)!;
      parts.push({ reference });
      i = reference.end;
    } else {
      let j = i;
      while (j < end && !/[\s'"`:]/.test(text[j]!)) j++;
      add(text.slice(i, Math.max(j, i + 1)));
      i = Math.max(j, i + 1);
    }
  }
  return { parts };
}

/** psql's PQescapeLiteral: quotes doubled; with a backslash, an E'' string with backslashes doubled (safe whatever standard_conforming_strings is). */
export function quoteLiteral(value: string): string {
  const quoted = `'${value.replaceAll("'", "''")}'`;
  return value.includes('\\') ? ` E${quoted.replaceAll('\\', '\\\\')}` : quoted;
}

const NUMBER = /^[0-9]+(\.[0-9]+)?$/;

/** The SQL a reference becomes: always a literal or an identifier, never SQL text. */
export function referenceSql(form: ReferenceForm, value: string): string {
  if (form === 'identifier') return quoteIdent(value);
  return form === 'value' && NUMBER.test(value) ? value : quoteLiteral(value);
}

/** Maps offsets of an expanded text back to the cell's. */
export class OffsetMap {
  /** Replaced ranges, in order: [cell start, cell end, expanded start, expanded end]. */
  constructor(private readonly replaced: readonly (readonly [number, number, number, number])[]) {}

  toCell(offset: number): number {
    let shift = 0;
    for (const [start, end, from, to] of this.replaced) {
      if (offset < from) break;
      if (offset < to) return start;
      shift = end - to;
    }
    return offset + shift;
  }
}

export interface Expansion {
  /** The SQL to run: meta-commands blanked out, references replaced by their values. */
  sql: string;
  map: OffsetMap;
  problems: PsqlProblem[];
  /** Every reference outside a meta-command, with the value it had there (none: not set). */
  references: { reference: VariableReference; value: string | undefined }[];
}

/**
 * The cell's SQL with its variables' values (`items`: its psql items, when already scanned),
 * `\set` and `\unset` applied to `variables` in text order (a reference after a `\set` sees its value). Names in `fixed` keep their value (given on
 * the command line, which wins over the notebook's `\set`). A reference to a variable that is not
 * set is a problem: psql would leave the text as is, to fail or mean something else in SQL.
 */
export function expandPsql(
  text: string,
  variables: Map<string, string>,
  fixed: ReadonlySet<string> = new Set(),
  items: readonly PsqlItem[] = scanPsql(text),
): Expansion {
  const problems: PsqlProblem[] = [];
  const references: Expansion['references'] = [];
  const replaced: [number, number, number, number][] = [];
  let sql = '';
  let copied = 0;
  const valueOf = (reference: VariableReference): string | undefined => {
    const value = variables.get(reference.name);
    if (value === undefined)
      problems.push({ ...reference, kind: 'not-set', message: `variable "${reference.name}" is not set`, hint: unsetHint(reference.name) });
    return value;
  };
  const replace = (span: Span, by: string) => {
    sql += text.slice(copied, span.start);
    replaced.push([span.start, span.end, sql.length, sql.length + by.length]);
    sql += by;
    copied = span.end;
  };
  for (const item of items) {
    if ('problem' in item) problems.push(item.problem);
    else if ('reference' in item) {
      const value = valueOf(item.reference);
      references.push({ reference: item.reference, value });
      if (value !== undefined) replace(item.reference, referenceSql(item.reference.form, value));
    } else {
      const { command } = item;
      // Blanked with spaces, so that the positions after it stay those of the cell.
      replace(command, ' '.repeat(command.end - command.start));
      if (fixed.has(command.name)) continue;
      if (command.kind === 'unset') variables.delete(command.name);
      else {
        // In a meta-command, psql puts the value itself for `:name`, and quotes it for the other forms.
        const parts = command.value.map((part) => {
          if ('text' in part) return part.text;
          const value = valueOf(part.reference) ?? '';
          return part.reference.form === 'value' ? value : referenceSql(part.reference.form, value);
        });
        variables.set(command.name, parts.join(''));
      }
    }
  }
  sql += text.slice(copied);
  return { sql, map: new OffsetMap(replaced), problems, references };
}

export function unsetHint(name: string): string {
  return `Set it in an earlier line or cell: \\set ${name} <value> (or with clerk-notebook run --set ${name}=<value>).`;
}

/**
 * The cell with each reference replaced by a placeholder of the same length that parses where
 * the reference does (a string literal, or a quoted identifier), and meta-commands by spaces: the
 * editor (analysis, the key commands) parses this, so every offset stays the cell's.
 */
export function maskPsql(text: string, items: readonly PsqlItem[] = scanPsql(text)): string {
  if (items.length === 0) return text;
  let out = '';
  let copied = 0;
  for (const item of items) {
    const span = 'command' in item ? item.command : 'reference' in item ? item.reference : item.problem;
    const length = span.end - span.start;
    const quote = 'reference' in item ? (item.reference.form === 'identifier' ? '"' : "'") : undefined;
    out += text.slice(copied, span.start) + (quote ? quote + 'x'.repeat(length - 2) + quote : ' '.repeat(length));
    copied = span.end;
  }
  return out + text.slice(copied);
}
