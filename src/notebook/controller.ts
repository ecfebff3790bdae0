// The notebook controller: runs code cells in order through one runtime per notebook (session.ts),
// with live fetch progress, a stop button that cancels the statement, a key asked for when a
// server has none, and outputs as outputs.ts draws them. Restart stops the runtime and marks the
// outputs it produced as stale.
import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import { CellError } from '../fdw/runtime/runtime.js';
import type { HostedResult } from '../fdw/host/hostedRuntime.js';
import type { KeyTarget } from '../fdw/runtime/sqlError.js';
import { limitsFromSettings } from '../fdw/runtime/limits.js';
import { CELL_LANGUAGE, NOTEBOOK_TYPES, SETTINGS, controllerId } from '../ids.js';
import { mayChangeSchema } from '../fdw/sql/lexical.js';
import { chartCommentOf } from '../results/chartComment.js';
import { checkKeyInput, type VsCodeSecretStore } from './secretStore.js';
import { sourceOf, viewSource, type ExportSource } from './export.js';
import { KeptRows, type ViewableRows } from '../results/keptRows.js';
import { QUERY_ORDER } from '../results/view.js';
import { moveInlineKeys } from './inlineKeyMover.js';
import { OriginGuard } from './originGuard.js';
import { originPrompt } from './originPrompt.js';
import { cancelledOutput, errorOutput, isStale, ProgressOutput, resultOutput, staleOutputs } from './outputs.js';
import type { PostgresConnections } from './postgresConnections.js';
import { Session, targetName, type RuntimeState, type RuntimeTarget } from './session.js';

export type { RuntimeState } from './session.js';

/**
 * A statement's full result, kept for the grid's views and export while it is the cell's latest
 * output. Rows past those in the output stay in the runtime's thread: views of them are computed
 * there, and read from there page by page.
 */
export interface KeptResult {
  id: string;
  notebook: string;
  cell: string;
  /** `cell [5], statement 1: Sign-ups per month` */
  label: string;
  /** A file name for it, without extension: `cell5-stmt1`. */
  fileStem: string;
  /** The query's result, for export. */
  source: ExportSource;
  /** Every row of it, through the grid's views. */
  rows: ViewableRows;
  release(): void;
}

export class ClerkSqlController implements vscode.Disposable {
  /** One controller per notebook type (`*.clerk.sql`, and any `.sql` opened with "Open With"), on the embedded database. */
  readonly controllers: vscode.NotebookController[];
  /** Per saved PostgreSQL connection, one controller per notebook type: the kernel picker offers them. */
  private readonly postgresControllers = new Map<string, vscode.NotebookController[]>();
  private readonly sessions = new Map<string, Session>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Full results of the notebooks' latest outputs, by result id; dropped on rerun and close. */
  private readonly kept = new Map<string, KeptResult>();
  /** Keys for the runtimes: from SecretStorage, once the API origin is Clerk's or confirmed. */
  private readonly runtimeSecrets: OriginGuard;
  private readonly stateChanged = new vscode.EventEmitter<vscode.Uri>();
  /** Fires with a notebook's URI when its runtime's state changes. */
  readonly onDidChangeState = this.stateChanged.event;
  /** The kernel each notebook has selected, when it is one of ours, by notebook URI. */
  private readonly selected = new Map<string, { controller: vscode.NotebookController; target: RuntimeTarget }>();
  private readonly targetChanged = new vscode.EventEmitter<{ notebook: vscode.Uri; target: RuntimeTarget | undefined }>();
  /** Fires when a notebook's kernel becomes one of ours (`target`: where it runs) or stops being one (undefined). */
  readonly onDidChangeTarget = this.targetChanged.event;
  private readonly databaseChanged = new vscode.EventEmitter<vscode.Uri>();
  /** Fires with a notebook's URI after it ran a cell that may have changed its Postgres database's tables. */
  readonly onDidChangeDatabase = this.databaseChanged.event;

  constructor(
    private readonly secrets: VsCodeSecretStore,
    private readonly connections: PostgresConnections,
  ) {
    this.runtimeSecrets = new OriginGuard(secrets, originPrompt);
    this.controllers = this.createControllers('Clerk SQL (embedded)', 'clerk_fdw in an embedded Postgres', { kind: 'embedded' });
    this.syncPostgresKernels();
    this.disposables.push(
      ...this.controllers,
      this.stateChanged,
      this.targetChanged,
      this.databaseChanged,
      connections.onDidChange(() => this.syncPostgresKernels()),
      vscode.workspace.onDidCloseNotebookDocument((nb) => {
        this.select(nb.uri, undefined);
        void this.closeSession(nb.uri);
      }),
    );
  }

