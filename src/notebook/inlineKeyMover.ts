// Moves Clerk secret keys written inline in a cell into SecretStorage and writes the placeholder
// in their place: before a notebook (or a `.clerk.sql` open as text) is saved, so the key never
// reaches the disk, with or without auto-save; before a cell runs; and from the language server's
// quick fix. The user is told where the key went.
import * as vscode from 'vscode';
import { SqlParser } from '../fdw/sql/parser.js';
import { findInlineKeys, KEY_PLACEHOLDER, mayHoldKey, withPlaceholders, type InlineKey } from '../fdw/runtime/inlineKeys.js';
import { isClerkNotebook } from './serializer.js';
import { originOf, type VsCodeSecretStore } from './secretStore.js';

let parser: Promise<SqlParser> | undefined;

/** What holds the text: a notebook for a cell, the document itself for a `.clerk.sql` opened as text. */
interface Saveable {
  readonly isDirty: boolean;
  readonly isUntitled: boolean;
  save(): Thenable<boolean>;
}

/**
 * Moves a cell's inline keys before it runs. `text` is the cell's text as it must run: with
 * placeholders, even if the edit of the cell could not be applied.
 */
export async function moveInlineKeys(cell: vscode.NotebookCell, secrets: VsCodeSecretStore): Promise<{ text: string; moved: number }> {
  const text = cell.document.getText();
  const keys = await storeKeys(cell.document, earlierCells(cell), secrets);
  if (keys.length === 0) return { text, moved: 0 };
  const edited = await applyAndSave(cell.document, keys, cell.notebook);
  return { text: edited ? cell.document.getText() : withPlaceholders(text, keys), moved: keys.length };
}

/** The quick fix's command: a notebook cell, or a `.clerk.sql` file open as text, named by its URI. */
export async function moveInlineKeysOf(secrets: VsCodeSecretStore, uri: string | vscode.Uri): Promise<number> {
  const target = uri.toString();
  for (const notebook of vscode.workspace.notebookDocuments) {
    const cell = notebook.getCells().find((c) => c.document.uri.toString() === target);
    if (cell) return (await moveInlineKeys(cell, secrets)).moved;
  }
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target);
  if (!document) return 0;
  const keys = await storeKeys(document, [], secrets);
  if (keys.length > 0) await applyAndSave(document, keys, document);
  return keys.length;
}

/** Moves the keys of a Clerk SQL notebook or `.clerk.sql` text file as part of saving it. */
export function moveKeysOnSave(secrets: VsCodeSecretStore): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.workspace.onWillSaveNotebookDocument((e) => {
      if (!isClerkNotebook(e.notebook) || !e.notebook.getCells().some((c) => mayHoldKey(c.document.getText()))) return;
      e.waitUntil(notebookEdit(e.notebook, secrets));
    }),
    vscode.workspace.onWillSaveTextDocument((e) => {
      const { document } = e;
      if (document.uri.scheme === 'vscode-notebook-cell' || !(document.languageId === 'clerk-sql' || document.fileName.endsWith('.clerk.sql'))) return;
      if (!mayHoldKey(document.getText())) return;
      e.waitUntil(storeKeys(document, [], secrets).then((keys) => {
        if (keys.length > 0) tell(keys, true);
        return keys.map((k) => placeholderEdit(document, k));
      }));
    }),
  );
}

async function notebookEdit(notebook: vscode.NotebookDocument, secrets: VsCodeSecretStore): Promise<vscode.WorkspaceEdit> {
  const edit = new vscode.WorkspaceEdit();
  const moved: InlineKey[] = [];
  for (const cell of notebook.getCells()) {
    if (cell.kind !== vscode.NotebookCellKind.Code || !mayHoldKey(cell.document.getText())) continue;
    const keys = await storeKeys(cell.document, earlierCells(cell), secrets);
    edit.set(cell.document.uri, keys.map((k) => placeholderEdit(cell.document, k)));
    moved.push(...keys);
  }
  if (moved.length > 0) tell(moved, true);
  return edit;
}

function earlierCells(cell: vscode.NotebookCell): string[] {
  return cell.notebook
    .getCells(new vscode.NotebookRange(0, cell.index))
    .filter((c) => c.kind === vscode.NotebookCellKind.Code)
    .map((c) => c.document.getText());
}

/** Finds a document's inline keys and stores each for its server and origin. */
async function storeKeys(document: vscode.TextDocument, earlier: string[], secrets: VsCodeSecretStore): Promise<InlineKey[]> {
  const text = document.getText();
  if (!mayHoldKey(text)) return [];
  parser ??= SqlParser.load();
  const sql = await parser;
  const keys = findInlineKeys([...earlier, text].map((t) => sql.parse(t)), earlier.length);
  for (const k of keys) await secrets.set(k.server, originOf(k.apiUrl), k.key);
  return keys;
}

function placeholderEdit(document: vscode.TextDocument, k: InlineKey): vscode.TextEdit {
  return vscode.TextEdit.replace(new vscode.Range(document.positionAt(k.start), document.positionAt(k.end)), `'${KEY_PLACEHOLDER}'`);
}

/** Writes the placeholders; a file that had no other unsaved change is saved, so the disk stops holding the key too. */
async function applyAndSave(document: vscode.TextDocument, keys: InlineKey[], owner: Saveable): Promise<boolean> {
  const wasDirty = owner.isDirty;
  const edit = new vscode.WorkspaceEdit();
  edit.set(document.uri, keys.map((k) => placeholderEdit(document, k)));
  const edited = await vscode.workspace.applyEdit(edit);
  const saved = edited && !wasDirty && !owner.isUntitled && (await owner.save());
  tell(keys, edited, edited && !saved && !owner.isUntitled);
  return edited;
}

function tell(keys: InlineKey[], edited: boolean, unsaved = false): void {
  const servers = [...new Set(keys.map((k) => `"${k.server}" (${originOf(k.apiUrl)})`))].join(', ');
  const where = edited ? `In its place: '${KEY_PLACEHOLDER}'` : 'The text could not be edited: replace the key with a placeholder yourself';
  const save = unsaved ? ' Save the file so that it no longer holds the key.' : '';
  void vscode.window.showInformationMessage(`Moved the api_key of server ${servers} to VS Code's secret storage. ${where}.${save}`);
}
