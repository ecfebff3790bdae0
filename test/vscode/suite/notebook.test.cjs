// Integration tests in the real VS Code extension host: the notebook against the built-in
// simulator (started by the extension's own "Try with the Built-in Simulator" command),
// cancellation, errors, and API keys in SecretStorage.
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const { EXT_ID, RESULT_MIME, ERROR_MIME, text, log, sleep, waitFor } = require('./support.cjs');

const USERS = 3000;



function api() {
  return vscode.extensions.getExtension(EXT_ID).exports;
}

function cellTitled(nb, prefix) {
  const cell = nb.getCells().find((c) => (c.metadata.title || '').startsWith(prefix));
  assert.ok(cell, `a cell titled "${prefix}…"`);
  return cell;
}

function items(cell, mime) {
  return cell.outputs.flatMap((o) => o.items).filter((i) => i.mime === mime);
}

function resultOf(cell, statement = 0) {
  const item = items(cell, RESULT_MIME)[statement];
  assert.ok(item, `cell ${cell.index} has a result for statement ${statement + 1}; outputs: ${showOutputs(cell)}`);
  return JSON.parse(text(item.data));
}

function showOutputs(cell) {
  return JSON.stringify(cell.outputs.map((o) => o.items.map((i) => `${i.mime}: ${text(i.data).slice(0, 300)}`)));
}

/** Whether a cell's execution ended at or after t0 (ms). */
function endedSince(cell, t0) {
  const s = cell.executionSummary;
  return !!(s && s.timing && s.timing.endTime >= t0);
}

/** Runs cells [start, end) and waits until they ended, up to the first that failed. */
async function runCells(nb, start, end) {
  const t0 = Date.now();
  await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start, end }], document: nb.uri });
  const cells = nb.getCells().slice(start, end).filter((c) => c.kind === vscode.NotebookCellKind.Code);
  await waitFor(`cells ${start}..${end - 1} to finish`, () => {
    for (const c of cells) {
      if (!endedSince(c, t0)) return false;
      if (c.executionSummary.success === false) return true;
    }
    return true;
  });
  return cells;
}

async function selectKernel(nb) {
  const editor = await vscode.window.showNotebookDocument(nb);
  await vscode.commands.executeCommand('notebook.selectKernel', { editor, id: api().controllerId, extension: EXT_ID });
}

