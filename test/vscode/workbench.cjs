// Helpers for driving the code-server workbench (Playwright page) the way a person would:
// the Command Palette and the notebook's output webview, where the result renderer draws.
'use strict';

/** Runs a command from the Command Palette (F1), waiting for it to be listed first. */
async function palette(page, command, match) {
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').waitFor();
  await page.keyboard.type(command);
  await pickFocused(page, match || command);
}

/**
 * Accepts the open quick pick's item with this text once it is the focused one: the list
 * filters as it is typed into, so on a slow machine Enter on the first listed row could
 * still accept an item the filter has not removed yet.
 */
async function pickFocused(page, text) {
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: text }).first().waitFor();
  await page.keyboard.press('Enter');
}

/**
 * Accepts the open quick pick's row whose text matches `pattern` (a RegExp), moving to it with
 * the arrow keys: the pointer could land on a list still settling. The input box is clicked
 * first so the keys go to the quick pick, not to the webview whose button opened it.
 */
async function pickRow(page, pattern) {
  const rows = page.locator('.quick-input-list .monaco-list-row');
  await rows.filter({ hasText: pattern }).first().waitFor();
  await page.locator('.quick-input-widget input').click();
  const focused = page.locator('.quick-input-list .monaco-list-row.focused');
  const count = await rows.count();
  for (let i = 0; i <= count && !pattern.test(await focused.innerText()); i++) await page.keyboard.press('ArrowDown');
  if (!pattern.test(await focused.innerText())) throw new Error(`no quick pick row matches ${pattern}: ${await focused.innerText()}`);
  await page.keyboard.press('Enter');
}

/** Whether the focused cell's editor shows an underline of this severity ('error', 'warning', 'info') within `timeout` ms. */
function underlined(page, severity, timeout = 30000) {
  return page
    .locator(`.notebook-editor .code-cell-row.focused .squiggly-${severity}`)
    .first()
    .waitFor({ state: 'attached', timeout })
    .then(
      () => true,
      () => false,
    );
}

/** Loads the workbench at `url`, waits for its explorer, then closes the side bar: room for the notebook. */
async function openWorkbench(page, url) {
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor();
  await page.locator('.explorer-folders-view .monaco-list-row, .explorer-folders-view .empty-view, .explorer-viewlet').first().waitFor();
  await palette(page, 'View: Close Primary Side Bar', 'Close Primary Side Bar');
}

/** What a failed browser test saw: the editor tabs, an open quick input, the active editor's text. */
async function describeScreen(page) {
  return page
    .evaluate(() => {
      const text = (sel, n) =>
        [...document.querySelectorAll(sel)]
          .map((e) => e.innerText.trim())
          .join(' | ')
          .replace(/\s+/g, ' ')
          .slice(0, n);
      const input = document.querySelector('.quick-input-widget');
      return [
        `tabs: ${text('.tabs-container .tab .label-name', 300)}`,
        input && input.offsetParent ? `quick input: ${text('.quick-input-widget', 400)}` : 'quick input: closed',
        `editor: ${text('.editor-group-container.active .editor-container', 800)}`,
        `notifications: ${text('.notifications-toasts .notification-list-item-message', 400)}`,
      ].join('\n');
    })
    .catch((e) => `(screen not readable: ${e.message})`);
}

/** The output webview frame holding Clerk results (the notebook's nested iframe), if any. */
async function resultFrame(page) {
  for (const f of page.frames()) {
    const n = await f.evaluate(() => document.querySelectorAll('.clerk-result').length).catch(() => 0);
    if (n > 0) return f;
  }
  return undefined;
}

/**
 * Scrolls the notebook until the rendered result whose header has this column is `top` pixels
 * below the notebook's top. Outputs render only once their cell is near the viewport, so this
 * also waits for a cell that is still running. Results once rendered stay in the webview, so one
 * above the viewport is found and scrolled back to. Returns { frame, el } (el: the .clerk-result).
 */
