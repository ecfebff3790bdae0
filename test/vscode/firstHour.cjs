#!/usr/bin/env node
// A person's first hour, in the code-server workbench (headless Chromium), reading what the
// screen shows: "Try with the Built-in Simulator" writes a notebook that is closed, reopened and
// run again; the toolbar's Restart; errors of each kind as the cell output renders them (a typo,
// a syntax error, "already exists", an unreachable API, a key Clerk refuses with its "Set key"
// button, which is clicked), "Set API Key" for a server at another address through the palette,
// a cancelled cell; a key pasted inline with auto-save on (the file on disk is read); a column
// list typed with completion on; a timestamp declared text, its notice and the Ctrl+. quick fix;
// examples/access.clerk.sql copied into the folder: the new objects offered after `object '`, a
// read of sessions with no key underlined and refused before any request, a keyed join's rows;
// psql variables set in one cell and read in the next, a named cell result queried by a later
// cell, and a variable no line sets (the error, the underline).
// Screenshots: test-output/first-hour-*.png.
//
//   npm run build && node test/vscode/firstHour.cjs
//
// Prints "first-hour: N passed, M failed"; exit code 0 when every check passed.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '../..');
const { startCodeServer, launchBrowser, workbenchUrl } = require('./lib.cjs');
const workbench = require('./workbench.cjs');

const OUT = path.join(root, 'test-output');
const EXAMPLE = 'clerk-simulator-example.clerk.sql';
/** The key placeholder of the examples' CREATE SERVER, which a copy replaces. */
const KEY_PLACEHOLDER = "api_key '<clerk secret Key>'";

