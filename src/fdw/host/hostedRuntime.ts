// The FDW Runtime run in a worker thread, with the Runtime's own surface: start, execute,
// invalidate, close. Results and CellErrors come back as the Runtime gives them; keys are asked
// of the caller's SecretStore; progress and aborts are forwarded. If the thread dies, the pending
// calls reject with RuntimeStoppedError and the next execute() starts a new thread (as Database
// replaces a dead database worker), so a notebook session holding this object recovers.
import { workerScript } from '../thread/workerScript.js';
import { RuntimeThread, type HostedExecuteOptions, type HostedResult, type HostedRuntimeOptions } from './runtimeThread.js';

export { RemoteRows, RuntimeStoppedError, type HostedExecuteOptions, type HostedResult, type HostedRuntimeOptions } from './runtimeThread.js';

// The worker's database worker, dist/db-worker.js or src/fdw/db/worker.ts, is found by Database.
const WORKER_SCRIPT = workerScript('runtime-worker', 'src/fdw/host/worker.ts');

export class HostedRuntime {
  private thread: RuntimeThread;
  private closed = false;

  private constructor(
    private readonly options: HostedRuntimeOptions,
    thread: RuntimeThread,
  ) {
    this.thread = thread;
  }

  static async start(options: HostedRuntimeOptions): Promise<HostedRuntime> {
    const thread = new RuntimeThread(WORKER_SCRIPT, options);
    await thread.ready;
    return new HostedRuntime(options, thread);
  }

  async execute(source: string, opts: HostedExecuteOptions = {}): Promise<HostedResult[]> {
    if (this.thread.failed && !this.closed) {
      const dead = this.thread;
      // As Database does: two databases must never be open on one data directory.
      await dead.stopped;
      if (this.thread === dead && !this.closed) this.thread = new RuntimeThread(WORKER_SCRIPT, this.options);
    }
    if (this.closed) throw new Error('the notebook runtime is closed');
    const thread = this.thread;
    await thread.ready;
    return thread.execute(source, opts);
  }

  /** Forgets every fetched row: the next statement reading a foreign table fetches it. */
  invalidate(): void {
    this.thread.invalidate();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.thread.close();
  }
}
