// Where this program's own files are: the one place that tells a bundled run (dist/*.js, what the
// extension and the CLI run) from a run from source (tests and benchmarks, through tsx).

import { join } from 'node:path';

/** Running from source: this file is src/fdw/thread/workerScript.ts. */
export const fromSource = __filename.endsWith('.ts');

/** The package's root: the folder that holds dist/ (bundled), or the repository (from source). */
export const packageRoot = fromSource ? join(__dirname, '..', '..', '..') : join(__dirname, '..');

export interface WorkerScript {
  file: string;
  execArgv: string[];
}

/**
 * A worker thread's script: bundled, dist/<bundle>.js; from source, `source` (a path from the
 * package root) loaded through tsx, found by its location so that a process started in another
 * working directory finds it too.
 */
export function workerScript(bundle: string, source: string): WorkerScript {
  // An explicit empty execArgv: the extension host's own flags (e.g. --inspect) are not for the worker.
  if (!fromSource) return { file: join(packageRoot, 'dist', `${bundle}.js`), execArgv: [] };
  return { file: join(packageRoot, source), execArgv: ['--require', join(packageRoot, 'node_modules', 'tsx', 'dist', 'cjs', 'index.cjs')] };
}
