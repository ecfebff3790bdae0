// Runs `clerk-notebook simulate` in a child process, so the benchmark's timings and memory
// are the client's alone (the simulator builds 384 MB of JSON on the other core).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface SimulatorProcess {
  url: string;
  testKey: string;
  liveKey: string;
  /** Its process, for its CPU time. */
  pid: number;
  close(): Promise<void>;
}

export interface SimulatorProcessOptions {
  users: number;
  orgs: number;
  memberships: number;
  latencyMs: number;
  seed: number;
  /** Requests per 10 s for both keys; 0 = no limit. Default: Clerk's. */
  rateLimit?: number;
}

export function startSimulatorProcess(opts: SimulatorProcessOptions): Promise<SimulatorProcess> {
  // Bundled into dist/ (npm run bench), the CLI is beside it; run from bench/ with tsx, it is in dist/.
  const cli = existsSync(join(__dirname, 'cli.js')) ? join(__dirname, 'cli.js') : join(__dirname, '..', 'dist', 'cli.js');
  const args = [
    'simulate',
    '--port',
    '0',
    '--seed',
    String(opts.seed),
    '--users',
    String(opts.users),
    '--orgs',
    String(opts.orgs),
    '--memberships',
    String(opts.memberships),
    '--latency-ms',
    String(opts.latencyMs),
  ];
  if (opts.rateLimit !== undefined) args.push('--rate-limit', String(opts.rateLimit));
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`simulator did not start in 60 s; it printed:\n${out}`)), 60_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill();
      reject(err);
    };
    child.on('exit', (code) => fail(new Error(`simulator exited with ${code}; it printed:\n${out}`)));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      const url = /http:\/\/127\.0\.0\.1:\d+\/v1/.exec(out)?.[0];
      const testKey = /sk_test_[A-Za-z0-9]+/.exec(out)?.[0];
      const liveKey = /sk_live_[A-Za-z0-9]+/.exec(out)?.[0];
      if (!url || !testKey || !liveKey) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.stdout.removeAllListeners('data');
      child.stdout.resume();
      resolve({
        url,
        testKey,
        liveKey,
        pid: child.pid!,
        close: () =>
          new Promise<void>((done) => {
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
