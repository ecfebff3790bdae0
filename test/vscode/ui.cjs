#!/usr/bin/env node
// UI check of the result renderer as a person would use it, in the code-server workbench
// (headless Chromium): "Clerk SQL: Try with the Built-in Simulator" from the Command Palette,
// Run All, add a cell with a wide query and run it (10,000 rows, 1,000 in the output), then in the
// output webview: the grid (column types in the header, NULLs, paging, "showing N of M"); the
// grid's Export CSV button, through the save dialog, saves every row, which then tell what a sort
// or filter over all of them must show: a header click sorts every row (the top row is the least,
// then the greatest, of all 10,000), the next page continues it, the filter box and a column's
// value picked in its header filter every row, the status line says so; and the chart view (line
// for a date column, bar for categories). Saves screenshots to test-output/ (ui-grid.png,
// ui-grid-sorted-all.png, ui-grid-filtered.png, ui-grid-column-panel.png, ui-grid-column-filter.png,
// ui-chart-line.png, ui-chart-bar.png).
//
//   npm run build && node test/vscode/ui.cjs
//
// Prints "ui: N passed, M failed"; exit code 0 when every check passed.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '../..');
const { startCodeServer, launchBrowser, workbenchUrl } = require('./lib.cjs');
const workbench = require('./workbench.cjs');

const OUT = path.join(root, 'test-output');
const WIDE_QUERY =
  'select u.user_id, u.first_name, u.username, u.email, u.created_at, a.last_active_at, a.two_factor_enabled, a.external_accounts from clerk_users u join clerk_user_activity a using (user_id) order by u.created_at desc;';

