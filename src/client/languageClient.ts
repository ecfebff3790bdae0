// The client of the Clerk SQL language server (dist/server.js, src/language/server.ts): started
// on the first clerk-sql notebook or document, over Node IPC.
//
// What is synchronized follows the server's capabilities: notebook document sync for the
// clerk-sql code cells of both notebook types (the server's `notebookDocumentSync`), and text
// sync for clerk-sql documents and `.clerk.sql` files opened as text (the document selector
// below, which the hover, completion and code action providers also use).
//
// A crash of the server is handled by vscode-languageclient's default error handler: it starts
// the server again, up to 4 restarts in 3 minutes (the 5th crash within 3 minutes stops it),
// and the restarted server is sent every open notebook and document again, and the databases of
// the notebooks on a Postgres connection (setDatabaseSchema).
import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { SchemaSnapshot } from '../fdw/db/schemaSnapshot.js';
import { CELL_LANGUAGE, NOTEBOOK_TYPES } from '../ids.js';
import { DatabaseSchemaNotification } from '../language/protocol.js';
import { SERVER_EXEC_ARGV } from '../language/serverProcess.js';
import { isClerkNotebook } from '../notebook/serializer.js';

const CLERK_FILE = '**/*.clerk.sql';

export const documentSelector: LanguageClientOptions['documentSelector'] = [
  ...NOTEBOOK_TYPES.map((notebook) => ({ notebook, language: CELL_LANGUAGE })),
  { scheme: 'file', language: CELL_LANGUAGE },
  { scheme: 'untitled', language: CELL_LANGUAGE },
  { scheme: 'file', pattern: CLERK_FILE },
];

const isClerkDocument = (d: vscode.TextDocument) => vscode.languages.match(documentSelector as vscode.DocumentSelector, d) > 0;

let client: LanguageClient | undefined;
/** The database of each notebook on a Postgres connection, by URI: what a (re)started server is told. */
const databases = new Map<string, SchemaSnapshot>();

function sendDatabase(notebook: string, snapshot: SchemaSnapshot | null): void {
  if (client?.state !== State.Running) return;
  client.sendNotification(DatabaseSchemaNotification, { notebook, snapshot }).catch(() => undefined);
}

/** Tells the server the database a notebook's kernel runs on (null: the embedded one, or none any more). */
export function setDatabaseSchema(notebook: string, snapshot: SchemaSnapshot | null): void {
  if (snapshot) databases.set(notebook, snapshot);
  else if (!databases.delete(notebook)) return;
  sendDatabase(notebook, snapshot);
}

/** Starts the language client when a clerk-sql notebook or document is (or gets) open. Dispose to stop it. */
export function startLanguageClient(context: vscode.ExtensionContext): vscode.Disposable {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = { module, transport: TransportKind.ipc, options: { execArgv: SERVER_EXEC_ARGV } };
  const clientOptions: LanguageClientOptions = { documentSelector, diagnosticCollectionName: CELL_LANGUAGE };
  const start = () => {
    if (client) return;
    client = new LanguageClient('clerkSql', 'Clerk SQL Language Server', serverOptions, clientOptions);
    client.onDidChangeState(({ newState }) => {
      if (newState === State.Running) for (const [notebook, snapshot] of databases) sendDatabase(notebook, snapshot);
    });
    client.start().catch((error) => void vscode.window.showErrorMessage(`Clerk SQL language server did not start: ${String(error)}`));
  };
  const watchers = [
    vscode.workspace.onDidOpenNotebookDocument((n) => isClerkNotebook(n) && start()),
    vscode.workspace.onDidOpenTextDocument((d) => isClerkDocument(d) && start()),
  ];
  if (vscode.workspace.notebookDocuments.some(isClerkNotebook) || vscode.workspace.textDocuments.some(isClerkDocument)) start();
  return {
    dispose: () => {
      for (const w of watchers) w.dispose();
      void stopLanguageClient();
    },
  };
}

/** Stops the client and its server (for deactivate(), which waits for it). */
export async function stopLanguageClient(): Promise<void> {
  const running = client;
  client = undefined;
  await running?.stop(2000).catch(() => undefined);
}
