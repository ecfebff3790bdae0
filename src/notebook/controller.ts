// The notebook controller: runs code cells in order through one FDW Runtime per notebook
// (started on the first run), with live fetch progress, a stop button that aborts the
// statement, and outputs as an aligned table (text/plain) plus a versioned JSON result.
import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import { CellError, type FetchProgress, type StatementResult } from '../fdw/runtime/runtime.js';
import { HostedRuntime, type HostedResult } from '../fdw/host/hostedRuntime.js';
import type { SecretStore } from '../fdw/runtime/secrets.js';
import { SQLSTATE } from '../fdw/runtime/sqlError.js';
import { limitsFromSettings } from '../fdw/runtime/limits.js';
import { describeSources, formatTable } from '../cli/output.js';
import { CELL_LANGUAGE, NOTEBOOK_TYPE, NOTEBOOK_TYPES } from './serializer.js';
import { checkKeyInput, missingKeyOf, type VsCodeSecretStore } from './secretStore.js';
import { listenToRenderer } from './exportCommand.js';
import { pagedSource, sourceOf, type ExportSource } from './export.js';
import { moveInlineKeys } from './inlineKeyMover.js';
import { OriginGuard } from './originGuard.js';
import { originPrompt } from './originPrompt.js';

export const CONTROLLER_ID = 'clerk-sql-runtime';
export { RESULT_MIME, resultPayload, type ResultPayload } from './payload.js';
import { RESULT_MIME, resultPayload } from './payload.js';

/**
 * A statement's full result, kept for export while it is the cell's latest output. Rows past
 * those in the output stay in the runtime's thread, read from there page by page when exported.
 */
export interface KeptResult {
  id: string;
  notebook: string;
  cell: string;
  /** "cell 5, statement 1: Every user…" */
  label: string;
  source: ExportSource;
  release(): void;
}

/** What the status bar shows for a notebook. */
export type RuntimeState =
  | { kind: 'starting' }
  | { kind: 'running'; cell: number; progress?: string }
  | { kind: 'ready'; requests: number }
  | { kind: 'failed'; cell: number; message: string }
  | { kind: 'restricted' };

/** How a notebook's runtime is wired: the simulator notebook gets an API override and its key. */
export interface SessionWiring {
  apiUrlOverride?: string;
  secrets?: SecretStore;
  /** A label for the notebook's runtime, e.g. "simulator". */
  label?: string;
}

class Session {
  private runtime: Promise<HostedRuntime> | undefined;
  /** Cell runs of this notebook, one after another. */
  queue: Promise<unknown> = Promise.resolve();
  order = 0;
  state: RuntimeState | undefined;
  /** Clerk API requests made by this runtime. */
  requests = 0;

  constructor(
    private readonly secrets: SecretStore,
    readonly wiring: SessionWiring,
  ) {}

  get started(): boolean {
    return this.runtime !== undefined;
  }

  get usesUserKeys(): boolean {
    return this.wiring.secrets === undefined;
  }

  start(): Promise<HostedRuntime> {
    if (!this.runtime) {
      // In a worker thread: fetching, parsing and copying rows would otherwise hold the extension
      // host's thread, which every extension shares, for seconds on a large read.
      const started = HostedRuntime.start({ secrets: this.wiring.secrets ?? this.secrets, apiUrlOverride: this.wiring.apiUrlOverride, limits: limitsFromSettings(vscode.workspace.getConfiguration('clerkSql')) });
      started.catch(() => (this.runtime = undefined));
      this.runtime = started;
    }
    return this.runtime;
  }

  async invalidate(): Promise<void> {
    (await this.runtime?.catch(() => undefined))?.invalidate();
  }

  async close(): Promise<void> {
    const runtime = this.runtime;
    this.runtime = undefined;
    this.order = 0;
    this.state = undefined;
    this.requests = 0;
    if (runtime) await (await runtime.catch(() => undefined))?.close();
  }
}