async function scrollToResult(page, column, { top = 140, timeoutMs = 180000 } = {}) {
  const list = page.locator('.notebook-editor .cell-list-container').first();
  const box = await list.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const frame = await resultFrame(page);
    const handle =
      frame &&
      (await frame
        .evaluateHandle(
          (col) =>
            [...document.querySelectorAll('.clerk-result')].find((r) => [...r.querySelectorAll('th .clerk-col-name')].some((th) => th.textContent === col)) ||
            null,
          column,
        )
        .catch(() => undefined));
    const el = handle && handle.asElement();
    const rect = el && (await el.boundingBox());
    if (rect && rect.height > 0) {
      const delta = rect.y - (box.y + top);
      if (Math.abs(delta) < 30) return { frame, el };
      await page.mouse.wheel(0, Math.max(-600, Math.min(600, delta)));
    } else {
      await page.mouse.wheel(0, 500); // not rendered yet: outputs appear as their cells scroll in
    }
    await page.waitForTimeout(150); // let the list re-render after the scroll
  }
  throw new Error(`no result with column ${column} came into view`);
}

/**
 * The checks of a browser test and their report: step() logs progress with the time since the
 * start, check() counts and prints a result, fail() counts an exception, summary() prints
 * "NAME: N passed, M failed" and returns the exit code.
 */
function reporter(name) {
  const t0 = Date.now();
  let passed = 0;
  let failed = 0;
  return {
    step: (s) => console.log(`[${name} +${((Date.now() - t0) / 1000).toFixed(1)}s] ${s}`),
    check(what, ok, detail = '') {
      if (ok) passed++;
      else failed++;
      console.log(`  ${ok ? '✔' : '✘'} ${what}${detail ? `: ${detail}` : ''}`);
    },
    fail(error) {
      failed++;
      console.error(`[${name}] FAILED:`, error.message);
    },
    summary() {
      console.log(`${name}: ${passed} passed, ${failed} failed`);
      return failed === 0 ? 0 : 1;
    },
  };
}

/** Opens a file of the folder by name through Quick Open (Ctrl+P), as a notebook, and clicks the toolbar's Run All. */
async function openAndRunAll(page, name) {
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').waitFor();
  await page.keyboard.type(name);
  await pickFocused(page, name);
  await page.locator('.notebook-editor .cell-list-container .code-cell-row').first().waitFor();
  await page.waitForTimeout(1000);
  await page
    .locator('.notebook-toolbar-container .action-item', { hasText: /Run All/ })
    .first()
    .click();
}

/** A new code cell below the last one, its editor focused: Escape, Ctrl+End (last cell), then the toolbar's "+ Code". */
async function newLastCell(page) {
  const cells = page.locator('.notebook-editor .code-cell-row');
  const count = await page.evaluate(() => document.querySelectorAll('.notebook-editor .cell-list-container .monaco-list-row').length);
  // Keyboard focus into a cell (a click could land on an output's webview above the list).
  await cells.first().locator('.monaco-editor textarea').focus();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+End');
  await page
    .locator('.notebook-toolbar-container .action-item', { hasText: /^\s*Code\s*$/ })
    .first()
    .click();
  await page
    .waitForFunction(
      (n) =>
        document.querySelectorAll('.notebook-editor .cell-list-container .monaco-list-row').length !== n ||
        document.querySelector('.notebook-editor .code-cell-row.focused .monaco-editor.focused'),
      count,
    )
    .catch(() => undefined);
  await page.locator('.notebook-editor .code-cell-row.focused .monaco-editor.focused').waitFor();
}

/** Runs a browser test's main() and exits with its code (1 when it throws). */
function runTest(main) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}

module.exports = {
  palette,
  pickFocused,
  pickRow,
  underlined,
  openWorkbench,
  openAndRunAll,
  newLastCell,
  describeScreen,
  resultFrame,
  scrollToResult,
  reporter,
  runTest,
};
