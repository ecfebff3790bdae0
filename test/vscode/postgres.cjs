#!/usr/bin/env node
// A notebook on the user's own PostgreSQL, as a person does it in the code-server workbench
// (headless Chromium), reading the screen: the palette's "Clerk SQL: Add Postgres Connection...",
// its URL and password boxes, the notification; Run All, the kernel picker's connection kernel;
// the rendered result of a query joining Clerk's users with a table made in that database; the
// status bar naming the server; the file on disk and the database read after; then, in a new cell,
// what the language server knows of that database: completion of its table's column, and a
// misspelled table's error in the hover and the Problems panel. A throwaway cluster of Debian's
// postgresql. Screenshots: test-output/postgres-*.png.
//
//   npm run build && node test/vscode/postgres.cjs
//
// Prints "postgres: N passed, M failed"; exit code 0 when every check passed.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { pathToFileURL } = require('url');
const pg = require('pg');

const root = path.resolve(__dirname, '../..');
const { startCodeServer, launchBrowser, workbenchUrl } = require('./lib.cjs');
const workbench = require('./workbench.cjs');

const OUT = path.join(root, 'test-output');
const NOTEBOOK = 'on-postgres.clerk.sql';
const PASSWORD = 'typed-in-a-password-box-7';

/** test/helpers/postgresCluster.ts as a script: { url, stop() }. */
async function startCluster() {
  const tsx = pathToFileURL(require.resolve('tsx', { paths: [root] })).href;
  const child = spawn(process.execPath, ['--import', tsx, path.join(root, 'test/helpers/postgresCluster.ts')], {
    stdio: ['pipe', 'pipe', 'inherit'],
    cwd: root,
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  for (let i = 0; i < 600; i++) {
    const url = /postgres cluster ready: (\S+)/.exec(out);
    if (url) return { url: url[1], stop: () => new Promise((resolve) => (child.on('exit', resolve), child.stdin.end())) };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`the Postgres cluster did not start: ${out}`);
}

async function sql(url, text) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query({ text, rowMode: 'array' })).rows;
  } finally {
    await client.end();
  }
}

