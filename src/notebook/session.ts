// One notebook's runtime (in a worker thread, started on the first run), the queue its cells run
// in, and what the status bar shows of it.
import { HostedRuntime } from '../fdw/host/hostedRuntime.js';
import type { SecretStore } from '../fdw/runtime/secrets.js';
import type { StatementLimits } from '../fdw/runtime/limits.js';
import type { PostgresConnection } from './postgresConnections.js';

/** Where a notebook runs: the embedded database, or a saved PostgreSQL connection (its kernel). */
export type RuntimeTarget = { kind: 'embedded' } | { kind: 'postgres'; connection: PostgresConnection; runtimeUrl: () => Promise<string> };

/** The target as people read it, and as sessions tell targets apart: `embedded`, or the connection's URL (no password). */
export function targetName(target: RuntimeTarget): string {
  return target.kind === 'embedded' ? 'embedded' : target.connection.url;
}

/** What the status bar shows for a notebook. `cell`: the cell as the notebook labels it, e.g. `[5]`. */
export type RuntimeState =
  | { kind: 'starting' }
  | { kind: 'running'; cell: string; progress?: string }
  | { kind: 'ready'; requests: number }
  | { kind: 'failed'; cell: string; message: string }
  | { kind: 'restricted' };

/** How long a closing session waits for its running statement to stop before closing the runtime. */
const CANCEL_CEILING_MS = 5000;

export class Session {
  private runtime: Promise<HostedRuntime> | undefined;
  /** Cell runs of this notebook, one after another. */
  queue: Promise<unknown> = Promise.resolve();
  /** The last execution order given (the `[N]` under a cell). */
  order = 0;
  state: RuntimeState | undefined;
  /** Clerk API requests made by this runtime. */
  requests = 0;
  /** Aborted when the session closes (restart, notebook closed): a run still going ends as cancelled. */
  private readonly stopping = new AbortController();

  constructor(
    readonly target: RuntimeTarget,
    private readonly secrets: SecretStore,
    private readonly limits: () => Partial<StatementLimits>,
  ) {}

  get closed(): boolean {
    return this.stopping.signal.aborted;
  }

  /** Aborts when the session closes. */
  get closing(): AbortSignal {
    return this.stopping.signal;
  }

  get started(): boolean {
    return this.runtime !== undefined;
  }

  start(): Promise<HostedRuntime> {
    if (this.closed) return Promise.reject(new Error('the notebook runtime was restarted'));
    if (!this.runtime) {
      // In a worker thread: fetching, parsing and copying rows would otherwise hold the extension
      // host's thread, which every extension shares, for seconds on a large read.
      const { target } = this;
      const started = (async () =>
        HostedRuntime.start({
          secrets: this.secrets,
          limits: this.limits(),
          database: target.kind === 'postgres' ? await target.runtimeUrl() : undefined,
        }))();
      started.catch(() => (this.runtime = undefined));
      this.runtime = started;
    }
    return this.runtime;
  }

  /** Forgets the fetched rows (a key was forgotten or replaced). */
  async invalidate(): Promise<void> {
    (await this.runtime?.catch(() => undefined))?.invalidate();
  }

  /** Stops the runtime; its running statement fails, and the queue settles. */
  async close(): Promise<void> {
    // The running statement is cancelled first, so that it ends as cancelled, not as a failure
    // of the reads the closing runtime cuts off.
    this.stopping.abort();
    // A statement that does not stop within the ceiling is cut off by closing the runtime.
    await Promise.race([this.queue, new Promise((resolve) => setTimeout(resolve, CANCEL_CEILING_MS))]);
    const runtime = this.runtime;
    this.runtime = undefined;
    if (runtime) await (await runtime.catch(() => undefined))?.close();
  }
}
