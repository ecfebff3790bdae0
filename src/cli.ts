// `clerk-notebook`: the headless entry point. Commands are declared in one table.
import { runDemoCommand } from './cli/demoCommand.js';
import { redactSecrets } from './fdw/clerk/errors.js';
import { runRunCommand } from './cli/runCommand.js';
import { runSimulateCommand } from './fdw/simulator/command.js';
import { runSyncCommand } from './cli/syncCommand.js';

interface Command {
  summary: string;
  run(argv: string[]): Promise<number | void>;
}

const commands: Record<string, Command> = {
  run: {
    summary:
      'run a .clerk.sql notebook (--out DIR, --format table|csv|json|ndjson, --api-url URL, --data-dir DIR or --database URL (a PostgreSQL server), --statement-timeout SECONDS, --temp-file-limit MB); the key comes from CLERK_API_KEY',
    run: runRunCommand,
  },
  sync: {
    summary:
      "keep Clerk's users, organizations and memberships as tables of a PostgreSQL database, incrementally (--database URL, --schema clerk, --objects LIST, --full, --api-url URL, --overlap SECONDS, --wait SECONDS, --quiet); the key comes from CLERK_API_KEY",
    run: runSyncCommand,
  },
  demo: {
    summary: 'run the example notebooks against the built-in simulator (--users N, --out DIR)',
    run: runDemoCommand,
  },
  simulate: {
    summary: 'serve the built-in Clerk Backend API simulator (--port, --seed, --users, --orgs, --memberships, --latency-ms, ...)',
    run: runSimulateCommand,
  },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `usage: clerk-notebook <command> [options]\n\ncommands:\n${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`clerk-notebook: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return (await command.run(rest)) ?? 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // A failure outside a cell (the runtime's own errors are masked already) may still quote a notebook's text.
    const hint = (err as { hint?: unknown }).hint;
    const text = `${err instanceof Error ? err.message : String(err)}\n${typeof hint === 'string' ? `HINT:  ${hint}\n` : ''}`;
    process.stderr.write(`clerk-notebook: ${redactSecrets(text, process.env.CLERK_API_KEY)}`);
    process.exitCode = 1;
  },
);
