// What the language server knows of the database each notebook runs on: a schema snapshot
// (src/fdw/db/schemaSnapshot.ts) read here, in the extension, with the connection's credentials,
// so that the server never sees a password. Read when a notebook's kernel becomes a Postgres
// connection, again after a cell that may have changed the database's tables ran, and cleared when
// the notebook goes back to the embedded kernel, closes, or its connection is removed.
import type * as vscode from 'vscode';
import { PostgresEngine } from '../fdw/db/postgres.js';
import { readSchemaSnapshot, type SchemaSnapshot } from '../fdw/db/schemaSnapshot.js';
import type { ClerkSqlController } from './controller.js';
import type { RuntimeTarget } from './session.js';

type PostgresTarget = Extract<RuntimeTarget, { kind: 'postgres' }>;
type Send = (notebook: string, snapshot: SchemaSnapshot | null) => void;

export class DatabaseSchemas implements vscode.Disposable {
  /** The connection each notebook on one runs on, by notebook URI. */
  private readonly targets = new Map<string, PostgresTarget>();
  /** Reads under way, by notebook URI; `again` when the database changed while one ran. */
  private readonly reads = new Map<string, { again: boolean }>();
  private readonly disposables: vscode.Disposable[];

  constructor(
    controller: ClerkSqlController,
    private readonly send: Send,
  ) {
    this.disposables = [
      controller.onDidChangeTarget(({ notebook, target }) => this.retarget(notebook.toString(), target)),
      controller.onDidChangeDatabase((notebook) => this.read(notebook.toString())),
    ];
  }

  private retarget(notebook: string, target: RuntimeTarget | undefined): void {
    if (target?.kind === 'postgres') {
      this.targets.set(notebook, target);
      this.read(notebook);
    } else if (this.targets.delete(notebook)) {
      this.send(notebook, null);
    }
  }

  /** Reads the notebook's database and sends it; a change during a read makes one more read after it, not one each. */
  private read(notebook: string): void {
    const running = this.reads.get(notebook);
    if (running) {
      running.again = true;
      return;
    }
    const state = { again: false };
    this.reads.set(notebook, state);
    void (async () => {
      do {
        state.again = false;
        const target = this.targets.get(notebook);
        if (!target) break;
        // A database that cannot be read is not known: the server then says nothing of its tables.
        const snapshot = await snapshotOf(target).catch(() => null);
        // Sent only if the notebook still runs there (its kernel may have changed during the read).
        if (this.targets.get(notebook) === target) this.send(notebook, snapshot);
      } while (state.again);
      this.reads.delete(notebook);
    })();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

async function snapshotOf(target: PostgresTarget): Promise<SchemaSnapshot> {
  const engine = await PostgresEngine.connect({ url: await target.runtimeUrl() });
  try {
    return await readSchemaSnapshot(engine, target.connection.url);
  } finally {
    await engine.close();
  }
}
