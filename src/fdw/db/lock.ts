// Keeps two databases from opening the same data directory: PGlite does not check, and two
// Postgres instances writing one directory corrupt it (two VS Code windows can easily try).
// The lock is a file beside the directory (`<dataDir>.lock`, since the directory itself must be
// empty before it is initialized) holding the owner's process id; a lock whose process is gone is
// taken over.

import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { DbError } from './errors.ts';

// Locks held by this process: the pid in the file cannot tell them from a stale one of ours.
const held = new Set<string>();

export function lockDataDir(dataDir: string): () => void {
  const path = `${dataDir}.lock`;
  if (held.has(path)) throw new DbError({ message: `${dataDir} is already open` });
  mkdirSync(dirname(path), { recursive: true });
  try {
    writeLock(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const owner = Number(readFileSync(path, 'utf8'));
    if (owner !== process.pid && isRunning(owner)) {
      throw new DbError({ message: `${dataDir} is in use by process ${owner} (lock file ${path})` });
    }
    writeLock(path, 'w');
  }
  held.add(path);
  return () => {
    held.delete(path);
    rmSync(path, { force: true });
  };
}

function writeLock(path: string, flags: 'wx' | 'w'): void {
  const fd = openSync(path, flags);
  try {
    writeSync(fd, String(process.pid));
  } finally {
    closeSync(fd);
  }
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
