// What crosses between Database (the caller's thread) and the worker thread that runs PGlite
// (the calls themselves are the worker's Session, see worker.ts). Everything here crosses
// postMessage, so it is structured-clone data: no classes, no functions.

export interface Column {
  name: string;
  /** Postgres type name as format_type() spells it: 'bigint', 'text', 'timestamp with time zone', 'jsonb', 'text[]'. */
  type: string;
  typeOid: number;
}

/**
 * One statement's result. Values are decoded as follows:
 * smallint/integer/real/double precision/oid -> number; bigint -> bigint (exact);
 * numeric -> string (exact); boolean -> boolean; json/jsonb -> the parsed JSON value;
 * bytea -> Uint8Array; date/time/timestamp/timestamptz/interval -> string in Postgres's output
 * format (keeps microseconds and the offset); arrays -> arrays of the element values;
 * NULL -> null; anything else -> its text form.
 */
export interface QueryResult {
  /** First word of Postgres's command tag: 'SELECT', 'INSERT', 'CREATE', ... */
  command: string;
  columns: Column[];
  rows: unknown[][];
  /** Rows returned, or for a statement returning none, rows affected. */
  rowCount: number;
  /** NOTICE/WARNING messages raised while the statement ran. */
  notices: string[];
}

/** A Postgres error's fields (see the ErrorResponse message), or a worker failure's message. */
export interface DbErrorInfo {
  message: string;
  /** SQLSTATE, e.g. '42P01'. */
  code?: string;
  severity?: string;
  detail?: string;
  hint?: string;
  where?: string;
  /** 1-based position in the statement, counted in characters (code points), as Postgres reports it. */
  position?: number;
  /** The PGlite instance cannot be used any more; the worker must be replaced. */
  fatal?: boolean;
}

/** Unqualified name, or schema and name. Names are used as given (no case folding) and quoted. */
export type TableRef = string | { schema: string; name: string };

export interface OpenInfo {
  /** How the data directory came to be: it existed, was unpacked from the template, or the template had to be made first (initdb). */
  initializedFrom: 'existing' | 'template' | 'initdb';
  /** Worker start to ready. */
  openMs: number;
}

/** A compiled WebAssembly.Module (the type is not in this project's TypeScript libs). */
export type WasmModule = object;

/** workerData of the worker. */
export interface WorkerConfig {
  dataDir: string;
  /** Gzipped tar of an initialized cluster (PGlite's dumpDataDir); made here if missing. */
  templateFile: string;
  /** PGlite's pglite.wasm, compiled by the worker... */
  wasmFile: string;
  /** ...unless an earlier worker did: a replacement worker (after a cancel) starts sooner. */
  wasmModule?: WasmModule;
  /** Postgres's temp_file_limit: the most temporary-file space one statement may use, in kB; -1 for no limit. */
  tempFileLimitKb: number;
}
