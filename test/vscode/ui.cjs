#!/usr/bin/env node
// UI check of the result renderer as a person would use it, in the code-server workbench
// (headless Chromium): "Clerk SQL: Try with the Built-in Simulator" from the Command Palette,
// Run All, add a cell with a wide query and run it (10,000 rows, 1,000 in the output), then in the
// output webview: the grid (column types in the header, NULLs, paging, "showing N of M"); the
// grid's Export CSV button, through the save dialog, saves every row, which then tell what a sort
// or filter over all of them must show: a header click sorts every row (the top row is the least,
// then the greatest, of all 10,000), the next page continues it, the filter box and a column's
// value picked in its header filter every row, the status line says so; and the chart view (line
// for a date column, bar for categories). Then values and selection, on a cell of its own: booleans
// as true/false, the value viewer (JSON folding, a long text's lines, epoch milliseconds as a
// time), a range selected with the keyboard summed in the footer, copied (Ctrl+C as TSV, the JSON
// button) and read back from the clipboard, PageDown to the next page, a header's Ctrl-click.
// Charts, on a cell of their own too: a timestamp, two counts and a ratio, its columns picked in the
// chart toolbar, saved as PNG and SVG, its choice kept as the cell's `-- chart:` line (run again,
// the cell opens in its chart); Grid removes the line (run again, it opens in the grid); a chart
// of a 10,000-row result draws every row, not the output's 1,000; one of 100,000 rows draws each
// step's extremes, its peaks included.
// Saves screenshots to test-output/ (ui-grid.png, ui-grid-sorted-all.png, ui-grid-filtered.png,
// ui-grid-column-panel.png, ui-grid-column-filter.png, ui-chart-line.png, ui-chart-bar.png,
// ui-chart-columns.png, ui-chart-every-row.png, ui-chart-steps.png, ui-value-json.png, ui-value-text.png, ui-selection.png). Then
// examples/billing.clerk.sql and examples/dashboard.clerk.sql, copied into the folder reading the
// simulator, Run All: their grids and charts (ui-billing-*.png, ui-dashboard-*.png). Last, the
// grid's columns on a cell of their own: one hidden from its header's panel (arrows step over it, a
// copy leaves it out) and shown again from "Columns", the first frozen while the grid scrolls
// sideways, one resized by dragging its header's edge and fitted again by double-clicking it
// (ui-grid-columns-frozen.png, ui-grid-columns-resized.png).
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
const CHART_QUERY =
  "select date_trunc('week', last_active_at) as week, count(*) as active_users, count(*) filter (where two_factor_enabled) as with_2fa, round(avg(case when two_factor_enabled then 1 else 0 end), 3) as share_2fa from clerk_user_activity where last_active_at is not null group by 1 order by 1;";
const EVERY_ROW_QUERY =
  'select to_timestamp(created_at / 1000.0) as signed_up, row_number() over (order by created_at) as users_so_far from clerk_users order by created_at;';
const MANY_ROWS_QUERY = `select timestamptz '2025-01-01 00:00:00+00' + g * interval '1 minute' as minute,
  round((sin(g / 5000.0) * 100 + (g % 97) - 48)::numeric, 2)::float8 as wave from generate_series(1, 100000) g;`;
