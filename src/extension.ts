// Activation: the serializer, the controller, the key store, the language client and the
// commands (one table, the same ids as package.json's contributes.commands).
import * as vscode from 'vscode';
import { readFile, writeFile } from 'node:fs/promises';
import { setDatabaseSchema, startLanguageClient, stopLanguageClient } from './client/languageClient.js';
import { ClerkSqlController } from './notebook/controller.js';
import { COMMANDS, CONTROLLER_ID, EXTENSION_ID, NOTEBOOK_TYPE } from './ids.js';
import { exportResult } from './notebook/exportCommand.js';
import type { ExportFormat } from './results/payload.js';
import type { GridView } from './results/view.js';
import { registerSerializers } from './notebook/serializer.js';
import { VsCodeSecretStore } from './notebook/secretStore.js';
import { forgetAllApiKeys, forgetApiKey, setApiKey } from './notebook/keyCommands.js';
import { moveInlineKeysOf, moveKeysOnSave } from './notebook/inlineKeyMover.js';
import { createStatusBar, runtimeMenu } from './notebook/statusBar.js';
import { registerCellTitles } from './notebook/cellTitles.js';
import { listenToRenderer } from './notebook/rendererMessages.js';
import { simulatorExample, simulatorUrl } from './notebook/simulatorExample.js';
import { addPostgresConnection, removePostgresConnection } from './notebook/connectionCommands.js';
import { PostgresConnections } from './notebook/postgresConnections.js';
import { DatabaseSchemas } from './notebook/databaseSchemas.js';

const EXAMPLE = 'examples/clerk-analytics.clerk.sql';
const EXAMPLE_COPY = 'clerk-simulator-example';

interface Ctx {
  extension: vscode.ExtensionContext;
  controller: ClerkSqlController;
  secrets: VsCodeSecretStore;
  connections: PostgresConnections;
}

export interface SimulatorOptions {
  users?: number;
  seed?: number;
  latencyMs?: number;
}

/** What activate() returns: for other extensions and the integration tests. */
export interface ClerkSqlApi {
  controllerId: string;
}

// VS Code passes a command's arguments untyped: each command below declares the ones it accepts.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Command = (ctx: Ctx, ...args: any[]) => unknown;

const commands: Record<(typeof COMMANDS)[keyof typeof COMMANDS], Command> = {
  [COMMANDS.tryWithSimulator]: tryWithSimulator,
  // The notebook toolbar passes the notebook, the palette and the status bar nothing (the active one).
  [COMMANDS.restartRuntime]: async (ctx, arg?: unknown) => {
    const notebook = notebookOf(arg);
    if (!notebook) return false;
    const had = await ctx.controller.restart(notebook);
    vscode.window.setStatusBarMessage(
      had ? 'Clerk SQL: runtime restarted; outputs from before are marked stale' : 'Clerk SQL: the runtime was not running',
      5000,
    );
    return had;
  },
  [COMMANDS.setApiKey]: async (ctx, server?: string, key?: string, apiUrl?: string) => {
    const set = await setApiKey(ctx.secrets, server, key, apiUrl);
    if (set) await ctx.controller.invalidateUserKeySessions();
    return set;
  },
  [COMMANDS.forgetApiKey]: async (ctx, server?: string, apiUrl?: string) => {
    const had = await forgetApiKey(ctx.secrets, server, apiUrl);
    await ctx.controller.invalidateUserKeySessions();
    return had;
  },
  [COMMANDS.forgetAllApiKeys]: async (ctx) => {
    const n = await forgetAllApiKeys(ctx.secrets);
    await ctx.controller.invalidateUserKeySessions();
    return n;
  },
  [COMMANDS.exportResult]: (
    ctx,
    resultId?: string | { document?: { uri?: vscode.Uri } },
    format?: ExportFormat,
    target?: vscode.Uri | string,
    view?: GridView,
  ) => exportResult(ctx.controller, resultId, format, target, view),
  [COMMANDS.moveInlineKeys]: (ctx, uri?: string | vscode.Uri) => {
    const notebook = vscode.window.activeNotebookEditor;
    const target = uri ?? notebook?.notebook.cellAt(notebook.selection.start).document.uri ?? vscode.window.activeTextEditor?.document.uri;
    return target ? moveInlineKeysOf(ctx.secrets, target) : 0;
  },
  [COMMANDS.runtimeMenu]: () => runtimeMenu(),
  [COMMANDS.addPostgresConnection]: (ctx, url?: string, password?: string) => addPostgresConnection(ctx.connections, url, password),
  [COMMANDS.removePostgresConnection]: (ctx, id?: string) => removePostgresConnection(ctx.connections, id),
};

