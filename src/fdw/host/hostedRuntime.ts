// The FDW Runtime run in a worker thread, with the Runtime's own surface: start, execute,
// invalidate, close. Results and CellErrors come back as the Runtime gives them; keys are asked
// of the caller's SecretStore; progress and aborts are forwarded. If the thread dies, the pending
// calls reject with RuntimeStoppedError and the next execute() starts a new thread (as Database
// replaces a dead database worker), so a notebook session holding this object recovers.
import { join } from 'node:path';
import { sourceWorkerScript, type WorkerScript } from '../db/workerHandle.js';
import { RuntimeThread, type HostedExecuteOptions, type HostedResult, type HostedRuntimeOptions } from './runtimeThread.js';

export { RemoteRows, RuntimeStoppedError, type HostedExecuteOptions, type HostedResult, type HostedRuntimeOptions } from './runtimeThread.js';

export class HostedRuntime {
  #thread: RuntimeThread;
  #closed = false;

  private constructor(
    private readonly options: HostedRuntimeOptions,
    thread: RuntimeThread,
  ) {
    this.#thread = thread;
  }

  static async start(options: HostedRuntimeOptions): Promise<HostedRuntime> {
    const thread = new RuntimeThread(workerScript(), options);
    await thread.ready;
    return new HostedRuntime(options, thread);
  }

  async execute(source: string, opts: HostedExecuteOptions = {}): Promise<HostedResult[]> {
    if (this.#thread.failed && !this.#closed) {
      const dead = this.#thread;
      // As Database does: two databases must never be open on one data directory.
      await dead.stopped;
      if (this.#thread === dead && !this.#closed) this.#thread = new RuntimeThread(workerScript(), this.options);
    }
    if (this.#closed) throw new Error('the notebook runtime is closed');
    const thread = this.#thread;
    await thread.ready;
    return thread.execute(source, opts);
  }

  /** Forgets every fetched row: the next statement reading a foreign table fetches it. */
  invalidate(): void {
    this.#thread.invalidate();
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#thread.close();
  }
}

// Bundled (dist/*.js), the worker is dist/runtime-worker.js; its database worker,
// dist/db-worker.js, is found beside it by Database. From source (tests, tsx), it is this folder's
// worker.ts, loaded through tsx, as src/fdw/db/database.ts does for its worker.
function workerScript(): WorkerScript {
  if (!__filename.endsWith('.ts')) {
    // An explicit empty execArgv: the extension host's own flags (e.g. --inspect) are not for the worker.
    return { file: join(__dirname, 'runtime-worker.js'), execArgv: [] };
  }
  return sourceWorkerScript(join(__dirname, 'worker.ts'));
}
