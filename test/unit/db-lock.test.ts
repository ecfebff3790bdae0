import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockDataDir } from '../../src/fdw/db/lock.ts';

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'clerk-sql-lock-'));
}

test('a data directory is locked until released', () => {
  const dir = scratch();
  try {
    const dataDir = join(dir, 'db');
    const release = lockDataDir(dataDir);
    assert.equal(readFileSync(`${dataDir}.lock`, 'utf8'), String(process.pid));
    assert.throws(() => lockDataDir(dataDir), /already open/);
    release();
    assert.equal(existsSync(`${dataDir}.lock`), false);
    lockDataDir(dataDir)();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a lock held by another live process is respected; a stale one is taken over', () => {
  const dir = scratch();
  try {
    const dataDir = join(dir, 'db');
    writeFileSync(`${dataDir}.lock`, String(process.ppid));
    assert.throws(() => lockDataDir(dataDir), new RegExp(`in use by process ${process.ppid}`));
    writeFileSync(`${dataDir}.lock`, '2147483646');
    const release = lockDataDir(dataDir);
    assert.equal(readFileSync(`${dataDir}.lock`, 'utf8'), String(process.pid));
    release();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