describe('Clerk SQL Notebook in the VS Code extension host', function () {
  let nb;
  let sim;

  after(async () => {
    // Leave nothing dirty: the workbench would try to save on shutdown.
    for (const notebook of vscode.workspace.notebookDocuments) {
      await vscode.window.showNotebookDocument(notebook);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('activates in the real extension host', async () => {
    const ext = vscode.extensions.getExtension(EXT_ID);
    assert.ok(ext, 'extension present');
    await ext.activate();
    log(`    VS Code ${vscode.version} (${vscode.env.appName}), extension host on Node ${process.version}`);
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['clerkSql.tryWithSimulator', 'clerkSql.restartRuntime', 'clerkSql.setApiKey', 'clerkSql.forgetApiKey', 'clerkSql.forgetAllApiKeys', 'clerkSql.moveInlineKeys', 'clerkSql.runtimeMenu']) {
      assert.ok(commands.includes(id), id);
    }
  });

  it('"Try with the Built-in Simulator" opens the example notebook, and Run All fills every cell', async () => {
    nb = await vscode.commands.executeCommand('clerkSql.tryWithSimulator', { users: USERS, seed: 7 });
    sim = api().simulator();
    assert.ok(sim, 'simulator started');
    assert.strictEqual(nb.notebookType, 'clerk-sql-notebook');
    assert.strictEqual(nb.isUntitled, true);
    assert.strictEqual(sim.dataset.counts().users, USERS);
    const code = nb.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code);
    assert.ok(code.length >= 10, `example has code cells (${code.length})`);
    assert.ok(code.every((c) => c.document.languageId === 'clerk-sql'));

    const t0 = Date.now();
    await runCells(nb, 0, nb.cellCount);
    log(`    ran ${code.length} code cells in ${((Date.now() - t0) / 1000).toFixed(1)} s, ${sim.log.count()} API requests`);
    const failed = code.filter((c) => !c.executionSummary.success);
    assert.deepStrictEqual(failed.map((c) => `${c.index} ${c.metadata.title}: ${showOutputs(c)}`), []);
    // Execution order follows the cells; timing is recorded.
    const orders = code.map((c) => c.executionSummary.executionOrder);
    assert.deepStrictEqual(orders, orders.map((_, i) => i + 1));
    assert.ok(code.every((c) => c.executionSummary.timing.endTime >= c.executionSummary.timing.startTime));

    const every = cellTitled(nb, 'Every user');
    const result = resultOf(every);
    assert.strictEqual(result.version, 1);
    assert.deepStrictEqual(result.columns.map((c) => c.name), ['users', 'first_sign_up']);
    assert.strictEqual(result.columns[0].type, 'bigint');
    assert.strictEqual(result.rows[0][0], String(USERS));
    assert.strictEqual(result.rowCount, 1);
    assert.ok(result.requests > 0, 'fetched from the simulator');
    assert.ok(result.sources.some((s) => s.table === 'clerk_users' && s.rows === USERS), JSON.stringify(result.sources));
    const table = text(items(every, 'text/plain')[0].data);
    assert.match(table, / users \| first_sign_up/);
    assert.match(table, new RegExp(`^\\s+${USERS} \\| \\d{4}-\\d\\d-\\d\\d\\s*$`, 'm'));
    assert.match(table, /\(1 row\)/);
    log(table.split('\n').map((l) => `      ${l}`).join('\n'));

    // The point lookup was pushed down to one request.
    const lookup = resultOf(cellTitled(nb, 'A point lookup'));
    assert.strictEqual(lookup.rowCount, 1);
    // No output anywhere carries the simulator's key.
    for (const cell of nb.getCells()) assert.ok(!showOutputs(cell).includes(sim.secretKey));
  });

  it('bounds a result to clerkSql.maxOutputRows and counts the rest', async () => {
    const config = vscode.workspace.getConfiguration('clerkSql');
    await config.update('maxOutputRows', 5, vscode.ConfigurationTarget.Global);
    try {
      const edit = new vscode.WorkspaceEdit();
      edit.set(nb.uri, [vscode.NotebookEdit.insertCells(nb.cellCount, [new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'select user_id, email from clerk_users order by user_id;', 'clerk-sql')])]);
      await vscode.workspace.applyEdit(edit);
      const [cell] = await runCells(nb, nb.cellCount - 1, nb.cellCount);
      const result = resultOf(cell);
      assert.strictEqual(result.rowCount, USERS);
      assert.strictEqual(result.rows.length, 5);
      assert.strictEqual(result.truncated, true);
      assert.match(text(items(cell, 'text/plain')[0].data), new RegExp(`\\(${USERS} rows, ${USERS - 5} not shown\\)`));
    } finally {
      await config.update('maxOutputRows', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('shows an error with its SQLSTATE and where in the cell it is', async () => {
    const edit = new vscode.WorkspaceEdit();
    edit.set(nb.uri, [vscode.NotebookEdit.insertCells(nb.cellCount, [new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'select 1 as one;\nselect * from no_such_table;', 'clerk-sql')])]);
    await vscode.workspace.applyEdit(edit);
    const [cell] = await runCells(nb, nb.cellCount - 1, nb.cellCount);
    assert.strictEqual(cell.executionSummary.success, false);
    // The statement before the failing one keeps its result.
    assert.deepStrictEqual(resultOf(cell).rows, [['1']]);
    const [error] = items(cell, ERROR_MIME);
    assert.ok(error, showOutputs(cell));
    const e = JSON.parse(text(error.data));
    assert.match(e.message, /relation "no_such_table" does not exist/);
    assert.match(e.stack, /SQLSTATE 42P01 at cell line 2, column 15, statement 2/);
  });

  it('the stop button cancels a long fetch (simulator latency), with live progress in the cell', async () => {
    // A fresh runtime, so the users are fetched again; the API answers slowly.
    assert.strictEqual(await vscode.commands.executeCommand('clerkSql.restartRuntime', nb.uri), true);
    sim.configure({ latencyMs: 1500 });
    try {
      const every = cellTitled(nb, 'Every user');
      await runCells(nb, 0, every.index); // the DDL cells: no API call
      const started = Date.now();
      void vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: every.index, end: every.index + 1 }], document: nb.uri });
      const progress = await waitFor('progress in the running cell', () => {
        const t = items(every, 'text/plain').map((i) => text(i.data)).find((s) => s.startsWith('clerk_users:'));
        return t;
      }, 30000, 20);
      assert.match(progress, /^clerk_users: [\d,]+( of [\d,]+)? rows, \d+ requests?$/);
      log(`    progress: ${progress}`);
      await vscode.commands.executeCommand('notebook.cell.cancelExecution', { ranges: [{ start: every.index, end: every.index + 1 }], document: nb.uri });
      await waitFor('the cancelled cell to end', () => endedSince(every, started), 20000);
      assert.strictEqual(every.executionSummary.success, false);
      const elapsed = Date.now() - started;
      const [error] = items(every, ERROR_MIME);
      assert.ok(error, showOutputs(every));
      const e = JSON.parse(text(error.data));
      assert.strictEqual(e.message, 'canceling statement due to user request');
      assert.match(e.stack, /SQLSTATE 57014/);
      // 3,000 users are 6+ requests of 1.5 s: the cell stopped well before the fetch could end.
      assert.ok(elapsed < 8000, `cancelled after ${elapsed} ms`);
      log(`    cancelled ${elapsed} ms after the run started`);
    } finally {
      sim.configure({ latencyMs: 0 });
    }
    // The runtime is still usable after the cancel.
    const every = cellTitled(nb, 'Every user');
    await runCells(nb, every.index, every.index + 1);
    assert.strictEqual(every.executionSummary.success, true, showOutputs(every));
    assert.strictEqual(resultOf(every).rows[0][0], String(USERS));
  });

  describe('API keys in SecretStorage', () => {
    let keysNb;
    let fileUri;

    before(async () => {
      assert.ok(sim);
      fileUri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, 'keys.clerk.sql');
      const source = [
        '-- %% Setup, no key in the notebook',
        'create foreign data wrapper clerk_wrapper handler clerk_fdw_handler validator clerk_fdw_validator;',
        `create server s1 foreign data wrapper clerk_wrapper options (api_url '${sim.url}');`,
        "create foreign table users (user_id text) server s1 options (object 'users');",
        '-- %% Count',
        'select count(*) as n from users;',
        '',
      ].join('\n');
      await vscode.workspace.fs.writeFile(fileUri, Buffer.from(source));
      await vscode.commands.executeCommand('clerkSql.forgetAllApiKeys');
      // The simulator is not Clerk's API: without this the first run asks to confirm its origin
      // in a modal dialog (the UI test answers that dialog).
      await vscode.workspace.getConfiguration('clerkSql').update('allowedApiOrigins', [new URL(sim.url).origin], vscode.ConfigurationTarget.Global);
    });

    after(async () => {
      await vscode.workspace.getConfiguration('clerkSql').update('allowedApiOrigins', undefined, vscode.ConfigurationTarget.Global);
    });

    it('a server pointed at an api_url other than Clerk\'s runs only once its origin is confirmed', async () => {
      const config = vscode.workspace.getConfiguration('clerkSql');
      const allowed = config.get('allowedApiOrigins');
      await config.update('allowedApiOrigins', [], vscode.ConfigurationTarget.Global);
      try {
        await vscode.commands.executeCommand('clerkSql.setApiKey', 's1', sim.secretKey, sim.url);
        const before = sim.log.count();
        keysNb = await vscode.workspace.openNotebookDocument(fileUri);
        await selectKernel(keysNb);
        // Under test VS Code answers no modal dialog: the confirmation counts as declined.
        const cells = await runCells(keysNb, 0, keysNb.cellCount);
        const count = cells[1];
        assert.strictEqual(count.executionSummary.success, false, showOutputs(count));
        const e = JSON.parse(text(items(count, ERROR_MIME)[0].data));
        assert.match(e.message, new RegExp(`requests of server "s1" to ${new URL(sim.url).origin.replace(/[.]/g, '\\.')} were not allowed`));
        assert.match(e.stack, /SQLSTATE HV00N/);
        assert.strictEqual(sim.log.count(), before, 'no request reached the other origin');
      } finally {
        await config.update('allowedApiOrigins', allowed, vscode.ConfigurationTarget.Global);
      }
    });

    it('runs a file notebook with a key stored by "Set API Key"', async () => {
      // The notebook's DDL ran in the test above: start from a fresh runtime.
      await vscode.commands.executeCommand('clerkSql.restartRuntime', keysNb.uri);
      assert.strictEqual(keysNb.notebookType, 'clerk-sql-notebook');
      assert.deepStrictEqual(keysNb.getCells().map((c) => c.metadata.title), ['Setup, no key in the notebook', 'Count']);
      await selectKernel(keysNb);
      const cells = await runCells(keysNb, 0, keysNb.cellCount);
      assert.ok(cells.every((c) => c.executionSummary.success), cells.map(showOutputs).join('\n'));
      assert.deepStrictEqual(resultOf(cells[1]).rows, [[String(USERS)]]);
      for (const c of cells) assert.ok(!showOutputs(c).includes(sim.secretKey), 'no key in outputs');
      assert.strictEqual(keysNb.isDirty, false, 'running does not dirty the file (transient outputs)');
    });

    it('"Forget API Key" takes the key back: the next fetch asks for it, and fails when the prompt is dismissed', async () => {
      assert.strictEqual(await vscode.commands.executeCommand('clerkSql.forgetApiKey', 's1', sim.url), true);
      const count = keysNb.cellAt(1);
      const t0 = Date.now();
      const run = vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: 1, end: 2 }], document: keysNb.uri });
      // The password prompt is up while the cell waits; dismiss it.
      await sleep(1500);
      assert.strictEqual(endedSince(count, t0), false, 'the cell waits for the key');
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      await run;
      await waitFor('the count cell to fail', () => endedSince(count, t0), 20000);
      assert.strictEqual(count.executionSummary.success, false);
      const e = JSON.parse(text(items(count, ERROR_MIME)[0].data));
      assert.match(e.message, new RegExp(`no api_key for server "s1" \\(${new URL(sim.url).origin.replace(/[.]/g, '\\.')}\\)`));
      assert.match(e.stack, /SQLSTATE HV00N/);
      // Forgetting again: nothing was stored.
      assert.strictEqual(await vscode.commands.executeCommand('clerkSql.forgetApiKey', 's1', sim.url), false);
    });

    it('a key typed inline moves to SecretStorage when its cell runs; the saved file and outputs never hold it', async () => {
      const inlineUri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, 'inline.clerk.sql');
      const source = [
        '-- %% Setup with the key written inline',
        'create foreign data wrapper w handler clerk_fdw_handler validator clerk_fdw_validator;',
        `create server s2 foreign data wrapper w options (api_url '${sim.url}', api_key '${sim.secretKey}');`,
        "create foreign table users (user_id text) server s2 options (object 'users');",
        '-- %% Count',
        'select count(*) as n from users;',
        '',
      ].join('\n');
      await vscode.workspace.fs.writeFile(inlineUri, Buffer.from(source));
      const inlineNb = await vscode.workspace.openNotebookDocument(inlineUri);
      await selectKernel(inlineNb);
      const cells = await runCells(inlineNb, 0, inlineNb.cellCount);
      assert.ok(cells.every((c) => c.executionSummary.success), cells.map(showOutputs).join('\n'));
      assert.deepStrictEqual(resultOf(cells[1]).rows, [[String(USERS)]]);
      const setup = inlineNb.cellAt(0).document.getText();
      assert.ok(!setup.includes(sim.secretKey), setup);
      assert.match(setup, /options \(api_url '[^']+', api_key '<clerk secret key in VS Code SecretStorage>'\);/);
      // The notebook had no other change, so it was saved: the file on disk no longer holds the key.
      assert.strictEqual(inlineNb.isDirty, false);
      const saved = text(await vscode.workspace.fs.readFile(inlineUri));
      assert.ok(!saved.includes(sim.secretKey), saved);
      assert.strictEqual(saved, source.replace(sim.secretKey, '<clerk secret key in VS Code SecretStorage>'));
      for (const c of cells) assert.ok(!showOutputs(c).includes(sim.secretKey), 'no key in outputs');
      // The key is in SecretStorage, for the server and the simulator's origin.
      assert.strictEqual(await vscode.commands.executeCommand('clerkSql.forgetApiKey', 's2', sim.url), true);
    });

    it('"Forget All API Keys" forgets every stored key', async () => {
      await vscode.commands.executeCommand('clerkSql.setApiKey', 's1', sim.secretKey, sim.url);
      await vscode.commands.executeCommand('clerkSql.setApiKey', 'other', 'sk_test_other', 'https://api.clerk.com/v1');
      assert.strictEqual(await vscode.commands.executeCommand('clerkSql.forgetAllApiKeys'), 2);
      assert.strictEqual(await vscode.commands.executeCommand('clerkSql.forgetAllApiKeys'), 0);
    });
  });
});
