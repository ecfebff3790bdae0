// The JSON output item of a statement's result (no vscode import: shared with the tests).
import type { StatementResult } from '../fdw/runtime/runtime.js';
import { pgText } from '../cli/valueText.js';

export const RESULT_MIME = 'application/vnd.clerk-sql.result+json';

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

