// "Clerk SQL: Export Result": saves a statement's full result (kept by the controller), as the
// query gave it or as the grid shows it (sorted and filtered), as CSV, JSON, NDJSON or Markdown
// through the save dialog, streaming to disk with progress. Invoked from the renderer's export
// button (rendererMessages.ts, with the grid's view), the command palette, or with arguments
// (tests, other extensions): exportResult(controller, resultId?, format?, target?, view?).
import * as vscode from 'vscode';
import { rm } from 'node:fs/promises';
import type { ClerkSqlController, KeptResult } from './controller.js';
import { viewSource, writeExport, type ExportSource } from './export.js';
import { EXPORT_EXTENSIONS, EXPORT_FORMATS, type ExportFormat } from '../results/payload.js';
import { isFiltered, QUERY_ORDER, type GridView } from '../results/view.js';

const FORMAT_NAMES: Record<ExportFormat, string> = {
  csv: 'CSV (as COPY ... CSV HEADER)',
  json: 'JSON (an array of objects)',
  ndjson: 'NDJSON (an object a line)',
  markdown: 'Markdown table',
};

/** Where the file went, or undefined when the user cancelled or nothing was exported. */
export async function exportResult(
  controller: ClerkSqlController,
  resultId?: string | { document?: { uri?: vscode.Uri } },
  format?: ExportFormat,
  target?: vscode.Uri | string,
  view?: GridView,
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
  const chosen = format ? { format, source: await scoped(kept, view ?? QUERY_ORDER) } : await pickExport(kept, view);
  if (!chosen || !EXPORT_FORMATS.includes(chosen.format)) return undefined;
  const { source } = chosen;
  const fmt = chosen.format;
  let uri = typeof target === 'string' ? vscode.Uri.file(target) : target;
  if (!uri) {
    const base = vscode.workspace.workspaceFolders?.[0]?.uri;
    const extension = EXPORT_EXTENSIONS[fmt];
    const name = `${kept.fileStem}.${extension}`;
    uri = await vscode.window.showSaveDialog({
      title: `Export ${source.total.toLocaleString('en-US')} rows as ${FORMAT_NAMES[fmt]}`,
      defaultUri: base ? vscode.Uri.joinPath(base, name) : undefined,
      filters: { [FORMAT_NAMES[fmt]]: [extension] },
    });
    if (!uri) return undefined;
  }
  if (uri.scheme !== 'file') throw new Error(`Clerk SQL: can only export to a local file, not ${uri.toString()}`);
  const path = uri.fsPath;
  const total = source.total;
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Exporting ${total.toLocaleString('en-US')} rows to ${path}`, cancellable: true },
    async (progress, token) => {
      let last = 0;
      return writeExport(
        source,
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

/** The rows of a view of the result: the query's result as it is, else read through the view where the rows are kept. */
async function scoped(kept: KeptResult, view: GridView): Promise<ExportSource> {
  if (!isFiltered(view) && view.sort.length === 0) return kept.source;
  const { total } = await kept.rows.page(view, 0, 0);
  return viewSource(kept.source, kept.rows, view, total);
}

/** Asks for the format, and when the grid is sorted or filtered, whether as shown or the query's result. */
async function pickExport(kept: KeptResult, view: GridView | undefined): Promise<{ format: ExportFormat; source: ExportSource } | undefined> {
  const whole = kept.source;
  const shown = view && (await scoped(kept, view));
  const scopes: [string, ExportSource][] =
    shown && shown !== whole
      ? [
          ['as shown (sorted and filtered)', shown],
          ["the query's result", whole],
        ]
      : [["the query's result", whole]];
  const picked = await vscode.window.showQuickPick(
    scopes.flatMap(([scope, source]) =>
      EXPORT_FORMATS.map((format) => ({ label: FORMAT_NAMES[format], description: `${scope}: ${source.total.toLocaleString('en-US')} rows`, format, source })),
    ),
    // Opened from a button in the output webview, whose focus can come back after the list opens: stay until picked or Escape.
    { title: 'Clerk SQL: export as', matchOnDescription: true, ignoreFocusOut: true },
  );
  return picked && { format: picked.format, source: picked.source };
}