async function main() {
  if (!fs.existsSync(path.join(root, 'dist/extension.js'))) throw new Error('dist/extension.js is missing: run `npm run build` first');
  fs.mkdirSync(OUT, { recursive: true });
  const cluster = await startCluster();
  await sql(cluster.url, `create role notebook login password '${PASSWORD}'`);
  await sql(cluster.url, 'create database app owner notebook');
  const app = new URL(cluster.url);
  app.username = 'notebook';
  app.pathname = '/app';
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'clerk-sql-postgres-'));
  const text = [
    '-- %% Setup',
    'create foreign data wrapper clerk_wrapper handler clerk_fdw_handler validator clerk_fdw_validator;',
    "create server clerk_sim foreign data wrapper clerk_wrapper options (api_url 'simulator:?users=40&seed=5');",
    "create foreign table clerk_users (user_id text, email text) server clerk_sim options (object 'users');",
    '-- %% A table of the application',
    'create table accounts as select row_number() over (order by user_id) as account_id, user_id as owner_user_id from clerk_users order by user_id limit 3;',
    '-- %% Accounts with their owners',
    'select a.account_id, u.email as owner_email from accounts a join clerk_users u on u.user_id = a.owner_user_id order by 1;',
    '',
  ].join('\n');
  fs.writeFileSync(path.join(folder, NOTEBOOK), text);
  const server = await startCodeServer();
  const { page, close } = await launchBrowser();
  page.setDefaultTimeout(60000);
  const { step, check, fail, summary } = workbench.reporter('postgres');
  const shot = async (name) => {
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(OUT, `postgres-${name}.png`) });
    step(`screenshot test-output/postgres-${name}.png`);
  };
  const answerInput = async (title, value) => {
    await page.locator('.quick-input-widget', { hasText: title }).locator('input').waitFor();
    await page.keyboard.insertText(value);
    await page.keyboard.press('Enter');
  };
  try {
    await workbench.openWorkbench(page, workbenchUrl(server.url, { folder, extensionDevelopmentPath: [root] }));
    step('workbench loaded');

    await workbench.palette(page, 'Clerk SQL: Add Postgres Connection...', 'Add Postgres Connection');
    await answerInput('Add Postgres Connection (1/2)', app.toString());
    const passwordBox = page.locator('.quick-input-widget', { hasText: 'Add Postgres Connection (2/2)' }).locator('input');
    await passwordBox.waitFor();
    check('the password is asked in a password box', (await passwordBox.getAttribute('type')) === 'password');
    await page.keyboard.insertText(PASSWORD);
    await page.keyboard.press('Enter');
    await workbench.palette(page, 'Notifications: Show Notifications', 'Show Notifications');
    const added = page.locator('.notifications-center .notification-list-item', { hasText: 'Added postgres://' }).first();
    const addedText = await added.innerText({ timeout: 30000 }).catch(() => '');
    check(
      'a notification says the connection was added and how to use it',
      addedText.includes(`Added ${app.toString()}`) && !addedText.includes(PASSWORD),
      addedText.split('\n')[0],
    );
    await workbench.palette(page, 'Notifications: Hide Notifications', 'Hide Notifications');

    await workbench.openAndRunAll(page, NOTEBOOK);
    // With several kernels, VS Code first asks which extension's, then which kernel.
    await page.locator('.quick-input-widget', { hasText: /select kernel/i }).waitFor();
    await shot('01-kernel-source');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Clerk SQL Notebook' }).first().click();
    const kernel = page.locator('.quick-input-list .monaco-list-row', { hasText: `Clerk SQL (${app.toString()})` }).first();
    await kernel.waitFor({ timeout: 20000 });
    const offered = await page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
    check(
      'the kernel picker offers the embedded kernel and the connection',
      offered.some((t) => t.includes('Clerk SQL (embedded)')) && offered.some((t) => t.includes(`Clerk SQL (${app.toString()})`)),
      offered.map((t) => t.replace(/\s+/g, ' ')).join(' | '),
    );
    await shot('02-kernel-picker');
    // Picked by keyboard: a tooltip of the row under the mouse may cover the one to click.
    await page.keyboard.type(app.toString());
    await workbench.pickFocused(page, `Clerk SQL (${app.toString()})`);
    // Picking the kernel from Run All's picker may not start the run in code-server: then Run All again.
    const started = await page
      .waitForFunction(() => [...document.querySelectorAll('.statusbar-item')].some((e) => /Clerk SQL:/.test(e.innerText)), undefined, { timeout: 5000 })
      .then(
        () => true,
        () => false,
      );
    if (!started)
      await page
        .locator('.notebook-toolbar-container .action-item', { hasText: /Run All/ })
        .first()
        .click();
    const { el } = await workbench.scrollToResult(page, 'owner_email');
    const rendered = await el.innerText();
    check(
      "the joined result renders: three accounts with their owners' emails",
      /account_id[\s\S]*owner_email[\s\S]*1\s+\S+@\S+[\s\S]*2\s+\S+@\S+[\s\S]*3\s+\S+@\S+/.test(rendered),
      rendered.replace(/\s+/g, ' ').slice(0, 200),
    );
    const status = await page
      .locator('.statusbar-item', { hasText: 'Clerk SQL' })
      .first()
      .innerText()
      .catch(() => '');
    check('the status bar says the notebook runs on the server', status.includes(app.toString()), status);
    await shot('03-result');
    const onDisk = fs.readFileSync(path.join(folder, NOTEBOOK), 'utf8');
    const inDatabase = await sql(
      cluster.url.replace(/\/postgres$/, '/app'),
      "select (select count(*) from accounts)::int, to_regclass('public.clerk_users') is null",
    );
    check(
      "the application table is real in the database; Clerk's rows stayed in the session",
      JSON.stringify(inDatabase) === '[[3,true]]',
      JSON.stringify(inDatabase),
    );
    check('the password is in no file and no output', !onDisk.includes(PASSWORD) && !rendered.includes(PASSWORD) && !status.includes(PASSWORD));

    // The language server knows the database's tables (accounts was made by the run: the snapshot
    // was read again after it), typed in a new cell.
    await workbench.newLastCell(page);
    await page.keyboard.type('select ow', { delay: 40 });
    // The list's rows, with whether their icon is a field's: the editor also offers the words of
    // the notebook's text (owner_user_id is written in cell 2), with a word's icon.
    const suggestions = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('.suggest-widget.visible .monaco-list-row')].map((row) => ({
          text: row.innerText.replace(/\s+/g, ' ').trim(),
          field: row.querySelector('.codicon-symbol-field') !== null,
        })),
      );
    const column = (rows) => rows.find((r) => r.field && r.text.startsWith('owner_user_id'));
    let rows = [];
    for (let attempt = 0; attempt < 5 && !column(rows); attempt++) {
      if (attempt > 0) {
        await page.keyboard.press('Escape');
        await page.waitForTimeout(1000);
      }
      await page.keyboard.press('Control+Space');
      await page
        .locator('.suggest-widget.visible .monaco-list-row')
        .first()
        .waitFor({ timeout: 10000 })
        .catch(() => undefined);
      rows = await suggestions();
    }
    const details = await page
      .locator('.suggest-details-container .details-label, .suggest-widget.visible .monaco-list-row.focused .details-label')
      .first()
      .innerText({ timeout: 5000 })
      .catch(() => '');
    check(
      'typing "select ow" offers owner_user_id as a column (not a word of the text), of the database\'s accounts table',
      column(rows) !== undefined && details.includes('text — accounts'),
      `${rows.map((r) => `${r.text}${r.field ? ' (field)' : ''}`).join(' | ')}; details: ${details}`,
    );
    await shot('04-completion');
    await page.keyboard.press('Escape');

    await workbench.newLastCell(page);
    await page.keyboard.type('select * from acounts', { delay: 20 });
    await page.keyboard.press('Escape');
    await page.locator('.notebook-editor .code-cell-row.focused .squiggly-error').first().waitFor({ state: 'attached', timeout: 30000 });
    // Where the word is drawn: the mouse rests on it, as a person's would.
    const word = await page.evaluate(() => {
      const lines = document.querySelector('.notebook-editor .code-cell-row.focused .view-lines');
      const walker = document.createTreeWalker(lines, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent.indexOf('acounts');
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + 'acounts'.length);
        const { x, y, width, height } = range.getBoundingClientRect();
        return { x: x + width / 2, y: y + height / 2 };
      }
      return undefined;
    });
    await page.mouse.move(word.x, word.y);
    const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content', { hasText: 'does not exist' }).first();
    const hoverText = await hover.innerText({ timeout: 15000 }).catch(() => '');
    check(
      'a misspelled table is underlined, and its hover says the database has no such relation and names the right one',
      hoverText.includes('relation "acounts" does not exist') && hoverText.includes('Did you mean "accounts"?') && hoverText.includes(app.toString()),
      hoverText.replace(/\s+/g, ' ').slice(0, 240),
    );
    check('the hover shows no password', hoverText !== '' && !hoverText.includes(PASSWORD));
    await shot('05-misspelled-table');
    await workbench.palette(page, 'View: Focus Problems', 'Focus Problems');
    const problems = page.locator('.markers-panel .monaco-list-row', { hasText: 'does not exist' });
    const problemText = await problems
      .first()
      .innerText({ timeout: 15000 })
      .catch(() => '');
    check('the Problems panel lists it as an error', problemText.includes('relation "acounts" does not exist'), problemText.replace(/\s+/g, ' '));
    await shot('06-problems');
  } catch (e) {
    fail(e);
    console.error(await workbench.describeScreen(page));
    await page.screenshot({ path: path.join(OUT, 'postgres-failure.png') }).catch(() => {});
  } finally {
    await close();
    await server.stop();
    await cluster.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  }
  return summary();
}
workbench.runTest(main);
