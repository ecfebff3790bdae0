// The analysis's results, in LSP's shapes (0-based lines, UTF-16 characters) but without any
// dependency on the protocol packages, so the analysis stays a set of pure functions.
import type { ClerkObjectName } from '../../fdw/clerk/schemas.js';
import type { DeclaredColumn } from '../../fdw/catalog/index.js';
import type { DatabaseSchema } from './database.js';
import type { ResultColumn } from './resultColumns.js';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** LSP's DiagnosticSeverity values. */
export const Severity = { Error: 1, Warning: 2, Information: 3, Hint: 4 } as const;
export type Severity = (typeof Severity)[keyof typeof Severity];

/** What a quick fix can do about a diagnostic. */
export type FixData =
  /** Replace the diagnostic's range with `text` (a suggested column, object or option name). */
  | { kind: 'replace'; text: string; title: string }
  /** Insert the documented columns of `object` that the table does not declare, at `offset` of the cell. */
  | { kind: 'addColumns'; object: ClerkObjectName; at: Position; text: string; title: string }
  /** Have the extension move the cell's inline keys to SecretStorage (an edit alone cannot store a secret). */
  | { kind: 'moveInlineKeys'; title: string };

export interface AnalysisDiagnostic {
  range: Range;
  severity: Severity;
  message: string;
  /** SQLSTATE when the runtime would raise the same error, else a short name. */
  code: string;
  fixes: FixData[];
}

/** Something the hover can explain: a span of the cell and its Markdown. Only offsets: a cell has
 * many symbols and few are ever hovered, so the position is computed for the one that is. */
export interface HoverSymbol {
  /** UTF-16 offsets into the cell. */
  start: number;
  end: number;
  markdown: string;
}

export interface KnownTable {
  name: string;
  schema: string;
  object?: ClerkObjectName;
  columns: readonly DeclaredColumn[];
}

/** What the notebook has defined so far: used for completion in a cell. */
export interface Scope {
  servers: readonly string[];
  wrappers: readonly string[];
  foreignTables: readonly KnownTable[];
  /** Every other relation created so far (CREATE TABLE / VIEW / TABLE AS / ...), lower case. */
  relations: readonly string[];
  /** The database the notebook's kernel runs on, if it is a Postgres connection. */
  database?: DatabaseSchema;
  /** psql variables set so far (`\set`), with their values. */
  variables: readonly { name: string; value: string }[];
  /** Cells' results kept as tables (`-- name: signups`), with their columns. */
  namedResults: readonly { name: string; columns: readonly ResultColumn[] }[];
}

/** A code action available on a range without a diagnostic (e.g. add the documented columns). */
export interface RangeAction {
  range: Range;
  fix: FixData;
}

export interface CellAnalysis {
  diagnostics: AnalysisDiagnostic[];
  symbols: HoverSymbol[];
  actions: RangeAction[];
  /** The notebook's definitions after this cell's statements. */
  scope: Scope;
}

export interface NotebookAnalysis {
  cells: CellAnalysis[];
}
