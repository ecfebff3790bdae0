// PGlite runs each protocol message in `_PostgresMainLoopOnce`, inside a try/catch that treats
// any exception other than its own longjmp as handled: a JavaScript exception raised while
// Postgres runs (V8's native stack overflowing in a deep recursion before Postgres's
// max_stack_depth check trips, a WASM trap, memory running out) is swallowed, and the statement
// "succeeds" with the rows it had so far. Measured with PGlite 0.5.16: infinite plpgsql
// recursion returned an empty result, and the statements after it failed with
// "ERRORDATA_STACK_SIZE exceeded" or crashed the whole process.
//
// Postgres's state after such an exception is undefined, so the guard records it and from then on
// every call into the instance fails with an EngineFailure, which the worker reports as fatal:
// the Database replaces the worker, and reopening the directory (crash recovery) keeps what was
// committed. The worker's native stack is sized so that Postgres's own check normally trips first
// (workerHandle.ts); this catches what gets past it.

import type { PGlite } from '@electric-sql/pglite';
import type { DbErrorInfo } from './protocol.js';

const REOPENED = 'The database was reopened: what was committed is kept; session state (SET, temporary tables, an open transaction) is gone.';

export class EngineFailure extends Error {
  override name = 'EngineFailure';
  readonly info: DbErrorInfo;

  constructor(cause: unknown) {
    const text = cause instanceof Error ? cause.message : String(cause);
    const stack = cause instanceof RangeError && /call stack/i.test(text);
    super(stack ? 'stack depth limit exceeded' : `the database engine failed: ${text}`);
    this.info = stack
      ? {
          message: this.message,
          code: '54001',
          detail: `The engine's native stack ran out before Postgres's own limit (max_stack_depth) stopped the statement. ${REOPENED}`,
          hint: 'Look for unbounded recursion: a function that calls itself, a deeply nested value.',
          fatal: true,
        }
      : { message: this.message, code: 'XX000', detail: REOPENED, fatal: true };
  }
}

interface Internals {
  mod?: { _PostgresMainLoopOnce?: () => void };
  POSTGRES_MAIN_LONGJMP?: unknown;
  execProtocolRawSync?: (message: Uint8Array) => Uint8Array;
}

/** Makes an exception PGlite would swallow fail this call and every later one (see above). */
export function guardEngine(pg: PGlite): void {
  const internals = pg as unknown as Internals;
  const { mod, execProtocolRawSync: run } = internals;
  const loop = mod?._PostgresMainLoopOnce;
  if (!mod || typeof loop !== 'function' || typeof run !== 'function' || internals.POSTGRES_MAIN_LONGJMP === undefined) {
    throw new Error('this PGlite version is not the one src/fdw/db/engineGuard.ts was written for (its main loop is not where it was)');
  }
  let failure: EngineFailure | undefined;
  mod._PostgresMainLoopOnce = () => {
    try {
      loop();
    } catch (error) {
      if ((error as { status?: unknown } | null)?.status !== internals.POSTGRES_MAIN_LONGJMP) failure ??= new EngineFailure(error);
      throw error;
    }
  };
  // A function, not an inline check: the main loop records a failure during run.call().
  const throwIfFailed = (): void => {
    if (failure) throw failure;
  };
  internals.execProtocolRawSync = (message) => {
    throwIfFailed();
    const reply = run.call(pg, message);
    throwIfFailed();
    return reply;
  };
}
