// The JSON output items the renderer draws, and the messages it sends back (no vscode import:
// shared with the renderer and the tests).
import type { StatementResult } from '../fdw/runtime/runtime.js';
import type { KeyTarget } from '../fdw/runtime/sqlError.js';
import type { Column } from '../fdw/db/protocol.js';
import type { ChartChoice } from './chartComment.js';
import type { ChartColumns, ChartRows } from './chartRows.js';
import { pgText } from './valueText.js';
import type { ColumnValues, GridView } from './view.js';

/** What a failed or cancelled cell shows (version 1). */
export interface ErrorPayload {
  version: 1;
  kind: 'error' | 'cancelled';
  /** The error as psql prints it (results/errorText.ts), or what was cancelled. */
  text: string;
  code?: string;
  /** A key the error asks for: the output offers "Set key for <origin>", then runs the cell again. */
  setKey?: KeyTarget & { cell: string };
  /** From a runtime that has been restarted since. */
  stale?: boolean;
}

/** What a result can be exported as (file extension: EXPORT_EXTENSIONS). */
export const EXPORT_FORMATS = ['csv', 'json', 'ndjson', 'markdown'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const EXPORT_EXTENSIONS: Record<ExportFormat, string> = { csv: 'csv', json: 'json', ndjson: 'ndjson', markdown: 'md' };

/**
 * Messages from the renderer to the extension. `viewPage`, `columnValues` and `chartRows` ask for
 * a kept result's rows through a view or for a chart, computed where the rows are; the reply (ExtensionMessage) carries
 * the same `request`, a number the renderer picks.
 */
export type RendererMessage =
  /** The user picks the format, and whether as the grid shows the rows (`view`: sorted and filtered) or the query's result. */
  | { type: 'export'; resultId: string; view: GridView }
  | ({ type: 'setKey'; cell: string } & KeyTarget)
  | { type: 'viewPage'; request: number; resultId: string; view: GridView; offset: number; count: number }
  | { type: 'columnValues'; request: number; resultId: string; view: GridView; column: number; limit: number }
  | { type: 'chartRows'; request: number; resultId: string; columns: ChartColumns }
  /**
   * What a cell's result is shown as, kept in the cell's text: a chart as its `-- chart:` comment
   * (results/chartComment.ts); null, the grid, as no comment.
   */
  | { type: 'chartChoice'; cell: string; chart: ChartChoice | null }
  /** A chart image to save where the user says: SVG text, or PNG bytes in base64. `name`: a file name without extension. */
  | { type: 'saveChart'; format: 'svg' | 'png'; data: string; name: string };

/** The extension's replies to the renderer's requests. */
export type ExtensionMessage =
  | { type: 'viewPage'; request: number; rows: ResultPayload['rows']; total: number }
  | ({ type: 'columnValues'; request: number } & ColumnValues)
  | ({ type: 'chartRows'; request: number } & ChartRows)
  | { type: 'failed'; request: number; message: string };

/** The JSON output item of one statement (version 1). */
export interface ResultPayload {
  version: 1;
  /** Key of the full result kept in memory by the controller (for export). */
  resultId?: string;
  statement: number;
  command: string;
  columns: { name: string; type: string }[];
  /** Values as Postgres's text output; null is SQL NULL. At most `clerkSql.maxOutputRows` rows. */
  rows: (string | null)[][];
  rowCount: number;
  truncated: boolean;
  elapsedMs: number;
  requests: number;
  sources: StatementResult['sources'];
  notices: string[];
  /** From a runtime that has been restarted since: its full result is gone (no resultId). */
  stale?: boolean;
  /** The URI of the cell it came from, to which the chart choice is written back. */
  cell?: string;
  /** The chart the cell's `-- chart:` comment asked for when it ran. */
  chart?: ChartChoice;
}

/** `total`: rows of the whole result, when `result.rows` holds only its first ones. */
export function resultPayload(result: StatementResult, maxRows: number, resultId?: string, total = result.rows.length): ResultPayload {
  const shown = result.rows.slice(0, maxRows);
  return {
    version: 1,
    ...(resultId !== undefined ? { resultId } : {}),
    statement: result.statement,
    command: result.command,
    columns: result.columns.map(({ name, type }) => ({ name, type })),
    rows: textRows(shown, result.columns),
    rowCount: result.rowCount,
    truncated: shown.length < total,
    elapsedMs: result.elapsedMs,
    requests: result.requests,
    sources: result.sources,
    notices: result.notices,
  };
}

/** Rows as the grid holds them: Postgres's text of each value, null for NULL. */
export function textRows(rows: readonly unknown[][], columns: readonly Pick<Column, 'type'>[]): ResultPayload['rows'] {
  return rows.map((row) => row.map((v, i) => pgText(v, columns[i]!.type)));
}