const LONG_NOTE = 'line of text, long enough to wrap\n'.repeat(20) + 'last line';
const VALUES_QUERY = `select g as n, g * 1.5 as x, (g % 3 = 0) as flag, 1700000000000 + g * 86400000::bigint as seen_at,
  jsonb_build_object('id', g, 'tags', jsonb_build_array('a', 'b'), 'nested', jsonb_build_object('deep', jsonb_build_object('k', g))) as doc,
  case when g = 1 then repeat(E'line of text, long enough to wrap\\n', 20) || 'last line' else 'short ' || g end as note
from generate_series(1, 250) g;`;
/** The examples' key placeholder, and what a copy reads instead (as "Try with the Built-in Simulator" writes it). */
const KEY_PLACEHOLDER = "api_key '<clerk secret Key>'";
const SIMULATOR = "api_url 'simulator:?users=10000&seed=1'";
const EXAMPLES = ['billing.clerk.sql', 'dashboard.clerk.sql'];
/** Columns wider together than the output, to scroll sideways. */
const COLUMNS_QUERY = `select g as id, 'name ' || g as name, ${['a', 'b', 'c', 'd', 'e'].map((c) => `repeat('${c}', 60) as wide_${c}`).join(', ')}
from generate_series(1, 30) g;`;
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
  const { context, page, close } = await launchBrowser();
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
    // Every editor closed with its tab's close button, as a hand does (the keyboard may be held by
    // an output webview); a notebook left dirty would ask to save here, and the wait fail.
    const tab = page.locator('.tabs-container .tab').first();
    for (let i = 0; i < 10 && (await tab.count()) > 0; i++) {
      await tab.hover();
      await tab.locator('.tab-actions .action-label').first().click();
      await page.waitForTimeout(300);
    }
    await tab.waitFor({ state: 'detached', timeout: 30000 });
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
  /** A chart's series in its legend's order, without the legend's "(right axis)". */
  const seriesNames = (legend) => legend.map((l) => l.replace(/ \(right axis\)$/, '')).join(',');
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
      await workbench.pickRow(page, new RegExp(`${label}[^]*${scope}`));
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
      listed.includes(`true=${twoFactor.toLocaleString('en-US')}`) && listed.includes(`false=${(10000 - twoFactor).toLocaleString('en-US')}`),
      `${listed.join(', ')} (${twoFactor} t in the export)`,
    );
    await page.screenshot({ path: path.join(OUT, 'ui-grid-column-panel.png') });
    step('screenshot test-output/ui-grid-column-panel.png');
    await inResult((r) =>
      [...r.querySelectorAll('.clerk-panel-value')]
        .find((v) => v.children[1].textContent === 'true')
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
        /two_factor_enabled = true ✕/.test(marked.chips[0]) &&
        marked.values.every((v) => v === 'true'),
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

    // ---- Charts: columns picked in the chart toolbar, a second axis, legend toggles, Save PNG and
    // SVG through the save dialog, and the choice kept as the cell's `-- chart:` line (in the cell
    // and, once saved, in the file on disk).
    await workbench.newLastCell(page);
    await page.keyboard.type(CHART_QUERY, { delay: 5 });
    await page.locator('.notebook-editor .code-cell-row.focused .run-button-container .action-label').first().click();
    step('weekly activity cell (a timestamp, two counts, a ratio) added and run');
    const weekly = await scrollToResult('share_2fa', { top: 110 });
    const inChart = (fn, arg) =>
      weekly.frame.evaluate(
        ([body, a]) => {
          // By its grid's header, or its chart's x picker once the chart replaced the grid.
          const r = [...document.querySelectorAll('.clerk-result')].find((x) =>
            [...x.querySelectorAll('th .clerk-col-name, .clerk-chart-x option')].some((e) => e.textContent === 'share_2fa'),
          );
          return new Function('r', 'a', body)(r, a);
        },
        [fn, arg],
      );
    const chartNow = () =>
      inChart(`const svg = r.querySelector('svg.clerk-chart');
        return svg && { legend: [...svg.querySelectorAll('.clerk-legend')].map((e) => e.textContent), axisTitles: [...svg.querySelectorAll('.clerk-axis-title')].map((e) => e.textContent),
          xLabels: [...svg.querySelectorAll('.clerk-axis-label')].length, bars: svg.querySelectorAll(':scope > rect.clerk-series').length, firstSeriesMarks: svg.querySelectorAll(':scope > .clerk-series-0').length, lines: svg.querySelectorAll('path.clerk-line').length,
          pressed: [...svg.querySelectorAll('.clerk-legend-item')].map((g) => g.getAttribute('aria-pressed')), label: svg.getAttribute('aria-label'), role: svg.getAttribute('role'),
          x: r.querySelector('.clerk-chart-x').value, status: r.querySelector('.clerk-status').textContent }`);
    await inChart(`r.querySelector('.clerk-mode-chart').click()`);
    let chart = await chartNow();
    check(
      'the chart defaults to the time column on x and the counts and ratio on y, the ratio on a right axis',
      chart &&
        chart.x === 'week' &&
        chart.legend.join('|') === 'active_users|with_2fa|share_2fa (right axis)' &&
        chart.role === 'img' &&
        /right axis/.test(chart.label),
      JSON.stringify(chart),
    );
    // Pick: bars, y = active_users and share_2fa (with_2fa unticked in the y picker).
    await weekly.frame.locator('.clerk-result:has(.clerk-chart-y) .clerk-chart-bar').last().click();
    await inChart(`r.querySelector('.clerk-chart-y summary').click()`);
    await weekly.frame.locator('.clerk-picker-list label', { hasText: 'with_2fa' }).last().click();
    await inChart(`r.querySelector('.clerk-chart-y').open = false`);
    chart = await chartNow();
    check(
      'picking bars and y columns redraws: bars for the counts, the ratio as a line on the right axis',
      chart.legend.join('|') === 'active_users|share_2fa (right axis)' && chart.bars > 5 && chart.lines === 1 && chart.axisTitles.includes('share_2fa'),
      JSON.stringify(chart),
    );
    // The active chart-type button stays readable under the mouse.
    await weekly.frame.locator('.clerk-result:has(.clerk-chart-y) .clerk-chart-bar.clerk-active').last().hover();
    const contrast = await inChart(`const b = r.querySelector('.clerk-chart-bar'); const s = getComputedStyle(b);
      const lum = (c) => { const [x, y, z] = c.match(/[\\d.]+/g).map(Number).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * x + 0.7152 * y + 0.0722 * z; };
      const [l1, l2] = [lum(s.color), lum(s.backgroundColor)].sort((p, q) => q - p); return { ratio: (l1 + 0.05) / (l2 + 0.05), hover: b.matches(':hover') };`);
    check('the active chart-type button is readable on hover (contrast ≥ 3)', contrast.hover && contrast.ratio >= 3, JSON.stringify(contrast));
    await page.mouse.move(5, 5);
    // A legend entry hides its series, and shows it again.
    await inChart(`r.querySelector('.clerk-legend-item').dispatchEvent(new MouseEvent('click', { bubbles: true }))`);
    const hiddenChart = await chartNow();
    await inChart(`r.querySelector('.clerk-legend-item').dispatchEvent(new MouseEvent('click', { bubbles: true }))`);
    chart = await chartNow();
    check(
      'a legend entry toggles its series',
      hiddenChart.pressed[0] === 'false' && hiddenChart.firstSeriesMarks === 0 && chart.pressed[0] === 'true' && chart.firstSeriesMarks > 5,
      `${JSON.stringify(hiddenChart.pressed)} ${hiddenChart.firstSeriesMarks} marks, then ${chart.firstSeriesMarks}`,
    );
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(OUT, 'ui-chart-columns.png') });
    step('screenshot test-output/ui-chart-columns.png');
    // Save PNG and SVG: the save dialog proposes a file in the folder; accept it.
    const saved = {};
    for (const format of ['png', 'svg']) {
      await weekly.frame.locator(`.clerk-result:has(.clerk-chart-y) .clerk-chart-save-${format}`).last().click();
      await page.locator('.quick-input-widget input').waitFor();
      await page.waitForFunction((f) => document.querySelector('.quick-input-widget input').value.endsWith(`.${f}`), format);
      await page.keyboard.press('Enter');
      for (let i = 0; i < 100 && !saved[format]; i++) {
        const f = fs.readdirSync(folder).find((n) => n.endsWith(`.${format}`));
        if (f && fs.statSync(path.join(folder, f)).size > 0) saved[format] = fs.readFileSync(path.join(folder, f));
        else await page.waitForTimeout(200);
      }
    }
    const png = saved.png;
    if (png) fs.writeFileSync(path.join(OUT, 'ui-chart-saved.png'), png);
    const pngOk =
      !!png && png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) && png.toString('latin1', 12, 16) === 'IHDR';
    const pngSize = pngOk ? [png.readUInt32BE(16), png.readUInt32BE(20)] : [];
    // The browser decodes both: the PNG as an image, the SVG as XML with the chart's text and inlined colours.
    const decoded = await page.evaluate(
      async ([pngB64, svgText]) => {
        const img = new Image();
        img.src = `data:image/png;base64,${pngB64}`;
        await img.decode().catch(() => undefined);
        const doc = new DOMParser().parseFromString(svgText, 'image/svg+xml');
        const svg = doc.documentElement;
        return {
          png: [img.naturalWidth, img.naturalHeight],
          svgRoot: svg.nodeName,
          svgError: !!doc.querySelector('parsererror'),
          svgText: [...svg.querySelectorAll('text')].map((t) => t.textContent).filter((t) => /active_users|share_2fa/.test(t)).length,
          inlined: !/var\(--/.test(svgText) && /fill:\s*rgb/.test(svgText),
        };
      },
      [png ? png.toString('base64') : '', saved.svg ? saved.svg.toString('utf8') : ''],
    );
    check(
      'Save PNG writes a valid PNG (the chart at twice its size)',
      pngOk && decoded.png[0] === pngSize[0] && pngSize[0] >= 800 && pngSize[1] >= 400,
      JSON.stringify({ pngSize, decoded: decoded.png }),
    );
    check(
      'Save SVG writes a valid SVG with its colours inlined',
      decoded.svgRoot === 'svg' && !decoded.svgError && decoded.svgText >= 2 && decoded.inlined,
      JSON.stringify(decoded),
    );
    // The choice is the cell's first line, and in the file once the notebook is saved.
    const chartLine = '-- chart: bar x=week y=active_users,share_2fa';
    const cellText = await page
      .locator('.notebook-editor .code-cell-row', { hasText: 'share_2fa' })
      .last()
      .locator('.view-lines')
      .innerText()
      .catch(() => '');
    check(
      'the chart choice lands in the cell as its first line',
      cellText.replace(/\u00a0/g, ' ').startsWith(chartLine),
      JSON.stringify(cellText.slice(0, 120)),
    );
    await page.locator('.notebook-editor .code-cell-row', { hasText: 'share_2fa' }).last().locator('.monaco-editor textarea').focus();
    await page.keyboard.press('Control+S');
    const notebookFile = path.join(folder, 'clerk-simulator-example.clerk.sql');
    let onDisk = '';
    for (let i = 0; i < 50 && !onDisk.includes(chartLine); i++) {
      await page.waitForTimeout(200);
      onDisk = fs.readFileSync(notebookFile, 'utf8');
    }
    check(
      'saved, the file on disk holds the chart line above the query',
      onDisk.includes(`${chartLine}\nselect date_trunc('week'`),
      JSON.stringify(onDisk.slice(-400)),
    );
    // Run again, the cell opens in its chart (the `-- chart:` line); Grid removes the line, and run
    // again it opens in the grid.
    const weeklyCell = page.locator('.notebook-editor .code-cell-row', { hasText: 'share_2fa' }).last();
    const weeklyResult = `[...document.querySelectorAll('.clerk-result')].filter((x) =>
      [...x.querySelectorAll('th .clerk-col-name, .clerk-chart-x option')].some((e) => e.textContent === 'share_2fa'))`;
    /** Runs the weekly cell again; its new output (not the one it had) as a grid or a chart. */
    const runWeekly = async () => {
      await weekly.frame.evaluate(`${weeklyResult}.forEach((r) => (r.dataset.before = '1'))`);
      await weeklyCell.locator('.monaco-editor textarea').focus();
      await page.locator('.notebook-editor .code-cell-row.focused .run-button-container .action-label').first().click();
      await weekly.frame.waitForFunction(
        `${weeklyResult}.some((r) => !r.dataset.before && r.querySelector('svg.clerk-chart, table.clerk-grid tbody tr'))`,
        undefined,
        {
          timeout: 30000,
        },
      );
      return weekly.frame.evaluate(`(() => {
        const r = ${weeklyResult}.find((x) => !x.dataset.before);
        return { chart: !!r.querySelector('svg.clerk-chart'), grid: !!r.querySelector('table.clerk-grid'), active: r.querySelector('.clerk-mode-grid.clerk-active, .clerk-mode-chart.clerk-active')?.textContent };
      })()`);
    };
    let shownNow = await runWeekly();
    check(
      'run again, the cell with a `-- chart:` line opens in its chart',
      shownNow.chart && !shownNow.grid && shownNow.active === 'Chart',
      JSON.stringify(shownNow),
    );
    await weekly.frame.evaluate(`${weeklyResult}.find((x) => !x.dataset.before).querySelector('.clerk-mode-grid').click()`);
    let gridText = '';
    for (let i = 0; i < 50; i++) {
      gridText = (
        await weeklyCell
          .locator('.view-lines')
          .innerText()
          .catch(() => '')
      ).replace(/\u00a0/g, ' ');
      if (!gridText.includes('-- chart:')) break;
      await page.waitForTimeout(200);
    }
    check(
      'Grid removes the `-- chart:` line from the cell',
      !gridText.includes('-- chart:') && gridText.startsWith("select date_trunc('week'"),
      JSON.stringify(gridText.slice(0, 80)),
    );
    await weeklyCell.locator('.monaco-editor textarea').focus();
    await page.keyboard.press('Control+S');
    for (let i = 0; i < 50 && onDisk.includes(chartLine); i++) {
      await page.waitForTimeout(200);
      onDisk = fs.readFileSync(notebookFile, 'utf8');
    }
    check(
      'saved, the file on disk no longer holds the chart line',
      !onDisk.includes('-- chart: bar x=week') && onDisk.includes("select date_trunc('week'"),
      JSON.stringify(onDisk.slice(-300)),
    );
    shownNow = await runWeekly();
    check('run again, it opens in the grid', shownNow.grid && !shownNow.chart && shownNow.active === 'Grid', JSON.stringify(shownNow));

    // ---- A chart of every row, not of the output's 1,000 (issue 13) ----
    /** Adds and runs a cell, switches its result to the chart, and waits for it (read where the rows are kept): what it draws. */
    const chartOfNewCell = async (query, yColumn, xColumn) => {
      await workbench.newLastCell(page);
      await page.keyboard.insertText(query);
      await page.locator('.notebook-editor .code-cell-row.focused .run-button-container .action-label').first().click();
      step(`${yColumn} by ${xColumn}: cell added and run`);
      const { el, frame } = await scrollToResult(yColumn, { top: 110 });
      await el.evaluate((r) => r.querySelector('.clerk-mode-chart').click());
      const find = `[...document.querySelectorAll('.clerk-result')].find((r) => r.querySelector('.clerk-chart-x option[value="${xColumn}"]') && r.querySelector('svg.clerk-chart'))`;
      await frame.waitForFunction(find);
      const chart = await frame.evaluate(`(() => {
        const r = ${find};
        const svg = r.querySelector('svg.clerk-chart');
        return {
          lines: svg.querySelectorAll('path.clerk-line').length,
          yTicks: [...svg.querySelectorAll('text.clerk-axis-label:not([transform])')].map((t) => t.textContent),
          status: r.querySelector('.clerk-status').textContent,
        };
      })()`);
      return { ...chart, top: Math.max(...chart.yTicks.map((t) => Number(t.replace(/k$/, '000').replace(/,/g, ''))).filter(Number.isFinite)) };
    };
    const screenshot = async (name) => {
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(OUT, name) });
      step(`screenshot test-output/${name}`);
    };
    // 10,000 users, one row each: the running count ends at 10,000 only if the chart read them all.
    const whole = await chartOfNewCell(EVERY_ROW_QUERY, 'users_so_far', 'signed_up');
    check(
      'a chart of a 10,000-row result draws every row (the output holds 1,000): 10,000 points, the y axis reaching 10k',
      whole.lines === 1 && /10,000 points from all 10,000 rows/.test(whole.status) && whole.top >= 10000,
      `${whole.status}; y ${whole.yTicks.join(', ')}`,
    );
    await screenshot('ui-chart-every-row.png');
    // 100,000 rows: past the 20,000 a chart is sent as they are, each step's extremes; the peaks
    // (near 148, the rows of the output's first 1,000 stay under 70) are drawn.
    const steps = await chartOfNewCell(MANY_ROWS_QUERY, 'wave', 'minute');
    const drawn = /all 100,000 rows, drawn as ([\d,]+) points/.exec(steps.status);
    check(
      "a chart of 100,000 rows draws each step's lowest and highest (at most 20,000 points), its peaks included",
      steps.lines === 1 && !!drawn && Number(drawn[1].replace(/,/g, '')) <= 20000 && steps.top >= 140,
      `${steps.status}; y ${steps.yTicks.join(', ')}`,
    );
    await screenshot('ui-chart-steps.png');

    // ---- Values, keyboard selection and copies (issue 13) ----
    // A cell of its own: a JSON column, a long text of many lines, booleans, epoch milliseconds,
    // numbers to sum; 250 rows, so that PageDown has pages to move through.
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await workbench.newLastCell(page);
    await page.keyboard.insertText(VALUES_QUERY);
    await page.locator('.notebook-editor .code-cell-row.focused .run-button-container .action-label').first().click();
    step('values query cell added and run');
    const values = await scrollToResult('seen_at', { top: 110 });
    const vframe = values.frame;
    const result = '.clerk-result:has(th .clerk-col-name:text-is("seen_at"))';
    const cell = (row, column) => vframe.locator(`${result} tbody tr:nth-child(${row}) td:nth-child(${column})`);
    const inValues = (fn, arg) =>
      vframe.evaluate(
        `(${fn})([...document.querySelectorAll('.clerk-result')].find((r) => [...r.querySelectorAll('th .clerk-col-name')].some((th) => th.textContent === 'seen_at')), ${JSON.stringify(arg)})`,
      );
    // What the grid's copies put on the clipboard: as the webview's copy event carried it, and
    // read back from the clipboard by the workbench page.
    await inValues(() => {
      window.clerkCopied = [];
      window.addEventListener('copy', (e) => window.clerkCopied.push(e.clipboardData.getData('text/plain')));
    });
    const clipboard = async () => {
      const copied = await inValues(() => window.clerkCopied[window.clerkCopied.length - 1]);
      const read = await page.evaluate(() => navigator.clipboard.readText());
      return { copied, read };
    };

    const flags = await inValues((r) => [...new Set([...r.querySelectorAll('tbody tr')].map((tr) => tr.children[2].textContent))].sort());
    check('booleans show as true/false', flags.join() === 'false,true', flags.join());

    // The value viewer on a JSON cell (double-click): pretty, its objects folding.
    await cell(1, 5).dblclick();
    await vframe.locator('.clerk-value-viewer .clerk-json').first().waitFor();
    const viewerText = () => inValues((r) => r.querySelector('.clerk-value-viewer .clerk-viewer-body').innerText);
    const json = await viewerText();
    check(
      'the value viewer shows JSON pretty, nested objects and arrays as written',
      /"id": 1,\n\s*"tags": \[\n\s*"a",\n\s*"b"\n\s*\],\n\s*"nested": \{\n\s*"deep": \{\n\s*"k": 1\n\s*\}\n\s*\}\n\}/.test(json.replace(/\u00a0/g, ' ')),
      JSON.stringify(json),
    );
    await page.screenshot({ path: path.join(OUT, 'ui-value-json.png') });
    step('screenshot test-output/ui-value-json.png');
    await inValues((r) => [...r.querySelectorAll('.clerk-value-viewer summary')].find((s) => s.textContent.includes('"nested"')).click());
    const folded = await viewerText();
    check('an object folds to one line', folded.includes('"nested": { 1 key }') && !folded.includes('"deep"'), JSON.stringify(folded));
    await page.keyboard.press('Escape');
    const closed = await inValues((r) => ({ viewer: !!r.querySelector('.clerk-value-viewer'), focus: document.activeElement.cellIndex }));
    check('Escape closes the viewer, the cell keeps the focus', !closed.viewer && closed.focus === 4, JSON.stringify(closed));

    // A long text of many lines: the cell marks its line breaks and is cut; Enter opens it whole.
    const note = await cell(1, 6).innerText();
    check(
      'a cell shows line breaks as ↵ and says it is cut',
      note.includes('wrap↵line') && note.endsWith('…') && note.length === 301,
      JSON.stringify(note.slice(-40)),
    );
    await cell(1, 6).click();
    await page.keyboard.press('Enter');
    await vframe.locator('.clerk-value-viewer .clerk-viewer-text').waitFor();
    const long = await inValues((r) => r.querySelector('.clerk-value-viewer .clerk-viewer-text').textContent);
    check('Enter opens the whole text with its line breaks', long === LONG_NOTE, `${long.length} characters, ${long.split('\n').length} lines`);
    await page.screenshot({ path: path.join(OUT, 'ui-value-text.png') });
    step('screenshot test-output/ui-value-text.png');
    await vframe.locator('.clerk-value-viewer .clerk-viewer-copy').click();
    const copiedValue = await clipboard();
    check(
      '"Copy value" copies the whole value, not the cell\'s cut',
      copiedValue.copied === LONG_NOTE && copiedValue.read === LONG_NOTE,
      `${copiedValue.read.length} characters`,
    );
    await page.keyboard.press('Escape');

    // Epoch milliseconds: the viewer also shows the date and time.
    await cell(1, 4).dblclick();
    const times = await vframe.locator('.clerk-value-viewer .clerk-viewer-times').innerText();
    check('a column of epoch milliseconds also shows as a date and time', times.includes('UTC 2023-11-15T22:13:20.000Z') && times.includes('Local '), times);
    // The next page replaces the rows: the viewer of one of them closes (and stays closed back on page 1).
    const pageNow = () => inValues((r) => ({ page: r.querySelector('.clerk-page')?.textContent, viewer: !!r.querySelector('.clerk-value-viewer') }));
    await inValues((r) => r.querySelector('.clerk-next').click());
    let paged = await pageNow();
    for (let i = 0; i < 50 && paged.page !== 'Page 2 of 3'; i++, paged = await pageNow()) await page.waitForTimeout(100);
    check('the value viewer closes when the grid shows other rows (the next page)', paged.page === 'Page 2 of 3' && !paged.viewer, JSON.stringify(paged));
    await inValues((r) => r.querySelector('.clerk-prev').click());
    for (let i = 0; i < 50 && (await pageNow()).page !== 'Page 1 of 3'; i++) await page.waitForTimeout(100);

    // The keyboard: a range from n=1, three rows down and one column right; the footer sums it.
    await cell(1, 1).click();
    for (const key of ['Shift+ArrowDown', 'Shift+ArrowDown', 'Shift+ArrowDown', 'Shift+ArrowRight']) await page.keyboard.press(key);
    const summary = () => inValues((r) => r.querySelector('.clerk-selection-summary').textContent);
    const sums = await summary();
    check('shift+arrows select a range; the footer sums it', sums === '4 × 2 selected · count 8 · sum 25.0 · avg 3.125 · min 1 · max 6.0', sums);
    const selected = await inValues((r) => r.querySelectorAll('td[aria-selected="true"]').length);
    check('the range is marked aria-selected', selected === 8, String(selected));
    await page.screenshot({ path: path.join(OUT, 'ui-selection.png') });
    step('screenshot test-output/ui-selection.png');
    await page.keyboard.press('Control+C');
    await page.waitForTimeout(300);
    const tsv = await clipboard();
    const expectedTsv = 'n\tx\n1\t1.5\n2\t3.0\n3\t4.5\n4\t6.0\n';
    check('Ctrl+C copies the range as TSV with its column names', tsv.copied === expectedTsv, JSON.stringify(tsv));
    check('the clipboard holds it (read back in the browser)', tsv.read === expectedTsv, JSON.stringify(tsv.read));
    await vframe.locator(`${result} .clerk-copy-json`).click();
    const copiedJson = await clipboard();
    check(
      'the JSON button copies an array of objects',
      JSON.stringify(JSON.parse(copiedJson.copied)) === '[{"n":1,"x":"1.5"},{"n":2,"x":"3.0"},{"n":3,"x":"4.5"},{"n":4,"x":"6.0"}]',
      copiedJson.copied,
    );
    const note2 = await inValues((r) => r.querySelector('.clerk-selection-note').textContent);
    check('the footer says what was copied', note2 === 'Copied 8 cells as JSON', note2);

    // PageDown moves a page of rows, to the next page; a header's Ctrl-click selects its column.
    await cell(1, 1).click();
    await page.keyboard.press('PageDown');
    await vframe.locator(`${result} .clerk-status`, { hasText: /^Showing 101–200 of 250 rows/ }).waitFor();
    const active = await inValues(() => ({
      text: document.activeElement.textContent,
      row: document.activeElement.parentElement.getAttribute('aria-rowindex'),
    }));
    check('PageDown moves to the next page, the same column 100 rows down', active.text === '101' && active.row === '102', JSON.stringify(active));
    await vframe.locator(`${result} th:has(.clerk-col-name:text-is("n"))`).click({ modifiers: ['Control'] });
    const column = await summary();
    check(
      'Ctrl-click on a header selects the whole column (every page)',
      column === '250 × 1 selected · count 250 · sum 31375 · avg 125.5 · min 1 · max 250',
      column,
    );
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
      'billing: MRR by plan charts mrr_usd as a bar per plan, the smaller paying and pct_of_mrr as lines on a right axis',
      seriesNames(mrr.legend) === 'paying,mrr_usd,pct_of_mrr' &&
        mrr.rows >= 2 &&
        mrr.bars === mrr.rows &&
        mrr.lines === 2 &&
        mrr.dots === 2 * mrr.rows &&
        /right axis: paying, pct_of_mrr/.test(mrr.status),
      describe(mrr),
    );
    await shot('ui-billing-mrr-chart');
    const revenue = await chartOf('billed_usd');
    check(
      'billing: revenue per month charts as lines by month, a dot per month and number',
      seriesNames(revenue.legend) === 'statements,billed_usd' &&
        revenue.lines === 2 &&
        revenue.rows >= 2 &&
        revenue.dots === 2 * revenue.rows &&
        / by month /.test(revenue.status),
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

    // ---- Columns: hide, show, freeze, resize (issue 13) ----
    await workbench.newLastCell(page);
    await page.keyboard.insertText(COLUMNS_QUERY);
    await page.locator('.notebook-editor .code-cell-row.focused .run-button-container .action-label').first().click();
    step('columns query cell added and run');
    const { frame: cframe } = await scrollToResult('wide_e', { top: 110 });
    const grid5 = '.clerk-result:has(th .clerk-col-name:text-is("wide_e"))';
    const header = (name) => cframe.locator(`${grid5} th:has(.clerk-col-name:text-is("${name}"))`);
    const inColumns = (fn, arg) =>
      cframe.evaluate(
        `(${fn})([...document.querySelectorAll('.clerk-result')].find((r) => [...r.querySelectorAll('th .clerk-col-name')].some((th) => th.textContent === 'wide_e')), ${JSON.stringify(arg)})`,
      );
    const columnNames = () => inColumns((r) => [...r.querySelectorAll('th .clerk-col-name')].map((e) => e.textContent).join(','));
    await header('name').locator('.clerk-column-filter').click();
    await cframe.locator(`${grid5} .clerk-column-panel .clerk-panel-hide`).click();
    await cframe.waitForFunction(() => ![...document.querySelectorAll('th .clerk-col-name')].some((e) => e.textContent === 'name'));
    const hiddenGrid = await inColumns((r) => ({
      headers: [...r.querySelectorAll('th .clerk-col-name')].map((e) => e.textContent).join(','),
      cells: r.querySelector('tbody tr').children.length,
      colcount: r.querySelector('table').getAttribute('aria-colcount'),
      button: r.querySelector('.clerk-columns').textContent,
    }));
    check(
      'a column hidden from its header panel is gone from the table (its header and cells), the Columns button counts it',
      hiddenGrid.headers === 'id,wide_a,wide_b,wide_c,wide_d,wide_e' &&
        hiddenGrid.cells === 6 &&
        hiddenGrid.colcount === '6' &&
        hiddenGrid.button === 'Columns (1 hidden)',
      JSON.stringify(hiddenGrid),
    );
    await inColumns(() => {
      window.clerkCopied = [];
      window.addEventListener('copy', (e) => window.clerkCopied.push(e.clipboardData.getData('text/plain')));
    });
    await cframe.locator(`${grid5} tbody tr:nth-child(1) td:nth-child(1)`).click();
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Control+C');
    await page.waitForTimeout(300);
    const copiedVisible = await inColumns(() => window.clerkCopied[window.clerkCopied.length - 1]);
    check(
      'shift+arrow steps over the hidden column; a copy holds the visible columns',
      copiedVisible === `id\twide_a\n1\t${'a'.repeat(60)}\n`,
      JSON.stringify(copiedVisible),
    );
    await cframe.locator(`${grid5} .clerk-columns`).click();
    await cframe.locator(`${grid5} .clerk-columns-menu label:has(span:text-is("name")) input`).check();
    await page.keyboard.press('Escape');
    await cframe.waitForFunction(() => [...document.querySelectorAll('th .clerk-col-name')].some((e) => e.textContent === 'name'));
    const shownAgain = await columnNames();
    check('"Columns" shows it again, in its place', shownAgain === 'id,name,wide_a,wide_b,wide_c,wide_d,wide_e', shownAgain);

    await header('id').locator('.clerk-column-filter').click();
    await cframe.locator(`${grid5} .clerk-column-panel .clerk-panel-freeze`).click();
    const xs = () =>
      inColumns((r) => ({
        id: r.querySelector('tbody tr td:nth-child(1)').getBoundingClientRect().left,
        name: r.querySelector('tbody tr td:nth-child(2)').getBoundingClientRect().left,
        scrolled: r.querySelector('.clerk-grid-wrap').scrollLeft,
      }));
    const xBefore = await xs();
    await inColumns((r) => (r.querySelector('.clerk-grid-wrap').scrollLeft = 600));
    await page.waitForTimeout(300);
    const xAfter = await xs();
    check(
      'the frozen first column stays at the same x while the grid scrolls sideways (the next one moves)',
      xAfter.scrolled > 300 && Math.abs(xAfter.id - xBefore.id) < 1 && xBefore.name - xAfter.name > 300,
      JSON.stringify({ xBefore, xAfter }),
    );
    await shot('ui-grid-columns-frozen');
    await inColumns((r) => (r.querySelector('.clerk-grid-wrap').scrollLeft = 0));

    const edge = header('wide_a').locator('.clerk-col-resize');
    const widthOf = () =>
      header('wide_a').evaluate((th) => ({
        width: Math.round(th.getBoundingClientRect().width),
        now: Number(th.querySelector('[role="separator"]').getAttribute('aria-valuenow')),
      }));
    const natural = await widthOf();
    const edgeBox = await edge.boundingBox();
    await page.mouse.move(edgeBox.x + edgeBox.width / 2, edgeBox.y + edgeBox.height / 2);
    await page.mouse.down();
    await page.mouse.move(edgeBox.x + edgeBox.width / 2 + 80, edgeBox.y + edgeBox.height / 2, { steps: 5 });
    await page.mouse.up();
    const dragged = await widthOf();
    const sorted = await header('wide_a').getAttribute('aria-sort');
    check(
      'dragging a header edge 80px right widens the column by 80px (its separator says so), without sorting',
      Math.abs(dragged.width - natural.width - 80) <= 2 && Math.abs(dragged.now - dragged.width) <= 1 && sorted === 'none',
      JSON.stringify({ natural, dragged, sorted }),
    );
    await shot('ui-grid-columns-resized');
    await edge.dblclick();
    const fitted = await widthOf();
    check('double-clicking the edge fits the column again', Math.abs(fitted.width - natural.width) <= 1, JSON.stringify({ natural, fitted }));
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
