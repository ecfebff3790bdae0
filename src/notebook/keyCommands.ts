// "Set API Key", "Forget API Key", "Forget All API Keys": keys go where the user means. Set offers
// the active notebook's servers with their addresses (then any other), and every command says
// what it did.
import * as vscode from 'vscode';
import { DEFAULT_API_URL } from '../fdw/clerk/apiUrl.js';
import { apiTarget } from '../fdw/runtime/apiTarget.js';
import { notebookServers } from '../fdw/runtime/inlineKeys.js';
import { SqlParser } from '../fdw/sql/parser.js';
import { maskPsql } from '../fdw/sql/psqlVariables.js';
import { checkKeyInput, type VsCodeSecretStore } from './secretStore.js';
import { isClerkNotebook } from './serializer.js';
import type { KeyTarget } from '../fdw/runtime/sqlError.js';

let parser: Promise<SqlParser> | undefined;

/**
 * Stores a key for a server and API origin; asks for what is not given. `apiUrl` may be an origin.
 * Returns false when cancelled.
 */
export async function setApiKey(secrets: VsCodeSecretStore, server?: string, key?: string, apiUrl?: string): Promise<boolean> {
  const target = server ? targetOf(server, apiUrl) : await pickServer(secrets);
  if (!target) return false;
  const secret =
    key ??
    (await vscode.window.showInputBox({
      title: `Clerk secret key for server "${target.server}"`,
      prompt: `Sent only to ${target.origin}; kept in VS Code's secret storage.`,
      placeHolder: 'sk_live_… or sk_test_…',
      password: true,
      ignoreFocusOut: true,
      validateInput: checkKeyInput,
    }));
  if (!secret) return false;
  const invalid = checkKeyInput(secret);
  if (invalid) throw new Error(invalid);
  const had = (await secrets.get(target.server, target.origin)) !== undefined;
  await secrets.set(target.server, target.origin, secret.trim());
  void vscode.window.showInformationMessage(
    `${had ? 'Replaced' : 'Stored'} the Clerk key of server "${target.server}" for ${target.origin} in VS Code's secret storage.`,
  );
  return true;
}

/** Forgets one stored key: the given server and API URL (or origin), or one picked from the stored list. */
export async function forgetApiKey(secrets: VsCodeSecretStore, server?: string, apiUrl?: string): Promise<boolean> {
  let target: KeyTarget | undefined;
  if (server) target = targetOf(server, apiUrl);
  else {
    const stored = secrets.list();
    if (stored.length === 0) {
      void vscode.window.showInformationMessage('No Clerk key is stored.');
      return false;
    }
    const picked = await vscode.window.showQuickPick(
      stored.map((k) => ({ label: k.server, description: k.origin, key: k })),
      { title: 'Clerk SQL: forget the key of…' },
    );
    target = picked?.key;
  }
  if (!target) return false;
  const had = await secrets.forget(target.server, target.origin);
  void vscode.window.showInformationMessage(
    had
      ? `Forgot the Clerk key of server "${target.server}" for ${target.origin}.`
      : `No Clerk key was stored for server "${target.server}" at ${target.origin}.`,
  );
  return had;
}

export async function forgetAllApiKeys(secrets: VsCodeSecretStore): Promise<number> {
  const n = await secrets.forgetAll();
  void vscode.window.showInformationMessage(n === 0 ? 'No Clerk key was stored.' : `Forgot ${n} Clerk ${n === 1 ? 'key' : 'keys'}.`);
  return n;
}

function targetOf(server: string, apiUrl: string | undefined): KeyTarget {
  const target = apiTarget(apiUrl);
  if (target.kind !== 'http') throw new Error(`server "${server}" reads the built-in simulator: it needs no key`);
  return { server, origin: target.origin };
}

type ServerItem = vscode.QuickPickItem & { target?: KeyTarget };

/** The active notebook's servers that take a key, with their addresses and whether one is stored; then "Another server…". */
async function pickServer(secrets: VsCodeSecretStore): Promise<KeyTarget | undefined> {
  const items: ServerItem[] = [];
  for (const { server, apiUrl } of await activeNotebookServers()) {
    let target: KeyTarget;
    try {
      target = targetOf(server, apiUrl);
    } catch {
      continue; // the simulator, or an api_url the language server already reports
    }
    const stored = (await secrets.get(target.server, target.origin)) !== undefined;
    items.push({ label: server, description: target.origin, detail: stored ? 'A key is stored: enter one to replace it' : 'No key stored yet', target });
  }
  const other: ServerItem = { label: 'Another server…', description: 'type its name and API address' };
  const picked =
    items.length === 0 ? other : await vscode.window.showQuickPick([...items, other], { title: 'Clerk SQL: set the key of…', ignoreFocusOut: true });
  if (!picked) return undefined;
  if (picked.target) return picked.target;
  const name = await vscode.window.showInputBox({
    title: 'Clerk SQL: server name',
    prompt: 'The name in CREATE SERVER',
    value: 'my_clerk_server',
    ignoreFocusOut: true,
  });
  if (!name) return undefined;
  const url = await vscode.window.showInputBox({
    title: 'Clerk SQL: API URL',
    prompt: "The server's api_url option (Clerk's when it has none)",
    value: DEFAULT_API_URL,
    ignoreFocusOut: true,
    validateInput: validKeyUrl,
  });
  return url ? targetOf(name, url) : undefined;
}

async function activeNotebookServers(): Promise<{ server: string; apiUrl: string }[]> {
  const notebook = vscode.window.activeNotebookEditor?.notebook;
  if (!notebook || !isClerkNotebook(notebook)) return [];
  parser ??= SqlParser.load();
  const sql = await parser;
  const cells = notebook.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code);
  return notebookServers(cells.map((c) => sql.parse(maskPsql(c.document.getText()))));
}

function validKeyUrl(value: string): string | undefined {
  try {
    targetOf('server', value);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}