  /** Records the notebook's kernel (undefined: not one of ours) and tells when where it runs changed. */
  private select(notebook: vscode.Uri, selection: { controller: vscode.NotebookController; target: RuntimeTarget } | undefined): void {
    const key = notebook.toString();
    const before = this.selected.get(key);
    if (before?.controller === selection?.controller) return;
    if (selection) this.selected.set(key, selection);
    else this.selected.delete(key);
    this.targetChanged.fire({ notebook, target: selection?.target });
  }

  private createControllers(label: string, description: string, target: RuntimeTarget): vscode.NotebookController[] {
    return NOTEBOOK_TYPES.map((type) => {
      const id = controllerId(type, target.kind === 'postgres' ? target.connection.id : undefined);
      const controller = vscode.notebooks.createNotebookController(id, type, label);
      controller.supportedLanguages = [CELL_LANGUAGE];
      controller.supportsExecutionOrder = true;
      controller.description = description;
      controller.executeHandler = (cells, notebook, self) => this.execute(cells, notebook, self, target);
      controller.onDidChangeSelectedNotebooks(({ notebook, selected }) => {
        if (selected) this.select(notebook.uri, { controller, target });
        // Deselected for another kernel: one of ours says so itself, any other is not ours.
        else if (this.selected.get(notebook.uri.toString())?.controller === controller) this.select(notebook.uri, undefined);
      });
      return controller;
    });
  }

  /** A kernel for each saved connection, and none for a removed one. */
  private syncPostgresKernels(): void {
    const saved = this.connections.list();
    for (const [id, controllers] of this.postgresControllers) {
      if (saved.some((c) => c.id === id)) continue;
      // A disposed kernel tells no one its notebooks lost it.
      for (const [notebook, { controller }] of this.selected) if (controllers.includes(controller)) this.select(vscode.Uri.parse(notebook), undefined);
      for (const c of controllers) c.dispose();
      this.postgresControllers.delete(id);
    }
    for (const connection of saved) {
      if (this.postgresControllers.has(connection.id)) continue;
      const target: RuntimeTarget = { kind: 'postgres', connection, runtimeUrl: () => this.connections.runtimeUrl(connection.id) };
      this.postgresControllers.set(
        connection.id,
        this.createControllers(`Clerk SQL (${connection.url})`, 'your PostgreSQL: Clerk tables as session tables, joinable with yours', target),
      );
    }
  }

  /** Where the notebook's runtime runs, once started: `embedded` or a connection's URL. */
  where(notebook: vscode.Uri): string | undefined {
    const session = this.sessions.get(notebook.toString());
    return session && targetName(session.target);
  }

  /** A notebook's runtime state (undefined: not started). */
  state(notebook: vscode.Uri): RuntimeState | undefined {
    return vscode.workspace.isTrusted ? this.sessions.get(notebook.toString())?.state : { kind: 'restricted' };
  }

  private setState(session: Session, notebook: vscode.Uri, state: RuntimeState): void {
    if (session.closed) return;
    session.state = state;
    this.stateChanged.fire(notebook);
  }

  /** The full result behind an output's `resultId`, while the output is the cell's latest. */
  keptResult(id: string): KeptResult | undefined {
    return this.kept.get(id);
  }

  /** The kept results of a notebook (all of them when none is given), in cell order. */
  keptResults(notebook?: vscode.Uri): KeptResult[] {
    const key = notebook?.toString();
    return [...this.kept.values()].filter((k) => key === undefined || k.notebook === key);
  }

  private keep(cell: vscode.NotebookCell, order: number, label: string, result: HostedResult): string {
    const id = randomUUID();
    const { remote } = result;
    const rows = remote ?? new KeptRows(result.rows, result.columns);
    this.kept.set(id, {
      id,
      notebook: cell.notebook.uri.toString(),
      cell: cell.document.uri.toString(),
      label: `${label}, statement ${result.statement + 1}`,
      fileStem: `cell${order}-stmt${result.statement + 1}`,
      source: remote ? viewSource(result, remote, QUERY_ORDER, remote.total) : sourceOf(result),
      rows,
      release: () => remote?.release(),
    });
    return id;
  }

  private dropKept(match: (k: KeptResult) => boolean): void {
    for (const [id, k] of this.kept) {
      if (!match(k)) continue;
      k.release();
      this.kept.delete(id);
    }
  }

  /**
   * Stops the notebook's runtime (a running cell ends as cancelled) and marks the outputs it
   * produced as stale; the next run starts a new one. False when none was running.
   */
  async restart(notebook: vscode.NotebookDocument): Promise<boolean> {
    const had = await this.closeSession(notebook.uri);
    await this.markStale(notebook);
    return had;
  }