/** `clerk-notebook simulate` in its own process, as a Clerk instance at another address. */
async function spawnSimulator() {
  const child = spawn(process.execPath, [path.join(root, 'dist/cli.js'), 'simulate', '--port', '0', '--users', '300', '--seed', '4'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  for (let i = 0; i < 600; i++) {
    const url = /base URL +(\S+)/.exec(out);
    const key = /secret key +(sk_test_\S+)/.exec(out);
    if (url && key) return { url: url[1], secretKey: key[1], stop: () => child.kill('SIGTERM') };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`the simulator did not start: ${out}`);
}

/**
 * A proxy in front of the simulator that notes each request (`GET /v1/sessions?user_id=...`): the
 * requests a cell made, or did not make, are not on the screen.
 */
async function requestLog(target) {
  const origin = new URL(target).origin;
  const requests = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const upstream = http.request(new URL(req.url, origin), { method: req.method, headers: { ...req.headers, host: new URL(origin).host } }, (r) => {
      res.writeHead(r.statusCode, r.headers);
      r.pipe(res);
    });
    upstream.on('error', (e) => res.writeHead(502).end(String(e)));
    req.pipe(upstream);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}${new URL(target).pathname}`, requests, stop: () => server.close() };
}

/** An example notebook's cell with this title: its SQL, as a person copies it. */
function exampleCell(example, title) {
  const cell = example.split(/^-- %% /m).find((c) => c.startsWith(title));
  if (!cell) throw new Error(`the example has no cell titled "${title}"`);
  return cell.slice(cell.indexOf('\n') + 1).trim();
}

async function main() {
  if (!fs.existsSync(path.join(root, 'dist/extension.js'))) throw new Error('dist/extension.js is missing: run `npm run build` first');
  fs.mkdirSync(OUT, { recursive: true });
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'clerk-sql-first-hour-'));
  const access = fs.readFileSync(path.join(root, 'examples/access.clerk.sql'), 'utf8');
  if (!access.includes(KEY_PLACEHOLDER)) throw new Error(`examples/access.clerk.sql no longer has ${KEY_PLACEHOLDER}`);
  const sim = await spawnSimulator();
  const proxy = await requestLog(sim.url);
  // The access example with the simulator's address and key in place of the placeholder, written
  // before the workbench starts: Quick Open's file list does not see files added later.
  fs.writeFileSync(path.join(folder, 'access.clerk.sql'), access.replace(KEY_PLACEHOLDER, `api_url '${proxy.url}', api_key '${sim.secretKey}'`));
  // Auto-save on, as in code-server's default and many users' settings.
  const server = await startCodeServer({ settings: { 'files.autoSave': 'afterDelay', 'files.autoSaveDelay': 1000 } });
  const { page, close } = await launchBrowser();
  page.setDefaultTimeout(60000);
  const { step, check, fail, summary } = workbench.reporter('first-hour');
  const palette = (command, match) => workbench.palette(page, command, match);
  const shot = async (name) => {
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(OUT, `first-hour-${name}.png`) });
    step(`screenshot test-output/first-hour-${name}.png`);
  };
  const statusBar = () =>
    page
      .locator('.statusbar-item', { hasText: 'Clerk SQL' })
      .first()
      .innerText()
      .catch(() => '');
  const waitStatus = (pattern, timeout = 120000) =>
    page.waitForFunction((source) => [...document.querySelectorAll('.statusbar-item')].some((e) => new RegExp(source).test(e.innerText)), pattern.source, {
      timeout,
    });

  /** Text of every rendered output (the result renderer draws in the output webview's frame). */
  const outputs = async () => {
    const texts = [];
    for (const f of page.frames()) {
      texts.push(
        await f
          .evaluate(() => [...document.querySelectorAll('.clerk-result, .clerk-error, .clerk-cancelled')].map((e) => e.innerText).join('\n----\n'))
          .catch(() => ''),
      );
    }
    return texts.join('\n');
  };
  const waitOutput = async (pattern, timeoutMs = 60000) => {
    const deadline = Date.now() + timeoutMs;
    const list = await page.locator('.notebook-editor .cell-list-container').first().boundingBox();
    if (list) await page.mouse.move(list.x + list.width / 2, list.y + list.height / 2);
    for (let step = 0; ; step++) {
      const text = await outputs();
      const m = pattern.exec(text);
      if (m) return m;
      if (Date.now() > deadline) throw new Error(`no rendered output matched ${pattern}; the outputs read:\n${text.slice(-1500)}`);
      // Outputs render as their cells come into view: sweep down the notebook and back up.
      if (step >= 4) await page.mouse.wheel(0, Math.floor(step / 40) % 2 === 0 ? 400 : -400);
      await page.waitForTimeout(250);
    }
  };
  /** The rendered error that starts with this message (the newest such), whole. */
  const errorBlock = async (message) => {
    const m = await waitOutput(new RegExp(`ERROR:  ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^]*?SQLSTATE \\w+`));
    return m[0];
  };
  /** Scrolls the notebook until the last element matching `selector` in the outputs is in view, and clicks it. */
  const clickInOutput = async (selector) => {
    const list = await page.locator('.notebook-editor .cell-list-container').first().boundingBox();
    await page.mouse.move(list.x + list.width / 2, list.y + list.height / 2);
    for (let i = 0; i < 100; i++) {
      for (const f of page.frames()) {
        const handle = await f.evaluateHandle((sel) => [...document.querySelectorAll(sel)].pop() || null, selector).catch(() => undefined);
        const el = handle && handle.asElement();
        const box = el && (await el.boundingBox());
        if (!box || box.height === 0) continue;
        if (box.y > list.y + 20 && box.y + box.height < list.y + list.height - 20) {
          await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
          return el.innerText();
        }
        await page.mouse.wheel(0, box.y - (list.y + list.height / 2));
      }
      await page.waitForTimeout(200);
    }
    throw new Error(`no ${selector} came into view`);
  };
  /** A new code cell at the end, its text pasted, then run with its own run button. */
  const addCell = async (source, { run = true } = {}) => {
    await newLastCell();
    await page.keyboard.insertText(source);
    await page.keyboard.press('Escape');
    if (run) await page.locator('.notebook-editor .code-cell-row.focused .run-button-container .action-label').first().click();
  };
  const newLastCell = () => workbench.newLastCell(page);
  /**
   * Closes the suggestion list, if one is open, and leaves the cell's editor focused: Escape with
   * no list open would leave the editor for the notebook's command mode (Enter goes back in).
   */
  const closeSuggestions = async () => {
    if (
      await page
        .locator('.suggest-widget.visible')
        .isVisible()
        .catch(() => false)
    )
      await page.keyboard.press('Escape');
    await page.waitForTimeout(200);
    if (
      !(await page
        .locator('.notebook-editor .code-cell-row.focused .monaco-editor.focused')
        .isVisible()
        .catch(() => false))
    )
      await page.keyboard.press('Enter');
    await page.locator('.notebook-editor .code-cell-row.focused .monaco-editor.focused').waitFor();
  };
  /** The middle of `word`, drawn after `before` in the focused cell's editor: where a hand points at it. */
  const wordAt = (before, word) =>
    page.evaluate(
      ([before, word]) => {
        const lines = document.querySelector('.notebook-editor .code-cell-row.focused .view-lines');
        const walker = document.createTreeWalker(lines, NodeFilter.SHOW_TEXT);
        const text = [];
        for (let node = walker.nextNode(); node; node = walker.nextNode()) text.push(node);
        // The editor draws spaces as U+00A0.
        const whole = text
          .map((n) => n.textContent)
          .join('')
          .replace(/\u00a0/g, ' ');
        let at = whole.indexOf(before + word) + before.length;
        for (const node of text) {
          if (at < node.textContent.length) {
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, Math.min(node.textContent.length, at + word.length));
            const { x, y, width, height } = range.getBoundingClientRect();
            return { x: x + width / 2, y: y + height / 2 };
          }
          at -= node.textContent.length;
        }
        return undefined;
      },
      [before, word],
    );
  /** Rests the mouse on `point`, coming from above as a hand would, and reads the hover that has `text`. */
  const hover = async (point, text) => {
    await page.mouse.move(point.x, point.y - 60);
    await page.mouse.move(point.x, point.y, { steps: 5 });
    return page
      .locator('.monaco-hover:not(.hidden) .monaco-hover-content', { hasText: text })
      .first()
      .innerText({ timeout: 15000 })
      .catch(() => '');
  };
  const clickDialog = async (label) => {
    const button = page.locator('.monaco-dialog-box .monaco-button', { hasText: new RegExp(`^${label}$`) }).first();
    await button.waitFor();
    await button.click();
  };
  /** Types into the input box whose title has this text, once it is the one showing. */
  const answerInput = async (title, value) => {
    await page.locator('.quick-input-widget', { hasText: title }).locator('input').waitFor();
    await page.keyboard.insertText(value);
    await page.keyboard.press('Enter');
  };
  /**
   * The text of the newest notification matching `pattern`, read in the notification center (a
   * headless window that has no focus gets no toasts).
   */
  const notification = async (pattern, timeoutMs = 30000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await palette('Notifications: Show Notifications', 'Show Notifications');
      const item = page.locator('.notifications-center .notification-list-item', { hasText: pattern }).first();
      const found = await item.waitFor({ timeout: 2000 }).then(
        () => item.innerText(),
        () => undefined,
      );
      await palette('Notifications: Hide Notifications', 'Hide Notifications');
      if (found !== undefined) return found.trim().split('\n')[0];
      if (Date.now() > deadline) throw new Error(`no notification matched ${pattern}`);
    }
  };

  try {
    await workbench.openWorkbench(page, workbenchUrl(server.url, { folder, extensionDevelopmentPath: [root] }));
    step('workbench loaded');

    // 1. The example, as a file the user keeps.
    await palette('Clerk SQL: Try with the Built-in Simulator', 'Try with the Built-in Simulator');
    await page.locator('.notebook-editor .cell-list-container .code-cell-row').first().waitFor();
    const tab = await page.locator('.tabs-container .tab.active .label-name').innerText();
    const onDisk = fs.existsSync(path.join(folder, EXAMPLE)) ? fs.readFileSync(path.join(folder, EXAMPLE), 'utf8') : '';
    check(
      'Try with the Built-in Simulator writes clerk-simulator-example.clerk.sql into the folder, its server reading the simulator',
      EXAMPLE.startsWith(tab) && /api_url 'simulator:\?users=10000&seed=1'/.test(onDisk),
      `tab ${tab}, ${onDisk.length} bytes on disk`,
    );
    await page
      .locator('.notebook-editor .cell-statusbar-container', { hasText: 'The documented tables' })
      .first()
      .waitFor({ timeout: 15000 })
      .catch(() => undefined);
    const titles = await page.locator('.notebook-editor .cell-statusbar-container').allInnerTexts();
    check(
      'cell titles show on their cells',
      titles.some((t) => t.includes('Connect to Clerk (here: the built-in simulator)') || t.includes('Connect to Clerk')) &&
        titles.some((t) => t.includes('The documented tables')),
      titles.filter(Boolean).slice(0, 4).join(' | '),
    );
    await shot('01-example');
    await page.waitForTimeout(1000); // kernel selection by the command
    await page
      .locator('.notebook-toolbar-container .action-item', { hasText: /Run All/ })
      .first()
      .click();
    await waitOutput(/users≡?\s+bigint\s+first_sign_up/);
    await waitStatus(/Clerk SQL: ready/);
    step('Run All done');

    // 2. Closed and opened again: it still reads the simulator, and asks for no key.
    await palette('View: Close All Editors', 'Close All Editors');
    await workbench.openAndRunAll(page, EXAMPLE);
    const picker = page.locator('.quick-input-widget', { hasText: /select kernel/i });
    if (await picker.isVisible({ timeout: 3000 }).catch(() => false)) {
      step('kernel picker shown, choosing Clerk SQL');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Clerk SQL' }).first().click();
    }
    await waitOutput(/users≡?\s+bigint\s+first_sign_up≡?\s+date\s+10000/);
    const asked = await page
      .locator('.quick-input-widget input[type="password"]')
      .isVisible()
      .catch(() => false);
    check('the reopened file runs again against the simulator, with no key asked', !asked, await statusBar());
    await waitStatus(/Clerk SQL: ready/);
    await shot('02-reopened');

    // 3. The toolbar's Restart restarts; the old outputs say they are stale.
    await page
      .locator('.notebook-toolbar-container .action-item', { hasText: /Restart Notebook Runtime/ })
      .first()
      .click();
    await waitStatus(/^\$?\(?.*Clerk SQL$|Clerk SQL$/, 20000).catch(() => undefined);
    const afterRestart = await statusBar();
    await waitOutput(/From a runtime that has been restarted since: run the cell again to refresh\./);
    check("the toolbar's Restart stops the runtime and marks the outputs stale", /Clerk SQL$/.test(afterRestart.trim()), afterRestart);
    await shot('03-restarted');
    await page
      .locator('.notebook-toolbar-container .action-item', { hasText: /Run All/ })
      .first()
      .click();
    await waitStatus(/Clerk SQL: cell/, 20000);
    await waitStatus(/Clerk SQL: ready/);

    // 4. Errors as the output shows them.
    await addCell('select user_id,\n  emial\nfrom clerk_users;');
    let error = await errorBlock('column "emial" does not exist');
    const cellLabel = /at cell \[(\d+)\]/.exec(error);
    check(
      'a typo: the message first, the line with a caret, the hint, cell, line and column, SQLSTATE',
      error.startsWith('ERROR:  column "emial" does not exist\nLINE 2:   emial\n          ^\nHINT:') &&
        /at cell \[\d+\], line 2, column 3 · statement 1 · SQLSTATE 42703$/.test(error),
      error,
    );
    await waitStatus(/Clerk SQL: cell \[\d+\] failed/, 10000).catch(() => undefined);
    const failedStatus = await statusBar();
    check('the status bar names the cell as the notebook labels it', !!cellLabel && failedStatus.includes(`cell [${cellLabel[1]}] failed`), failedStatus);
    await shot('04-typo');
    await addCell('selec 1;');
    error = await errorBlock('syntax error at or near "selec"');
    check(
      'a syntax error, at the token',
      error.startsWith('ERROR:  syntax error at or near "selec"\nLINE 1: selec 1;\n        ^') && /SQLSTATE 42601$/.test(error),
      error,
    );
    await addCell("create server my_clerk_server foreign data wrapper clerk_wrapper options (cache_ttl '5');");
    error = await errorBlock('server "my_clerk_server" already exists');
    check(
      '"already exists" for a server with another definition',
      error.startsWith('ERROR:  server "my_clerk_server" already exists') && /SQLSTATE 42710$/.test(error),
      error,
    );
    await shot('05-already-exists');

    // An API nothing answers at: its origin is confirmed in a dialog, then the connection fails.
    await addCell(
      `create server down foreign data wrapper clerk_wrapper options (api_url 'http://127.0.0.1:9/v1', api_key 'sk_test_${'d'.repeat(40)}');\ncreate foreign table down_users (user_id text) server down options (object 'users');\nselect count(*) from down_users;`,
    );
    await clickDialog('Allow');
    // The count and the first page are asked for at once: either may be the one that fails.
    error = await errorBlock('foreign table "down_users": Clerk API users, ');
    check(
      'an unreachable API: what failed, where it was going, what to check',
      /GET \/v1\/users(\/count)? failed after \d+ attempts: connect ECONNREFUSED 127\.0\.0\.1:9/.test(error) &&
        error.includes('DETAIL:  Server "down" at http://127.0.0.1:9/v1.') &&
        error.includes('HINT:  Check that http://127.0.0.1:9 is reachable') &&
        /SQLSTATE HV00N$/.test(error),
      error,
    );
    await shot('06-unreachable');

    // A key Clerk refuses: the output offers to set it, and the cell runs again.
    await addCell(
      `create server other_instance foreign data wrapper clerk_wrapper options (api_url '${sim.url}', api_key 'sk_test_${'w'.repeat(40)}');\ncreate foreign table other_users (user_id text) server other_instance options (object 'users');\nselect count(*) as other_users from other_users;`,
    );
    await clickDialog('Allow');
    error = await errorBlock('foreign table "other_users": Clerk API users, GET /v1/users/count request failed: HTTP 401');
    const origin = new URL(sim.url).origin;
    check(
      "a key Clerk refuses (401): Clerk's code and message, the address, what to do",
      /HTTP 401 clerk_key_invalid/.test(error) &&
        error.includes(`HINT:  Clerk did not accept the key of server "other_instance" for ${origin}.`) &&
        !error.includes('w'.repeat(20)),
      error,
    );
    await shot('07-refused-key');
    const buttonText = await clickInOutput('.clerk-set-key');
    check('the error offers "Set key for <address>" right there', buttonText === `Set key for ${origin}`, buttonText);
    await answerInput('Clerk secret key for server "other_instance"', sim.secretKey);
    await waitOutput(/other_users≡?\s+bigint\s+300/);
    check('"Set key" stores the key and runs the cell again: the rows come', true);
    await shot('08-key-set');

    // "Set API Key" from the palette offers the notebook's servers with their addresses.
    await palette('Clerk SQL: Set API Key', 'Set API Key');
    const rows = page.locator('.quick-input-list .monaco-list-row');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Another server…' }).first().waitFor();
    const offered = await rows.allInnerTexts();
    check(
      "Set API Key lists the notebook's servers that take a key, with their addresses (not the simulator's)",
      offered.some((t) => t.includes('other_instance') && t.includes(origin)) &&
        offered.some((t) => t.includes('down') && t.includes('http://127.0.0.1:9')) &&
        !offered.some((t) => t.includes('my_clerk_server')),
      `${offered.map((t) => t.replace(/\s+/g, ' ')).join(' | ')}; on disk: ${fs
        .readFileSync(path.join(folder, EXAMPLE), 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('create server'))
        .join(' / ')}`,
    );
    await shot('09-set-key-pick');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'other_instance' }).first().click();
    await answerInput('Clerk secret key for server "other_instance"', sim.secretKey);
    const storedText = await notification(/Clerk key of server "other_instance"/);
    check(
      'Set API Key says what it did, for which address',
      storedText === `Replaced the Clerk key of server "other_instance" for ${origin} in VS Code's secret storage.`,
      storedText,
    );
    await palette('Notifications: Show Notifications', 'Show Notifications');
    await shot('10-key-stored');
    await palette('Notifications: Hide Notifications', 'Hide Notifications');

    // A cancelled cell reads "Cancelled", not a failure.
    await addCell(
      "create server slow foreign data wrapper clerk_wrapper options (api_url 'simulator:?users=20000&seed=2&latency_ms=3000');\ncreate foreign table slow_users (user_id text) server slow options (object 'users');\nselect count(*) from slow_users;",
    );
    // The running cell's progress shows in the status bar too.
    await waitStatus(/Clerk SQL: cell \[\d+\] · slow_users: [\d,]+/, 60000);
    await page.locator('.notebook-editor .code-cell-row.focused .run-button-container .action-label').first().click(); // now the stop button
    const cancelled = await waitOutput(/Cancelled at statement \d+\./);
    await page.waitForTimeout(500);
    const afterCancel = await statusBar();
    check(
      'a cancelled cell reads "Cancelled", and the status bar shows no failure',
      cancelled[0] === 'Cancelled at statement 3.' && !/failed/.test(afterCancel),
      `${cancelled[0]}; ${afterCancel}`,
    );
    await shot('11-cancelled');

    // 5. A key pasted inline, auto-save on: the file on disk never holds it.
    const pasted = `sk_live_${'P'.repeat(40)}`;
    await addCell(`create server pasted foreign data wrapper clerk_wrapper options (api_key '${pasted}')`, { run: false });
    const moved = await notification(/Moved the api_key of server "pasted"/);
    check(
      'the user is told where the key went',
      moved.startsWith(`Moved the api_key of server "pasted" (https://api.clerk.com) to VS Code's secret storage.`),
      moved,
    );
    await page.waitForTimeout(1500);
    const file = fs.readFileSync(path.join(folder, EXAMPLE), 'utf8');
    check(
      'auto-save writes the placeholder, never the pasted key',
      !file.includes(pasted) &&
        file.includes("create server pasted foreign data wrapper clerk_wrapper options (api_key '<clerk secret key in VS Code SecretStorage>')"),
      file.slice(file.indexOf('create server pasted'), file.indexOf('create server pasted') + 140),
    );
    await shot('12-key-moved-on-save');

    // 6. A column list typed with completion on: Enter after a comma is a new line.
    await newLastCell();
    await page.keyboard.type('create foreign table clerk_organizations (', { delay: 30 });
    await page.keyboard.press('Enter');
    await page.keyboard.type('organization_id text,', { delay: 30 });
    await page.waitForTimeout(800);
    const popupAfterComma = await page
      .locator('.suggest-widget.visible')
      .isVisible()
      .catch(() => false);
    await page.keyboard.press('Enter');
    await page.keyboard.type('name text', { delay: 30 });
    await page.waitForTimeout(500);
    await closeSuggestions();
    const typed = await page.locator('.notebook-editor .code-cell-row.focused .view-lines').innerText();
    const lines = typed.split('\n').map((l) => l.replace(/\u00a0/g, ' ').trim());
    check(
      'no list opens after a comma, and Enter inserts a new line',
      !popupAfterComma && lines[1] === 'organization_id text,' && lines[2] === 'name text' && !typed.includes('slug'),
      JSON.stringify(lines),
    );
    // Ctrl+Space still offers the object's columns (the table's name tells the object).
    await page.keyboard.type(',', { delay: 30 });
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+Space');
    const suggest = page.locator('.suggest-widget.visible .monaco-list-row');
    await suggest.first().waitFor();
    const offeredColumns = await suggest.allInnerTexts();
    check(
      'Ctrl+Space offers the columns of that object only, without those declared',
      offeredColumns.some((t) => t.startsWith('slug')) && !offeredColumns.some((t) => /^(organization_id|name|email)\b/.test(t)),
      offeredColumns
        .slice(0, 6)
        .map((t) => t.replace(/\s+/g, ' '))
        .join(' | '),
    );
    await shot('13-completion-columns');
    await closeSuggestions();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' server my_clerk_server options (', { delay: 30 });
    await suggest
      .first()
      .waitFor({ timeout: 10000 })
      .catch(() => undefined);
    const offeredOptions = await suggest.allInnerTexts().catch(() => []);
    check(
      'after "options (" the options appear',
      offeredOptions.some((t) => t.startsWith('object')),
      offeredOptions.map((t) => t.replace(/\s+/g, ' ')).join(' | '),
    );
    await shot('14-completion-options');
    await page.keyboard.press('Escape');

    // 7. A timestamp declared text: a notice on the type, and the quick fix a person picks with Ctrl+.
    await newLastCell();
    await page.keyboard.insertText("create foreign table signups (user_id text, created_at text) server my_clerk_server options (object 'users');");
    await page.locator('.notebook-editor .code-cell-row.focused .squiggly-info').first().waitFor({ state: 'attached', timeout: 30000 });
    // Where the declared type is drawn: the mouse rests on it, then clicks there.
    const typeAt = await wordAt('created_at ', 'text');
    // Off the cell first (a suggestion list may still be open), then onto the word, as a hand would.
    await page.keyboard.press('Escape');
    const notice = await hover(typeAt, 'milliseconds');
    check(
      'a timestamp declared text is underlined, and the hover says it holds milliseconds and what to declare',
      notice.includes('column "created_at" declared text holds milliseconds since the Unix epoch as digits') &&
        notice.includes('declare it timestamptz or bigint'),
      notice.replace(/\s+/g, ' ').slice(0, 240),
    );
    await shot('15-declared-type-notice');
    await page.mouse.click(typeAt.x, typeAt.y);
    await page.keyboard.press('Control+Period');
    const fixes = page.locator('.action-widget .monaco-list-row', { hasText: 'Change to' });
    await fixes.first().waitFor({ timeout: 15000 });
    const offeredFixes = (await fixes.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    check(
      'Ctrl+. offers "Change to timestamptz" and "Change to bigint"',
      offeredFixes.some((t) => t.includes('Change to timestamptz')) && offeredFixes.some((t) => t.includes('Change to bigint')),
      offeredFixes.join(' | '),
    );
    await shot('16-declared-type-fixes');
    await fixes.filter({ hasText: 'Change to timestamptz' }).first().click();
    await page.waitForTimeout(2000);
    const fixedCell = (await page.locator('.notebook-editor .code-cell-row.focused .view-lines').innerText()).replace(/\u00a0/g, ' ');
    const savedFix = fs.readFileSync(path.join(folder, EXAMPLE), 'utf8');
    const infoLeft = await page.locator('.notebook-editor .code-cell-row.focused .squiggly-info').count();
    check(
      'the fix declares timestamptz, the notice goes, and the file on disk has it',
      fixedCell.includes('created_at timestamptz') &&
        infoLeft === 0 &&
        savedFix.includes('create foreign table signups (user_id text, created_at timestamptz)'),
      `${fixedCell.replace(/\s+/g, ' ').slice(0, 160)}; info squiggles ${infoLeft}`,
    );
    await shot('17-declared-type-fixed');

    // 8. The access example (sessions, roles, domains, SSO), copied into the folder before the
    // start; its requests go through the proxy that notes them.
    await palette('View: Close All Editors', 'Close All Editors');
    await workbench.openAndRunAll(page, 'access.clerk.sql');
    if (await picker.isVisible({ timeout: 3000 }).catch(() => false)) {
      step('kernel picker shown, choosing Clerk SQL');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Clerk SQL' }).first().click();
    }
    await clickDialog('Allow');
    // Run All stops at a failing cell: the last cell's result says every cell before it ran.
    await waitStatus(/Clerk SQL: (ready|cell \[\d+\] failed)/, 180000);
    const ranToEnd = await workbench.scrollToResult(page, 'identifiers', { timeoutMs: 30000 }).then(
      () => true,
      () => false,
    );
    const afterRunAll = await statusBar();
    check('the access example runs to its last cell (sessions by join, roles, domains, SSO, lists)', ranToEnd && /ready/.test(afterRunAll), afterRunAll);

    // The new objects are offered as the `object` option's value.
    await newLastCell();
    await page.keyboard.type("create foreign table s (id text) server clerk_server options (object '", { delay: 30 });
    await suggest.first().waitFor({ timeout: 15000 });
    const objects = async () => (await suggest.allInnerTexts().catch(() => [])).map((t) => t.trim().split(/\s/)[0]);
    const offeredObjects = await objects();
    check(
      "after `object '` the list offers the new objects (sessions, organization_domains, organization_roles)",
      ['users', 'sessions', 'organization_domains', 'organization_roles'].every((o) => offeredObjects.includes(o)),
      offeredObjects.join(' | '),
    );
    await shot('18-completion-objects');
    await page.keyboard.type('billing', { delay: 30 });
    await page.waitForTimeout(500);
    const billingObjects = await objects();
    check(
      "typing 'billing' narrows the list to the billing objects",
      billingObjects.join(',') === 'billing_plans,billing_subscription_items,billing_statements',
      billingObjects.join(' | '),
    );
    await shot('19-completion-billing-objects');

    // A read of sessions with no user_id or client_id: underlined, the hover says what to add.
    await closeSuggestions();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('select * from sessions;');
    const squiggled = await workbench.underlined(page, 'error');
    const keysMessage = 'foreign table "sessions" can only be read for given user_id or client_id values: Clerk lists them by user_id or client_id';
    const keysHint = "Add a condition on it in the same SELECT, such as WHERE sessions.user_id = '...' or sessions.user_id IN (...)";
    const keysHover = (await hover(await wordAt('from ', 'sessions'), 'can only be read')).replace(/\s+/g, ' ');
    check(
      'a read of sessions with no key is underlined, and the hover says which condition to add',
      squiggled && keysHover.includes(keysMessage) && keysHover.includes(keysHint) && keysHover.includes('JOIN ... ON sessions.user_id = u.id'),
      keysHover.slice(0, 400),
    );
    await shot('20-keys-required-hover');
    // Run, it fails before any request.
    const requestsBefore = proxy.requests.length;
    await page.locator('.notebook-editor .code-cell-row.focused .run-button-container .action-label').first().click();
    error = await errorBlock(keysMessage).catch((e) => e.message);
    const madeByUnkeyed = proxy.requests.slice(requestsBefore);
    check(
      'run, it fails with that message, the hint and the place, and no request is made',
      error.includes(`HINT:  ${keysHint}`) && error.includes('LINE 1: select * from sessions;') && /SQLSTATE HV000$/.test(error) && madeByUnkeyed.length === 0,
      `${error}\n    requests: ${madeByUnkeyed.length ? madeByUnkeyed.join(', ') : 'none'}`,
    );
    await shot('21-keys-required-error');

    // The example's join gives the keys: one request per user, and the rows in the grid.
    await page
      .locator('.notebook-toolbar-container .action-item', { hasText: /Clear All Outputs/ })
      .first()
      .click();
    const joinRequestsFrom = proxy.requests.length;
    await addCell(exampleCell(access, 'Their sessions'));
    const joined = await workbench.scrollToResult(page, 'browser_name', { top: 110 });
    const grid = await joined.el.evaluate((r) => ({
      columns: [...r.querySelectorAll('th .clerk-col-name')].map((e) => e.textContent),
      rows: [...r.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((td) => td.textContent)),
      status: r.querySelector('.clerk-status').textContent,
    }));
    const sessionRequests = proxy.requests.slice(joinRequestsFrom).filter((r) => r.startsWith('GET /v1/sessions'));
    check(
      "the example's join reads the sessions of the recent users, one request each, and the grid shows them",
      grid.columns.join(',') === 'email,status,device_type,browser_name,city,country,last_active_at' &&
        grid.rows.length === 20 &&
        grid.rows.every((r) => r[0].includes('@') && r[1] !== 'NULL') &&
        sessionRequests.length === 25 &&
        sessionRequests.every((r) => /[?&]user_id=user_/.test(r)),
      `${grid.rows.length} rows (${grid.status}); first ${JSON.stringify(grid.rows[0])}; ${sessionRequests.length} requests to /v1/sessions, e.g. ${sessionRequests[0]}`,
    );
    await shot('22-sessions-join');

    // 9. psql variables and a named cell result, as a person writes them in cells.
    await addCell("\\set top 3\n\\set domain '%@example.com'");
    await addCell("-- name: first_users\nselect email from clerk_users where email not like :'domain' order by email limit :top;");
    const named = await waitOutput(/email≡?\s+text\s+(\S+@\S+)\s+(\S+@\S+)\s+(\S+@\S+)\s+Showing 3 rows/);
    await addCell('select count(*) as kept, min(email) as first from first_users;');
    await waitOutput(new RegExp(`kept≡?\\s+bigint\\s+first≡?\\s+text\\s+3\\s+${named[1].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    check("\\set values are read by a later cell (:top, :'domain'), and its result kept as a table the next cell queries", true, named[0].replace(/\s+/g, ' '));
    await shot('23-variables-named-result');
    await addCell('select :nope;');
    error = await errorBlock('variable "nope" is not set');
    check(
      'a variable no line sets: the error at its line and column, with how to set it',
      /HINT: {2}Set it in an earlier line or cell: \\set nope <value>/.test(error) && /line 1, column 8 · SQLSTATE 42601$/.test(error),
      error,
    );
    const warned = await workbench.underlined(page, 'warning');
    check('the editor underlines the variable no line sets', warned);
    await shot('24-variable-not-set');
  } catch (e) {
    fail(e);
    console.error(await workbench.describeScreen(page));
    console.error('[first-hour] outputs:', (await outputs()).slice(-2000));
    const file = path.join(folder, EXAMPLE);
    if (fs.existsSync(file))
      console.error(
        '[first-hour] the notebook on disk:\n' +
          fs
            .readFileSync(file, 'utf8')
            .split('\n')
            .filter((l) => !l.startsWith('-- ') || l.startsWith('-- %%'))
            .join('\n')
            .slice(-3000),
      );
    await page.screenshot({ path: path.join(OUT, 'first-hour-failure.png') }).catch(() => {});
  } finally {
    await close();
    await server.stop();
    proxy.stop();
    sim.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  }
  return summary();
}
workbench.runTest(main);
