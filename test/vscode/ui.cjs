#!/usr/bin/env node
// UI check of the result renderer as a person would use it, in the code-server workbench
// (headless Chromium): "Clerk SQL: Try with the Built-in Simulator" from the Command Palette,
// Run All, add a cell with a wide query and run it, then in the output webview: the grid
// (column types in the header, sort by a click, NULLs, paging, "showing N of M"), the filter box,
// and the chart view (line for a date column, bar for categories). Saves screenshots to
// test-output/ (ui-grid.png, ui-grid-filtered.png, ui-chart-line.png, ui-chart-bar.png); the
// grid's Export CSV button is clicked through the save dialog and the file checked. Then
// examples/billing.clerk.sql and examples/dashboard.clerk.sql, copied into the folder reading the
// simulator, Run All: their grids and charts (ui-billing-*.png, ui-dashboard-*.png).
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
/** The examples' key placeholder, and what a copy reads instead (as "Try with the Built-in Simulator" writes it). */
const KEY_PLACEHOLDER = "api_key '<clerk secret Key>'";
const SIMULATOR = "api_url 'simulator:?users=10000&seed=1'";
const EXAMPLES = ['billing.clerk.sql', 'dashboard.clerk.sql'];
const WIDE_QUERY =
  'select u.user_id, u.first_name, u.username, u.email, u.created_at, a.last_active_at, a.two_factor_enabled, a.external_accounts from clerk_users u join clerk_user_activity a using (user_id) order by u.created_at desc;';