export class ClerkSqlController implements vscode.Disposable {
  /** One controller per notebook type (`*.clerk.sql`, and any `.sql` opened with "Open With"). */
  readonly controllers: vscode.NotebookController[];
  private readonly sessions = new Map<string, Session>();
  private readonly wirings = new Map<string, SessionWiring>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Full results of the notebooks' latest outputs, by result id; dropped on rerun and close. */
  private readonly kept = new Map<string, KeptResult>();
  /** Keys for the runtimes: from SecretStorage, once the API origin is Clerk's or confirmed. */
  private readonly runtimeSecrets: SecretStore;
  private readonly stateChanged = new vscode.EventEmitter<vscode.Uri>();
  /** Fires with a notebook's URI when its runtime's state changes. */
  readonly onDidChangeState = this.stateChanged.event;

  constructor(private readonly secrets: VsCodeSecretStore) {
    this.runtimeSecrets = new OriginGuard(secrets, originPrompt);
    this.controllers = NOTEBOOK_TYPES.map((type) => {
      const id = type === NOTEBOOK_TYPE ? CONTROLLER_ID : `${CONTROLLER_ID}-${type}`;
      const controller = vscode.notebooks.createNotebookController(id, type, 'Clerk SQL');
      controller.supportedLanguages = [CELL_LANGUAGE];
      controller.supportsExecutionOrder = true;
      controller.description = 'clerk_fdw in an embedded Postgres';
      controller.executeHandler = (cells, notebook, self) => this.execute(cells, notebook, self);
      return controller;
    });
    // The renderer's export buttons post to the extension through renderer messaging.
    this.disposables.push(listenToRenderer());
    this.disposables.push(...this.controllers, this.stateChanged, vscode.workspace.onDidCloseNotebookDocument((nb) => {
      void this.closeSession(nb.uri);
    }));
  }

  /** Wires a notebook (before its first run) to an API override and key, e.g. the simulator's. */
  wire(notebook: vscode.Uri, wiring: SessionWiring): void {
    this.wirings.set(notebook.toString(), wiring);
  }

  /** A notebook's runtime state (undefined: not started) and label. */
  state(notebook: vscode.Uri): { state: RuntimeState | undefined; label: string | undefined } {
    const session = this.sessions.get(notebook.toString());
    const label = (session?.wiring ?? this.wirings.get(notebook.toString()))?.label;
    return { state: vscode.workspace.isTrusted ? session?.state : { kind: 'restricted' }, label };
  }

