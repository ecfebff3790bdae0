// Where a database's files live, seen from the caller's thread: a directory the caller chose
// (locked, checked), or a temporary one that nothing outlives.
//
// A temporary database is `<OS temp dir>/clerk-sql-tmp-XXXXXX/db`, locked like any other
// (`.../db.lock`, holding the owner's process id). It is removed on close, and when the process
// exits (exit handlers: also after a signal the CLI turned into an exit). One left by a process
// that was killed outright (kill -9, a crash, a power cut) is removed by the next open, in any
// process: it has a lock whose process is gone. A directory whose lock is held by a live process
// is never touched.

import { existsSync, lstatSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DbError } from './errors.js';
import { lockDataDir, lockOwner, type DataDirLock } from './lock.js';

const TEMPORARY_PREFIX = 'clerk-sql-tmp-';
/** mkdtemp's names: the prefix and six characters. */
const TEMPORARY_NAME = /^clerk-sql-tmp-[A-Za-z0-9]{6}$/;
const REMOVING_SUFFIX = '.removing';
/** A temporary directory without a lock is not left like that by a live process for longer than a moment. */
const UNLOCKED_ORPHAN_AGE_MS = 60 * 60 * 1000;

/**
 * Written into a data directory before the initialized cluster is unpacked into it and removed
 * once it is all there: a directory holding it was being initialized when its process stopped,
 * and is initialized again (see cluster.ts).
 */
export const INIT_MARKER = '.clerk-sql-initializing';

// Temporary directories of this thread not yet released: removed when the process exits.
const temporaryDirs = new Set<string>();
process.once('exit', () => {
  for (const dir of temporaryDirs) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
});

export interface DataDirPlace {
  /** Real path of the directory PGlite opens. */
  dataDir: string;
  temporary: boolean;
  /** Unlocks it; a temporary one is deleted first. */
  release(): Promise<void>;
}

/** Locks a directory the caller chose and checks that it is empty or a database. */
export function chosenDataDir(dataDir: string): DataDirPlace {
  const lock = lockDataDir(dataDir);
  try {
    checkContents(dataDir, lock.dataDir);
  } catch (error) {
    lock.release();
    throw error;
  }
  return { dataDir: lock.dataDir, temporary: false, release: async () => lock.release() };
}

/** A new temporary directory, locked by this process, removed by release() or when the process exits. */
export function temporaryDataDir(): DataDirPlace {
  const scratch = mkdtempSync(join(tmpdir(), TEMPORARY_PREFIX));
  let lock: DataDirLock;
  try {
    lock = lockDataDir(join(scratch, 'db'));
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
  temporaryDirs.add(scratch);
  return {
    dataDir: lock.dataDir,
    temporary: true,
    release: async () => {
      temporaryDirs.delete(scratch);
      // Renamed first: a removal cut short leaves a directory that is garbage by its name.
      const removing = `${scratch}${REMOVING_SUFFIX}`;
      try {
        renameSync(scratch, removing);
        await rm(removing, { recursive: true, force: true, maxRetries: 3 });
      } catch {
        // Whatever is left is an orphan for the next open to remove.
      }
      lock.release();
    },
  };
}

/**
 * Removes temporary databases left by processes that are gone (and half-removed ones). Never
 * fails: what cannot be removed now is tried again by the next open.
 */
export async function removeOrphanTemporaryDirs(): Promise<void> {
  const root = tmpdir();
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return;
  }
  for (const name of names) {
    const dir = join(root, name);
    try {
      if (name.startsWith(TEMPORARY_PREFIX) && name.endsWith(REMOVING_SUFFIX)) {
        await rm(dir, { recursive: true, force: true });
        continue;
      }
      if (!TEMPORARY_NAME.test(name) || !lstatSync(dir).isDirectory()) continue;
      const lockFile = join(dir, 'db.lock');
      if (!existsSync(lockFile)) {
        if (Date.now() - lstatSync(dir).mtimeMs > UNLOCKED_ORPHAN_AGE_MS) await rm(dir, { recursive: true, force: true });
        continue;
      }
      if (lockOwner(lockFile) !== 'gone') continue;
      // Taking the lock settles a race with another process removing it, or reusing the name.
      const lock = lockDataDir(join(dir, 'db'));
      if (!lock.owned) continue;
      try {
        await rm(dir, { recursive: true, force: true });
      } finally {
        lock.release();
      }
    } catch {
      // In use after all, or not ours to remove.
    }
  }
}

/** `real` must be empty, a database, or one whose initialization was cut short. */
function checkContents(shown: string, real: string): void {
  if (existsSync(join(real, 'PG_VERSION')) || existsSync(join(real, INIT_MARKER))) return;
  const entries = readdirSync(real);
  if (entries.length === 0) return;
  const where = real === shown ? shown : `${shown} (${real})`;
  const listed = entries.slice(0, 3).join(', ') + (entries.length > 3 ? ', ...' : '');
  // What an initialization cut short looked like before INIT_MARKER existed.
  const halfMade = ['base', 'global', 'pg_wal'].some((entry) => entries.includes(entry));
  throw new DbError({
    message: `${where} is neither empty nor a database directory (it holds ${listed})`,
    hint: halfMade
      ? `It looks like a database whose creation was interrupted (it has no PG_VERSION). If it holds nothing you need, delete the directory and run again.`
      : 'Give an empty or new directory for the database, or one a notebook database was made in.',
  });
}
