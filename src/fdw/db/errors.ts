import { inspect } from 'node:util';
import type { ErrorCodec } from '../thread/rpc.js';
import { EngineFailure } from './engineGuard.js';
import type { DbErrorInfo } from './protocol.js';

/** An error from Postgres (with its SQLSTATE `code`) or from the database worker. */
export class DbError extends Error {
  readonly code: string | undefined;
  readonly severity: string | undefined;
  readonly detail: string | undefined;
  readonly hint: string | undefined;
  readonly where: string | undefined;
  /** 1-based position in the statement, in characters (code points), as Postgres reports it. */
  readonly position: number | undefined;
  /** The PGlite instance that raised it cannot be used any more: its worker is replaced. */
  readonly fatal: boolean;

  constructor(info: DbErrorInfo) {
    super(info.message);
    this.name = 'DbError';
    this.code = info.code;
    this.severity = info.severity;
    this.detail = info.detail;
    this.hint = info.hint;
    this.where = info.where;
    this.position = info.position;
    this.fatal = info.fatal ?? false;
  }
}

/** How an error crosses from the database worker: as Postgres's fields, or a failure's message. */
export const dbErrors: ErrorCodec<DbErrorInfo> = {
  encode(error) {
    if (error instanceof EngineFailure) return error.info;
    if (typeof error !== 'object' || error === null) return { message: String(error) };
    const fields = error as Partial<Record<'message' | 'code' | 'severity' | 'detail' | 'hint' | 'where' | 'position' | 'name', string>>;
    // PGlite's DatabaseError carries the SQLSTATE; the instance stays usable after it.
    if (typeof fields.code === 'string' && /^[0-9A-Z]{5}$/.test(fields.code)) {
      const info: DbErrorInfo = { message: fields.message ?? 'database error', code: fields.code };
      for (const key of ['severity', 'detail', 'hint', 'where'] as const) if (fields[key]) info[key] = fields[key];
      if (fields.position) info.position = Number(fields.position);
      return info;
    }
    // Postgres exiting (emscripten's ExitStatus) or a WASM trap (WebAssembly.RuntimeError) leaves PGlite unusable.
    const fatal = fields.name === 'ExitStatus' || fields.name === 'RuntimeError';
    // An object thrown without a message is shown as it is, not as '[object Object]'.
    return { message: fields.message ?? inspect(error), ...(fatal ? { fatal } : {}) };
  },
  decode: (info) => new DbError(info),
};

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
