// A notebook on a saved PostgreSQL connection, in the real extension host: "Add Postgres
// Connection..." (password to SecretStorage, checked by connecting), the connection's kernel, a
// notebook whose Clerk table joins a real table made in that database, and nothing of the Clerk
// table or the password left behind; the language server knowing that database's tables while the
// notebook's kernel is the connection. The cluster is a throwaway one of Debian's postgresql.
'use strict';
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const vscode = require('vscode');
const pg = require('pg');
const { EXT_ID, RESULT_MIME, ERROR_MIME, text, waitFor } = require('./support.cjs');

const ROOT = path.join(__dirname, '../../..');
const PASSWORD = 'not-in-any-output-42';

async function startCluster() {
  const tsx = require.resolve('tsx', { paths: [ROOT] });
  const child = spawn(process.execPath, ['--import', require('url').pathToFileURL(tsx).href, path.join(ROOT, 'test/helpers/postgresCluster.ts')], {
    stdio: ['pipe', 'pipe', 'pipe'],
    cwd: ROOT,
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const url = await waitFor(
    'the Postgres cluster to start',
    () => {
      if (child.exitCode !== null) throw new Error(`the Postgres cluster did not start: ${out}`);
      return /postgres cluster ready: (\S+)/.exec(out)?.[1];
    },
    60000,
  );
  return { url, stop: () => new Promise((resolve) => (child.on('exit', resolve), child.stdin.end())) };
}

async function sql(url, query) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query({ text: query, rowMode: 'array' })).rows;
  } finally {
    await client.end();
  }
}