  /**
   * Forgets the fetched rows of every runtime (after a key is forgotten or replaced), so that no
   * statement reads rows fetched with a key the user took back.
   */
  async invalidateUserKeySessions(): Promise<void> {
    for (const session of this.sessions.values()) await session.invalidate();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    for (const controllers of this.postgresControllers.values()) for (const c of controllers) c.dispose();
    for (const s of this.sessions.values()) void s.close();
    this.sessions.clear();
    this.kept.clear();
  }

  private async closeSession(uri: vscode.Uri): Promise<boolean> {
    const key = uri.toString();
    const session = this.sessions.get(key);
    this.sessions.delete(key);
    // Their rows beyond the output lived in the runtime's thread.
    this.dropKept((k) => k.notebook === key);
    if (session) await session.close();
    this.stateChanged.fire(uri);
    return session !== undefined;
  }

  /** Each code cell's outputs again, marked stale; the cell loses its order and tick (as after a restart in Jupyter). */
  private async markStale(notebook: vscode.NotebookDocument): Promise<void> {
    // The notebook's selected kernel is one of ours, embedded or on a connection: only it may write.
    const controllers = [this.controllers, ...this.postgresControllers.values()].flat().filter((c) => c.notebookType === notebook.notebookType);
    for (const cell of notebook.getCells()) {
      if (cell.kind !== vscode.NotebookCellKind.Code || cell.outputs.length === 0 || cell.outputs.every(isStale)) continue;
      let execution: vscode.NotebookCellExecution | undefined;
      for (const controller of controllers) {
        try {
          execution = controller.createNotebookCellExecution(cell);
          break;
        } catch {
          // not the selected kernel, or the cell already runs in the new runtime
        }
      }
      if (!execution) continue;
      execution.start();
      await execution.replaceOutput(staleOutputs(cell.outputs));
      execution.end(undefined);
    }
  }

  /** The notebook's session on `target`; one on another target (the kernel was switched) is closed first. */
  private async session(notebook: vscode.NotebookDocument, target: RuntimeTarget): Promise<Session> {
    const key = notebook.uri.toString();
    let session = this.sessions.get(key);
    if (session && targetName(session.target) !== targetName(target)) {
      await this.restart(notebook);
      session = undefined;
    }
    if (!session) {
      // Statement limits as the settings are when the runtime starts.
      session = new Session(target, this.runtimeSecrets, () => limitsFromSettings(vscode.workspace.getConfiguration(SETTINGS.section)));
      this.sessions.set(key, session);
    }
    return session;
  }

  private async execute(
    cells: vscode.NotebookCell[],
    notebook: vscode.NotebookDocument,
    controller: vscode.NotebookController,
    target: RuntimeTarget,
  ): Promise<void> {
    // The selection event may come late, or not at all for a notebook reopened with its kernel.
    this.select(notebook.uri, { controller, target });
    const session = await this.session(notebook, target);
    // Executions are created at once so queued cells show as pending and each has a stop button.
    const executions = cells
      .filter((cell) => cell.kind === vscode.NotebookCellKind.Code)
      .map((cell) => ({ cell, execution: controller.createNotebookCellExecution(cell) }));
    const run = session.queue.then(async () => {
      for (let i = 0; i < executions.length; i++) {
        const { cell, execution } = executions[i]!;
        const ok = await this.runCell(session, cell, execution);
        // Even a failed cell may have changed tables before the statement that failed.
        if (target.kind === 'postgres' && mayChangeSchema(cell.document.getText())) this.databaseChanged.fire(notebook.uri);
        if (!ok) {
          // Stop at the first failure or cancel, as psql -v ON_ERROR_STOP=1 does; the rest stay unrun.
          for (const rest of executions.slice(i + 1)) rest.execution.end(undefined);
          return;
        }
      }
      // Ready once the whole run is done, not between its cells.
      if (executions.length > 0) this.setState(session, notebook.uri, { kind: 'ready', requests: session.requests });
    });
    session.queue = run.catch(() => undefined);
    return run;
  }

