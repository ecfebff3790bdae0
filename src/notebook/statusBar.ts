// The status bar item of the active Clerk SQL notebook: its runtime's state (not started,
// starting, running cell N with fetch progress, ready with the API requests made, failed,
// Restricted Mode). Clicking it offers the runtime's actions.
import * as vscode from 'vscode';
import type { ClerkSqlController, RuntimeState } from './controller.js';
import { COMMANDS, STATUS_BAR_ITEM_ID } from '../ids.js';
import { isClerkNotebook } from './serializer.js';

/** `where`: a PostgreSQL connection's URL when the notebook runs there (the embedded database is the default, not shown). */
export function statusText(state: RuntimeState | undefined, where?: string): { text: string; tooltip: string } {
  const { text, tooltip } = stateText(state);
  if (state === undefined || state.kind === 'restricted') return { text, tooltip };
  return where && where !== 'embedded'
    ? { text: `${text} · ${where}`, tooltip: `${tooltip}\nRuns on ${where}.` }
    : { text, tooltip: `${tooltip}\nRuns in the embedded database.` };
}

function stateText(state: RuntimeState | undefined): { text: string; tooltip: string } {
  const count = (n: number) => `${n.toLocaleString('en-US')} API ${n === 1 ? 'request' : 'requests'}`;
  switch (state?.kind) {
    case undefined:
      return { text: '$(database) Clerk SQL', tooltip: 'Runtime not started: it starts on the first run.' };
    case 'starting':
      return { text: '$(loading~spin) Clerk SQL: starting', tooltip: 'Starting the runtime.' };
    case 'running':
      return { text: `$(loading~spin) Clerk SQL: cell ${state.cell}${state.progress ? ` · ${state.progress}` : ''}`, tooltip: `Running cell ${state.cell}.` };
    case 'ready':
      return { text: `$(database) Clerk SQL: ready · ${count(state.requests)}`, tooltip: `Runtime ready; ${count(state.requests)} made since it started.` };
    case 'failed':
      return { text: `$(error) Clerk SQL: cell ${state.cell} failed`, tooltip: state.message };
    case 'restricted':
      return { text: '$(shield) Clerk SQL: Restricted Mode', tooltip: 'Cells do not run until the workspace is trusted; editing help still works.' };
  }
}

export function createStatusBar(controller: ClerkSqlController): vscode.Disposable {
  const item = vscode.window.createStatusBarItem(STATUS_BAR_ITEM_ID, vscode.StatusBarAlignment.Left, 100);
  item.name = 'Clerk SQL Runtime';
  item.command = COMMANDS.runtimeMenu;
  const update = () => {
    const notebook = vscode.window.activeNotebookEditor?.notebook;
    if (!notebook || !isClerkNotebook(notebook)) {
      item.hide();
      return;
    }
    const state = controller.state(notebook.uri);
    const { text, tooltip } = statusText(state, controller.where(notebook.uri));
    item.text = text;
    item.tooltip = tooltip;
    item.backgroundColor = state?.kind === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    item.show();
  };
  update();
  return vscode.Disposable.from(
    item,
    controller.onDidChangeState((uri) => {
      if (uri.toString() === vscode.window.activeNotebookEditor?.notebook.uri.toString()) update();
    }),
    vscode.window.onDidChangeActiveNotebookEditor(update),
    vscode.workspace.onDidGrantWorkspaceTrust(update),
  );
}

/** The actions behind the status bar item. */
export async function runtimeMenu(): Promise<void> {
  const actions = [
    { label: '$(debug-restart) Restart Notebook Runtime', command: COMMANDS.restartRuntime },
    { label: '$(key) Set API Key', command: COMMANDS.setApiKey },
    { label: '$(trash) Forget API Key', command: COMMANDS.forgetApiKey },
    { label: '$(save-as) Export Result', command: COMMANDS.exportResult },
    { label: '$(plug) Add Postgres Connection...', command: COMMANDS.addPostgresConnection },
  ];
  const picked = await vscode.window.showQuickPick(actions, { title: 'Clerk SQL' });
  if (picked) await vscode.commands.executeCommand(picked.command);
}
