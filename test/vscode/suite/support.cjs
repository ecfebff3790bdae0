// What the extension-host suites share: the extension's ids and MIME types, and waiting.
'use strict';

const EXT_ID = 'clerk-sql-notebook.clerk-sql-notebook';
const RESULT_MIME = 'application/vnd.clerk-sql.result+json';
const ERROR_MIME = 'application/vnd.code.notebook.error';

const text = (bytes) => Buffer.from(bytes).toString('utf8');
// Mocha's report channel (test/vscode/index.cjs sends it to the console and the report file).
const log = (...args) => require('mocha').reporters.Base.consoleLog(...args);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns something truthy, and returns that. */
async function waitFor(what, fn, ms = 90000, step = 100) {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(step);
  }
}

module.exports = { EXT_ID, RESULT_MIME, ERROR_MIME, text, log, sleep, waitFor };
