// What the result renderer's buttons ask of the extension (renderer messaging): export a kept
// result, set the key an error asks for and run the failed cell again, keep a cell's chart
// choice in its text, or save a chart image.
import * as vscode from 'vscode';
import { COMMANDS, RENDERER_ID } from '../ids.js';
import type { RendererMessage } from '../results/payload.js';
import { setChartComment } from './chartCommentEdit.js';
import { saveChart } from './chartSave.js';

export function listenToRenderer(): vscode.Disposable {
  const messaging = vscode.notebooks.createRendererMessaging(RENDERER_ID);
  return messaging.onDidReceiveMessage(
    ({ message }) =>
      void handle(message as RendererMessage).catch((err: unknown) => {
        void vscode.window.showErrorMessage(`Clerk SQL: ${err instanceof Error ? err.message : String(err)}`);
      }),
  );
}

async function handle(message: RendererMessage): Promise<void> {
  switch (message?.type) {
    case 'export':
      await vscode.commands.executeCommand(COMMANDS.exportResult, message.resultId, message.format === 'json' ? 'json' : 'csv');
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
  }
}

async function runCellAgain(cellUri: string): Promise<void> {
  for (const notebook of vscode.workspace.notebookDocuments) {
    const cell = notebook.getCells().find((c) => c.document.uri.toString() === cellUri);
    if (cell) {
      await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: cell.index, end: cell.index + 1 }], document: notebook.uri });
      return;
    }
  }
}
