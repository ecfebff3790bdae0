// What crosses between HostedRuntime (the caller's thread) and the runtime worker thread (the
// calls themselves are the worker's API, see worker.ts). Everything here crosses postMessage, so
// it is structured-clone data: no classes, no functions. StatementResult is such data (rows hold
// numbers, bigints, strings, booleans, null, JSON values and Uint8Arrays; see
// src/fdw/db/protocol.ts), but rows travel apart from their results, in slices, each
// acknowledged before the next is sent: deserializing 100,000 rows at once holds the receiving
// thread for 200-600 ms.
import type { ErrorCodec } from '../thread/rpc.js';
import type { ExecuteOptions, RuntimeOptions, StatementResult } from '../runtime/runtime.js';
import { SqlError, type SqlErrorFields } from '../runtime/sqlError.js';

/** workerData of the worker: the runtime's options but the secret store, which stays on the caller's thread. */
export type WorkerConfig = Omit<RuntimeOptions, 'secrets'>;

/** What a statement run in the thread takes besides its source, signal and callbacks. */
export type ThreadExecuteOptions = Pick<ExecuteOptions, 'refresh' | 'noPushdown' | 'fromStatement'> & {
  /** Send at most this many rows of each result; the rest stay in the thread (see ResultHead). */
  sendRows: number | undefined;
};

/**
 * A result without its rows (they arrive first, through execute's onRows). `kept`: only the first
 * rows were sent (`sendRows`); all `total` stay in the worker under `ref` until released.
 */
export type ResultHead = Omit<StatementResult, 'rows'> & { kept?: { ref: number; total: number } };

/** A CellError's fields. */
export interface CellErrorInfo extends SqlErrorFields {
  statement: number | undefined;
  results: ResultHead[];
}

/** What execute gives back: the results, or the cell's failure (with the results before it). */
export type Executed = { results: ResultHead[] } | { cellError: CellErrorInfo };

/** Any other error: its name and message, and its SQLSTATE and the rest when it is a SqlError. */
export interface ErrorInfo {
  name: string;
  message: string;
  sql?: SqlErrorFields;
}

/** How errors cross either way; a SqlError stays one (e.g. a key store's refusal). */
export const runtimeErrors: ErrorCodec<ErrorInfo> = {
  encode(error) {
    if (error instanceof SqlError) return { name: error.name, message: error.message, sql: error.fields() };
    return error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) };
  },
  decode(info) {
    if (info.sql) return new SqlError(info.sql);
    const error = new Error(info.message);
    error.name = info.name;
    return error;
  },
};
