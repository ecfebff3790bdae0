// Integration tests in the real VS Code extension host: the notebook against the built-in
// simulator (the example copy "Try with the Built-in Simulator" writes, `api_url 'simulator:'`),
// errors, restart, cancellation, and API keys in SecretStorage (a simulator in its own process
// for servers at another address).
'use strict';
const assert = require('assert');
const fs = require('fs');
const vscode = require('vscode');
const { EXT_ID, RESULT_MIME, ERROR_MIME, text, log, sleep, waitFor, spawnSimulator, countingServer } = require('./support.cjs');

const USERS = 3000;
/** A Clerk secret key's shape, as any output would show one that leaked. */
const KEY_SHAPE = /sk_(test|live)_[A-Za-z0-9]{8,}/;

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
  const cells = nb
    .getCells()
    .slice(start, end)
    .filter((c) => c.kind === vscode.NotebookCellKind.Code);
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

function errorOf(cell) {
  const [item] = items(cell, ERROR_MIME);
  assert.ok(item, `cell ${cell.index} shows an error; outputs: ${showOutputs(cell)}`);
  return JSON.parse(text(item.data));
}

async function appendCell(nb, source) {
  const edit = new vscode.WorkspaceEdit();
  edit.set(nb.uri, [vscode.NotebookEdit.insertCells(nb.cellCount, [new vscode.NotebookCellData(vscode.NotebookCellKind.Code, source, 'clerk-sql')])]);
  await vscode.workspace.applyEdit(edit);
  return nb.cellAt(nb.cellCount - 1);
}