async function main() {
  if (!fs.existsSync(path.join(root, 'dist/renderer.js'))) throw new Error('dist/renderer.js is missing: run `npm run build` first');
  fs.mkdirSync(OUT, { recursive: true });
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'clerk-sql-ui-'));
  const server = await startCodeServer();
  const { page, close } = await launchBrowser();
  page.setDefaultTimeout(60000);
  const { step, check, fail, summary } = workbench.reporter('ui');
  const palette = (command, match) => workbench.palette(page, command, match);
  const scrollToResult = (column, opts) => workbench.scrollToResult(page, column, opts);

  try {
    await workbench.openWorkbench(page, workbenchUrl(server.url, { folder, extensionDevelopmentPath: [root] }));
    step('workbench loaded');
    await palette('Clerk SQL: Try with the Built-in Simulator', 'Try with the Built-in Simulator');
    await page.locator('.notebook-editor .cell-list-container .code-cell-row').first().waitFor();
    step('example notebook open (simulator)');
    await page.waitForTimeout(1500); // kernel selection by the command
    await palette('Notebook: Run All', 'Run All');
    const picker = page.locator('.quick-input-widget', { hasText: /select kernel/i });
    if (await picker.isVisible({ timeout: 2000 }).catch(() => false)) {
      step('kernel picker shown, choosing Clerk SQL');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Clerk SQL' }).first().click();
    }
    step('run all requested');
    // The last cell's result (local_users) is in the outputs once every cell ran.
    await page.waitForTimeout(3000);
    await scrollToResult('local_users', { top: 400 }).catch(async () => {
      // Outputs below may not render until scrolled to; wait and look again.
      await page.waitForTimeout(10000);
      return scrollToResult('local_users', { top: 400 });
    });
    step('every cell ran (last result rendered)');
    // The status bar item tells the notebook's runtime state.
    const status = page.locator('.statusbar-item', { hasText: 'Clerk SQL' }).first();
    await page
      .locator('.statusbar-item', { hasText: /Clerk SQL: ready/ })
      .first()
      .waitFor({ timeout: 30000 })
      .catch(() => {});
    const statusText = (await status.innerText().catch(() => '')).trim();
    check('the status bar shows the runtime ready and its API requests', /Clerk SQL: ready · [\d,]+ API requests/.test(statusText), JSON.stringify(statusText));

    // A new cell below the last one with a wide query, run from the Command Palette.
    const rows = page.locator('.notebook-editor .code-cell-row');
    await rows.last().locator('.monaco-editor .view-lines').click();
    const before = await page.locator('.notebook-editor .code-cell-row').count();
    // The notebook toolbar's "+ Code": a code cell below the selected (last) one.
    await page
      .locator('.notebook-toolbar-container .action-item', { hasText: /^\s*Code\s*$/ })
      .first()
      .click();
    await page.waitForTimeout(800);
    await page.locator('.notebook-editor .code-cell-row.focused .view-lines').click();
    await page.keyboard.type(WIDE_QUERY, { delay: 5 });
    await page.waitForTimeout(300);
    const typed = await page
      .locator('.notebook-editor .code-cell-row.focused .view-lines')
      .innerText()
      .catch(() => '');
    if (!typed.includes('external_accounts')) throw new Error(`the new cell holds ${JSON.stringify(typed)} (${before} rows before)`);
    // The cell's own run button (left of its editor).
    await page.locator('.notebook-editor .code-cell-row.focused .run-button-container .action-label').first().click();
    step('wide query cell added and run');
    const grid = await scrollToResult('external_accounts', { top: 110 });
    const { frame } = grid;
    const headers = await frame.evaluate(() => {
      const r = [...document.querySelectorAll('.clerk-result')].find((x) => x.textContent.includes('external_accounts'));
      return [...r.querySelectorAll('th')].map((th) => `${th.querySelector('.clerk-col-name').textContent}:${th.querySelector('.clerk-col-type').textContent}`);
    });
    check(
      'header shows Postgres types',
      headers.includes('created_at:bigint') && headers.includes('last_active_at:timestamp with time zone') && headers.includes('external_accounts:jsonb'),
      headers.join(', '),
    );
    const state = () =>
      frame.evaluate(() => {
        const r = [...document.querySelectorAll('.clerk-result')].find((x) => x.textContent.includes('external_accounts'));
        const rows = [...r.querySelectorAll('tbody tr')];
        return {
          rows: rows.length,
          status: r.querySelector('.clerk-status').textContent,
          page: (r.querySelector('.clerk-page') || {}).textContent,
          firstNames: rows.map((tr) => tr.children[1].textContent),
          createdAt: rows.map((tr) => tr.children[4].textContent),
          nulls: r.querySelectorAll('td.clerk-null').length,
          createdAlign: getComputedStyle(rows[0].children[4]).textAlign,
          emailAlign: getComputedStyle(rows[0].children[3]).textAlign,
          hasExport: !!r.querySelector('.clerk-export'),
          hasChart: !!r.querySelector('.clerk-mode-chart'),
        };
      });
    let s = await state();
    check(
      '100 rows per page, paging through all 10,000 rows (the output holds 1,000)',
      s.rows === 100 && s.status === 'Showing 1–100 of 10,000 rows' && s.page === 'Page 1 of 100',
      `${s.rows} rows; ${s.status}; ${s.page}`,
    );
    check(
      'NULLs shown as NULL, numbers right-aligned, text left-aligned, export buttons present',
      s.nulls > 0 && s.createdAlign === 'right' && s.emailAlign === 'left' && s.hasExport,
      `${s.nulls} NULLs, created_at ${s.createdAlign}, email ${s.emailAlign}`,
    );
    // Export from the grid's toolbar: CSV of the query's result (nothing is sorted or filtered yet);
    // the save dialog (code-server's simple dialog) proposes a file in the workspace folder; accept
    // it and check the file holds every row.
    const exportAs = async (label, scope) => {
      await frame.evaluate(() =>
        [...document.querySelectorAll('.clerk-result')]
          .find((x) => x.textContent.includes('external_accounts'))
          .querySelector('.clerk-export')
          .click(),
      );
      await page.locator('.quick-input-list .monaco-list-row', { hasText: scope }).first().waitFor();
      await page.locator('.quick-input-list .monaco-list-row', { hasText: scope }).filter({ hasText: label }).first().click();
    };
    await exportAs('CSV', "the query's result");
    await page.locator('.quick-input-widget input').waitFor();
    // The dialog fills in its proposed path once it has read the folder: accept it after that.
    await page.waitForFunction(() => /\.csv$/.test(document.querySelector('.quick-input-widget input').value));
    await page.keyboard.press('Enter');
    const csvFile = await (async () => {
      for (let i = 0; i < 100; i++) {
        const f = fs.readdirSync(folder).find((n) => n.endsWith('.csv'));
        if (f) {
          const text = fs.readFileSync(path.join(folder, f), 'utf8');
          if (text.endsWith('\r\n') && text.split('\r\n').length >= 10002)
            return { f, lines: text.split('\r\n').length - 1, head: text.slice(0, text.indexOf('\r\n')) };
        }
        await page.waitForTimeout(200);
      }
      return undefined;
    })();
    check(
      "the toolbar's Export…, as CSV, saves every row (not only the 1,000 in the output)",
      !!csvFile &&
        csvFile.lines === 10001 &&
        csvFile.head === 'user_id,first_name,username,email,created_at,last_active_at,two_factor_enabled,external_accounts',
      JSON.stringify(csvFile),
    );

    // The truth, from every row of the result (the export): what a sort over all of them puts on top.
    const csv = fs.readFileSync(path.join(folder, csvFile.f), 'utf8').split('\r\n').slice(1, -1);
    const createdAll = csv.map((line) => Number(line.split(',')[4]));
    const createdShown = new Set(s.createdAt);
    const [minCreated, maxCreated] = [Math.min(...createdAll), Math.max(...createdAll)];

    /** Runs fn(result, arg) in the webview, on the wide query's result (as an expression: no eval in the page). */
    const inResult = (fn, arg) =>
      frame.evaluate(
        `(${fn})([...document.querySelectorAll('.clerk-result')].find((x) => x.textContent.includes('external_accounts')), ${JSON.stringify(arg)})`,
      );
    const clickHeader = (name) =>
      inResult((r, a) => [...r.querySelectorAll('th')].find((th) => th.querySelector('.clerk-col-name').textContent === a).click(), name);
    /** Waits until the status line matches, then the grid's state. */
    const settled = async (pattern) => {
      await frame.waitForFunction(
        (p) => {
          const r = [...document.querySelectorAll('.clerk-result')].find((x) => x.textContent.includes('external_accounts'));
          return new RegExp(p).test(r.querySelector('.clerk-status').textContent) && !r.querySelector('.clerk-body[aria-busy]');
        },
        pattern.source,
        { timeout: 30000 },
      );
      return state();
    };

    // Sort by first_name (click the header): over every row, in the runtime's thread.
    await clickHeader('first_name');
    s = await settled(/sorted by first_name ↑/);
    const names = s.firstNames.filter((n) => n !== 'NULL');
    check('click on a header sorts', names.length > 0 && names.every((n, i) => i === 0 || names[i - 1] <= n), names.slice(0, 5).join(', '));
    check('the status says the sort covers every row', /sorted by first_name ↑ over all 10,000 rows/.test(s.status), s.status);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(OUT, 'ui-grid.png') });
    step('screenshot test-output/ui-grid.png');

    // created_at: the output holds the 1,000 newest users; ascending, the top row is the oldest of all 10,000.
    await clickHeader('created_at');
    s = await settled(/sorted by created_at ↑ over all 10,000 rows/);
    check(
      'sorted ascending, the top row is the least created_at of all 10,000 rows (not one in the output)',
      Number(s.createdAt[0]) === minCreated && !createdShown.has(s.createdAt[0]),
      `top ${s.createdAt[0]}, min of all ${minCreated}`,
    );
    await clickHeader('created_at');
    s = await settled(/sorted by created_at ↓ over all 10,000 rows/);
    check(
      'descending, the top row is the greatest of all rows',
      Number(s.createdAt[0]) === maxCreated,
      `top ${s.createdAt[0]}, max ${maxCreated}; ${s.status}`,
    );
    await clickHeader('created_at');
    await settled(/^Showing 1–100 of 10,000 rows$/);

    // Last page of a sort: paging through the view kept in the thread.
    await clickHeader('created_at');
    await settled(/sorted by created_at ↑/);
    await inResult((r) => r.querySelector('.clerk-next').click());
    s = await settled(/Showing 101–200 of 10,000 rows, sorted by created_at ↑/);
    const sortedAll = [...createdAll].sort((a, b) => a - b);
    check('the next page continues the sort over all rows', Number(s.createdAt[0]) === sortedAll[100], `${s.createdAt[0]} vs ${sortedAll[100]}`);
    await page.screenshot({ path: path.join(OUT, 'ui-grid-sorted-all.png') });
    step('screenshot test-output/ui-grid-sorted-all.png');

    // Filter box: over every row.
    const filter = await frame.evaluateHandle(() =>
      [...document.querySelectorAll('.clerk-result')].find((x) => x.textContent.includes('external_accounts')).querySelector('.clerk-filter'),
    );
    await filter.asElement().click();
    await page.keyboard.type('gmail');
    const gmail = csv.filter((line) => line.toLowerCase().includes('gmail')).length;
    s = await settled(/filtered: /);
    check(
      'the filter box narrows every row, not only the output',
      s.status.includes(`filtered: ${gmail.toLocaleString('en-US')} of 10,000 rows`),
      `${s.status} (${gmail} in the export)`,
    );
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(OUT, 'ui-grid-filtered.png') });
    step('screenshot test-output/ui-grid-filtered.png');
    await inResult((r) => r.querySelector('.clerk-clear-filters').click());
    s = await settled(/^Showing 1–100 of 10,000 rows, sorted by created_at ↑/);
    check('"Clear filters" clears the filter box too', (await inResult((r) => r.querySelector('.clerk-filter').value)) === '', s.status);

    // A column's own filter: its values, counted over every row, picked from its header.
    await inResult(
      (r, a) =>
        [...r.querySelectorAll('th')]
          .find((th) => th.querySelector('.clerk-col-name').textContent === a)
          .querySelector('.clerk-column-filter')
          .click(),
      'two_factor_enabled',
    );
    await frame.waitForSelector('.clerk-column-panel .clerk-panel-value');
    const listed = await inResult((r) => [...r.querySelectorAll('.clerk-panel-value')].map((v) => v.children[1].textContent + '=' + v.children[2].textContent));
    const twoFactor = csv.filter((line) => line.split(',')[6] === 't').length;
    check(
      "the header's panel lists the column's values with their counts over all rows",
      listed.includes(`t=${twoFactor.toLocaleString('en-US')}`) && listed.includes(`f=${(10000 - twoFactor).toLocaleString('en-US')}`),
      `${listed.join(', ')} (${twoFactor} t in the export)`,
    );
    await page.screenshot({ path: path.join(OUT, 'ui-grid-column-panel.png') });
    step('screenshot test-output/ui-grid-column-panel.png');
    await inResult((r) =>
      [...r.querySelectorAll('.clerk-panel-value')]
        .find((v) => v.children[1].textContent === 't')
        .querySelector('input')
        .click(),
    );
    await inResult((r) => r.querySelector('.clerk-panel-apply').click());
    s = await settled(new RegExp(`filtered: ${twoFactor.toLocaleString('en-US')} of 10,000 rows`));
    const marked = await inResult((r) => ({
      th: [...r.querySelectorAll('th.clerk-filtered')].map((th) => th.querySelector('.clerk-col-name').textContent),
      chips: [...r.querySelectorAll('.clerk-chip')].map((c) => c.textContent),
      values: [...r.querySelectorAll('tbody tr')].map((tr) => tr.children[6].textContent),
    }));
    check(
      'a value picked in the header filters every row; the column and a chip say so',
      marked.th.join() === 'two_factor_enabled' &&
        marked.chips.length === 1 &&
        /two_factor_enabled = t/.test(marked.chips[0]) &&
        marked.values.every((v) => v === 't'),
      `${s.status}; ${JSON.stringify({ ...marked, values: marked.values.length })}`,
    );
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(OUT, 'ui-grid-column-filter.png') });
    step('screenshot test-output/ui-grid-column-filter.png');

    // Export as shown: NDJSON of the 2,268 rows the grid shows, in its order.
    await exportAs('NDJSON', 'as shown');
    await page.waitForFunction(() => /\.ndjson$/.test(document.querySelector('.quick-input-widget input').value));
    await page.keyboard.press('Enter');
    const shown = await (async () => {
      for (let i = 0; i < 100; i++) {
        const f = fs.readdirSync(folder).find((n) => n.endsWith('.ndjson'));
        const text = f ? fs.readFileSync(path.join(folder, f), 'utf8') : '';
        if (text.split('\n').length - 1 === twoFactor)
          return text
            .trim()
            .split('\n')
            .map((line) => JSON.parse(line));
        await page.waitForTimeout(200);
      }
      return [];
    })();
    check(
      'Export… as shown saves the filtered rows in the sorted order',
      shown.length === twoFactor && shown.every((r, i) => r.two_factor_enabled === true && (i === 0 || shown[i - 1].created_at <= r.created_at)),
      `${shown.length} rows`,
    );

    // Chart: sign-ups per month (date column: a line).
    const monthly = await scrollToResult('sign_ups', { top: 110 });
    const chartState = (col) =>
      monthly.frame.evaluate((c) => {
        const r = [...document.querySelectorAll('.clerk-result')].find((x) =>
          [...x.querySelectorAll('th .clerk-col-name, .clerk-legend')].some((e) => e.textContent === c),
        );
        r.querySelector('.clerk-mode-chart').click();
        const svg = r.querySelector('svg.clerk-chart');
        return {
          svg: !!svg,
          paths: r.querySelectorAll('path.clerk-line').length,
          bars: r.querySelectorAll('rect.clerk-series').length,
          dots: r.querySelectorAll('circle.clerk-series').length,
          status: r.querySelector('.clerk-status').textContent,
        };
      }, col);
    const line = await chartState('sign_ups');
    check('a date column charts as a line', line.svg && line.paths === 1 && line.dots >= 2, JSON.stringify(line));
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(OUT, 'ui-chart-line.png') });
    step('screenshot test-output/ui-chart-line.png');
    // Organizations by size: categories as bars (three numeric series).
    const orgs = await scrollToResult('admins', { top: 110 });
    const bar = await orgs.frame.evaluate(() => {
      const r = [...document.querySelectorAll('.clerk-result')].find((x) =>
        [...x.querySelectorAll('th .clerk-col-name')].some((e) => e.textContent === 'admins'),
      );
      r.querySelector('.clerk-mode-chart').click();
      return {
        bars: r.querySelectorAll('rect.clerk-series').length,
        legend: [...r.querySelectorAll('.clerk-legend')].map((e) => e.textContent),
        status: r.querySelector('.clerk-status').textContent,
      };
    });
    check(
      'a category column charts as bars, one series per numeric column',
      bar.bars >= 10 && bar.legend.includes('members') && bar.legend.includes('admins'),
      JSON.stringify(bar),
    );
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(OUT, 'ui-chart-bar.png') });
    step('screenshot test-output/ui-chart-bar.png');
  } catch (e) {
    fail(e);
    console.error(await workbench.describeScreen(page));
    for (const f of page.frames()) {
      const t = await f.evaluate(() => (document.body ? document.body.innerText : '')).catch(() => '');
      const at = t.search(/SQLSTATE|Error/);
      if (at >= 0) console.error('[ui] output text:', t.slice(Math.max(0, at - 300), at + 300));
    }
    await page.screenshot({ path: path.join(OUT, 'ui-failure.png') }).catch(() => {});
  } finally {
    await close();
    await server.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  }
  return summary();
}
workbench.runTest(main);