describe('Clerk SQL Notebook on a PostgreSQL connection', function () {
  let cluster;
  before(async function () {
    cluster = await startCluster();
  });
  after(async function () {
    await cluster?.stop();
  });

  it('adds a connection, runs a notebook on its kernel, and joins Clerk users with a real table', async function () {
    const url = new URL(cluster.url);
    await sql(cluster.url, `create role notebook login password '${PASSWORD}' createdb`);
    await sql(cluster.url, 'create database app owner notebook');
    url.username = 'notebook';
    url.pathname = '/app';
    // A wrong password is not saved.
    const wrong = await vscode.commands.executeCommand('clerkSql.addPostgresConnection', url.toString(), 'wrong');
    // (trust authentication accepts any password: the check here is that a refused connection is not saved)
    const refused = await vscode.commands.executeCommand('clerkSql.addPostgresConnection', 'postgres://nobody@127.0.0.1:9/none', 'x');
    assert.strictEqual(refused, undefined, 'an unreachable server is not saved');
    const connection = await vscode.commands.executeCommand('clerkSql.addPostgresConnection', url.toString(), PASSWORD);
    assert.ok(connection && connection.id, 'saved');
    assert.ok(!connection.url.includes(PASSWORD), connection.url);
    assert.strictEqual(wrong.id, connection.id, 'the same URL is one connection');

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clerk-pg-nb-'));
    const file = path.join(dir, 'on-postgres.clerk.sql');
    fs.writeFileSync(
      file,
      [
        '-- %% Setup',
        'create foreign data wrapper clerk_wrapper handler clerk_fdw_handler validator clerk_fdw_validator;',
        "create server clerk_sim foreign data wrapper clerk_wrapper options (api_url 'simulator:?users=40&seed=5');",
        "create foreign table clerk_users (user_id text, email text) server clerk_sim options (object 'users');",
        '-- %% A table of the application',
        'create table accounts as select row_number() over (order by user_id) as id, user_id as owner_user_id from clerk_users order by user_id limit 3;',
        '-- %% Joined',
        'select count(*) as joined from accounts a join clerk_users u on u.user_id = a.owner_user_id;',
        '',
      ].join('\n'),
    );
    const nb = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
    const editor = await vscode.window.showNotebookDocument(nb);
    await vscode.commands.executeCommand('notebook.selectKernel', { editor, id: `clerk-sql-runtime-postgres-${connection.id}`, extension: EXT_ID });
    const t0 = Date.now();
    await vscode.commands.executeCommand('notebook.execute', nb.uri);
    const last = nb.cellAt(nb.cellCount - 1);
    await waitFor(
      'the notebook to run',
      () => nb.getCells().some((c) => c.executionSummary?.success === false) || (last.executionSummary?.timing?.endTime ?? 0) >= t0,
      120000,
    );
    const outputs = nb
      .getCells()
      .flatMap((c) => c.outputs.flatMap((o) => o.items))
      .filter((i) => i.mime === RESULT_MIME || i.mime === ERROR_MIME)
      .map((i) => text(i.data));
    assert.ok(
      nb.getCells().every((c) => c.executionSummary?.success === true),
      outputs.join('\n'),
    );
    const joined = JSON.parse(outputs.at(-1));
    assert.deepStrictEqual(joined.rows, [['3']], outputs.at(-1));
    assert.ok(
      outputs.every((o) => !o.includes(PASSWORD)),
      'no password in any output',
    );
    // The application's table is a real one in the database; Clerk's rows were the session's only.
    await vscode.commands.executeCommand('clerkSql.restartRuntime', nb);
    const after = await sql(
      url.toString().replace('notebook@', `notebook:${PASSWORD}@`),
      "select (select count(*) from accounts)::int, to_regclass('public.clerk_users') is null",
    );
    assert.deepStrictEqual(after, [[3, true]]);
    assert.ok(await vscode.commands.executeCommand('clerkSql.removePostgresConnection', connection.id));
  });

  it("tells the language server the connection's tables: known, misspelled, made later; not on the embedded kernel or once removed", async function () {
    const url = new URL(cluster.url);
    await sql(cluster.url, `create role schema_reader login password '${PASSWORD}'`);
    await sql(cluster.url, 'create database plans_db owner schema_reader');
    url.username = 'schema_reader';
    url.pathname = '/plans_db';
    const owner = url.toString().replace('schema_reader@', `schema_reader:${PASSWORD}@`);
    await sql(owner, 'create table plans (plan_id int primary key, name text not null)');
    // The password given as libpq's query parameter is kept as the other one: in SecretStorage only.
    const connection = await vscode.commands.executeCommand('clerkSql.addPostgresConnection', `${url}?password=${PASSWORD}`);
    assert.strictEqual(connection.url, url.toString());
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clerk-pg-ls-'));
    const file = path.join(dir, 'schema.clerk.sql');
    const cells = ['select name from plans', 'select * from plns', 'select * from made_later', 'create table made_here (a int)'];
    fs.writeFileSync(file, cells.map((c) => `-- %%\n${c}\n`).join(''));
    const nb = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
    const editor = await vscode.window.showNotebookDocument(nb);
    const codes = (i) => vscode.languages.getDiagnostics(nb.cellAt(i).document.uri).map((d) => d.code);
    const until = (what, i, expected) =>
      waitFor(`${what}: cell ${i} ${JSON.stringify(expected)}`, () => JSON.stringify(codes(i)) === JSON.stringify(expected), 30000);
    const select = (id) => vscode.commands.executeCommand('notebook.selectKernel', { editor, id, extension: EXT_ID });

    await select('clerk-sql-runtime');
    await until('on the embedded kernel, the database is unknown', 0, ['undefined-relation']);
    await select(`clerk-sql-runtime-postgres-${connection.id}`);
    await until("on the connection, plans is the database's", 0, []);
    await until('a misspelled table is an error', 1, ['42P01']);
    await until('a table not made yet is an error', 2, ['42P01']);
    const misspelled = vscode.languages.getDiagnostics(nb.cellAt(1).document.uri)[0];
    assert.match(misspelled.message, /^relation "plns" does not exist\nDid you mean "plans"\?/);
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', nb.cellAt(0).document.uri, new vscode.Position(0, 8));
    const hover = hovers.flatMap((h) => h.contents.map((c) => c.value ?? String(c))).join('\n');
    assert.match(hover, /`plans\.name text` not null/);
    assert.ok(hover.includes(url.toString()) && !hover.includes(PASSWORD), hover);

    // A table made outside the notebook is known after a cell that changes tables runs.
    await sql(owner, 'create table made_later (x int)');
    await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: 3, end: 4 }], document: nb.uri });
    await until('after a DDL cell ran, the snapshot is read again', 2, []);

    await select('clerk-sql-runtime');
    await until('back on the embedded kernel, as before', 1, ['undefined-relation']);
    await select(`clerk-sql-runtime-postgres-${connection.id}`);
    await until('on the connection again', 1, ['42P01']);
    assert.ok(await vscode.commands.executeCommand('clerkSql.removePostgresConnection', connection.id));
    await until('the connection removed: nothing known of it', 1, ['undefined-relation']);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
