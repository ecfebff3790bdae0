// Moves Clerk secret keys written inline in a cell into SecretStorage and writes the placeholder
// in their place: before the cell runs, and from the language server's quick fix. The user is
// told where the key went; a notebook that had no other unsaved change is saved at once, so the
// file on disk stops holding the key too.
import * as vscode from 'vscode';
import { SqlParser } from '../fdw/sql/parser.js';
import { findInlineKeys, KEY_PLACEHOLDER, mayHoldKey, withPlaceholders } from '../fdw/runtime/inlineKeys.js';
import { originOf, type VsCodeSecretStore } from './secretStore.js';

let parser: Promise<SqlParser> | undefined;

/**
 * Moves the cell's inline keys. `text` is the cell's text as it must run: with placeholders, even
 * if the edit of the cell could not be applied.
 */
export async function moveInlineKeys(cell: vscode.NotebookCell, secrets: VsCodeSecretStore): Promise<{ text: string; moved: number }> {
  const text = cell.document.getText();
  if (!mayHoldKey(text)) return { text, moved: 0 };
  parser ??= SqlParser.load();
  const sql = await parser;
  const cells = cell.notebook
    .getCells(new vscode.NotebookRange(0, cell.index + 1))
    .filter((c) => c.kind === vscode.NotebookCellKind.Code)
    .map((c) => sql.parse(c.document.getText()));
  const keys = findInlineKeys(cells, cells.length - 1);
  if (keys.length === 0) return { text, moved: 0 };

  for (const k of keys) await secrets.set(k.server, originOf(k.apiUrl), k.key);
  const wasDirty = cell.notebook.isDirty;
  const edit = new vscode.WorkspaceEdit();
  for (const k of keys) {
    edit.replace(cell.document.uri, new vscode.Range(cell.document.positionAt(k.start), cell.document.positionAt(k.end)), `'${KEY_PLACEHOLDER}'`);
  }
  const edited = await vscode.workspace.applyEdit(edit);
  const saved = edited && !wasDirty && !cell.notebook.isUntitled && (await cell.notebook.save());
  const servers = [...new Set(keys.map((k) => `"${k.server}" (${originOf(k.apiUrl)})`))].join(', ');
  const where = edited ? `The cell now reads '${KEY_PLACEHOLDER}'` : 'The cell could not be edited: replace the key with a placeholder yourself';
  const save = edited && !saved && !cell.notebook.isUntitled ? ' Save the notebook so that the file no longer holds it.' : '';
  void vscode.window.showInformationMessage(`Moved the api_key of server ${servers} to VS Code's secret storage. ${where}.${save}`);
  return { text: edited ? cell.document.getText() : withPlaceholders(text, keys), moved: keys.length };
}

/** The quick fix's command: the cell is named by its document URI. */
export async function moveInlineKeysOfCell(secrets: VsCodeSecretStore, cellUri: string | vscode.Uri): Promise<number> {
  const uri = cellUri.toString();
  for (const notebook of vscode.workspace.notebookDocuments) {
    const cell = notebook.getCells().find((c) => c.document.uri.toString() === uri);
    if (cell) return (await moveInlineKeys(cell, secrets)).moved;
  }
  return 0;
}
