// Activation: the serializer, the controller, the key store and the commands (one table, the
// same ids as package.json's contributes.commands).
import * as vscode from 'vscode';
import { readFile } from 'node:fs/promises';
import { DEFAULT_API_URL, checkApiUrl } from './fdw/clerk/apiUrl.js';
import { EnvironmentSecretStore } from './fdw/runtime/secrets.js';
import { startSimulator, type Simulator } from './fdw/simulator/index.js';
import { startLanguageClient, stopLanguageClient } from './client/languageClient.js';
import { ClerkSqlController, CONTROLLER_ID } from './notebook/controller.js';
import { exportResult } from './notebook/exportCommand.js';
import { ClerkSqlSerializer, NOTEBOOK_TYPE, registerSerializers } from './notebook/serializer.js';
import { checkKeyInput, originOf, VsCodeSecretStore } from './notebook/secretStore.js';
import { moveInlineKeysOf } from './notebook/inlineKeyMover.js';
import { MOVE_INLINE_KEYS_COMMAND } from './language/analysis/codeActions.js';
import { createStatusBar, runtimeMenu, RUNTIME_MENU_COMMAND } from './notebook/statusBar.js';

const EXTENSION_ID = 'clerk-sql-notebook.clerk-sql-notebook';
const EXAMPLE = 'examples/clerk-analytics.clerk.sql';

interface Ctx {
  extension: vscode.ExtensionContext;
  controller: ClerkSqlController;
  secrets: VsCodeSecretStore;
  simulator: Simulator | undefined;
}

export interface SimulatorOptions {
  users?: number;
  seed?: number;
  latencyMs?: number;
}

/** What activate() returns: for other extensions and the integration tests. */
export interface ClerkSqlApi {
  controllerId: string;
  /** The built-in simulator, once "Try with the Built-in Simulator" started it. */
  simulator(): Simulator | undefined;
}

type Command = (ctx: Ctx, ...args: any[]) => unknown;

const commands: Record<string, Command> = {
  'clerkSql.tryWithSimulator': tryWithSimulator,
  'clerkSql.restartRuntime': async (ctx, uri?: vscode.Uri) => {
    const target = uri ?? vscode.window.activeNotebookEditor?.notebook.uri;
    if (!target) return false;
    return ctx.controller.restart(target);
  },
  'clerkSql.setApiKey': setApiKey,
  'clerkSql.forgetApiKey': forgetApiKey,
  'clerkSql.exportResult': (ctx, resultId?: string | { document?: { uri?: vscode.Uri } }, format?: 'csv' | 'json', target?: vscode.Uri | string) => exportResult(ctx.controller, resultId, format, target),
  [MOVE_INLINE_KEYS_COMMAND]: (ctx, uri?: string | vscode.Uri) => {
    const notebook = vscode.window.activeNotebookEditor;
    const target = uri ?? notebook?.notebook.cellAt(notebook.selection.start).document.uri ?? vscode.window.activeTextEditor?.document.uri;
    return target ? moveInlineKeysOf(ctx.secrets, target) : 0;
  },
  [RUNTIME_MENU_COMMAND]: () => runtimeMenu(),
  'clerkSql.forgetAllApiKeys': async (ctx) => {
    const n = await ctx.secrets.forgetAll();
    await ctx.controller.invalidateUserKeySessions();
    void vscode.window.showInformationMessage(`Forgot ${n} Clerk ${n === 1 ? 'key' : 'keys'}.`);
    return n;
  },
};

export function activate(context: vscode.ExtensionContext): ClerkSqlApi {
  const secrets = new VsCodeSecretStore(context.secrets, context.globalState, (message) => void vscode.window.showWarningMessage(message));
  const controller = new ClerkSqlController(secrets);
  const ctx: Ctx = { extension: context, controller, secrets, simulator: undefined };
  context.subscriptions.push(...registerSerializers(), controller, createStatusBar(controller), { dispose: () => void ctx.simulator?.close() });
  context.subscriptions.push(startLanguageClient(context));
  for (const [id, handler] of Object.entries(commands)) {
    context.subscriptions.push(vscode.commands.registerCommand(id, (...args: unknown[]) => handler(ctx, ...args)));
  }
  return { controllerId: CONTROLLER_ID, simulator: () => ctx.simulator };
}

