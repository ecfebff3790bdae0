#!/usr/bin/env node
// The packaged extension as a new user gets it: builds the .vsix (`npm run package`) or takes
// the one given, installs it with code-server's --install-extension into a fresh, empty
// extensions dir and user-data dir, starts code-server on them (no development path), and in
// the browser: the walkthrough's "Try with the Built-in Simulator" button, Run All,
// then on the "Sign-ups per month" result: the grid has rows, a header click sorts, the chart
// view draws an SVG line, and Export CSV writes a file (path typed into the save dialog) with a
// header and every row. Screenshots go to test-output/vsix/.
//
//   bash test/vscode/install.sh && node test/vscode/vsix.cjs [path/to/extension.vsix]
//
// Prints "vsix: N passed, M failed"; exit code 0 when every check passed.
'use strict';
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '../..');
const { startCodeServer, launchBrowser, workbenchUrl, NODE24, CS_ENTRY } = require('./lib.cjs');
const { palette, pickRow, describeScreen, scrollToResult, reporter, runTest } = require('./workbench.cjs');

const OUT = path.join(root, 'test-output', 'vsix');

function buildVsix() {
  if (process.argv[2]) return path.resolve(process.argv[2]);
  const { name, version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  execFileSync('npm', ['run', 'package'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  return path.join(root, `${name}-${version}.vsix`);
}

/** `code-server --install-extension`, with its HOME kept inside the state dir as lib.cjs does. */
function installVsix(vsix, dirs) {
  const home = path.join(dirs.state, 'install-home');
  fs.mkdirSync(home, { recursive: true });
  const r = spawnSync(
    NODE24,
    [
      CS_ENTRY,
      '--config',
      path.join(dirs.state, 'config.yaml'),
      '--user-data-dir',
      dirs.userData,
      '--extensions-dir',
      dirs.extensions,
      '--install-extension',
      vsix,
    ],
    {
      encoding: 'utf8',
      env: { ...process.env, HOME: home, EXTENSIONS_GALLERY: '{}' },
    },
  );
  return `${r.stdout}${r.stderr}`;
}

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  const { step, check, fail, summary } = reporter('vsix');

  const vsix = buildVsix();
  step(`vsix ${path.relative(root, vsix)}: ${fs.statSync(vsix).size} bytes`);
  const state = fs.mkdtempSync(path.join(os.tmpdir(), 'clerk-sql-vsix-'));
  const dirs = { state, userData: path.join(state, 'user-data'), extensions: path.join(state, 'extensions') };
  const folder = path.join(state, 'workspace');
  fs.mkdirSync(folder);
  const said = installVsix(vsix, dirs);
  const installed = fs.readdirSync(dirs.extensions).filter((n) => n !== 'extensions.json');
  const extDir = path.join(dirs.extensions, installed[0] || '');
  check(
    'code-server installs the .vsix into an empty extensions dir',
    /successfully installed/.test(said) && installed.length === 1 && !fs.existsSync(path.join(extDir, 'node_modules')),
    `${installed.join(', ')}; ${said.trim().split('\n').pop()}`,
  );
  // Every bundle and asset the build makes, except those .vscodeignore leaves out on purpose.
  const built = fs.readdirSync(path.join(root, 'dist')).filter((f) => !/^(cli|bench)\.js$|\.map$|\.version$/.test(f));
  const missing = built.filter((f) => !fs.existsSync(path.join(extDir, 'dist', f)));
  check(
    'the installed extension has every file of dist/ it runs (bundles, WASM, data)',
    missing.length === 0,
    missing.length ? `missing ${missing.join(', ')}: name them in .vscodeignore` : built.join(', '),
  );
  step('installed');

  const server = await startCodeServer({ stateDir: state, userDataDir: dirs.userData, extensionsDir: dirs.extensions });
  const { page, close } = await launchBrowser();
  page.setDefaultTimeout(120000); // a fresh 2-core CI machine is slow to start the workbench
  const shot = async (name) => {
    await page.screenshot({ path: path.join(OUT, name) });
    step(`screenshot test-output/vsix/${name}`);
  };
  try {
    await page.goto(workbenchUrl(server.url, { folder }));
    await page.locator('.monaco-workbench').waitFor();
    step('workbench loaded');
    await palette(page, 'View: Close Primary Side Bar', 'Close Primary Side Bar'); // room for the notebook
    // The walkthrough's first step, as a new user finds it on the Welcome page.
    await palette(page, 'Welcome: Open Walkthrough', 'Open Walkthrough');
    // Its list is not narrowed by typing on every machine, nor ordered the same: click ours.
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get started with Clerk SQL Notebook' }).first().click();
    const welcome = page.locator('.gettingStartedContainer');
    // A step's button shows while the step is expanded: select the step as a user would.
    await welcome.getByText('Try it with the built-in simulator', { exact: true }).first().click();
    const tryButton = welcome.getByText('Try with the Built-in Simulator', { exact: true });
    await tryButton.waitFor();
    const steps = await welcome.innerText();
    check(
      'the walkthrough lists its steps',
      ['Try it with the built-in simulator', 'Connect your Clerk instance', 'Write your own notebook'].every((t) => steps.includes(t)),
    );
    // The step's page (media/walkthrough/simulator.md) renders beside it in a webview.
    const pageShown = async () => {
      for (const f of page.frames()) {
        const t = await f.evaluate(() => (document.body ? document.body.innerText : '')).catch(() => '');
        if (t.includes('writes the example notebook into your folder')) return true;
      }
      return false;
    };
    let shown = false;
    for (const deadline = Date.now() + 30000; !(shown = await pageShown()) && Date.now() < deadline;) await page.waitForTimeout(250);
    check("the walkthrough step's page is shown (packaged media)", shown);
    await page.waitForTimeout(500); // paint
    await shot('vsix-walkthrough.png');
    await tryButton.click();
    await page.locator('.notebook-editor .cell-list-container .code-cell-row').first().waitFor();
    // The command selects the Clerk SQL kernel itself; Run All before that would ask for one.
    const toolbar = page.locator('.notebook-editor .notebook-toolbar-container', { hasText: 'Clerk SQL' }).first();
    const kernel = await toolbar.waitFor({ timeout: 60000 }).then(
      () => true,
      () => false,
    );
    const cells = await page.locator('.notebook-editor .code-cell-row').count();
    check('the walkthrough button opens the example notebook with the Clerk SQL kernel', kernel && cells > 0, `${cells} code cells rendered`);
    step('example notebook open');
    await palette(page, 'Notebook: Run All', 'Run All');
    step('run all requested');
    // The last cell's result is rendered once every cell before it ran.
    const last = await scrollToResult(page, 'local_users', { top: 400 });
    const errors = await last.frame.evaluate(() => document.body.innerText.match(/.*SQLSTATE.*/g) || []);
    check('Run All runs every cell without an error', errors.length === 0, errors.join(' | '));
    step('every cell ran');

    // "Sign-ups per month": ordered by month, newest first.
    const { frame, el } = await scrollToResult(page, 'sign_ups', { top: 110 });
    const months = () => el.evaluate((r) => [...r.querySelectorAll('tbody tr')].map((tr) => tr.children[0].textContent));
    const before = await months();
    check('the result grid shows rows', before.length > 1, `${before.length} rows, ${before[0]} … ${before[before.length - 1]}`);
    await el.evaluate((r) => [...r.querySelectorAll('th')].find((th) => th.querySelector('.clerk-col-name').textContent === 'month').click());
    await frame.waitForFunction((r) => r.querySelector('th[aria-sort="ascending"]'), el);
    const after = await months();
    const ascending = after.every((m, i) => i === 0 || after[i - 1] <= m);
    check(
      'a click on the month header sorts the rows ascending',
      ascending && after[0] !== before[0] && after.length === before.length,
      `${after[0]} … ${after[after.length - 1]}`,
    );
    await shot('vsix-grid-sorted.png');

    await el.evaluate((r) => r.querySelector('.clerk-mode-chart').click());
    await frame.waitForFunction((r) => r.querySelector('svg.clerk-chart'), el);
    const chart = await el.evaluate((r) => ({
      lines: r.querySelectorAll('svg.clerk-chart path.clerk-line').length,
      dots: r.querySelectorAll('svg.clerk-chart circle.clerk-series').length,
      status: r.querySelector('.clerk-status').textContent,
    }));
    check('the chart view draws sign-ups per month as a line', chart.lines === 1 && chart.dots === before.length, JSON.stringify(chart));
    await shot('vsix-chart.png');

    // Export as CSV: the save dialog is code-server's simple file dialog, a quick input holding a path.
    const target = path.join(folder, 'sign-ups.csv');
    await el.evaluate((r) => r.querySelector('.clerk-export').click());
    // "Export…" asks what and how: the query's result (the grid is sorted), as CSV.
    await pickRow(page, /CSV[^]*the query's result/);
    const input = page.locator('.quick-input-widget input');
    // The dialog fills in its proposed path once it has read the folder: type over it after that.
    await page.waitForFunction(() => /\.csv$/.test(document.querySelector('.quick-input-widget input').value));
    await input.fill(target);
    await shot('vsix-save-dialog.png');
    await input.press('Enter');
    // The export writes the file in chunks: wait until it holds a line per row (CRLF-terminated).
    const read = () => (fs.existsSync(target) ? fs.readFileSync(target, 'utf8').split('\r\n').slice(0, -1) : []);
    for (const deadline = Date.now() + 60000; read().length < before.length + 1 && Date.now() < deadline;) await page.waitForTimeout(200);
    const lines = read();
    check(
      'Export CSV writes the file typed into the save dialog, with a header and every row',
      lines[0] === 'month,sign_ups' && lines.length === before.length + 1 && lines.slice(1).every((l) => /^\d{4}-\d{2}-\d{2},\d+$/.test(l)),
      `${lines.length - 1} rows; ${lines.slice(0, 2).join(' / ')}`,
    );
  } catch (e) {
    fail(e);
    console.error(await describeScreen(page));
    await page.screenshot({ path: path.join(OUT, 'vsix-failure.png') }).catch(() => {});
  } finally {
    await close();
    await server.stop();
    if (!process.env.HARNESS_KEEP_STATE) fs.rmSync(state, { recursive: true, force: true });
  }
  return summary();
}

runTest(main);
