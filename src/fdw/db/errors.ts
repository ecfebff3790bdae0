import type { DbErrorInfo } from './protocol.ts';

/** An error from Postgres (with its SQLSTATE `code`) or from the database worker. */
export class DbError extends Error {
  readonly code: string | undefined;
  readonly severity: string | undefined;
  readonly detail: string | undefined;
  readonly hint: string | undefined;
  readonly where: string | undefined;
  /** 1-based position in the statement, in characters (code points), as Postgres reports it. */
  readonly position: number | undefined;

  constructor(info: DbErrorInfo) {
    super(info.message);
    this.name = 'DbError';
    this.code = info.code;
    this.severity = info.severity;
    this.detail = info.detail;
    this.hint = info.hint;
    this.where = info.where;
    this.position = info.position;
  }
}

/** The operation was stopped, or never started, because of Database.cancel(). */
export class DbCancelledError extends Error {
  constructor() {
    super('canceling statement due to user request');
    this.name = 'DbCancelledError';
  }
}

export class DbClosedError extends Error {
  constructor() {
    super('the database is closed');
    this.name = 'DbClosedError';
  }
}