async function main() {
  if (!fs.existsSync(path.join(root, 'dist/renderer.js'))) throw new Error('dist/renderer.js is missing: run `npm run build` first');
  fs.mkdirSync(OUT, { recursive: true });
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'clerk-sql-ui-'));
  // Before the workbench starts: Quick Open's file list does not see files added later.
  for (const name of EXAMPLES) {
    const example = fs.readFileSync(path.join(root, 'examples', name), 'utf8');
    if (!example.includes(KEY_PLACEHOLDER)) throw new Error(`examples/${name} no longer has ${KEY_PLACEHOLDER}`);
    fs.writeFileSync(path.join(folder, name), example.replace(KEY_PLACEHOLDER, SIMULATOR));
  }
  const server = await startCodeServer();
  const { page, close } = await launchBrowser();
  page.setDefaultTimeout(60000);
  const { step, check, fail, summary } = workbench.reporter('ui');
  const palette = (command, match) => workbench.palette(page, command, match);
  const scrollToResult = (column, opts) => workbench.scrollToResult(page, column, opts);
  const shot = async (name) => {
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(OUT, `${name}.png`) });
    step(`screenshot test-output/${name}.png`);
  };
  /**
   * Opens a notebook of the folder, runs all its cells with the Clerk SQL kernel and waits for the
   * last, then goes back to the top: an output renders once its cell is scrolled to, and only if it
   * is there by then.
   */
  const openAndRunAll = async (name) => {
    await palette('View: Close All Editors', 'Close All Editors');
    await workbench.openAndRunAll(page, name);
    const picker = page.locator('.quick-input-widget', { hasText: /select kernel/i });
    if (await picker.isVisible({ timeout: 3000 }).catch(() => false)) {
      step('kernel picker shown, choosing Clerk SQL');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Clerk SQL' }).first().click();
    }
    await page
      .locator('.statusbar-item', { hasText: /Clerk SQL: ready/ })
      .first()
      .waitFor({ timeout: 180000 });
    step(`${name}: Run All done`);
    const list = await page.locator('.notebook-editor .cell-list-container').first().boundingBox();
    await page.mouse.move(list.x + list.width / 2, list.y + list.height / 2);
    await page.mouse.wheel(0, -100000);
  };
  /** The result whose header has this column, as its grid shows it. */
  const gridOf = async (column) => {
    const { el } = await scrollToResult(column, { top: 110 });
    return el.evaluate((r) => ({
      columns: [...r.querySelectorAll('th')].map(
        (th) => `${th.querySelector('.clerk-col-name').textContent}:${th.querySelector('.clerk-col-type').textContent}`,
      ),
      rows: [...r.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((td) => td.textContent)),
      status: r.querySelector('.clerk-status').textContent,
    }));
  };
  /** The result whose header has this column, switched to its chart: what the chart draws. */
  const chartOf = async (column) => {
    const grid = await gridOf(column);
    const { el } = await scrollToResult(column, { top: 110 });
    const chart = await el.evaluate((r) => {
      const button = r.querySelector('.clerk-mode-chart');
      if (button) button.click();
      const svg = r.querySelector('svg.clerk-chart');
      if (!svg) return { legend: [], lines: 0, bars: 0, dots: 0, xLabels: [], yTicks: [], xTitle: '', status: 'no chart', clipped: [] };
      const box = svg.getBoundingClientRect();
      const legend = [...svg.querySelectorAll('.clerk-legend')].map((e) => e.textContent);
      // The SVG clips what it draws outside its box: a label there is cut off.
      const clipped = [...svg.querySelectorAll('text')]
        .filter((t) => {
          const b = t.getBoundingClientRect();
          return b.left < box.left - 0.5 || b.right > box.right + 0.5 || b.top < box.top - 0.5 || b.bottom > box.bottom + 0.5;
        })
        .map((t) => t.textContent);
      return {
        legend,
        lines: svg.querySelectorAll('path.clerk-line').length,
        bars: svg.querySelectorAll('rect.clerk-series').length - legend.length, // less the legend's swatches
        dots: svg.querySelectorAll('circle.clerk-series').length,
        // A label's own text, not its <title> (the whole value, shown on hover).
        xLabels: [...svg.querySelectorAll('text.clerk-axis-label[transform]')].map((t) => t.firstChild.nodeValue),
        yTicks: [...svg.querySelectorAll('text.clerk-axis-label:not([transform])')].map((t) => t.textContent),
        xTitle: svg.querySelector('.clerk-axis-title').textContent,
        status: r.querySelector('.clerk-status').textContent,
        clipped,
      };
    });
    const notNull = (i) => grid.rows.filter((row) => row[i] !== 'NULL').length;
    return { ...chart, rows: grid.rows.length, values: (name) => notNull(grid.columns.findIndex((c) => c.startsWith(`${name}:`))) };
  };
  const describe = (c) =>
    `${c.status}; legend ${c.legend.join(', ')}; ${c.lines} lines, ${c.dots} dots, ${c.bars} bars; x ${c.xLabels.join(', ')}; y ${c.yTicks.join(', ')}` +
    (c.clipped.length ? `; cut off: ${c.clipped.join(', ')}` : '');

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
          nulls: r.querySelectorAll('td.clerk-null').length,
          createdAlign: getComputedStyle(rows[0].children[4]).textAlign,
          emailAlign: getComputedStyle(rows[0].children[3]).textAlign,
          hasExport: !!r.querySelector('.clerk-export-csv'),
          hasChart: !!r.querySelector('.clerk-mode-chart'),
        };
      });
    let s = await state();
    check(
      '100 rows per page, "showing N of M" says the output was truncated',
      s.rows === 100 && /Showing 1–100 of 1,000/.test(s.status) && /truncated to 1,000 rows of 10,000 rows/.test(s.status),
      `${s.rows} rows; ${s.status}; ${s.page}`,
    );
    check(
      'NULLs shown as NULL, numbers right-aligned, text left-aligned, export buttons present',
      s.nulls > 0 && s.createdAlign === 'right' && s.emailAlign === 'left' && s.hasExport,
      `${s.nulls} NULLs, created_at ${s.createdAlign}, email ${s.emailAlign}`,
    );
    // Sort by first_name (click the header).
    await frame.evaluate(() => {
      const r = [...document.querySelectorAll('.clerk-result')].find((x) => x.textContent.includes('external_accounts'));
      [...r.querySelectorAll('th')].find((th) => th.textContent.startsWith('first_name')).click();
    });
    s = await state();
    const names = s.firstNames.filter((n) => n !== 'NULL');
    check('click on a header sorts', names.length > 0 && names.every((n, i) => i === 0 || names[i - 1] <= n), names.slice(0, 5).join(', '));
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(OUT, 'ui-grid.png') });
    step('screenshot test-output/ui-grid.png');
    // Filter.
    const filter = await frame.evaluateHandle(() =>
      [...document.querySelectorAll('.clerk-result')].find((x) => x.textContent.includes('external_accounts')).querySelector('.clerk-filter'),
    );
    await filter.asElement().click();
    await page.keyboard.type('gmail');
    await page.waitForTimeout(300);
    s = await state();
    check('the filter box narrows the rows', /matching the filter/.test(s.status), s.status);
    await page.screenshot({ path: path.join(OUT, 'ui-grid-filtered.png') });
    step('screenshot test-output/ui-grid-filtered.png');

    // Export CSV from the grid's toolbar: the save dialog (code-server's simple dialog) proposes
    // a file in the workspace folder; accept it and check the file holds every row.
    await frame.evaluate(() =>
      [...document.querySelectorAll('.clerk-result')]
        .find((x) => x.textContent.includes('external_accounts'))
        .querySelector('.clerk-export-csv')
        .click(),
    );
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
      "the toolbar's Export CSV saves every row (not only the 1,000 in the output)",
      !!csvFile &&
        csvFile.lines === 10001 &&
        csvFile.head === 'user_id,first_name,username,email,created_at,last_active_at,two_factor_enabled,external_accounts',
      JSON.stringify(csvFile),
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

    // The billing example: the plans as a grid, MRR by plan as bars, revenue per month as lines.
    await openAndRunAll('billing.clerk.sql');
    const plans = await gridOf('monthly_usd_if_annual');
    check(
      "billing: the plans' grid, fees in dollars",
      plans.columns.join(',') === 'name:text,slug:text,payer:text,monthly_usd:numeric,monthly_usd_if_annual:numeric,free_trial_days:bigint' &&
        plans.rows.length >= 2 &&
        plans.rows.every((r) => /^\d+\.\d\d$/.test(r[3])),
      `${plans.status}: ${plans.rows.map((r) => `${r[0]} ${r[3]}`).join(', ')}`,
    );
    await shot('ui-billing-plans-grid');
    const mrr = await chartOf('pct_of_mrr');
    check(
      'billing: MRR by plan charts as bars, a bar per plan and number',
      mrr.legend.join(',') === 'paying,mrr_usd,pct_of_mrr' && mrr.rows >= 2 && mrr.bars === 3 * mrr.rows && mrr.xLabels.length === mrr.rows,
      describe(mrr),
    );
    await shot('ui-billing-mrr-chart');
    const revenue = await chartOf('billed_usd');
    check(
      'billing: revenue per month charts as lines by month, a dot per month and number',
      revenue.legend.join(',') === 'statements,billed_usd' &&
        revenue.lines === 2 &&
        revenue.rows >= 2 &&
        revenue.dots === 2 * revenue.rows &&
        revenue.xTitle === 'month',
      describe(revenue),
    );
    await shot('ui-billing-revenue-chart');

    // The Dashboard example: sign-ups per day, retention cohorts (NULL for the young ones), organization growth.
    await openAndRunAll('dashboard.clerk.sql');
    const daily = await chartOf('day');
    check(
      'dashboard: sign-ups per day, the last 30 days, as a line',
      daily.legend.join(',') === 'sign_ups' && daily.lines === 1 && daily.rows >= 28 && daily.rows <= 31 && daily.dots === daily.rows,
      describe(daily),
    );
    await shot('ui-dashboard-signups-chart');
    const retention = await chartOf('pct_month_6');
    const retentionDots = ['users', 'pct_month_1', 'pct_month_2', 'pct_month_3', 'pct_month_6'].reduce((n, c) => n + retention.values(c), 0);
    check(
      'dashboard: retention cohorts as lines, no dot where a cohort is too young (NULL)',
      retention.lines === 5 && retention.rows >= 12 && retention.dots === retentionDots && retentionDots < 5 * retention.rows,
      describe(retention),
    );
    await shot('ui-dashboard-retention-chart');
    const growth = await chartOf('churned');
    check(
      'dashboard: organization growth by month, new, retained and churned as lines',
      growth.legend.join(',') === 'new,retained,churned' && growth.lines === 3 && growth.rows === 12 && growth.dots === 3 * growth.rows,
      describe(growth),
    );
    await shot('ui-dashboard-growth-chart');
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
