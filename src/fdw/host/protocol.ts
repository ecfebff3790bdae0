// Messages between HostedRuntime (the caller's thread) and the runtime worker thread (worker.ts).
// Everything here crosses postMessage, so it is structured-clone data: no classes, no functions.
// StatementResult is such data (rows hold numbers, bigints, strings, booleans, null, JSON values
// and Uint8Arrays; see src/fdw/db/protocol.ts), but rows travel apart from their results, in
// slices, each acknowledged before the next is sent: deserializing 100,000 rows at once holds
// the receiving thread for 200-600 ms.
import type { ExecuteOptions, FetchProgress, RuntimeOptions, StatementResult } from '../runtime/runtime.js';
import { SqlError, type SqlErrorFields } from '../runtime/sqlError.js';

/** workerData of the worker: the runtime's options but the secret store, which stays on the caller's thread. */
export type WorkerConfig = Omit<RuntimeOptions, 'secrets'>;

/**
 * A result without its rows (they arrive first, as `rows` messages). `kept`: only the first rows
 * were sent (the execute's `sendRows`); all `total` stay in the worker under `ref` until released.
 */
export type ResultHead = Omit<StatementResult, 'rows'> & { kept?: { ref: number; total: number } };

/** A CellError's fields. */
export interface CellErrorInfo extends SqlErrorFields {
  statement: number | undefined;
  results: ResultHead[];
}

/** Any other error: its name and message, and its SQLSTATE and the rest when it is a SqlError. */
export interface ErrorInfo {
  name: string;
  message: string;
  sql?: SqlErrorFields;
}

export type ToWorker =
  | ({ kind: 'execute'; id: number; source: string; aborted: boolean; sendRows: number | undefined } & Pick<ExecuteOptions, 'refresh' | 'noPushdown' | 'fromStatement'>)
  | { kind: 'readRows'; id: number; ref: number; offset: number; count: number }
  | { kind: 'release'; ref: number }
  | { kind: 'abort'; id: number }
  | { kind: 'moreRows'; id: number }
  | { kind: 'invalidate' }
  | { kind: 'close'; id: number }
  | { kind: 'secret'; id: number; key: string | undefined }
  | { kind: 'secretFailed'; id: number; error: ErrorInfo };

export type FromWorker =
  | { kind: 'ready' }
  | { kind: 'startFailed'; error: ErrorInfo }
  | { kind: 'secret'; id: number; server: string; origin: string }
  | { kind: 'progress'; id: number; progress: FetchProgress }
  /** Rows of the call's result number `result`, appended in order; the worker waits for `moreRows`. */
  | { kind: 'rows'; id: number; result: number; rows: unknown[][] }
  | { kind: 'executed'; id: number; results: ResultHead[] }
  | { kind: 'rowsRead'; id: number; rows: unknown[][] }
  | { kind: 'cellError'; id: number; error: CellErrorInfo }
  | { kind: 'failed'; id: number; error: ErrorInfo }
  | { kind: 'closed'; id: number };

export function errorInfo(error: unknown): ErrorInfo {
  if (error instanceof SqlError) return { name: error.name, message: error.message, sql: error.fields() };
  return error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) };
}

/** The error again on this side of the thread boundary; a SqlError stays one (e.g. a key store's refusal). */
export function errorFrom(info: ErrorInfo): Error {
  if (info.sql) return new SqlError(info.sql);
  const error = new Error(info.message);
  error.name = info.name;
  return error;
}