describe('Clerk SQL Notebook in the VS Code extension host', function () {
  let nb;

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
    for (const id of [
      'clerkSql.tryWithSimulator',
      'clerkSql.restartRuntime',
      'clerkSql.setApiKey',
      'clerkSql.forgetApiKey',
      'clerkSql.forgetAllApiKeys',
      'clerkSql.moveInlineKeys',
      'clerkSql.runtimeMenu',
    ]) {
      assert.ok(commands.includes(id), id);
    }
  });

  it('"Try with the Built-in Simulator" writes the example as a .clerk.sql file reading the simulator; Run All fills every cell', async () => {
    nb = await vscode.commands.executeCommand('clerkSql.tryWithSimulator', { users: USERS, seed: 7 });
    assert.strictEqual(nb.notebookType, 'clerk-sql-notebook');
    assert.strictEqual(nb.isUntitled, false);
    // In the workspace folder (the export suite's copy, another seed, may hold the first name).
    assert.match(vscode.workspace.asRelativePath(nb.uri), /^clerk-simulator-example(-\d+)?\.clerk\.sql$/);
    const onDisk = fs.readFileSync(nb.uri.fsPath, 'utf8');
    assert.match(
      onDisk,
      /create server my_clerk_server\n {2}foreign data wrapper clerk_wrapper\n {2}options \(\n {4}api_url 'simulator:\?users=3000&seed=7'\)/,
    );
    const code = nb.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code);
    assert.ok(code.length >= 10, `example has code cells (${code.length})`);
    assert.ok(code.every((c) => c.document.languageId === 'clerk-sql'));
    // The same command again opens the same file, not a copy.
    assert.strictEqual((await vscode.commands.executeCommand('clerkSql.tryWithSimulator', { users: USERS, seed: 7 })).uri.toString(), nb.uri.toString());

    const t0 = Date.now();
    await runCells(nb, 0, nb.cellCount);
    const failed = code.filter((c) => !c.executionSummary.success);
    assert.deepStrictEqual(
      failed.map((c) => `${c.index} ${c.metadata.title}: ${showOutputs(c)}`),
      [],
    );
    const requests = code.flatMap((c) => items(c, RESULT_MIME).map((i) => JSON.parse(text(i.data)).requests)).reduce((a, b) => a + b, 0);
    log(`    ran ${code.length} code cells in ${((Date.now() - t0) / 1000).toFixed(1)} s, ${requests} API requests`);
    // Execution order follows the cells; timing is recorded.
    const orders = code.map((c) => c.executionSummary.executionOrder);
    assert.deepStrictEqual(
      orders,
      orders.map((_, i) => i + 1),
    );
    assert.ok(code.every((c) => c.executionSummary.timing.endTime >= c.executionSummary.timing.startTime));

    const every = cellTitled(nb, 'Every user');
    const result = resultOf(every);
    assert.strictEqual(result.version, 1);
    assert.deepStrictEqual(
      result.columns.map((c) => c.name),
      ['users', 'first_sign_up'],
    );
    assert.strictEqual(result.columns[0].type, 'bigint');
    assert.strictEqual(result.rows[0][0], String(USERS));
    assert.strictEqual(result.rowCount, 1);
    assert.ok(result.requests > 0, 'fetched from the simulator');
    assert.ok(
      result.sources.some((s) => s.table === 'clerk_users' && s.rows === USERS),
      JSON.stringify(result.sources),
    );
    const table = text(items(every, 'text/plain')[0].data);
    assert.match(table, / users \| first_sign_up/);
    assert.match(table, new RegExp(`^\\s+${USERS} \\| \\d{4}-\\d\\d-\\d\\d\\s*$`, 'm'));
    assert.match(table, /\(1 row\)/);
    log(
      table
        .split('\n')
        .map((l) => `      ${l}`)
        .join('\n'),
    );

    // The point lookup was pushed down to one request.
    const lookup = resultOf(cellTitled(nb, 'A point lookup'));
    assert.strictEqual(lookup.rowCount, 1);
    // No output anywhere carries a key.
    for (const cell of nb.getCells()) assert.doesNotMatch(showOutputs(cell), KEY_SHAPE);
  });

  it('running the setup cells again changes nothing and says so (a NOTICE), as IF NOT EXISTS would', async () => {
    const tables = cellTitled(nb, 'The documented tables');
    const cells = await runCells(nb, 0, tables.index + 1);
    assert.ok(
      cells.every((c) => c.executionSummary.success),
      cells.map(showOutputs).join('\n'),
    );
    assert.deepStrictEqual(resultOf(tables).notices, ['foreign table "clerk_users" already exists with this definition, skipping']);
    assert.match(
      text(items(tables, 'text/plain')[0].data),
      /^NOTICE: {2}foreign table "clerk_users" already exists with this definition, skipping\nCREATE FOREIGN TABLE/,
    );
  });

  it('bounds a result to clerkSql.maxOutputRows and counts the rest', async () => {
    const config = vscode.workspace.getConfiguration('clerkSql');
    await config.update('maxOutputRows', 5, vscode.ConfigurationTarget.Global);
    try {
      const edit = new vscode.WorkspaceEdit();
      edit.set(nb.uri, [
        vscode.NotebookEdit.insertCells(nb.cellCount, [
          new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'select user_id, email from clerk_users order by user_id;', 'clerk-sql'),
        ]),
      ]);
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

  it('shows an error as psql prints it: the message first, the line with a caret, where, SQLSTATE', async () => {
    const cell = await appendCell(nb, 'select 1 as one;\nselect * from no_such_table;');
    await runCells(nb, cell.index, cell.index + 1);
    assert.strictEqual(cell.executionSummary.success, false);
    // The statement before the failing one keeps its result.
    assert.deepStrictEqual(resultOf(cell).rows, [['1']]);
    const e = errorOf(cell);
    const order = cell.executionSummary.executionOrder;
    assert.strictEqual(e.kind, 'error');
    assert.strictEqual(
      e.text,
      [
        'ERROR:  relation "no_such_table" does not exist',
        'LINE 2: select * from no_such_table;',
        '                      ^',
        `at cell [${order}], line 2, column 15 · statement 2 · SQLSTATE 42P01`,
      ].join('\n'),
    );
    assert.strictEqual(e.setKey, undefined);
    // The same text is the plain-text fallback.
    assert.strictEqual(text(cell.outputs.at(-1).items.find((i) => i.mime === 'text/plain').data), e.text);
  });

  it('Restart with the notebook as the toolbar passes it: a new runtime, and the old outputs marked stale', async () => {
    const every = cellTitled(nb, 'Every user');
    assert.ok(every.executionSummary.success);
    // The toolbar's argument is the notebook document itself.
    assert.strictEqual(await vscode.commands.executeCommand('clerkSql.restartRuntime', nb), true);
    assert.strictEqual(resultOf(every).stale, true);
    assert.strictEqual(resultOf(every).resultId, undefined, 'its rows beyond the output went with the runtime');
    assert.match(text(items(every, 'text/plain')[0].data), /^\(from a runtime that has been restarted since: run the cell again to refresh\)/);
    assert.strictEqual(every.executionSummary.success, undefined, 'no green tick');
    assert.strictEqual(every.executionSummary.executionOrder, undefined);
    // Nothing was running now: false, and nothing changes.
    assert.strictEqual(await vscode.commands.executeCommand('clerkSql.restartRuntime', nb), false);
    // The new runtime starts empty: the setup runs again without "already exists".
    const tables = cellTitled(nb, 'The documented tables');
    const cells = await runCells(nb, 0, tables.index + 1);
    assert.ok(
      cells.every((c) => c.executionSummary.success),
      cells.map(showOutputs).join('\n'),
    );
    assert.deepStrictEqual(
      resultOf(tables).notices.filter((n) => /already exists/.test(n)),
      [],
    );
    assert.deepStrictEqual(
      cells.map((c) => c.executionSummary.executionOrder),
      cells.map((_, i) => i + 1),
    );
  });

  it('the stop button cancels a long fetch (simulator latency), with live progress; the cell reads "Cancelled", not a failure', async () => {
    const slow = await vscode.commands.executeCommand('clerkSql.tryWithSimulator', { users: USERS, seed: 7, latencyMs: 1500 });
    assert.notStrictEqual(slow.uri.toString(), nb.uri.toString(), 'another simulator, another file');
    const every = cellTitled(slow, 'Every user');
    await runCells(slow, 0, every.index); // the DDL cells: no API call
    const started = Date.now();
    void vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: every.index, end: every.index + 1 }], document: slow.uri });
    const progress = await waitFor(
      'progress in the running cell',
      () => {
        const t = items(every, 'text/plain')
          .map((i) => text(i.data))
          .find((s) => s.startsWith('clerk_users:'));
        return t;
      },
      30000,
      20,
    );
    assert.match(progress, /^clerk_users: [\d,]+( of [\d,]+)? rows, \d+ requests?$/);
    log(`    progress: ${progress}`);
    await vscode.commands.executeCommand('notebook.cell.cancelExecution', { ranges: [{ start: every.index, end: every.index + 1 }], document: slow.uri });
    await waitFor('the cancelled cell to end', () => endedSince(every, started), 20000);
    assert.strictEqual(every.executionSummary.success, undefined, 'neither a tick nor a cross');
    const elapsed = Date.now() - started;
    const e = errorOf(every);
    assert.deepStrictEqual([e.kind, e.text], ['cancelled', 'Cancelled at statement 1.']);
    // 3,000 users are 6+ requests of 1.5 s: the cell stopped well before the fetch could end.
    assert.ok(elapsed < 8000, `cancelled after ${elapsed} ms`);
    log(`    cancelled ${elapsed} ms after the run started`);
    // The runtime is still usable after the cancel.
    await runCells(slow, every.index, every.index + 1);
    assert.strictEqual(every.executionSummary.success, true, showOutputs(every));
    assert.strictEqual(resultOf(every).rows[0][0], String(USERS));
  });

  describe('API keys in SecretStorage', () => {
    let keysNb;
    let fileUri;
    let sim;

    before(async () => {
      sim = await spawnSimulator(['--users', String(USERS), '--seed', '7']);
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
      sim.stop();
    });

    it("a server pointed at an api_url other than Clerk's runs only once its origin is confirmed", async () => {
      const other = await countingServer();
      try {
        const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, 'elsewhere.clerk.sql');
        await vscode.workspace.fs.writeFile(
          uri,
          Buffer.from(
            [
              'create foreign data wrapper w handler clerk_fdw_handler validator clerk_fdw_validator;',
              `create server elsewhere foreign data wrapper w options (api_url '${other.url}');`,
              "create foreign table users (user_id text) server elsewhere options (object 'users');",
              '-- %% Count',
              'select count(*) as n from users;',
              '',
            ].join('\n'),
          ),
        );
        await vscode.commands.executeCommand('clerkSql.setApiKey', 'elsewhere', 'sk_test_' + 'k'.repeat(40), other.url);
        const elsewhere = await vscode.workspace.openNotebookDocument(uri);
        await selectKernel(elsewhere);
        // Under test VS Code answers no modal dialog: the confirmation counts as declined.
        const cells = await runCells(elsewhere, 0, elsewhere.cellCount);
        const count = cells[1];
        assert.strictEqual(count.executionSummary.success, false, showOutputs(count));
        const e = errorOf(count);
        assert.match(e.text, new RegExp(`^ERROR: {2}requests of server "elsewhere" to ${new URL(other.url).origin.replace(/[.]/g, '\\.')} were not allowed`));
        assert.match(e.text, /SQLSTATE HV00N$/);
        assert.strictEqual(other.count(), 0, 'no request reached the other origin');
      } finally {
        await other.close();
      }
    });

    it('runs a file notebook with a key stored by "Set API Key"', async () => {
      assert.strictEqual(await vscode.commands.executeCommand('clerkSql.setApiKey', 's1', sim.secretKey, sim.url), true);
      keysNb = await vscode.workspace.openNotebookDocument(fileUri);
      assert.strictEqual(keysNb.notebookType, 'clerk-sql-notebook');
      assert.deepStrictEqual(
        keysNb.getCells().map((c) => c.metadata.title),
        ['Setup, no key in the notebook', 'Count'],
      );
      await selectKernel(keysNb);
      const cells = await runCells(keysNb, 0, keysNb.cellCount);
      assert.ok(
        cells.every((c) => c.executionSummary.success),
        cells.map(showOutputs).join('\n'),
      );
      assert.deepStrictEqual(resultOf(cells[1]).rows, [[String(USERS)]]);
      for (const c of cells) assert.ok(!showOutputs(c).includes(sim.secretKey), 'no key in outputs');
      assert.strictEqual(keysNb.isDirty, false, 'running does not dirty the file (transient outputs)');
    });

    it("a key Clerk refuses (401): the address, Clerk's code and message, and the key offered to set again", async () => {
      assert.strictEqual(await vscode.commands.executeCommand('clerkSql.setApiKey', 's1', 'sk_test_' + 'w'.repeat(40), sim.url), true);
      const count = keysNb.cellAt(1);
      await runCells(keysNb, 1, 2);
      assert.strictEqual(count.executionSummary.success, false);
      const e = errorOf(count);
      const origin = new URL(sim.url).origin;
      assert.match(e.text, /^ERROR: {2}foreign table "users": Clerk API users, GET \/v1\/users(\/count)? request failed: HTTP 401 clerk_key_invalid: /);
      assert.ok(e.text.includes(`DETAIL:  Server "s1" at ${sim.url}.`), e.text);
      assert.ok(e.text.includes(`HINT:  Clerk did not accept the key of server "s1" for ${origin}.`), e.text);
      assert.deepStrictEqual(e.setKey, { server: 's1', origin, cell: count.document.uri.toString() });
      assert.ok(!e.text.includes('w'.repeat(20)), 'the key is not in the error');
      await vscode.commands.executeCommand('clerkSql.setApiKey', 's1', sim.secretKey, sim.url);
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
      const e = errorOf(count);
      const origin = new URL(sim.url).origin;
      assert.match(e.text, new RegExp(`^ERROR: {2}no api_key for server "s1" \\(${origin.replace(/[.]/g, '\\.')}\\)`));
      assert.match(e.text, /SQLSTATE HV00N$/);
      assert.deepStrictEqual(e.setKey, { server: 's1', origin, cell: count.document.uri.toString() });
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
      assert.ok(
        cells.every((c) => c.executionSummary.success),
        cells.map(showOutputs).join('\n'),
      );
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

    it('a key typed inline and saved without running: it moves to SecretStorage before the bytes are written', async () => {
      const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, 'typed.clerk.sql');
      await vscode.workspace.fs.writeFile(
        uri,
        Buffer.from('-- %% Setup\ncreate foreign data wrapper w handler clerk_fdw_handler validator clerk_fdw_validator;\n'),
      );
      const typed = await vscode.workspace.openNotebookDocument(uri);
      const key = 'sk_live_' + 'T'.repeat(40);
      // A statement still being typed (no closing parenthesis yet), as auto-save would catch it.
      const edit = new vscode.WorkspaceEdit();
      edit.set(typed.uri, [
        vscode.NotebookEdit.insertCells(1, [
          new vscode.NotebookCellData(
            vscode.NotebookCellKind.Code,
            `create server typed_server foreign data wrapper w options (api_url '${sim.url}', api_key '${key}'`,
            'clerk-sql',
          ),
        ]),
      ]);
      await vscode.workspace.applyEdit(edit);
      assert.strictEqual(typed.isDirty, true);
      assert.strictEqual(await typed.save(), true);
      const saved = text(await vscode.workspace.fs.readFile(uri));
      assert.ok(!saved.includes(key), saved);
      assert.ok(saved.includes("api_key '<clerk secret key in VS Code SecretStorage>'"), saved);
      assert.strictEqual(typed.cellAt(1).document.getText().includes(key), false);
      assert.strictEqual(await vscode.commands.executeCommand('clerkSql.forgetApiKey', 'typed_server', sim.url), true, 'stored for the server and its origin');
    });

    it('"Set API Key" for a server reading the simulator says it needs none; "Forget All" forgets every key', async () => {
      await assert.rejects(
        Promise.resolve(vscode.commands.executeCommand('clerkSql.setApiKey', 'sim', 'sk_test_x', 'simulator:?users=5')),
        /reads the built-in simulator: it needs no key/,
      );
      await vscode.commands.executeCommand('clerkSql.setApiKey', 's1', sim.secretKey, sim.url);
      await vscode.commands.executeCommand('clerkSql.setApiKey', 'other', 'sk_test_other', 'https://api.clerk.com/v1');
      assert.strictEqual(await vscode.commands.executeCommand('clerkSql.forgetAllApiKeys'), 3, 'with "elsewhere" from the first test');
      assert.strictEqual(await vscode.commands.executeCommand('clerkSql.forgetAllApiKeys'), 0);
    });
  });
});
