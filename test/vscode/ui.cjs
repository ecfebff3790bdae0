#!/usr/bin/env node
// UI check of the result renderer as a person would use it, in the code-server workbench
// (headless Chromium): "Clerk SQL: Try with the Built-in Simulator" from the Command Palette,
// Run All, add a cell with a wide query and run it, then in the output webview: the grid
// (column types in the header, sort by a click, NULLs, paging, "showing N of M"), the filter box,
// and the chart view (line for a date column, bar for categories). Saves screenshots to
// test-output/ (ui-grid.png, ui-grid-filtered.png, ui-chart-line.png, ui-chart-bar.png); the
// grid's Export CSV button is clicked through the save dialog and the file checked. Last, charts:
// a cell with a timestamp, two counts and a ratio, its columns picked in the chart toolbar, saved
// as PNG and SVG, its choice kept as the cell's `-- chart:` line (ui-chart-columns.png).
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
