// What the result renderer asks of the extension (renderer messaging): a page of a kept result's
// view, a column's values, or the rows of a chart, answered to the editor that asked; export a kept result; set the
// key an error asks for and run the failed cell again; keep what a cell's result is shown as (grid,
// or its chart) in the cell's text; save a chart image.
import * as vscode from 'vscode';
import { COMMANDS, RENDERER_ID } from '../ids.js';
import { textRows, type ExtensionMessage, type RendererMessage } from '../results/payload.js';
import { setChartComment } from './chartCommentEdit.js';
import { saveChart } from './chartSave.js';
import { cellByUri } from './cellByUri.js';
import type { ClerkSqlController } from './controller.js';

export function listenToRenderer(controller: ClerkSqlController): vscode.Disposable {
  const messaging = vscode.notebooks.createRendererMessaging(RENDERER_ID);
  const reply = (message: ExtensionMessage, editor: vscode.NotebookEditor) => void messaging.postMessage(message, editor);
  return messaging.onDidReceiveMessage(({ editor, message }) => {
    const m = message as RendererMessage;
    void handle(controller, m, (r) => reply(r, editor)).catch((err: unknown) => {
      const text = err instanceof Error ? err.message : String(err);
      // A request is answered, so that the grid says why it has no rows; anything else is the user's to see.
      if (m && 'request' in m) reply({ type: 'failed', request: m.request, message: text }, editor);
      else void vscode.window.showErrorMessage(`Clerk SQL: ${text}`);
    });
  });
}

async function handle(controller: ClerkSqlController, message: RendererMessage, reply: (message: ExtensionMessage) => void): Promise<void> {
  switch (message?.type) {
    case 'export':
      await vscode.commands.executeCommand(COMMANDS.exportResult, message.resultId, undefined, undefined, message.view);
      return;
    case 'setKey': {
      const set = await vscode.commands.executeCommand<boolean>(COMMANDS.setApiKey, message.server, undefined, message.origin);
      if (set) await runCellAgain(message.cell);
      return;
    }
    case 'chartChoice':
      await setChartComment(message.cell, message.chart);
      return;
    case 'saveChart':
      await saveChart(message.format === 'png' ? 'png' : 'svg', message.data, message.name);
      return;
    case 'viewPage': {
      const kept = keptResult(controller, message.resultId);
      const page = await kept.rows.page(message.view, message.offset, message.count);
      reply({ type: 'viewPage', request: message.request, rows: textRows(page.rows, kept.source.columns), total: page.total });
      return;
    }
    case 'columnValues': {
      const values = await keptResult(controller, message.resultId).rows.values(message.view, message.column, message.limit);
      reply({ type: 'columnValues', request: message.request, ...values });
      return;
    }
    case 'chartRows': {
      const rows = await keptResult(controller, message.resultId).rows.chart(message.columns);
      reply({ type: 'chartRows', request: message.request, ...rows });
      return;
    }
  }
}

function keptResult(controller: ClerkSqlController, id: string) {
  const kept = controller.keptResult(id);
  if (!kept) throw new Error('this result is no longer kept (the cell ran again, or the notebook was closed): run the cell again');
  return kept;
}

async function runCellAgain(cellUri: string): Promise<void> {
  const cell = cellByUri(cellUri);
  if (cell)
    await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: cell.index, end: cell.index + 1 }], document: cell.notebook.uri });
}
