// A cell's title (the file's `-- %% Sign-ups per month` line) shown on the cell, in its status bar.
import * as vscode from 'vscode';
import { NOTEBOOK_TYPES } from '../ids.js';

export function registerCellTitles(): vscode.Disposable {
  const provider: vscode.NotebookCellStatusBarItemProvider = {
    provideCellStatusBarItems(cell) {
      const title: unknown = cell.metadata?.title;
      if (typeof title !== 'string' || title.trim() === '') return [];
      const item = new vscode.NotebookCellStatusBarItem(`$(bookmark) ${title}`, vscode.NotebookCellStatusBarAlignment.Left);
      item.tooltip = `Cell title: the file's "-- %% ${title}" line`;
      return [item];
    },
  };
  return vscode.Disposable.from(...NOTEBOOK_TYPES.map((type) => vscode.notebooks.registerNotebookCellStatusBarItemProvider(type, provider)));
}
