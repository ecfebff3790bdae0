// extensionTestsPath: loaded by the extension host, runs mocha in it (the `run()` contract of
// @vscode/test-electron). Mocha's report goes to the console (forwarded to the launcher by the
// workbench) and to the file $CLERK_SQL_TEST_REPORT, which the launcher reads.
'use strict';
const fs = require('fs');
const path = require('path');
const Mocha = require('mocha');

function run() {
  const report = process.env.CLERK_SQL_TEST_REPORT;
  if (report) fs.writeFileSync(report, '');
  const consoleLog = console.log.bind(console);
  // The extension host's console is not ours to replace; mocha's reporters print through this.
  const log = (...args) => {
    if (report) fs.appendFileSync(report, args.map(String).join(' ') + '\n');
    consoleLog(...args);
  };
  Mocha.reporters.Base.consoleLog = log;
  // CLERK_SQL_TEST_GREP (run.cjs --grep) narrows the run while working on one suite.
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 120000, reporter: 'spec', grep: process.env.CLERK_SQL_TEST_GREP || undefined });
  const dir = path.join(__dirname, process.env.CLERK_SQL_TEST_SUITE || 'suite');
  for (const f of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.test.cjs'))
    .sort())
    mocha.addFile(path.join(dir, f));
  return new Promise((resolve, reject) => {
    let runner;
    const done = (failures) => {
      const passed = runner ? runner.stats.passes : 0;
      log(`${passed} passed, ${failures} failed`);
      failures > 0 ? reject(new Error(`${failures} tests failed.`)) : resolve();
    };
    try {
      runner = mocha.run(done);
    } catch (err) {
      // A suite file that does not load: no test ran.
      log(String((err && err.stack) || err));
      done(1);
    }
  });
}
module.exports = { run };
