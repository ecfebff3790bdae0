// What real `clerk-notebook run` processes do to the database's files when several run at once,
// when one is stopped by a signal, and when one is killed outright (kill -9).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startCli, waitFor, type CliRun } from '../helpers/cli.js';

let dir: string;
/** A temp dir of these tests' own (TMPDIR of the runs), so that what the runs leave there is theirs. */
let temp: string;
before(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'clerk-cli-dd-')));
  temp = join(dir, 'tmp');
  // The initialized-cluster template the runs from source use (made on first use if missing).
  const templates = join(tmpdir(), 'clerk-sql-notebook');
  mkdirSync(join(temp, 'clerk-sql-notebook'), { recursive: true });
  for (const file of existsSync(templates) ? readdirSync(templates).filter((f) => f.endsWith('.tar.gz')) : []) {
    copyFileSync(join(templates, file), join(temp, 'clerk-sql-notebook', file));
  }
});
after(() => rmSync(dir, { recursive: true, force: true }));

function notebook(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function inTemp(args: string[]): CliRun {
  return startCli(args, { TMPDIR: temp }, dir);
}

/** The temporary databases in the runs' temp dir, by the process id in their lock. */
function temporaryDatabases(): Map<number, string> {
  const found = new Map<number, string>();
  for (const name of readdirSync(temp).filter((n) => n.startsWith('clerk-sql-tmp-'))) {
    const lock = join(temp, name, 'db.lock');
    if (existsSync(lock)) found.set(Number(readFileSync(lock, 'utf8').split('\n')[0]), join(temp, name));
  }
  return found;
}

/** Bytes of the user relations' files (numbered 16384 and up) in a database directory; 0 while it has none. */
function userRelationBytes(dataDir: string): number {
  const base = join(dataDir, 'base');
  if (!existsSync(base)) return 0;
  let bytes = 0;
  for (const database of readdirSync(base).filter((d) => /^\d+$/.test(d))) {
    for (const file of readdirSync(join(base, database))) {
      if (Number(/^\d+/.exec(file)?.[0] ?? 0) >= 16384) bytes += statSync(join(base, database, file)).size;
    }
  }
  return bytes;
}

const LONG_CREATE = `-- %%\ncreate table big as select a * 1000 + b as n, repeat('x', 200) as padding from generate_series(1, 1000000) as a, generate_series(1, 1000) as b;\n`;

describe('one writer per data directory', () => {
  test('two runs at once, by every spelling of the directory: one runs, the other is refused, the data stays whole', async () => {
    symlinkSync(join(dir, 'dd'), join(dir, 'dd-link'));
    const file = notebook(
      'writer.clerk.sql',
      `-- %%\ncreate table if not exists t (n int primary key);\ninsert into t select coalesce((select max(n) from t), 0) + g from generate_series(1, 1000) as g;\nselect pg_sleep(3);\n`,
    );
    let written = 0;
    for (const other of ['dd/', './dd', join(dir, 'dd'), 'dd-link', 'dd-link/']) {
      const outcomes = await Promise.all([runCli(['run', file, '--data-dir', 'dd'], {}, dir), runCli(['run', file, '--data-dir', other], {}, dir)]);
      const codes = outcomes.map((o) => o.code).sort();
      assert.deepEqual(codes, [0, 1], `dd and ${other}: ${outcomes.map((o) => o.stderr).join('\n')}`);
      const refused = outcomes.find((o) => o.code === 1)!;
      assert.match(refused.stderr, /clerk-notebook: .*dd.* is in use by process \d+ \(lock file .*\/dd\.lock\)\nHINT: {2}Close the other notebook/);
      written += 1000;
    }
    const check = notebook(
      'check.clerk.sql',
      '-- %%\nselect count(*) as heap, count(distinct n) as keys from t;\nset enable_seqscan = off;\nselect count(*) as indexed from t where n > 0;\n',
    );
    const r = await runCli(['run', check, '--data-dir', 'dd-link', '--format', 'csv'], {}, dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `heap,keys\r\n${written},${written}\r\n\nindexed\r\n${written}\r\n\n`);
  });

  test('a run killed while it creates the database: the next run starts it over', async () => {
    const file = notebook('small.clerk.sql', '-- %%\nselect 42 as answer;\n');
    const fresh = join(dir, 'fresh');
    const killed = startCli(['run', file, '--data-dir', fresh], {}, dir);
    await waitFor('the database to be half unpacked', () => existsSync(join(fresh, 'base')), 60_000);
    killed.child.kill('SIGKILL');
    await killed.done;
    assert.equal(existsSync(join(fresh, 'PG_VERSION')) && !existsSync(join(fresh, '.clerk-sql-initializing')), false, 'killed before the database was whole');
    const r = await runCli(['run', file, '--data-dir', fresh, '--format', 'csv'], {}, dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'answer\r\n42\r\n\n');
  });
});

describe('temporary databases and leftover files', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    test(`${signal} stops a run: the statement is cancelled, the temporary database removed`, async () => {
      const file = notebook('long.clerk.sql', LONG_CREATE);
      const run = inTemp(['run', file]);
      await waitFor('the table to be filling', () =>
        [...temporaryDatabases()].some(([pid, path]) => pid === run.child.pid && userRelationBytes(join(path, 'db')) > 10_000_000),
      );
      run.child.kill(signal);
      const r = await run.done;
      assert.equal(r.code, signal === 'SIGINT' ? 130 : 143, r.stderr);
      assert.match(r.stderr, /ERROR: {2}canceling statement due to user request\n[^]*at long\.clerk\.sql cell 1, line 1, column 1/);
      assert.deepEqual(
        readdirSync(temp).filter((n) => n.startsWith('clerk-sql-tmp-')),
        [],
      );
    });
  }

  test('a run killed outright leaves its temporary database to the next run, which removes it, never one in use', async () => {
    const busy = inTemp(['run', notebook('sleep.clerk.sql', '-- %%\nselect pg_sleep(600);\n')]);
    const killed = inTemp(['run', notebook('long.clerk.sql', LONG_CREATE)]);
    await waitFor('both databases', () => temporaryDatabases().has(busy.child.pid!) && temporaryDatabases().has(killed.child.pid!));
    const killedDir = temporaryDatabases().get(killed.child.pid!)!;
    await waitFor('the table to be filling', () => userRelationBytes(join(killedDir, 'db')) > 10_000_000);
    killed.child.kill('SIGKILL');
    await killed.done;
    assert.ok(existsSync(killedDir));

    const r = await runCli(['run', notebook('one.clerk.sql', '-- %%\nselect 1;\n')], { TMPDIR: temp }, dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(existsSync(killedDir), false, "the dead process's database is removed");
    assert.deepEqual([...temporaryDatabases().keys()], [busy.child.pid], 'the live one is not touched');
    busy.child.kill('SIGTERM');
    assert.equal((await busy.done).code, 143);
    assert.deepEqual(
      readdirSync(temp).filter((n) => n.startsWith('clerk-sql-tmp-')),
      [],
    );
  });

  test("a run killed outright during CREATE TABLE AS in a data directory: the next run removes the table's files", async () => {
    const kept = join(dir, 'kept');
    const setup = await runCli(
      ['run', notebook('setup.clerk.sql', '-- %%\ncreate table small as select generate_series(1, 1000) as n;\n'), '--data-dir', kept],
      {},
      dir,
    );
    assert.equal(setup.code, 0, setup.stderr);
    const before = userRelationBytes(kept);
    const killed = startCli(['run', notebook('long.clerk.sql', LONG_CREATE), '--data-dir', kept], {}, dir);
    await waitFor('the table to be filling', () => userRelationBytes(kept) > before + 50_000_000);
    killed.child.kill('SIGKILL');
    await killed.done;
    const r = await runCli(['run', notebook('count.clerk.sql', '-- %%\nselect count(*) from small;\n'), '--data-dir', kept, '--format', 'csv'], {}, dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'count\r\n1000\r\n\n');
    assert.equal(userRelationBytes(kept), before);
  });
});
