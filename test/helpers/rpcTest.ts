// What threadRpc.test.ts and its worker (rpcWorker.ts) share: an error with a field of its own,
// the codec that carries it across, and the API the test's thread serves to the worker.
import type { ErrorCodec } from '../../src/fdw/thread/rpc.js';

export class CodedError extends Error {
  override name = 'CodedError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

export type CodedInfo = { message: string; code?: string };

export const codedErrors: ErrorCodec<CodedInfo> = {
  encode: (error) =>
    error instanceof CodedError ? { message: error.message, code: error.code } : { message: error instanceof Error ? error.message : String(error) },
  decode: (info) => (info.code === undefined ? new Error(info.message) : new CodedError(info.message, info.code)),
};

/** workerData of the worker. */
export interface RpcWorkerConfig {
  inOrder: boolean;
  /** The worker's API fails to come up, with this error code. */
  failToStart?: string;
}

/** What the test's thread serves the worker. */
export interface CallerApi {
  answer(question: string): Promise<string>;
}
