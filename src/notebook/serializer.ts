// The VS Code side of the `*.clerk.sql` format: NotebookData <-> bytes through format.ts.
// Cell metadata `title` and `raw` travel in NotebookCellData.metadata so an unedited cell is
// written back byte for byte; outputs are never saved (transientOutputs).
import * as vscode from 'vscode';
import { CELL_LANGUAGE, NOTEBOOK_TYPES } from '../ids.js';
import { parseNotebook, serializeNotebook, type CellMetadata, type NotebookData as FileData } from './format.js';

export function isClerkNotebook(notebook: vscode.NotebookDocument): boolean {
  return (NOTEBOOK_TYPES as readonly string[]).includes(notebook.notebookType);
}

export class ClerkSqlSerializer implements vscode.NotebookSerializer {
  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    const file = parseNotebook(new TextDecoder().decode(content));
    const cells = file.cells.map((cell) => {
      const data =
        cell.kind === 'markdown'
          ? new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, cell.source, 'markdown')
          : new vscode.NotebookCellData(vscode.NotebookCellKind.Code, cell.source, CELL_LANGUAGE);
      data.metadata = { ...cell.metadata };
      return data;
    });
    const data = new vscode.NotebookData(cells);
    data.metadata = { ...file.metadata };
    return data;
  }

  serializeNotebook(data: vscode.NotebookData): Uint8Array {
    const file: FileData = {
      cells: data.cells.map((cell) => {
        const meta = (cell.metadata ?? {}) as CellMetadata;
        const metadata: CellMetadata = {};
        if (typeof meta.title === 'string') metadata.title = meta.title;
        if (typeof meta.raw === 'string') metadata.raw = meta.raw;
        return { kind: cell.kind === vscode.NotebookCellKind.Markup ? 'markdown' : 'code', source: cell.value, metadata };
      }),
      metadata: data.metadata ?? {},
    };
    return new TextEncoder().encode(serializeNotebook(file));
  }
}

export function registerSerializers(): vscode.Disposable[] {
  const serializer = new ClerkSqlSerializer();
  return NOTEBOOK_TYPES.map((type) => vscode.workspace.registerNotebookSerializer(type, serializer, { transientOutputs: true }));
}
