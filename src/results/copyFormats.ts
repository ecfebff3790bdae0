// Cells copied from the grid, with their column names, as text for the clipboard: TSV (what a
// spreadsheet pastes: the values as the grid shows them, whole), or the export formats' CSV, JSON
// (an array of objects) and Markdown of the same cells. Works on the grid's rows, Postgres's text of
// each value (null: NULL). Pure: no DOM, no vscode.
import { csvHeader, csvLine, jsonRow, markdownHeader, markdownLine } from './formats.js';
import { parsePgArray, type PgArray } from './pgArray.js';
import { shownText } from './valueText.js';
import { columnKind, type ViewColumn } from './view.js';

export const COPY_FORMATS = ['tsv', 'csv', 'json', 'markdown'] as const;
export type CopyFormat = (typeof COPY_FORMATS)[number];
export const COPY_FORMAT_NAMES: Record<CopyFormat, string> = { tsv: 'TSV', csv: 'CSV', json: 'JSON', markdown: 'Markdown' };

type TextRow = readonly (string | null)[];

/** The cells `rows` (of `columns`) as `format`, a header first. */
export function copyText(format: CopyFormat, columns: readonly ViewColumn[], rows: readonly TextRow[]): string {
  switch (format) {
    case 'tsv': {
      const kinds = columns.map((c) => columnKind(c.type));
      const line = (texts: TextRow) => texts.map((t, i) => tsvField(t === null ? '' : shownText(t, kinds[i]!))).join('\t');
      return [line(columns.map((c) => c.name)), ...rows.map(line)].join('\n') + '\n';
    }
    case 'csv':
      return csvHeader(columns) + rows.map(csvLine).join('');
    case 'json': {
      const objects = rows.map((row) =>
        jsonRow(
          columns,
          row.map((t, i) => jsonValue(t, columns[i]!.type)),
        ),
      );
      return objects.length === 0 ? '[]\n' : `[\n${objects.join(',\n')}\n]\n`;
    }
    case 'markdown':
      return markdownHeader(columns) + rows.map(markdownLine).join('');
  }
}

/**
 * A field as spreadsheets read pasted TSV: quoted, `"` doubled, when it holds a tab or a line
 * break (else it would split into cells or rows) or starts with a quote (else read as quoted).
 */
export function tsvField(text: string): string {
  return /[\t\r\n]|^"/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * A value's text decoded as the runtime decodes it (protocol.ts), so that its JSON is the
 * export's (jsonRow): integers exact (BigInt), floats as numbers, numeric as text (exact),
 * booleans, JSON parsed, arrays as arrays of their elements so decoded; the rest (dates, bytea)
 * as Postgres's text.
 */
function jsonValue(text: string | null, type: string): unknown {
  if (text === null) return null;
  const t = type.toLowerCase();
  if (t.endsWith('[]')) {
    const items = parsePgArray(text);
    const element = t.slice(0, -2);
    const decode = (list: PgArray): unknown[] => list.map((item) => (Array.isArray(item) ? decode(item) : jsonValue(item, element)));
    return items ? decode(items) : text;
  }
  if (/^(smallint|integer|bigint|int[248]?|oid)$/.test(t)) return BigInt(text);
  if (/^(real|double precision|float[48])$/.test(t)) return Number(text);
  if (t === 'boolean' || t === 'bool') return text === 't';
  if (t === 'json' || t === 'jsonb') return JSON.parse(text);
  return text;
}
