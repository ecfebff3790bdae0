// Moves Clerk secret keys written inline in a cell into SecretStorage and writes the placeholder
// in their place: before a notebook (or a `.clerk.sql` open as text) is saved, so the key never
// reaches the disk, with or without auto-save; before a cell runs; and from the language server's
// quick fix. Moves of one document run one at a time. The user is told where the key went.
import * as vscode from 'vscode';
import { SqlParser } from '../fdw/sql/parser.js';
import { maskPsql } from '../fdw/sql/psqlVariables.js';
import { findInlineKeys, KEY_PLACEHOLDER, mayHoldKey, withPlaceholders, type InlineKey } from '../fdw/runtime/inlineKeys.js';
import { CELL_LANGUAGE, NOTEBOOK_FILE_SUFFIX } from '../ids.js';
import { isClerkNotebook } from './serializer.js';
import { originOf, type VsCodeSecretStore } from './secretStore.js';
import { cellByUri } from './cellByUri.js';

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
  const wasDirty = cell.notebook.isDirty;
  const { keys, text, edited } = await oneAtATime(cell.notebook.uri, async () => {
    const keys = await storeKeys(cell.document, earlierCells(cell), secrets);
    const text = cell.document.getText();
    return { keys, text, edited: keys.length > 0 && (await applyEdit(cell.document, keys)) };
  });
  if (keys.length === 0) return { text, moved: 0 };
  await saveAndTell(keys, edited, wasDirty, cell.notebook);
  return { text: edited ? cell.document.getText() : withPlaceholders(text, keys), moved: keys.length };
}

/** The quick fix's command: a notebook cell, or a `.clerk.sql` file open as text, named by its URI. */
export async function moveInlineKeysOf(secrets: VsCodeSecretStore, uri: string | vscode.Uri): Promise<number> {
  const target = uri.toString();
  const cell = cellByUri(target);
  if (cell) return (await moveInlineKeys(cell, secrets)).moved;
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target);
  if (!document) return 0;
  const wasDirty = document.isDirty;
  const { keys, edited } = await oneAtATime(document.uri, async () => {
    const keys = await storeKeys(document, [], secrets);
    return { keys, edited: keys.length > 0 && (await applyEdit(document, keys)) };
  });
  if (keys.length > 0) await saveAndTell(keys, edited, wasDirty, document);
  return keys.length;
}

/**
 * Moves the keys of a Clerk SQL notebook or `.clerk.sql` text file as part of saving it: the edit
 * is applied before VS Code takes the text it writes.
 */
export function moveKeysOnSave(secrets: VsCodeSecretStore): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.workspace.onWillSaveNotebookDocument((e) => {
      if (!isClerkNotebook(e.notebook) || !e.notebook.getCells().some((c) => mayHoldKey(c.document.getText()))) return;
      e.waitUntil(oneAtATime(e.notebook.uri, () => moveNotebookKeys(e.notebook, secrets)));
    }),
    vscode.workspace.onWillSaveTextDocument((e) => {
      const { document } = e;
      if (document.uri.scheme === 'vscode-notebook-cell' || !(document.languageId === CELL_LANGUAGE || document.fileName.endsWith(NOTEBOOK_FILE_SUFFIX)))
        return;
      if (!mayHoldKey(document.getText())) return;
      e.waitUntil(
        oneAtATime(document.uri, async () => {
          const keys = await storeKeys(document, [], secrets);
          if (keys.length > 0) tell(keys, await applyEdit(document, keys));
        }),
      );
    }),
  );
}

// A move before a run and one before an (auto-)save of the same notebook would each find the key
// at the same offsets in the same text and edit it twice: moves of a document run one at a time,
// each on the text the one before left.
const moving = new Map<string, Promise<unknown>>();

function oneAtATime<T>(uri: vscode.Uri, move: () => Promise<T>): Promise<T> {
  const key = uri.toString();
  const next = (moving.get(key) ?? Promise.resolve()).then(move, move);
  const settled = next.catch(() => undefined);
  moving.set(key, settled);
  void settled.then(() => moving.get(key) === settled && moving.delete(key));
  return next;
}

async function moveNotebookKeys(notebook: vscode.NotebookDocument, secrets: VsCodeSecretStore): Promise<void> {
  const moved: InlineKey[] = [];
  for (const cell of notebook.getCells()) {
    if (cell.kind !== vscode.NotebookCellKind.Code || !mayHoldKey(cell.document.getText())) continue;
    const keys = await storeKeys(cell.document, earlierCells(cell), secrets);
    if (keys.length > 0 && (await applyEdit(cell.document, keys))) moved.push(...keys);
  }
  if (moved.length > 0) tell(moved, true);
}

function earlierCells(cell: vscode.NotebookCell): string[] {
  return cell.notebook
    .getCells(new vscode.NotebookRange(0, cell.index))
    .filter((c) => c.kind === vscode.NotebookCellKind.Code)
    .map((c) => c.document.getText());
}

/**
 * Finds a document's inline keys and stores each for its server and origin. The offsets are those
 * of the text when this returns: the user may type while the keys are being stored, so they are
 * looked for again until the text stayed the same; the caller edits at once.
 */
async function storeKeys(document: vscode.TextDocument, earlier: string[], secrets: VsCodeSecretStore): Promise<InlineKey[]> {
  parser ??= SqlParser.load();
  const sql = await parser;
  for (;;) {
    const version = document.version;
    const text = document.getText();
    if (!mayHoldKey(text)) return [];
    const keys = findInlineKeys(
      [...earlier, text].map((t) => sql.parse(maskPsql(t))),
      earlier.length,
    );
    for (const k of keys) await secrets.set(k.server, originOf(k.apiUrl), k.key);
    if (document.version === version) return keys;
  }
}

function applyEdit(document: vscode.TextDocument, keys: InlineKey[]): Thenable<boolean> {
  const edit = new vscode.WorkspaceEdit();
  edit.set(
    document.uri,
    keys.map((k) => vscode.TextEdit.replace(new vscode.Range(document.positionAt(k.start), document.positionAt(k.end)), `'${KEY_PLACEHOLDER}'`)),
  );
  return vscode.workspace.applyEdit(edit);
}

/**
 * A file that had no other unsaved change is saved, so the disk stops holding the key too (outside
 * the one-at-a-time section: saving runs the move before a save).
 */
async function saveAndTell(keys: InlineKey[], edited: boolean, wasDirty: boolean, owner: Saveable): Promise<void> {
  const saved = edited && !wasDirty && !owner.isUntitled && (await owner.save());
  tell(keys, edited, edited && !saved && !owner.isUntitled);
}

function tell(keys: InlineKey[], edited: boolean, unsaved = false): void {
  const servers = [...new Set(keys.map((k) => `"${k.server}" (${originOf(k.apiUrl)})`))].join(', ');
  const where = edited ? `In its place: '${KEY_PLACEHOLDER}'` : 'The text could not be edited: replace the key with a placeholder yourself';
  const save = unsaved ? ' Save the file so that it no longer holds the key.' : '';
  void vscode.window.showInformationMessage(`Moved the api_key of server ${servers} to VS Code's secret storage. ${where}.${save}`);
}
