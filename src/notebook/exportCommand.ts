// "Clerk SQL: Export Result": saves a statement's full result (kept by the controller) as CSV
// or JSON through the save dialog, streaming to disk with progress. Invoked from the renderer's
// export buttons (rendererMessages.ts), the command palette, or with arguments (tests, other
// extensions): exportResult(controller, resultId?, format?, target?).
import * as vscode from 'vscode';
import { rm } from 'node:fs/promises';
import type { ClerkSqlController, KeptResult } from './controller.js';
import { writeExport, type ExportFormat } from './export.js';

/** Where the file went, or undefined when the user cancelled or nothing was exported. */
export async function exportResult(
  controller: ClerkSqlController,
  resultId?: string | { document?: { uri?: vscode.Uri } },
  format?: ExportFormat,
  target?: vscode.Uri | string,
): Promise<vscode.Uri | undefined> {
  let kept: KeptResult | undefined;
  // From a cell's toolbar the argument is the cell: its results only.
  const fromCell = typeof resultId === 'object' ? resultId?.document?.uri?.toString() : undefined;
  if (typeof resultId === 'string') {
    kept = controller.keptResult(resultId);
    if (!kept) {
      void vscode.window.showWarningMessage(
        'Clerk SQL: this result is no longer kept (the cell ran again or the notebook was closed). Run the cell again to export it.',
      );
      return undefined;
    }
  } else {
    const notebook = vscode.window.activeNotebookEditor?.notebook;
    const candidates = controller.keptResults(notebook?.uri).filter((k) => k.source.columns.length > 0 && (fromCell === undefined || k.cell === fromCell));
    if (candidates.length === 0) {
      void vscode.window.showInformationMessage('Clerk SQL: no result to export. Run a cell that returns rows first.');
      return undefined;
    }
    // The selected cell's result first.
    const selected = vscode.window.activeNotebookEditor?.selection;
    const selectedCell = selected && notebook && selected.start < notebook.cellCount ? notebook.cellAt(selected.start).document.uri.toString() : undefined;
    candidates.sort((a, b) => Number(b.cell === selectedCell) - Number(a.cell === selectedCell));
    if (candidates.length === 1) kept = candidates[0];
    else {
      const picked = await vscode.window.showQuickPick(
        candidates.map((k) => ({ label: k.label, description: `${k.source.total.toLocaleString('en-US')} rows, ${k.source.columns.length} columns`, k })),
        { title: 'Clerk SQL: export which result?' },
      );
      kept = picked?.k;
    }
    if (!kept) return undefined;
  }
  const fmt: ExportFormat | undefined =
    format ??
    ((await vscode.window.showQuickPick(['csv', 'json'], { title: 'Export as', placeHolder: 'CSV (as COPY ... CSV HEADER) or JSON' })) as
      ExportFormat | undefined);
  if (fmt !== 'csv' && fmt !== 'json') return undefined;
  let uri = typeof target === 'string' ? vscode.Uri.file(target) : target;
  if (!uri) {
    const base = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `${kept.fileStem}.${fmt}`;
    uri = await vscode.window.showSaveDialog({
      title: `Export ${kept.source.total.toLocaleString('en-US')} rows as ${fmt.toUpperCase()}`,
      defaultUri: base ? vscode.Uri.joinPath(base, name) : undefined,
      filters: fmt === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
    });
    if (!uri) return undefined;
  }
  if (uri.scheme !== 'file') throw new Error(`Clerk SQL: can only export to a local file, not ${uri.toString()}`);
  const path = uri.fsPath;
  const total = kept.source.total;
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Exporting ${total.toLocaleString('en-US')} rows to ${path}`, cancellable: true },
    async (progress, token) => {
      let last = 0;
      return writeExport(
        kept.source,
        fmt,
        path,
        (rows) => {
          const pct = total ? ((rows - last) / total) * 100 : 100;
          last = rows;
          progress.report({ increment: pct, message: `${rows.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} rows` });
        },
        () => token.isCancellationRequested,
      );
    },
  );
  if (outcome.cancelled) {
    await rm(path, { force: true });
    void vscode.window.showInformationMessage('Clerk SQL: export cancelled.');
    return undefined;
  }
  void vscode.window.showInformationMessage(`Clerk SQL: exported ${total.toLocaleString('en-US')} rows to ${path}`);
  return uri;
}
