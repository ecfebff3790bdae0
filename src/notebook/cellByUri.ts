// A cell of an open notebook named by its document's URI: how the renderer's messages and the
// quick fixes say which cell they are about.
import * as vscode from 'vscode';

export function cellByUri(uri: string): vscode.NotebookCell | undefined {
  for (const notebook of vscode.workspace.notebookDocuments) {
    const cell = notebook.getCells().find((c) => c.document.uri.toString() === uri);
    if (cell) return cell;
  }
  return undefined;
}
