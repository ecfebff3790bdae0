// The worker thread of threadRpc.test.ts: an API that exercises each thing the RPC carries.
import { setTimeout as sleep } from 'node:timers/promises';
import { workerData } from 'node:worker_threads';
import type { Connection } from '../../src/fdw/thread/rpc.js';
import { connectToParent } from '../../src/fdw/thread/workerThread.js';
import { CodedError, codedErrors, type CallerApi, type CodedInfo, type RpcWorkerConfig } from './rpcTest.js';

function testApi(caller: Connection<CallerApi, CodedInfo>) {
  let running = 0;
  let mostRunning = 0;
  let kept: ((n: number) => Promise<void>) | undefined;
  return {
    async echo<T>(value: T): Promise<T> {
      return value;
    },
    async fail(code: string): Promise<void> {
      throw new CodedError(`failed with ${code}`, code);
    },
    async askCaller(question: string): Promise<string> {
      return `the caller said: ${await caller.call('answer', question)}`;
    },
    async waitForAbort(signal: AbortSignal): Promise<string> {
      if (signal.aborted) return 'aborted before the call';
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      return 'aborted while waiting';
    },
    /** Sends 0..count-1 through `take`, each once the previous one was taken; returns what take returned. */
    async stream(count: number, take: (n: number) => Promise<number>): Promise<number[]> {
      const taken: number[] = [];
      for (let n = 0; n < count; n++) taken.push(await take(n));
      return taken;
    },
    async keep(callback: (n: number) => Promise<void>): Promise<void> {
      kept = callback;
    },
    async callKept(): Promise<void> {
      await kept?.(1);
    },
    /** Takes `ms`; returns how many calls ran at once at most, so far. */
    async overlap(ms: number): Promise<number> {
      mostRunning = Math.max(mostRunning, ++running);
      await sleep(ms);
      running--;
      return mostRunning;
    },
    async unclonable(): Promise<unknown> {
      return { f: () => 1 };
    },
    async exit(code: number): Promise<void> {
      process.exit(code);
    },
    async throwUncaught(): Promise<void> {
      setImmediate(() => {
        throw new Error('uncaught in the worker');
      });
      await sleep(10_000);
    },
  };
}

export type TestWorkerApi = ReturnType<typeof testApi>;

const { inOrder, failToStart } = workerData as RpcWorkerConfig;
const caller: Connection<CallerApi, CodedInfo> = connectToParent({
  serve: failToStart === undefined ? sleep(50).then(() => testApi(caller)) : Promise.reject(new CodedError('cannot start', failToStart)),
  errors: codedErrors,
  inOrder,
});
