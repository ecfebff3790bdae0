// A cell's chart choice: a `-- chart: line x=month y=sign_ups,churned series=plan` comment among
// the lines before the cell's first statement, as `-- name: signups` names a result
// (fdw/sql/resultName.ts). A comment keeps the `.clerk.sql` file plain SQL that psql runs, and the
// choice visible and editable in the cell. Column names that are not plain identifiers are
// double-quoted as in SQL (`y="Sign ups"`). Pure: the controller reads it into the result's
// payload, the renderer's choice is written back through `chartCommentEdit` (the grid chosen:
// the line removed).
import { leadingComment, lineEnd } from '../fdw/sql/lexical.js';

export const CHART_TYPES = ['bar', 'line', 'area', 'stacked', 'scatter'] as const;
export type ChartType = (typeof CHART_TYPES)[number];

export interface ChartChoice {
  type: ChartType;
  /** Column names: the x axis, the plotted values, and the column whose values split them into series. */
  x: string;
  y: string[];
  series?: string;
}

const CHART_LINE = /^--\s*chart:(.*)$/i;
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_$]*$/;

/** The choice a `-- chart:` line's text says, or undefined when it is malformed. */
export function parseChartComment(line: string): ChartChoice | undefined {
  const match = CHART_LINE.exec(line.trimEnd());
  if (!match) return undefined;
  const text = match[1]!;
  let i = 0;
  const space = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const name = (): string | undefined => {
    if (text[i] === '"') {
      let out = '';
      for (i++; i < text.length; i++) {
        if (text[i] !== '"') out += text[i];
        else if (text[i + 1] === '"') out += text[i++];
        else {
          i++;
          return out;
        }
      }
      return undefined;
    }
    const m = /^[^\s,="]+/.exec(text.slice(i));
    if (!m) return undefined;
    i += m[0].length;
    return m[0];
  };
  space();
  const type = /^[a-z]+/i.exec(text.slice(i))?.[0].toLowerCase();
  if (!type || !(CHART_TYPES as readonly string[]).includes(type)) return undefined;
  i += type.length;
  const fields: Record<string, string[]> = {};
  for (space(); i < text.length; space()) {
    const key = /^([a-z]+)=/i.exec(text.slice(i));
    if (!key) return undefined;
    i += key[0].length;
    const values: string[] = [];
    do {
      if (text[i] === ',') i++;
      const value = name();
      if (value === undefined) return undefined;
      values.push(value);
    } while (text[i] === ',');
    fields[key[1]!.toLowerCase()] = values;
  }
  const { x, y, series } = fields;
  if (x?.length !== 1 || !y?.length || (series && series.length !== 1)) return undefined;
  return { type: type as ChartType, x: x[0]!, y, ...(series ? { series: series[0]! } : {}) };
}

export function printChartComment(choice: ChartChoice): string {
  const q = (n: string) => (PLAIN_NAME.test(n) ? n : `"${n.replace(/"/g, '""')}"`);
  const series = choice.series !== undefined ? ` series=${q(choice.series)}` : '';
  return `-- chart: ${choice.type} x=${q(choice.x)} y=${choice.y.map(q).join(',')}${series}`;
}

/** The `-- chart:` line among the comments before the cell's first statement: its offsets and what it says. */
export function chartCommentOf(text: string): { start: number; end: number; choice: ChartChoice | undefined } | undefined {
  const found = leadingComment(text, CHART_LINE);
  return found && { start: found.start, end: found.end, choice: parseChartComment(found.match[0]) };
}

/**
 * The edit of a cell's text that makes its chart comment say `choice`: the line replaced, or a
 * first line inserted. `null` is the grid, no comment: the line removed with its line break (an
 * empty edit when there is none).
 */
export function chartCommentEdit(text: string, choice: ChartChoice | null): { start: number; end: number; text: string } {
  const found = chartCommentOf(text);
  if (choice === null) {
    if (!found) return { start: 0, end: 0, text: '' };
    let start = found.start;
    while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
    let end = lineEnd(text, found.end);
    const breakAfter = text.startsWith('\r\n', end) ? 2 : end < text.length ? 1 : 0;
    if (breakAfter > 0) end += breakAfter;
    // The last line: the break before it goes instead.
    else if (start > 0) start -= text.startsWith('\r\n', start - 2) ? 2 : 1;
    return { start, end, text: '' };
  }
  const line = printChartComment(choice);
  return found ? { start: found.start, end: found.end, text: line } : { start: 0, end: 0, text: `${line}\n` };
}
