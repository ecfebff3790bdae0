// A throwaway PostgreSQL cluster for tests, from Debian's packages (`apt-get install postgresql`,
// which .ci/run does): initdb in a new temporary directory, started on a free port of 127.0.0.1
// with trust authentication, removed by stop(). Postgres refuses to run as root: as root, the
// cluster belongs to the `postgres` user the package creates. Without Postgres the tests fail and
// say what to install; they are never skipped.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface PostgresCluster {
  /** postgres://postgres@127.0.0.1:PORT/postgres: a superuser. */
  url: string;
  stop(): Promise<void>;
}

const LIB = '/usr/lib/postgresql';

function binaries(): string {
  const versions = existsSync(LIB) ? readdirSync(LIB).filter((v) => existsSync(join(LIB, v, 'bin', 'initdb'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error(`PostgreSQL is not installed (no ${LIB}/<version>/bin/initdb): apt-get install postgresql`);
  return join(LIB, newest, 'bin');
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = binaries();
  const root = process.getuid?.() === 0;
  // In /tmp, not TMPDIR: the postgres user must reach it (a harness's TMPDIR may be private), and
  // the socket's path must stay under Unix's 107 characters.
  const dir = mkdtempSync(join(root ? '/tmp' : tmpdir(), 'clerk-pg-'));
  const data = join(dir, 'data');
  if (root) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(dir, uid, gid);
  }
  const run = (command: string, args: string[]) => {
    const [file, ...rest] = root ? ['runuser', '-u', 'postgres', '--', join(bin, command), ...args] : [join(bin, command), ...args];
    try {
      execFileSync(file, rest, { stdio: 'pipe', encoding: 'utf8' });
    } catch (error) {
      const { stderr, stdout } = error as { stderr?: string; stdout?: string };
      throw new Error(`${command} failed: ${stderr || stdout || (error as Error).message}`, { cause: error });
    }
  };
  const port = await freePort();
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale', 'C']);
  run('pg_ctl', ['-D', data, '-w', '-l', join(dir, 'log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

// Run as a script (the extension-host suites, which are CommonJS, start their cluster so): prints
// "postgres cluster ready: URL" and stops the cluster when stdin closes or on SIGTERM.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void serve();

async function serve(): Promise<void> {
  const cluster = await startPostgresCluster();
  process.stdout.write(`postgres cluster ready: ${cluster.url}\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void cluster.stop().finally(() => process.exit(0));
  };
  process.stdin.on('end', stop).resume();
  process.on('SIGTERM', stop);
}
