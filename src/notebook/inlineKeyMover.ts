// Moves Clerk secret keys written inline in a cell into SecretStorage and writes the placeholder
// in their place: before the cell runs, and from the language server's quick fix. The user is
// told where the key went; a notebook that had no other unsaved change is saved at once, so the
// file on disk stops holding the key too.
import * as vscode from 'vscode';
import { SqlParser } from '../fdw/sql/parser.js';
import { findInlineKeys, KEY_PLACEHOLDER, mayHoldKey, withPlaceholders } from '../fdw/runtime/inlineKeys.js';
import { originOf, type VsCodeSecretStore } from './secretStore.js';

let parser: Promise<SqlParser> | undefined;

/** What holds the text: a notebook for a cell, the document itself for a `.clerk.sql` opened as text. */
interface Saveable {
  readonly isDirty: boolean;
  readonly isUntitled: boolean;
  save(): Thenable<boolean>;
}

/**
 * Moves a cell's inline keys. `text` is the cell's text as it must run: with placeholders, even
 * if the edit of the cell could not be applied.
 */
export function moveInlineKeys(cell: vscode.NotebookCell, secrets: VsCodeSecretStore): Promise<{ text: string; moved: number }> {
  const earlier = cell.notebook
    .getCells(new vscode.NotebookRange(0, cell.index))
    .filter((c) => c.kind === vscode.NotebookCellKind.Code)
    .map((c) => c.document.getText());
  return moveKeys(cell.document, earlier, cell.notebook, secrets);
}

/** The quick fix's command: a notebook cell, or a `.clerk.sql` file open as text, named by its URI. */
export async function moveInlineKeysOf(secrets: VsCodeSecretStore, uri: string | vscode.Uri): Promise<number> {
  const target = uri.toString();
  for (const notebook of vscode.workspace.notebookDocuments) {
    const cell = notebook.getCells().find((c) => c.document.uri.toString() === target);
    if (cell) return (await moveInlineKeys(cell, secrets)).moved;
  }
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target);
  return document ? (await moveKeys(document, [], document, secrets)).moved : 0;
}

async function moveKeys(document: vscode.TextDocument, earlier: string[], owner: Saveable, secrets: VsCodeSecretStore): Promise<{ text: string; moved: number }> {
  const text = document.getText();
  if (!mayHoldKey(text)) return { text, moved: 0 };
  parser ??= SqlParser.load();
  const sql = await parser;
  const keys = findInlineKeys([...earlier, text].map((t) => sql.parse(t)), earlier.length);
  if (keys.length === 0) return { text, moved: 0 };

  for (const k of keys) await secrets.set(k.server, originOf(k.apiUrl), k.key);
  const wasDirty = owner.isDirty;
  const edit = new vscode.WorkspaceEdit();
  for (const k of keys) {
    edit.replace(document.uri, new vscode.Range(document.positionAt(k.start), document.positionAt(k.end)), `'${KEY_PLACEHOLDER}'`);
  }
  const edited = await vscode.workspace.applyEdit(edit);
  const saved = edited && !wasDirty && !owner.isUntitled && (await owner.save());
  const servers = [...new Set(keys.map((k) => `"${k.server}" (${originOf(k.apiUrl)})`))].join(', ');
  const where = edited ? `In its place: '${KEY_PLACEHOLDER}'` : 'The text could not be edited: replace the key with a placeholder yourself';
  const save = edited && !saved && !owner.isUntitled ? ' Save the file so that it no longer holds the key.' : '';
  void vscode.window.showInformationMessage(`Moved the api_key of server ${servers} to VS Code's secret storage. ${where}.${save}`);
  return { text: edited ? document.getText() : withPlaceholders(text, keys), moved: keys.length };
}