export function deactivate(): Promise<void> {
  return stopLanguageClient();
}

/** Starts the simulator and opens the example notebook (untitled) wired to it. */
async function tryWithSimulator(ctx: Ctx, options: SimulatorOptions = {}): Promise<vscode.NotebookDocument> {
  await ctx.simulator?.close();
  ctx.simulator = undefined;
  const sim = await startSimulator({ seed: options.seed ?? 1, users: options.users ?? 10000, latencyMs: options.latencyMs });
  ctx.simulator = sim;
  const text = await readFile(vscode.Uri.joinPath(ctx.extension.extensionUri, EXAMPLE).fsPath);
  const data = new ClerkSqlSerializer().deserializeNotebook(text);
  const notebook = await vscode.workspace.openNotebookDocument(NOTEBOOK_TYPE, data);
  // The simulator's key lives in memory only, for the simulator's origin only.
  ctx.controller.wire(notebook.uri, { apiUrlOverride: sim.url, secrets: new EnvironmentSecretStore(sim.secretKey, new URL(sim.url).origin), label: 'simulator' });
  const editor = await vscode.window.showNotebookDocument(notebook);
  await vscode.commands.executeCommand('notebook.selectKernel', { editor, id: CONTROLLER_ID, extension: EXTENSION_ID });
  const counts = sim.dataset.counts();
  void vscode.window.showInformationMessage(
    `Clerk simulator at ${sim.url}: ${counts.users.toLocaleString('en-US')} users, ${counts.orgs.toLocaleString('en-US')} organizations. Run All to query it.`,
  );
  return notebook;
}

/** Stores a key for a server (and API URL); asks for what is not given. Returns false when cancelled. */
async function setApiKey(ctx: Ctx, server?: string, key?: string, apiUrl?: string): Promise<boolean> {
  const name = server ?? (await vscode.window.showInputBox({ title: 'Clerk SQL: server name', prompt: 'The name in CREATE SERVER', value: 'my_clerk_server', ignoreFocusOut: true }));
  if (!name) return false;
  const url = apiUrl ?? (await vscode.window.showInputBox({ title: 'Clerk SQL: API URL', prompt: "The server's api_url option", value: DEFAULT_API_URL, ignoreFocusOut: true, validateInput: validUrl }));
  if (!url) return false;
  const secret = key ?? (await vscode.window.showInputBox({ title: `Clerk secret key for server "${name}"`, password: true, ignoreFocusOut: true, validateInput: checkKeyInput }));
  if (!secret) return false;
  const invalid = checkKeyInput(secret) ?? validUrl(url);
  if (invalid) throw new Error(invalid);
  await ctx.secrets.set(name, originOf(checkApiUrl(url)), secret.trim());
  await ctx.controller.invalidateUserKeySessions();
  return true;
}

/** Forgets one stored key: the given server and API URL, or one picked from the stored list. */
async function forgetApiKey(ctx: Ctx, server?: string, apiUrl?: string): Promise<boolean> {
  let target: { server: string; origin: string } | undefined;
  if (server) {
    target = { server, origin: originOf(apiUrl) };
  } else {
    const picked = await vscode.window.showQuickPick(
      ctx.secrets.list().map((k) => ({ label: k.server, description: k.origin, key: k })),
      { title: 'Clerk SQL: forget the key of…' },
    );
    target = picked?.key;
  }
  if (!target) return false;
  const had = await ctx.secrets.forget(target.server, target.origin);
  await ctx.controller.invalidateUserKeySessions();
  return had;
}

function validUrl(value: string): string | undefined {
  try {
    checkApiUrl(value);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}
