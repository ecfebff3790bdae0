// What the extension-host suites share: the extension's ids and MIME types, waiting, a simulator
// in a process of its own (the CLI's `simulate`, for servers that need a key at another address)
// and an HTTP server that only counts the requests it gets.
'use strict';
const { spawn } = require('child_process');
const http = require('http');
const path = require('path');

const EXT_ID = 'clerk-sql-notebook.clerk-sql-notebook';
const RESULT_MIME = 'application/vnd.clerk-sql.result+json';
const ERROR_MIME = 'application/vnd.clerk-sql.error+json';
const CLI = path.resolve(__dirname, '../../../dist/cli.js');

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

/** `clerk-notebook simulate` in its own process: { url, secretKey, stop() }. */
async function spawnSimulator(args = []) {
  const child = spawn(process.execPath, [CLI, 'simulate', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const found = await waitFor(
    'the simulator to start',
    () => {
      const url = /base URL +(\S+)/.exec(out);
      const key = /secret key +(sk_test_\S+)/.exec(out);
      if (child.exitCode !== null) throw new Error(`the simulator exited: ${out}`);
      return url && key && { url: url[1], secretKey: key[1] };
    },
    60000,
  );
  return { ...found, stop: () => child.kill('SIGTERM') };
}

/** An HTTP server on 127.0.0.1 that answers 404 and counts requests: { url, count(), close() }. */
async function countingServer() {
  let n = 0;
  const server = http.createServer((req, res) => {
    n++;
    res.writeHead(404).end();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}/v1`, count: () => n, close: () => new Promise((r) => server.close(r)) };
}

module.exports = { EXT_ID, RESULT_MIME, ERROR_MIME, text, log, sleep, waitFor, spawnSimulator, countingServer };
