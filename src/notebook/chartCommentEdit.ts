// Keeps the chart drawn for a cell's result as the cell's `-- chart:` comment (replaced, or
// inserted as its first line), so the saved notebook draws the same chart when it runs again; the
// grid chosen instead (null) removes the comment, so the notebook opens in the grid.
import * as vscode from 'vscode';
import { chartCommentEdit, type ChartChoice } from '../results/chartComment.js';
import { cellByUri } from './cellByUri.js';

/** False when the cell is gone (its notebook closed) or its text already says so. */
export async function setChartComment(cellUri: string, choice: ChartChoice | null): Promise<boolean> {
  const cell = cellByUri(cellUri);
  if (!cell) return false;
  const doc = cell.document;
  const edit = chartCommentEdit(doc.getText(), choice);
  const range = new vscode.Range(doc.positionAt(edit.start), doc.positionAt(edit.end));
  if (doc.getText(range) === edit.text) return false;
  const workspaceEdit = new vscode.WorkspaceEdit();
  workspaceEdit.replace(doc.uri, range, edit.text);
  return vscode.workspace.applyEdit(workspaceEdit);
}