  private setState(session: Session, notebook: vscode.Uri, state: RuntimeState): void {
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

  private keep(cell: vscode.NotebookCell, result: HostedResult): string {
    const id = randomUUID();
    const title = (cell.metadata?.title as string | undefined) ?? cell.document.getText().trim().split('\n')[0]!.slice(0, 60);
    const label = `cell ${cell.index + 1}, statement ${result.statement + 1}: ${title}`;
    const { remote } = result;
    const source = remote ? pagedSource(result, remote.total, (offset, count) => remote.read(offset, count)) : sourceOf(result);
    this.kept.set(id, { id, notebook: cell.notebook.uri.toString(), cell: cell.document.uri.toString(), label, source, release: () => remote?.release() });
    return id;
  }

  private dropKept(match: (k: KeptResult) => boolean): void {
    for (const [id, k] of this.kept) {
      if (!match(k)) continue;
      k.release();
      this.kept.delete(id);
    }
  }

  async restart(notebook: vscode.Uri): Promise<boolean> {
    return this.closeSession(notebook);
  }

  /**
   * Forgets the fetched rows of every runtime using stored keys (after a key is forgotten or
   * replaced), so that no statement reads rows fetched with a key the user took back.
   */
  async invalidateUserKeySessions(): Promise<void> {
    for (const session of this.sessions.values()) if (session.usesUserKeys) await session.invalidate();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
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

  private session(notebook: vscode.NotebookDocument): Session {
    const key = notebook.uri.toString();
    let session = this.sessions.get(key);
    if (!session) {
      session = new Session(this.runtimeSecrets, this.wirings.get(key) ?? {});
      this.sessions.set(key, session);
    }
    return session;
  }

  private execute(cells: vscode.NotebookCell[], notebook: vscode.NotebookDocument, controller: vscode.NotebookController): Promise<void> {
    const session = this.session(notebook);
    // Executions are created at once so queued cells show as pending and each has a stop button.
    const executions = cells
      .filter((cell) => cell.kind === vscode.NotebookCellKind.Code)
      .map((cell) => ({ cell, execution: controller.createNotebookCellExecution(cell) }));
    const run = session.queue.then(async () => {
      for (let i = 0; i < executions.length; i++) {
        const { cell, execution } = executions[i]!;
        const ok = await this.runCell(session, cell, execution);
        if (!ok) {
          // Stop at the first failure, as psql -v ON_ERROR_STOP=1 does; the rest stay unrun.
          for (const rest of executions.slice(i + 1)) rest.execution.end(undefined);
          return;
        }
      }
    });
    session.queue = run.catch(() => undefined);
    return run;
  }

  /** Runs one cell; true when it succeeded. */
  private async runCell(session: Session, cell: vscode.NotebookCell, execution: vscode.NotebookCellExecution): Promise<boolean> {
    const abort = new AbortController();
    const cancel = execution.token.onCancellationRequested(() => abort.abort());
    execution.executionOrder = ++session.order;
    execution.start(Date.now());
    // The cell's previous results go with its previous outputs.
    const cellKey = cell.document.uri.toString();
    this.dropKept((k) => k.cell === cellKey);
    const output = (r: HostedResult) => resultOutput(r, this.keep(cell, r));
    try {
      if (execution.token.isCancellationRequested) {
        execution.end(false, Date.now());
        return false;
      }
      if (cell.document.getText().trim() === '') {
        await execution.clearOutput();
        execution.end(true, Date.now());
        return true;
      }
      await execution.replaceOutput([]);
      // Before anything runs, so the key never reaches the runtime, outputs or the saved file.
      const { text } = await moveInlineKeys(cell, this.secrets);
      const uri = cell.notebook.uri;
      const cellNumber = cell.index + 1;
      if (!session.started) this.setState(session, uri, { kind: 'starting' });
      const runtime = await session.start();
      this.setState(session, uri, { kind: 'running', cell: cellNumber });
      const progress = new ProgressOutput(execution, (p) => this.setState(session, uri, { kind: 'running', cell: cellNumber, progress: p }));
      const asked = new Set<string>();
      let done: HostedResult[] = [];
      let source = text;
      for (;;) {
        try {
          // Only the rows the output shows come to this thread; export reads the rest from the runtime's.
          const results = await runtime.execute(source, { signal: abort.signal, onProgress: (p) => progress.show(p), sendRows: maxOutputRows() });
          done = [...done, ...renumber(results, done.length)];
          await progress.stop();
          await execution.replaceOutput(done.map(output));
          execution.end(true, Date.now());
          session.requests += results.reduce((n, r) => n + r.requests, 0);
          this.setState(session, uri, { kind: 'ready', requests: session.requests });
          return true;
        } catch (err) {
          await progress.stop();
          if (!(err instanceof CellError)) throw err;
          done = [...done, ...renumber(err.results as HostedResult[], done.length)];
          const missing = err.code === SQLSTATE.fdwUnableToEstablishConnection && session.usesUserKeys ? missingKeyOf(err.message) : undefined;
          const id = missing && `${missing.server}\n${missing.origin}`;
          if (missing && id && !asked.has(id) && !abort.signal.aborted) {
            asked.add(id);
            const key = await askForKey(missing.server, missing.origin);
            if (key !== undefined && !abort.signal.aborted) {
              await this.secrets.set(missing.server, missing.origin, key);
              // Run the failed statement and the ones after it again; the ones before it ran.
              source = blankStatements(text, done);
              continue;
            }
          }
          await execution.replaceOutput([...done.map(output), errorOutput(err)]);
          execution.end(false, Date.now());
          session.requests += err.results.reduce((n, r) => n + r.requests, 0);
          this.setState(session, uri, { kind: 'failed', cell: cellNumber, message: err.message });
          return false;
        }
      }
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      await execution.replaceOutput([new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error(e)])]);
      execution.end(false, Date.now());
      this.setState(session, cell.notebook.uri, { kind: 'failed', cell: cell.index + 1, message: e.message });
      return false;
    } finally {
      cancel.dispose();
    }
  }
}

