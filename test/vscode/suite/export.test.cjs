// "Clerk SQL: Export Result" in the real extension host: the full result of a statement (not
// only the rows bounded into the cell output) saved as CSV equal to the simulator's data and as
// JSON; results are kept only for the cells' latest outputs and dropped when the notebook closes.
'use strict';
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const vscode = require('vscode');
const { EXT_ID, RESULT_MIME, text, log, waitFor, spawnSimulator } = require('./support.cjs');

const USERS = 1500;

async function runCells(nb, start, end) {
  const t0 = Date.now();
  await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start, end }], document: nb.uri });
  const cells = nb
    .getCells()
    .slice(start, end)
    .filter((c) => c.kind === vscode.NotebookCellKind.Code);
  await waitFor(
    `cells ${start}..${end - 1}`,
    () =>
      cells.every((c) => c.executionSummary && c.executionSummary.timing && c.executionSummary.timing.endTime >= t0) ||
      cells.some((c) => c.executionSummary && c.executionSummary.success === false && c.executionSummary.timing.endTime >= t0),
  );
  return cells;
}

async function appendAndRun(nb, source) {
  const edit = new vscode.WorkspaceEdit();
  edit.set(nb.uri, [vscode.NotebookEdit.insertCells(nb.cellCount, [new vscode.NotebookCellData(vscode.NotebookCellKind.Code, source, 'clerk-sql')])]);
  await vscode.workspace.applyEdit(edit);
  const [cell] = await runCells(nb, nb.cellCount - 1, nb.cellCount);
  assert.strictEqual(cell.executionSummary.success, true, JSON.stringify(cell.outputs.map((o) => o.items.map((i) => text(i.data).slice(0, 300)))));
  return cell;
}

/** RFC 4180 lines: this data (ids and emails) has no quotes or line breaks inside fields. */
function csvRows(file) {
  const content = fs.readFileSync(file, 'utf8');
  assert.ok(content.endsWith('\r\n'), 'CRLF line ends, as COPY ... CSV writes');
  return content
    .slice(0, -2)
    .split('\r\n')
    .map((line) => line.split(','));
}

/** Every user, read page by page from the Backend API as any client would. */
async function allUsers(sim) {
  const users = [];
  for (let offset = 0; ; offset += 500) {
    const res = await fetch(`${sim.url}/users?limit=500&offset=${offset}&order_by=%2Bcreated_at`, { headers: { authorization: `Bearer ${sim.secretKey}` } });
    assert.strictEqual(res.status, 200);
    const page = await res.json();
    users.push(...page);
    if (page.length < 500) return users;
  }
}

function primaryEmail(user) {
  const primary = user.email_addresses.find((e) => e.id === user.primary_email_address_id) || user.email_addresses[0];
  return primary ? primary.email_address : '';
}

describe('Export Result', function () {
  let nb;
  let sim;
  let dir;

  before(async () => {
    await vscode.extensions.getExtension(EXT_ID).activate();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clerk-export-'));
    nb = await vscode.commands.executeCommand('clerkSql.tryWithSimulator', { users: USERS, seed: 11 });
    // The same seed and size in a process of its own serve the same data: the expected values.
    sim = await spawnSimulator(['--users', String(USERS), '--seed', '11']);
    // The DDL cells (up to the documented tables).
    const tables = nb.getCells().find((c) => (c.metadata.title || '').startsWith('The documented tables'));
    const cells = await runCells(nb, 0, tables.index + 1);
    assert.ok(cells.every((c) => c.executionSummary.success));
    await vscode.workspace.getConfiguration('clerkSql').update('maxOutputRows', 100, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await vscode.workspace.getConfiguration('clerkSql').update('maxOutputRows', undefined, vscode.ConfigurationTarget.Global);
    for (const notebook of vscode.workspace.notebookDocuments) {
      await vscode.window.showNotebookDocument(notebook);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    fs.rmSync(dir, { recursive: true, force: true });
    sim.stop();
  });

  it('the result JSON comes first in the output (for the renderer), the text table after it', async () => {
    const cell = await appendAndRun(nb, 'select 1 as one;');
    const mimes = cell.outputs[0].items.map((i) => i.mime);
    assert.deepStrictEqual(mimes, [RESULT_MIME, 'text/plain']);
    const payload = JSON.parse(text(cell.outputs[0].items[0].data));
    assert.match(payload.resultId, /^[0-9a-f-]{36}$/);
  });

  it('exports the full result as CSV equal to the data, past the rows in the output', async () => {
    const cell = await appendAndRun(nb, 'select user_id, email from clerk_users order by user_id;');
    const payload = JSON.parse(text(cell.outputs[0].items[0].data));
    assert.strictEqual(payload.rowCount, USERS);
    assert.strictEqual(payload.rows.length, 100);
    assert.strictEqual(payload.truncated, true);

    const file = path.join(dir, 'users.csv');
    const t0 = Date.now();
    const saved = await vscode.commands.executeCommand('clerkSql.exportResult', payload.resultId, 'csv', vscode.Uri.file(file));
    assert.strictEqual(saved && saved.fsPath, file);
    const rows = csvRows(file);
    log(`    exported ${rows.length - 1} rows (${fs.statSync(file).size} bytes) in ${Date.now() - t0} ms`);
    assert.deepStrictEqual(rows[0], ['user_id', 'email']);
    assert.strictEqual(rows.length - 1, USERS);
    // The rows shown in the output are the first rows of the file.
    assert.deepStrictEqual(
      rows.slice(1, 101),
      payload.rows.map((r) => r.map((v) => (v === null ? '' : v))),
    );
    // Every simulator user, each with its primary email, in user_id order.
    const users = await allUsers(sim);
    const expected = users.map((u) => [u.id, primaryEmail(u)]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    assert.deepStrictEqual(rows.slice(1), expected);
    for (const i of [0, 777, USERS - 1]) log(`      row ${i + 1}: ${rows[i + 1].join(',')}`);
  });

  it('exports JSON with every row', async () => {
    const cell = nb.cellAt(nb.cellCount - 1);
    const payload = JSON.parse(text(cell.outputs[0].items[0].data));
    const file = path.join(dir, 'users.json');
    await vscode.commands.executeCommand('clerkSql.exportResult', payload.resultId, 'json', file);
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.strictEqual(json.length, USERS);
    assert.deepStrictEqual(json[0], { user_id: payload.rows[0][0], email: payload.rows[0][1] });
  });

  it('a rerun drops the previous result; closing the notebook drops them all', async () => {
    const cell = nb.cellAt(nb.cellCount - 1);
    const before = JSON.parse(text(cell.outputs[0].items[0].data)).resultId;
    await runCells(nb, cell.index, cell.index + 1);
    const after = JSON.parse(text(cell.outputs[0].items[0].data)).resultId;
    assert.notStrictEqual(after, before);
    const stale = path.join(dir, 'stale.csv');
    assert.strictEqual(await vscode.commands.executeCommand('clerkSql.exportResult', before, 'csv', stale), undefined);
    assert.strictEqual(fs.existsSync(stale), false);
    assert.ok(await vscode.commands.executeCommand('clerkSql.exportResult', after, 'csv', path.join(dir, 'again.csv')));

    await vscode.window.showNotebookDocument(nb);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await waitFor('the notebook to close', () => !vscode.workspace.notebookDocuments.includes(nb), 20000);
    const closed = path.join(dir, 'closed.csv');
    assert.strictEqual(await vscode.commands.executeCommand('clerkSql.exportResult', after, 'csv', closed), undefined);
    assert.strictEqual(fs.existsSync(closed), false);
  });
});
