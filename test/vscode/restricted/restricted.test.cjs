// Restricted Mode (an untrusted workspace): the extension activates (untrustedWorkspaces
// "limited"), its language features work, and no cell runs: VS Code asks for trust before any
// execution, so no runtime starts and no request is made.
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const { EXT_ID, sleep, waitFor, countingServer } = require('../suite/support.cjs');

describe('Clerk SQL Notebook in Restricted Mode', function () {
  let nb;

  after(async () => {
    for (const notebook of vscode.workspace.notebookDocuments) {
      await vscode.window.showNotebookDocument(notebook);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  it('the workspace is untrusted and the extension still activates', async () => {
    assert.strictEqual(vscode.workspace.isTrusted, false);
    const ext = vscode.extensions.getExtension(EXT_ID);
    await ext.activate();
    assert.ok(ext.isActive);
  });

  it('cells do not run: VS Code asks for trust first, and declined, nothing starts and no request is made', async () => {
    nb = await vscode.commands.executeCommand('clerkSql.tryWithSimulator', { users: 200, seed: 3 });
    // A cell that would read an API server of the test's own, were it run.
    const api = await countingServer();
    const edit = new vscode.WorkspaceEdit();
    const cell = `create server counted foreign data wrapper clerk_wrapper options (api_url '${api.url}', api_key 'sk_test_${'c'.repeat(30)}');\ncreate foreign table counted_users (user_id text) server counted options (object 'users');\nselect count(*) from counted_users;`;
    edit.set(nb.uri, [vscode.NotebookEdit.insertCells(nb.cellCount, [new vscode.NotebookCellData(vscode.NotebookCellKind.Code, cell, 'clerk-sql')])]);
    await vscode.workspace.applyEdit(edit);
    try {
      // Under test the trust dialog is refused (declined); the command then never completes.
      void vscode.commands.executeCommand('notebook.execute', nb.uri);
      await sleep(5000);
      const ran = nb.getCells().filter((c) => c.executionSummary && c.executionSummary.timing);
      assert.deepStrictEqual(
        ran.map((c) => c.index),
        [],
      );
      assert.strictEqual(api.count(), 0);
    } finally {
      await api.close();
    }
  });

  it('diagnostics still show (the language server runs)', async () => {
    const edit = new vscode.WorkspaceEdit();
    const cell = "create foreign table t (user_id text, no_such_column text) server my_clerk_server options (object 'users');";
    edit.set(nb.uri, [vscode.NotebookEdit.insertCells(nb.cellCount, [new vscode.NotebookCellData(vscode.NotebookCellKind.Code, cell, 'clerk-sql')])]);
    await vscode.workspace.applyEdit(edit);
    const doc = nb.cellAt(nb.cellCount - 1).document;
    const diagnostics = await waitFor(
      'diagnostics on the new cell',
      () => {
        const d = vscode.languages.getDiagnostics(doc.uri);
        return d.length > 0 && d;
      },
      60000,
    );
    assert.ok(
      diagnostics.some((d) => /no_such_column/.test(d.message)),
      diagnostics.map((d) => d.message).join('\n'),
    );
  });
});
