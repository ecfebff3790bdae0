import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockDataDir } from '../../src/fdw/db/lock.js';

function scratch(): string {
  return realpathSync(mkdtempSync(join(tmpdir(), 'clerk-sql-lock-')));
}

test('a data directory is created and locked by its real path until released', () => {
  const dir = scratch();
  try {
    const dataDir = join(dir, 'db');
    const lock = lockDataDir(dataDir);
    assert.equal(lock.dataDir, dataDir);
    assert.ok(existsSync(dataDir), 'the directory is made so that it has a real path');
    assert.equal(readFileSync(`${dataDir}.lock`, 'utf8').split('\n')[0], String(process.pid));
    assert.throws(() => lockDataDir(dataDir), /already open/);
    lock.release();
    assert.equal(existsSync(`${dataDir}.lock`), false);
    lockDataDir(dataDir).release();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every spelling of a directory is the same lock: trailing slash, ./, relative, absolute, symlink', () => {
  const dir = scratch();
  const cwd = process.cwd();
  try {
    process.chdir(dir);
    symlinkSync(join(dir, 'db'), join(dir, 'link'));
    const lock = lockDataDir('db');
    assert.equal(lock.dataDir, join(dir, 'db'));
    for (const spelling of ['db/', './db', 'db/.', join(dir, 'db'), join(dir, 'db') + '/', 'link', 'link/']) {
      assert.throws(() => lockDataDir(spelling), /already open/, spelling);
    }
    lock.release();
  } finally {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a lock held by another live process is respected; a stale one is taken over', () => {
  const dir = scratch();
  try {
    const dataDir = join(dir, 'db');
    mkdirSync(dataDir);
    writeFileSync(`${dataDir}.lock`, `${process.ppid}\nsome-token\n`);
    assert.throws(() => lockDataDir(dataDir), new RegExp(`in use by process ${process.ppid}`));
    // The format before tokens: a process id alone.
    writeFileSync(`${dataDir}.lock`, '2147483646');
    const lock = lockDataDir(dataDir);
    assert.equal(readFileSync(`${dataDir}.lock`, 'utf8').split('\n')[0], String(process.pid));
    lock.release();
    assert.deepEqual(readdirSync(dir), ['db'], 'no lock, claim or scratch file is left');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a path that cannot be a directory is a clear error; a symlink to one not made yet is followed', () => {
  const dir = scratch();
  try {
    writeFileSync(join(dir, 'file'), 'x');
    assert.throws(() => lockDataDir(join(dir, 'file')), /cannot use .*file as a data directory: EEXIST/);
    // A symlink to a directory not made yet: the directory is made.
    symlinkSync(join(dir, 'elsewhere', 'db'), join(dir, 'ahead'));
    const lock = lockDataDir(join(dir, 'ahead'));
    assert.equal(lock.dataDir, join(dir, 'elsewhere', 'db'));
    lock.release();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Processes that all try to lock one directory at the same instant, through different spellings,
// each reporting what it got; the ones that got it hold it until every one has reported (their
// stdin closes), so a process that started late still meets the lock. At most one may get it.
async function race(dir: string, spellings: string[]): Promise<string[]> {
  const lockModule = join(import.meta.dirname, '../../src/fdw/db/lock.ts');
  const at = Date.now() + 2500;
  const script = `
    const { lockDataDir } = require(${JSON.stringify(lockModule)});
    process.chdir(process.argv[1]);
    while (Date.now() < ${at});
    try {
      const lock = lockDataDir(process.argv[2]);
      console.log('got');
      process.stdin.on('data', () => undefined).on('end', () => lock.release());
    } catch (error) {
      console.log(/in use by process/.test(error.message) ? 'busy' : error.message);
    }`;
  const children = spellings.map((spelling) => spawn(process.execPath, ['--import', 'tsx', '-e', script, dir, spelling]));
  const reports = children.map(
    (child) =>
      new Promise<string>((resolve) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
          if (out.includes('\n')) resolve(out.trim());
        });
        child.stderr.on('data', (d) => (out += d));
        child.on('close', () => resolve(out.trim()));
      }),
  );
  const outcomes = await Promise.all(reports);
  for (const child of children) child.stdin.end();
  await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode === null ? child.on('close', resolve) : resolve(null)))));
  return outcomes;
}

test('processes starting at once: one gets the lock, whatever spelling each uses', async () => {
  const dir = scratch();
  try {
    symlinkSync(join(dir, 'db'), join(dir, 'link'));
    for (let round = 0; round < 3; round++) {
      const outcomes = await race(dir, ['db', 'db/', './db', join(dir, 'db'), 'link', 'db']);
      assert.deepEqual(outcomes.filter((o) => o === 'got').length, 1, outcomes.join(', '));
      assert.ok(
        outcomes.every((o) => o === 'got' || o === 'busy'),
        outcomes.join(', '),
      );
      assert.equal(existsSync(join(dir, 'db.lock')), false, 'released');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('processes taking over a stale lock at once: one gets it', async () => {
  const dir = scratch();
  try {
    mkdirSync(join(dir, 'db'));
    for (let round = 0; round < 3; round++) {
      writeFileSync(join(dir, 'db.lock'), '2147483646\nstale-token\n');
      const outcomes = await race(dir, ['db', 'db/', './db', join(dir, 'db'), 'db', 'db']);
      assert.deepEqual(outcomes.filter((o) => o === 'got').length, 1, outcomes.join(', '));
      assert.ok(
        outcomes.every((o) => o === 'got' || o === 'busy'),
        outcomes.join(', '),
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
