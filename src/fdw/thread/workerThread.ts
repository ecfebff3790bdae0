// A worker thread as the thread that starts it sees it: a Connection (rpc.ts) to it, and what
// becomes of calls when it stops. A thread that fails (an uncaught error, running out of memory)
// or exits fails every call waiting for it, and every later one, with the error its owner names
// for the stop; terminate() does the same with the reason it is given. The thread's side is
// connectToParent().

import { parentPort, Worker, type ResourceLimits } from 'node:worker_threads';
import { Connection, type Api, type ConnectionOptions } from './rpc.js';
import type { WorkerScript } from './workerScript.js';

/** How a thread stopped on its own. */
export type ThreadStop = { error: Error } | { exitCode: number };

export interface WorkerThreadOptions<Info> extends ConnectionOptions<Info> {
  workerData: unknown;
  resourceLimits?: ResourceLimits;
  /** The error calls fail with once the thread has stopped without being terminated. */
  stopError: (stop: ThreadStop) => Error;
}

export class WorkerThread<Remote extends Api<Remote>, Info> extends Connection<Remote, Info> {
  /** Resolves once the thread has exited. */
  readonly exited: Promise<void>;
  private readonly worker: Worker;

  /** Throws if the thread cannot be started. */
  constructor(script: WorkerScript, { workerData, resourceLimits, stopError, ...connection }: WorkerThreadOptions<Info>) {
    const worker = new Worker(script.file, { workerData, execArgv: script.execArgv, resourceLimits });
    super(worker, connection);
    this.worker = worker;
    worker.on('error', (error) => this.fail(stopError({ error })));
    this.exited = new Promise((resolve) =>
      worker.on('exit', (exitCode) => {
        this.fail(stopError({ exitCode }));
        resolve();
      }),
    );
  }

  /** Fails the calls with `reason`, stops the thread, and resolves once it has exited. */
  async terminate(reason: Error): Promise<void> {
    this.fail(reason);
    await this.worker.terminate();
    await this.exited;
  }
}

/** The worker's side of its thread: a Connection to the thread that started it. */
export function connectToParent<Remote extends Api<Remote>, Info>(options: ConnectionOptions<Info>): Connection<Remote, Info> {
  if (!parentPort) throw new Error('this module runs as a worker thread');
  return new Connection(parentPort, options);
}
