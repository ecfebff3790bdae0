import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractTar } from '../../src/fdw/db/tar.js';

// A ustar entry as PGlite's dumpDataDir writes them (checksums are not checked by extractTar).
function entry(name: string, type: '0' | '5' | '2', content = ''): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 'latin1');
  header.write(type === '5' ? '0000750' : '0000600', 100);
  header.write(Buffer.byteLength(content).toString(8).padStart(11, '0'), 124);
  header.write(type, 156);
  header.write('ustar\u000000', 257, 'latin1');
  const data = Buffer.alloc(Math.ceil(Buffer.byteLength(content) / 512) * 512);
  data.write(content);
  return Buffer.concat([header, data]);
}

const archive = (...entries: Buffer[]) => Buffer.concat([...entries, Buffer.alloc(1024)]);

test('extracts directories and files with their modes, under the destination', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clerk-sql-tar-'));
  try {
    extractTar(archive(entry('/base', '5'), entry('/base/5/1259', '0', 'x'.repeat(700)), entry('/PG_VERSION', '0', '18\n')), dir);
    assert.equal(readFileSync(join(dir, 'PG_VERSION'), 'utf8'), '18\n');
    assert.equal(readFileSync(join(dir, 'base/5/1259'), 'utf8'), 'x'.repeat(700));
    assert.equal(statSync(join(dir, 'PG_VERSION')).mode & 0o777, 0o600);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('refuses entries that leave the destination, and entry types it does not know', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clerk-sql-tar-'));
  try {
    assert.throws(() => extractTar(archive(entry('/../escaped', '0', 'x')), join(dir, 'out')), /outside the destination/);
    assert.equal(existsSync(join(dir, 'escaped')), false);
    assert.throws(() => extractTar(archive(entry('/link', '2')), join(dir, 'out')), /unexpected tar entry type '2'/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