  /** Runs one cell; true when it succeeded. */
  private async runCell(session: Session, cell: vscode.NotebookCell, execution: vscode.NotebookCellExecution): Promise<boolean> {
    const abort = new AbortController();
    const cancel = execution.token.onCancellationRequested(() => abort.abort());
    const stop = () => abort.abort();
    session.closing.addEventListener('abort', stop);
    const uri = cell.notebook.uri;
    const order = ++session.order;
    execution.executionOrder = order;
    execution.start(Date.now());
    // Named as the notebook shows it: its execution order, and its title when it has one.
    const title = cell.metadata?.title as string | undefined;
    const label = `cell [${order}]${title ? ` "${title}"` : ''}`;
    const cancelled = async (what: string) => {
      await execution.replaceOutput([...outputs, cancelledOutput(session.closed ? 'Cancelled: the notebook runtime was restarted.' : what)]);
      execution.end(undefined, Date.now());
      this.setState(session, uri, { kind: 'ready', requests: session.requests });
      return false;
    };
    // The cell's previous results go with its previous outputs.
    const cellKey = cell.document.uri.toString();
    this.dropKept((k) => k.cell === cellKey);
    let outputs: vscode.NotebookCellOutput[] = [];
    const chart = chartCommentOf(cell.document.getText())?.choice;
    const shown = (results: HostedResult[]) => {
      outputs = [...outputs, ...results.map((r) => resultOutput(r, this.keep(cell, order, label, r), maxOutputRows(), cellKey, chart))];
      session.requests += results.reduce((n, r) => n + r.requests, 0);
    };
    try {
      if (execution.token.isCancellationRequested) return await cancelled('Cancelled before it started.');
      if (cell.document.getText().trim() === '') {
        await execution.clearOutput();
        execution.end(true, Date.now());
        return true;
      }
      await execution.replaceOutput([]);
      // Before anything runs, so the key never reaches the runtime, outputs or the saved file.
      const { text } = await moveInlineKeys(cell, this.secrets);
      if (!session.started) this.setState(session, uri, { kind: 'starting' });
      const runtime = await session.start();
      this.setState(session, uri, { kind: 'running', cell: `[${order}]` });
      const progress = new ProgressOutput(execution, (p) => this.setState(session, uri, { kind: 'running', cell: `[${order}]`, progress: p }));
      const asked = new Set<string>();
      let fromStatement = 0;
      for (;;) {
        try {
          // Only the rows the output shows come to this thread; export reads the rest from the runtime's.
          const results = await runtime.execute(text, { signal: abort.signal, onProgress: (p) => progress.show(p), sendRows: maxOutputRows(), fromStatement });
          await progress.stop();
          shown(results);
          await execution.replaceOutput(outputs);
          execution.end(true, Date.now());
          return true;
        } catch (err) {
          await progress.stop();
          if (!(err instanceof CellError)) throw err;
          shown(err.results);
          if (abort.signal.aborted) return await cancelled(`Cancelled at statement ${(err.statement ?? 0) + 1}.`);
          // A server without a key: ask once, then run the failed statement and the ones after it.
          const need = err.needsKey;
          if (need && err.statement !== undefined && !asked.has(keyId(need)) && (await this.secrets.get(need.server, need.origin)) === undefined) {
            asked.add(keyId(need));
            const key = await askForKey(need);
            if (key !== undefined && !abort.signal.aborted) {
              await this.secrets.set(need.server, need.origin, key);
              fromStatement = err.statement;
              continue;
            }
          }
          await execution.replaceOutput([...outputs, errorOutput(err, { text, statement: err.statement, cell: label }, cellKey)]);
          execution.end(false, Date.now());
          this.setState(session, uri, { kind: 'failed', cell: `[${order}]`, message: err.message });
          return false;
        }
      }
    } catch (err) {
      if (session.closed) return await cancelled('');
      // Not a statement's error (the runtime could not start, its thread died): said as one.
      const message = err instanceof Error ? err.message : String(err);
      await execution.replaceOutput([...outputs, errorOutput({ code: 'XX000', message }, { cell: label }, cellKey)]);
      execution.end(false, Date.now());
      this.setState(session, uri, { kind: 'failed', cell: `[${order}]`, message });
      return false;
    } finally {
      cancel.dispose();
      session.closing.removeEventListener('abort', stop);
    }
  }
}

const keyId = (k: KeyTarget) => `${k.server}\n${k.origin}`;

async function askForKey(target: KeyTarget): Promise<string | undefined> {
  const value = await vscode.window.showInputBox({
    title: `Clerk secret key for server "${target.server}"`,
    prompt: `Used for ${target.origin} only; kept in VS Code's secret storage.`,
    placeHolder: 'sk_live_… or sk_test_…',
    password: true,
    ignoreFocusOut: true,
    validateInput: checkKeyInput,
  });
  return value?.trim() || undefined;
}

function maxOutputRows(): number {
  const n = vscode.workspace.getConfiguration(SETTINGS.section).get<number>(SETTINGS.maxOutputRows, 1000);
  return Number.isInteger(n) && n >= 0 ? n : 1000;
}
