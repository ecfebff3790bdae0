// The language server through the extension's language client, in the real extension host:
// diagnostics, hover and completion in notebook cells, and a restart after the server crashes.
'use strict';
const assert = require('assert');
const fs = require('fs');
const vscode = require('vscode');
const { EXT_ID, waitFor } = require('./support.cjs');

const CELLS = [
  "create foreign data wrapper clerk_wrapper handler clerk_fdw_handler validator clerk_fdw_validator;\ncreate server clerk_server foreign data wrapper clerk_wrapper options (api_key '<clerk secret Key>');",
  "create foreign table clerk_users (user_id text, email text, emial text)\n  server clerk_server options (object 'users');",
  'select email from clerk_users;',
  "create foreign table clerk_orgs (id text) server clerk_server options (object '');",
];

/** The language server processes the extension host started (children running dist/server.js). */
function serverPids() {
  const pids = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (ppid === process.pid && cmdline.includes('dist/server.js')) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

const diagnosticsOf = (cell) => vscode.languages.getDiagnostics(cell.document.uri);

describe('Clerk SQL language server in the VS Code extension host', function () {
  let nb;

  before(async function () {
    await vscode.extensions.getExtension(EXT_ID).activate();
    const data = new vscode.NotebookData(CELLS.map((text) => new vscode.NotebookCellData(vscode.NotebookCellKind.Code, text, 'clerk-sql')));
    nb = await vscode.workspace.openNotebookDocument('clerk-sql-notebook', data);
    await vscode.window.showNotebookDocument(nb);
  });

  after(async function () {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('publishes the unknown column of a foreign table at its range', async function () {
    const cell = nb.cellAt(1);
    const d = await waitFor('the HV005 diagnostic', () => diagnosticsOf(cell).find((x) => x.code === 'HV005'));
    assert.match(d.message, /^column "emial" is not provided by Clerk object "users"\nDid you mean "email"\?/);
    assert.deepStrictEqual([d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character], [0, 60, 0, 65]);
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
    assert.strictEqual(d.source, 'clerk-sql');
    // The placeholder key is an information in the first cell; the query cell is clean.
    const first = await waitFor('the first cell', () => diagnosticsOf(nb.cellAt(0)).find((x) => x.code === 'api-key-placeholder'));
    assert.strictEqual(first.severity, vscode.DiagnosticSeverity.Information);
    assert.deepStrictEqual(diagnosticsOf(nb.cellAt(2)), []);
  });

  it('hovers a column with the Clerk field documentation', async function () {
    const cell = nb.cellAt(2);
    // `email` in "select email from clerk_users;"
    const hovers = await waitFor('a hover', async () => {
      const h = await vscode.commands.executeCommand('vscode.executeHoverProvider', cell.document.uri, new vscode.Position(0, 9));
      return h && h.length ? h : undefined;
    });
    const text = hovers
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === 'string' ? c : c.value))
      .join('\n');
    assert.match(text, /\*\*email\*\* `text` — Clerk object `users`/);
    assert.match(text, /primary email address/);
    assert.deepStrictEqual([hovers[0].range.start.character, hovers[0].range.end.character], [7, 12]);
  });

  it("completes Clerk objects inside object '", async function () {
    const cell = nb.cellAt(3);
    const at = cell.document.getText().indexOf("object '") + "object '".length;
    const list = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', cell.document.uri, cell.document.positionAt(at), "'");
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('users'), `completion labels: ${labels.join(', ')}`);
    assert.ok(labels.includes('organizations'), `completion labels: ${labels.join(', ')}`);
  });

  it('analyses a clerk-sql text document, cells split by -- %% lines', async function () {
    const table = "create foreign table clerk_users (user_id text, emial text) server clerk_server options (object 'users');";
    const doc = await vscode.workspace.openTextDocument({ language: 'clerk-sql', content: ['-- %%', CELLS[0], '-- %%', table, ''].join('\n') });
    const d = await waitFor('the diagnostic of the text document', () => vscode.languages.getDiagnostics(doc.uri).find((x) => x.code === 'HV005'));
    const at = table.indexOf('emial');
    assert.deepStrictEqual([d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character], [4, at, 4, at + 5]);
  });

  it('the quick fix on an inline key moves it to SecretStorage and writes the placeholder', async function () {
    const key = 'sk_test_quickfix0123456789';
    const edit = new vscode.WorkspaceEdit();
    const source = `create server key_server foreign data wrapper clerk_wrapper options (api_key '${key}');`;
    edit.set(nb.uri, [vscode.NotebookEdit.insertCells(nb.cellCount, [new vscode.NotebookCellData(vscode.NotebookCellKind.Code, source, 'clerk-sql')])]);
    await vscode.workspace.applyEdit(edit);
    const cell = nb.cellAt(nb.cellCount - 1);
    const warning = await waitFor('the inline-secret warning', () => diagnosticsOf(cell).find((x) => x.code === 'inline-secret'));
    assert.strictEqual(warning.severity, vscode.DiagnosticSeverity.Warning);
    assert.strictEqual(cell.document.getText(warning.range), `'${key}'`);
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', cell.document.uri, warning.range);
    const move = actions.find((a) => a.command && a.command.command === 'clerkSql.moveInlineKeys');
    assert.ok(move, actions.map((a) => a.title).join(', '));
    await vscode.commands.executeCommand(move.command.command, ...move.command.arguments);
    assert.strictEqual(cell.document.getText(), source.replace(key, '<clerk secret key in VS Code SecretStorage>'));
    // Stored for the server and Clerk's origin (no api_url), so forgetting it finds it.
    assert.strictEqual(await vscode.commands.executeCommand('clerkSql.forgetApiKey', 'key_server'), true);
    await waitFor('the warning to go', () => !diagnosticsOf(cell).some((x) => x.code === 'inline-secret'));
  });

  it('follows edits, and restarts the server after it crashes', async function () {
    const [pid] = await waitFor('the language server process', () => {
      const pids = serverPids();
      return pids.length === 1 ? pids : undefined;
    });
    process.kill(pid, 'SIGKILL');
    const [restarted] = await waitFor('a restarted server', () => {
      const pids = serverPids().filter((p) => p !== pid);
      return pids.length === 1 ? pids : undefined;
    });
    assert.notStrictEqual(restarted, pid);
    // The new server got the notebook again and analyses edits.
    const cell = nb.cellAt(1);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(cell.document.uri, new vscode.Range(0, 60, 0, 65), 'emale');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const d = await waitFor('the diagnostic of the edit', () => diagnosticsOf(cell).find((x) => x.message.startsWith('column "emale"')));
    assert.deepStrictEqual([d.range.start.character, d.range.end.character], [60, 65]);
    // A query cell that depends on the edit is analysed again too.
    const edit2 = new vscode.WorkspaceEdit();
    edit2.replace(nb.cellAt(2).document.uri, new vscode.Range(0, 7, 0, 12), 'mail');
    assert.ok(await vscode.workspace.applyEdit(edit2));
    await waitFor('the query diagnostic', () => diagnosticsOf(nb.cellAt(2)).some((x) => /mail/.test(x.message)));
  });
});
