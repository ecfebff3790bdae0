#!/usr/bin/env node
// `npm run test:vscode`: runs test/vscode/suite/*.test.cjs inside a real VS Code extension host
// (code-server's Node extension host, driven by headless Chromium; see install.sh and lib.cjs)
// against this folder as the development extension (dist/extension.js: build first).
//
//   node test/vscode/run.cjs [--timeout 600] [--screenshot file.png] [--grep 'suite or test title'] [--restricted]
//
// --restricted runs test/vscode/restricted/ instead: workspace trust on and the folder untrusted
// (Restricted Mode).
//
// Needs the harness installed by test/vscode/install.sh ($VSCODE_HARNESS_HOME, default
// ~/.cache/vscode-harness). The extension host's console (mocha's report) is printed here; the
// exit code is the tests' result.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '../..');
const { startCodeServer, runExtensionTests } = require('./lib.cjs');

function arg(name, def) {
  const i = process.argv.indexOf('--' + name);
  return i > 0 ? process.argv[i + 1] : def;
}

(async () => {
  if (!fs.existsSync(path.join(root, 'dist/extension.js'))) throw new Error('dist/extension.js is missing: run `npm run build` first');
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'clerk-sql-ws-'));
  const outDir = path.join(root, 'test-output');
  fs.mkdirSync(outDir, { recursive: true });
  const restricted = process.argv.includes('--restricted');
  const report = path.join(outDir, restricted ? 'vscode-tests-restricted.txt' : 'vscode-tests.txt');
  fs.rmSync(report, { force: true });
  const t0 = Date.now();
  // The variables reach the extension host through the server's environment.
  const server = await startCodeServer({
    env: { CLERK_SQL_TEST_REPORT: report, CLERK_SQL_TEST_GREP: arg('grep', ''), CLERK_SQL_TEST_SUITE: restricted ? 'restricted' : 'suite' },
    workspaceTrust: restricted,
    settings: restricted ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' } : {},
  });
  let code;
  try {
    code = await runExtensionTests(server.url, {
      extensionDevelopmentPath: [root],
      extensionTestsPath: path.join(__dirname, 'index.cjs'),
      folder: workspace,
      timeoutS: Number(arg('timeout', '600')),
      screenshot: arg('screenshot'),
    });
  } finally {
    await server.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
  const text = fs.existsSync(report) ? fs.readFileSync(report, 'utf8') : '';
  if (!/\d+ passed, \d+ failed/.test(text)) console.log('0 passed, 1 failed (the extension host reported no test result)');
  console.log(`[vscode tests] exit ${code} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  process.exit(code);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
