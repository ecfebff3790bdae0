// Keeps two databases from opening the same data directory: PGlite does not check, and two
// Postgres instances writing one directory corrupt it (two VS Code windows, or two CLI runs, can
// easily try).
//
// The lock is by the directory's real path, so every spelling of it (relative, `dir/`, `./dir`,
// absolute, through a symlink) is one lock; the directory is created first so that it has one.
// The lock is a file beside the directory (`<real path>.lock`, since the directory itself must be
// empty before it is initialized) holding the owner's process id and a token of its own. It is
// created whole or not at all (written aside, then hard-linked into place: two processes starting
// together cannot both create it, nor read it half-written). A lock whose process is gone is
// taken over by replacing it atomically (rename), one taker at a time (the taker first creates
// `<lock>.takeover` the same way), so it never disappears while it is taken over.

import { randomUUID } from 'node:crypto';
import { linkSync, lstatSync, mkdirSync, readFileSync, readlinkSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DbError } from './errors.js';

export interface DataDirLock {
  /** The directory's real path: what the database must be opened on. */
  dataDir: string;
  /** False when another thread of this process holds the lock (and will release it). */
  owned: boolean;
  /** Idempotent; also done when the process exits. */
  release(): void;
}

interface Owner {
  pid: number;
  token: string;
}

// Locks held by this thread: their files, with the token written in each.
const held = new Map<string, string>();
process.once('exit', () => {
  for (const [path, token] of held) releaseFile(path, token);
});

/** Creates `dataDir` if missing (owner-only, as Postgres wants its data) and locks it, or throws a DbError saying who holds it. */
export function lockDataDir(dataDir: string): DataDirLock {
  const real = realDirectory(dataDir);
  const path = `${real}.lock`;
  if (held.has(path)) throw new DbError({ message: `${describe(dataDir, real)} is already open` });
  const token = acquire(path, describe(dataDir, real));
  if (token === undefined) {
    // Held by this process from another thread (a notebook runtime's thread opening the directory
    // its caller locked): that holder releases it.
    return { dataDir: real, owned: false, release: () => undefined };
  }
  held.set(path, token);
  return {
    dataDir: real,
    owned: true,
    release: () => {
      if (held.get(path) !== token) return;
      held.delete(path);
      releaseFile(path, token);
    },
  };
}

/** Whether the process that wrote lock file `path` still runs. */
export function lockOwner(path: string): 'none' | 'this process' | 'running' | 'gone' {
  const owner = readOwner(path);
  if (!owner) return 'none';
  if (owner.pid === process.pid) return 'this process';
  return isRunning(owner.pid) ? 'running' : 'gone';
}

function realDirectory(dataDir: string): string {
  try {
    const path = resolve(dataDir);
    // A symlink to a directory not made yet (or being made by another process): that one is made.
    const link = lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink();
    mkdirSync(link ? resolve(dirname(path), readlinkSync(path)) : path, { recursive: true, mode: 0o700 });
    const real = realpathSync(path);
    if (!statSync(real).isDirectory()) throw new Error('not a directory');
    return real;
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new DbError({ message: `cannot use ${dataDir} as a data directory: ${reason}` });
  }
}

function describe(dataDir: string, real: string): string {
  return real === dataDir ? dataDir : `${dataDir} (${real})`;
}

/** Returns the token written in the lock, or undefined when this process already holds it from another thread. */
function acquire(path: string, shown: string): string | undefined {
  const token = randomUUID();
  const mine = `${path}.${process.pid}.${token}`;
  writeFileSync(mine, `${process.pid}\n${token}\n`, { flag: 'wx', mode: 0o600 });
  try {
    // A few rounds at most: each ends in success, a clear error, or a lock that changed hands
    // while it was looked at (released, or just taken over), which is looked at again.
    for (let round = 0; round < 5; round++) {
      if (tryLink(mine, path)) return token;
      const owner = readOwner(path);
      if (!owner) continue;
      if (owner.pid === process.pid) return undefined;
      if (isRunning(owner.pid)) throw inUse(shown, owner.pid, path);
      if (takeOver(path, owner, mine, shown)) return token;
    }
    throw new DbError({ message: `cannot lock ${shown}: its lock file ${path} keeps changing hands` });
  } finally {
    rmSync(mine, { force: true });
  }
}

/** Replaces the stale lock `owner` wrote with `mine`; false if it changed meanwhile. */
function takeOver(path: string, stale: Owner, mine: string, shown: string): boolean {
  const claim = `${path}.takeover`;
  if (!tryLink(mine, claim)) {
    const taker = readOwner(claim);
    if (!taker) return false;
    if (isRunning(taker.pid)) throw inUse(shown, taker.pid, path);
    throw new DbError({
      message: `cannot lock ${shown}: process ${taker.pid} died while taking over its lock`,
      hint: `If no clerk-notebook is using ${shown}, delete ${claim}.`,
    });
  }
  try {
    const now = readOwner(path);
    if (now?.token !== stale.token) return false;
    // A second name for the same file: the rename consumes it, `mine` is removed by the caller.
    const replacement = `${mine}.replacement`;
    linkSync(mine, replacement);
    renameSync(replacement, path);
    return true;
  } finally {
    rmSync(claim, { force: true });
  }
}

function tryLink(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** The lock's owner; undefined if the file is gone. A file in another format counts as stale. */
function readOwner(path: string): Owner | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const [pid, token] = text.split('\n');
  return { pid: Number(pid), token: token ?? text };
}

function releaseFile(path: string, token: string): void {
  try {
    if (readOwner(path)?.token === token) rmSync(path, { force: true });
  } catch {
    // Left behind, the lock is stale once this process is gone and is taken over then.
  }
}

function inUse(shown: string, pid: number, path: string): DbError {
  return new DbError({
    message: `${shown} is in use by process ${pid} (lock file ${path})`,
    hint: `Close the other notebook or clerk-notebook run first. If process ${pid} is not one, delete ${path}.`,
  });
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
