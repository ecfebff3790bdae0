// A result's output payload as the controller writes it, for the renderer's tests: columns as
// [name, type], rows as Postgres's text, the rest plain defaults (overridable).
import type { GridPayload } from '../../src/notebook/renderer/model.js';

export const gridPayload = (columns: [string, string][], rows: (string | null)[][], extra: Partial<GridPayload> = {}): GridPayload => ({
  version: 1,
  statement: 0,
  command: 'SELECT',
  columns: columns.map(([name, type]) => ({ name, type })),
  rows,
  rowCount: rows.length,
  truncated: false,
  elapsedMs: 1,
  requests: 0,
  sources: [],
  notices: [],
  ...extra,
});
