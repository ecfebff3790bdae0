// "Clerk SQL: Add Postgres Connection..." and "Remove Postgres Connection...": a URL and a
// password (kept in SecretStorage), checked by connecting before they are saved; the kernel picker
// then offers the connection. Arguments skip the prompts (tests, other extensions).
import * as vscode from 'vscode';
import { PostgresEngine } from '../fdw/db/postgres.js';
import { parseConnectionUrl, type PostgresConnection, type PostgresConnections } from './postgresConnections.js';

export async function addPostgresConnection(connections: PostgresConnections, url?: string, password?: string): Promise<PostgresConnection | undefined> {
  const given =
    url ??
    (await vscode.window.showInputBox({
      title: 'Add Postgres Connection (1/2): the server',
      prompt: 'A libpq URL; what it leaves out comes from PG* environment variables and ~/.pgpass, as for psql.',
      placeHolder: 'postgres://user@host:5432/database',
      ignoreFocusOut: true,
      validateInput: (text) => {
        try {
          parseConnectionUrl(text);
          return undefined;
        } catch (error) {
          return (error as Error).message;
        }
      },
    }));
  if (!given) return undefined;
  const parsed = parseConnectionUrl(given);
  const secret =
    password ??
    parsed.password ??
    (await vscode.window.showInputBox({
      title: 'Add Postgres Connection (2/2): the password',
      prompt: `For ${parsed.url}; kept in VS Code's secret storage. Leave empty for none (~/.pgpass, trust).`,
      password: true,
      ignoreFocusOut: true,
    }));
  if (secret === undefined) return undefined;
  const withPassword = new URL(parsed.url);
  if (secret) withPassword.password = encodeURIComponent(secret);
  // Checked before it is saved: a typo is said now, not at the first run.
  const checked = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Connecting to ${parsed.url}` }, async () => {
    try {
      await (await PostgresEngine.connect({ url: withPassword.toString() })).close();
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  });
  if (checked !== undefined) {
    void vscode.window.showErrorMessage(`Not saved: ${checked}`);
    return undefined;
  }
  const connection = await connections.add(parsed.url, secret || undefined);
  void vscode.window.showInformationMessage(`Added ${connection.url}: pick "Clerk SQL (${connection.url})" in a notebook's kernel picker to run it there.`);
  return connection;
}

export async function removePostgresConnection(connections: PostgresConnections, id?: string): Promise<boolean> {
  const chosen =
    id ??
    (
      await vscode.window.showQuickPick(
        connections.list().map((c) => ({ label: c.url, id: c.id })),
        { title: 'Remove Postgres Connection', placeHolder: connections.list().length === 0 ? 'No connections saved' : 'The connection to remove' },
      )
    )?.id;
  if (!chosen || !connections.get(chosen)) return false;
  await connections.remove(chosen);
  return true;
}
