// The JSON output items the renderer draws, and the messages it sends back (no vscode import:
// shared with the renderer and the tests).
import type { StatementResult } from '../fdw/runtime/runtime.js';
import type { KeyTarget } from '../fdw/runtime/sqlError.js';
import type { ChartChoice } from './chartComment.js';
import { pgText } from './valueText.js';

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

/** Messages from the renderer to the extension. */
export type RendererMessage =
  | { type: 'export'; resultId: string; format: 'csv' | 'json' }
  | ({ type: 'setKey'; cell: string } & KeyTarget)
  /** The chart drawn for a cell's result: kept as the cell's `-- chart:` comment (results/chartComment.ts). */
  | { type: 'chartChoice'; cell: string; chart: ChartChoice }
  /** A chart image to save where the user says: SVG text, or PNG bytes in base64. `name`: a file name without extension. */
  | { type: 'saveChart'; format: 'svg' | 'png'; data: string; name: string };

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
    rows: shown.map((row) => row.map((v, i) => pgText(v, result.columns[i]!.type))),
    rowCount: result.rowCount,
    truncated: shown.length < total,
    elapsedMs: result.elapsedMs,
    requests: result.requests,
    sources: result.sources,
    notices: result.notices,
  };
}