/** Statement numbers of a rerun's results continue after the results already shown. */
function renumber<T extends StatementResult>(results: T[], offset: number): T[] {
  return offset === 0 ? results : results.map((r) => ({ ...r, statement: r.statement + offset }));
}

/**
 * The cell's text with the statements that already ran replaced by spaces (line breaks kept,
 * so positions in errors still point into the cell as written).
 */
export function blankStatements(text: string, ran: StatementResult[]): string {
  let out = text;
  let from = 0;
  for (const r of ran) {
    const at = out.indexOf(r.sql, from);
    if (at < 0) continue;
    out = out.slice(0, at) + r.sql.replace(/[^\r\n]/g, ' ') + out.slice(at + r.sql.length);
    from = at + r.sql.length;
  }
  return out;
}

async function askForKey(server: string, origin: string): Promise<string | undefined> {
  const value = await vscode.window.showInputBox({
    title: `Clerk secret key for server "${server}"`,
    prompt: `Used for ${origin} only; kept in VS Code's secret storage.`,
    placeHolder: 'sk_live_… or sk_test_…',
    password: true,
    ignoreFocusOut: true,
    validateInput: checkKeyInput,
  });
  return value?.trim() || undefined;
}

function maxOutputRows(): number {
  const n = vscode.workspace.getConfiguration('clerkSql').get<number>('maxOutputRows', 1000);
  return Number.isInteger(n) && n >= 0 ? n : 1000;
}

function resultOutput(result: HostedResult, resultId: string): vscode.NotebookCellOutput {
  const max = maxOutputRows();
  const total = result.remote?.total ?? result.rows.length;
  const notices = result.notices.map((n) => `NOTICE:  ${n}\n`).join('');
  const text = `${notices}${formatTable(result, max, total)}\n${describeSources(result)}`;
  return new vscode.NotebookCellOutput(
    // The JSON item first, so that the renderer draws it; the text table is the fallback.
    [vscode.NotebookCellOutputItem.json(resultPayload(result, max, resultId, total), RESULT_MIME), vscode.NotebookCellOutputItem.text(text, 'text/plain')],
    { statement: result.statement },
  );
}

function errorOutput(err: CellError): vscode.NotebookCellOutput {
  const at = err.position ? `cell line ${err.position.line + 1}, column ${err.position.character + 1}` : undefined;
  const statement = err.statement !== undefined ? `statement ${err.statement + 1}` : undefined;
  const where = [at, statement].filter(Boolean).join(', ');
  const lines = [`SQLSTATE ${err.code}${where ? ` at ${where}` : ''}`];
  if (err.detail) lines.push(`DETAIL:  ${err.detail}`);
  if (err.hint) lines.push(`HINT:  ${err.hint}`);
  return new vscode.NotebookCellOutput([
    vscode.NotebookCellOutputItem.error({ name: 'ERROR', message: err.message, stack: lines.join('\n') }),
  ], { sqlstate: err.code });
}

/** "users: 12,000 of 45,000 rows, 24 requests" in the running cell, at most every 250 ms. */
class ProgressOutput {
  private last = 0;
  private pending: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly execution: vscode.NotebookCellExecution,
    private readonly onShow: (text: string) => void,
  ) {}

  show(p: FetchProgress): void {
    const now = Date.now();
    if (this.stopped || now - this.last < 250) return;
    this.last = now;
    const text = progressText(p);
    this.onShow(text);
    this.pending = this.pending.then(() => (this.stopped ? undefined : this.execution.replaceOutput([new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.text(text, 'text/plain')], { progress: true })])));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.pending.catch(() => undefined);
  }
}

export function progressText(p: FetchProgress): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const total = p.total !== undefined ? ` of ${n(p.total)}` : '';
  return `${p.table}: ${n(p.rows)}${total} rows, ${n(p.requests)} ${p.requests === 1 ? 'request' : 'requests'}`;
}
