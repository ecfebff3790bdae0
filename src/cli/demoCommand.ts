// `clerk-notebook demo`: the example notebooks against the built-in simulator, in-process, so a
// new user sees the product work with no Clerk account.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Runtime } from '../fdw/runtime/runtime.js';
import { EnvironmentSecretStore } from '../fdw/runtime/secrets.js';
import { startSimulator } from '../fdw/simulator/index.js';
import { packageRoot } from '../fdw/thread/workerScript.js';
import { runNotebook } from './runNotebook.js';
import { stopOnSignals } from './signals.js';

const EXAMPLES = join(packageRoot, 'examples');

export async function runDemoCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      users: { type: 'string', default: '10000' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string' },
      rows: { type: 'string', default: '12' },
    },
  });
  const stop = stopOnSignals((text) => process.stderr.write(text));
  const sim = await startSimulator({ seed: Number(values.seed), users: Number(values.users) });
  const counts = sim.dataset.counts();
  process.stderr.write(
    `Simulated Clerk instance at ${sim.url}: ${counts.users} users, ${counts.orgs} organizations, ${counts.memberships} memberships, ${counts.waitlist} waitlist entries, ${counts.invitations} invitations (development key, 100 requests / 10 s)\n\n`,
  );
  try {
    const files = readdirSync(EXAMPLES)
      .filter((f) => f.endsWith('.clerk.sql'))
      .sort();
    for (const file of files) {
      process.stdout.write(`==== ${file}\n\n`);
      // Each notebook in a runtime of its own, as each has its own kernel in VS Code.
      const runtime = await Runtime.start({ secrets: new EnvironmentSecretStore(sim.secretKey, new URL(sim.url).origin), apiUrlOverride: sim.url });
      try {
        const ok = await runNotebook(join(EXAMPLES, file), runtime, {
          format: 'table',
          outDir: values.out,
          maxPrintedRows: Number(values.rows),
          stdout: process.stdout,
          stderr: process.stderr,
          signal: stop.signal,
        });
        if (!ok) return stop.exitCode ?? 1;
      } finally {
        await runtime.close();
      }
    }
    process.stderr.write(`${sim.log.count()} API requests in all.\n`);
    return 0;
  } finally {
    await sim.close();
    stop.dispose();
  }
}
