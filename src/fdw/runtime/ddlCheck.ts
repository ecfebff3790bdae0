// What checking an FDW statement finds: every error and notice, each with the text of the cell it
// is about. The runtime raises the first error as Postgres would (sqlErrorOf); the language server
// shows them all, with the same codes, messages and places. Problems are data, not exceptions, so
// one check can report them all and neither side parses the other's messages.
import type { SourceText } from '../sql/sourceText.js';
import { StatementText } from '../sql/statementText.js';
import type { Span } from '../sql/tokens.js';
import type { ForeignTable } from './fdwCatalog.js';
import { SqlError } from './sqlError.js';

export interface DdlError {
  /** SQLSTATE. */
  code: string;
  message: string;
  detail?: string;
  hint?: string;
  /** What in the cell the error is about (UTF-16 offsets); absent when it is the statement as a whole. */
  span?: Span;
  /** The likely intended text for `span`: a name, a quoted object, a type. */
  replacement?: string;
  /** The foreign table the statement names and the catalog does not hold. */
  missingTable?: string;
}

/** Notices that point somewhere, each of a kind an editor can show in its own way. */
export type DdlNoticeKind = 'old-object-name' | 'column-notice' | 'api-key-placeholder';

export interface DdlNotice {
  kind: DdlNoticeKind;
  message: string;
  span: Span;
  /** Texts likely meant instead of `span`'s, the likeliest first. */
  replacements?: readonly string[];
}

/** A foreign table's rows live in a table of the database (the runtime fills it before a statement reads it). */
export type TableChange = { create: ForeignTable } | { drop: ForeignTable; cascade: boolean };

export interface DdlPlan {
  /** The tables to create or drop in the database, in order, before `commit`. */
  tables: TableChange[];
  /** What the statement tells, in order: the pointed notices' messages, then its own (skipped, imported, ...). */
  notices: string[];
  /** The command tag to report, as Postgres does (`CREATE FOREIGN TABLE`, ...). */
  command: string;
  commit(): void;
}

export interface DdlCheck {
  /** In the order of the text (the statement-wide ones first): the first is the one Postgres raises. */
  errors: readonly DdlError[];
  notices: readonly DdlNotice[];
  /** Present exactly when there is no error. */
  plan?: DdlPlan;
}

/** One statement being checked: where its parts are written, and what the check has found. */
export class StatementCheck extends StatementText {
  private readonly errors: DdlError[] = [];
  private readonly notices: DdlNotice[] = [];

  get failed(): boolean {
    return this.errors.length > 0;
  }

  error(error: DdlError): void {
    this.errors.push(error);
  }

  notice(notice: DdlNotice): void {
    this.notices.push(notice);
  }

  /**
   * The findings, with the plan when nothing failed (`plan` gets the pointed notices' messages).
   * Without `plan`, the caller has found an error that leaves nothing to plan.
   */
  result(plan?: (notices: string[]) => DdlPlan): DdlCheck {
    const errors = [...this.errors].sort((a, b) => (a.span?.start ?? -1) - (b.span?.start ?? -1));
    if (errors.length > 0 || !plan) return { errors, notices: this.notices };
    return { errors, notices: this.notices, plan: plan(this.notices.map((n) => n.message)) };
  }
}

/** The error as the runtime raises it: pointing at the start of its span, as Postgres's cursor does. */
export function sqlErrorOf(error: DdlError, source: SourceText): SqlError {
  const { code, message, detail, hint, span } = error;
  return new SqlError({ code, message, detail, hint, position: span ? source.positionAt(span.start) : undefined });
}