export function activate(context: vscode.ExtensionContext): ClerkSqlApi {
  const secrets = new VsCodeSecretStore(context.secrets, context.globalState, (message) => void vscode.window.showWarningMessage(message));
  const connections = new PostgresConnections(context.globalState, context.secrets);
  const controller = new ClerkSqlController(secrets, connections);
  const ctx: Ctx = { extension: context, controller, secrets, connections };
  context.subscriptions.push(
    connections,
    ...registerSerializers(),
    controller,
    new DatabaseSchemas(controller, setDatabaseSchema),
    createStatusBar(controller),
    registerCellTitles(),
    listenToRenderer(controller),
    moveKeysOnSave(secrets),
    startLanguageClient(context),
  );
  for (const [id, handler] of Object.entries(commands)) {
    context.subscriptions.push(vscode.commands.registerCommand(id, (...args: unknown[]) => handler(ctx, ...args)));
  }
  return { controllerId: CONTROLLER_ID };
}

export function deactivate(): Promise<void> {
  return stopLanguageClient();
}

/** The notebook a command is for: the one it was given (a notebook, its URI, its editor), else the active one. */
function notebookOf(arg: unknown): vscode.NotebookDocument | undefined {
  const given = arg as { uri?: vscode.Uri; notebook?: { uri?: vscode.Uri }; notebookEditor?: { notebookUri?: vscode.Uri } } | undefined;
  const uri = arg instanceof vscode.Uri ? arg : (given?.uri ?? given?.notebook?.uri ?? given?.notebookEditor?.notebookUri);
  if (!uri) return vscode.window.activeNotebookEditor?.notebook;
  return vscode.workspace.notebookDocuments.find((n) => n.uri.toString() === uri.toString());
}

/**
 * Writes the example notebook, its server reading the built-in simulator, as a `.clerk.sql` file
 * the user keeps (in the workspace folder, else the extension's storage), opens it and selects
 * the kernel. A copy that exists with the same text is opened again, not duplicated.
 */
async function tryWithSimulator(ctx: Ctx, options: SimulatorOptions = {}): Promise<vscode.NotebookDocument> {
  const apiUrl = simulatorUrl(options);
  const example = await readFile(vscode.Uri.joinPath(ctx.extension.extensionUri, EXAMPLE).fsPath, 'utf8');
  const text = simulatorExample(example, apiUrl);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? ctx.extension.globalStorageUri;
  await vscode.workspace.fs.createDirectory(folder);
  let file: vscode.Uri;
  for (let n = 1; ; n++) {
    file = vscode.Uri.joinPath(folder, `${EXAMPLE_COPY}${n === 1 ? '' : `-${n}`}.clerk.sql`);
    const existing = await readFile(file.fsPath, 'utf8').catch(() => undefined);
    if (existing === undefined) {
      await writeFile(file.fsPath, text, { flag: 'wx' });
      break;
    }
    if (existing === text) break;
  }
  // Opened as the user opens a file (not openNotebookDocument, whose reference would keep the
  // notebook, and its kept results, alive for minutes after its editor closes).
  await vscode.commands.executeCommand('vscode.openWith', file, NOTEBOOK_TYPE);
  const editor = vscode.window.activeNotebookEditor;
  if (editor?.notebook.uri.toString() !== file.toString()) throw new Error(`${file.fsPath} did not open as a Clerk SQL notebook`);
  await vscode.commands.executeCommand('notebook.selectKernel', { editor, id: CONTROLLER_ID, extension: EXTENSION_ID });
  const notebook = editor.notebook;
  void vscode.window.showInformationMessage(
    `${vscode.workspace.asRelativePath(file)}: the example notebook, reading the built-in Clerk simulator (${(options.users ?? 10_000).toLocaleString('en-US')} users, no key). Run All to query it.`,
  );
  return notebook;
}
