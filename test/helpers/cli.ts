// `clerk-notebook` as a separate process, run from source (tsx), as the CLI tests drive it.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const CLI = join(import.meta.dirname, '../../src/cli.ts');
// By location, so that a run in another working directory finds it.
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface CliRun {
  child: ChildProcessWithoutNullStreams;
  /** Output so far. */
  readonly stdout: string;
  readonly stderr: string;
  /** Settles when the process has exited: its exit code (128 + n when signal n ended it) and all its output. */
  done: Promise<{ code: number; stdout: string; stderr: string }>;
}

/** Starts the CLI; `env` is added to this process's environment, without CLERK_API_KEY unless given. */
export function startCli(args: string[], env: Record<string, string | undefined> = {}, cwd?: string): CliRun {
  const child = spawn(process.execPath, ['--import', TSX, CLI, ...args], { env: { ...process.env, CLERK_API_KEY: undefined, ...env }, cwd });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code: code ?? 128 + constants.signals[signal!], stdout, stderr })),
  );
  return {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    done,
  };
}

export function runCli(args: string[], env: Record<string, string | undefined> = {}, cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return startCli(args, env, cwd).done;
}

/** Polls `check` every 20 ms until it is true; fails after `ms`. */
export async function waitFor(what: string, check: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
