// `clerk-notebook run FILE [--out DIR] [--format table|csv|json|ndjson] [--api-url URL]
//  [--data-dir DIR | --database URL] [--set NAME=VALUE]... [--statement-timeout SECONDS] [--temp-file-limit MB]`
import { parseArgs } from 'node:util';
import { checkApiUrl, DEFAULT_API_URL } from '../fdw/clerk/apiUrl.js';
import { apiTarget } from '../fdw/runtime/apiTarget.js';
import { LIMITS, type StatementLimits } from '../fdw/runtime/limits.js';
import { Runtime } from '../fdw/runtime/runtime.js';
import { EnvironmentSecretStore } from '../fdw/runtime/secrets.js';
import { OUTPUT_FORMATS, type OutputFormat } from './output.js';
import { runNotebook } from './runNotebook.js';
import { stopOnSignals } from './signals.js';

const USAGE = `usage: clerk-notebook run FILE [--out DIR] [--format ${OUTPUT_FORMATS.join('|')}] [--api-url URL] [--data-dir DIR | --database URL] [--set NAME=VALUE]... ${Object.values(
  LIMITS,
)
  .map((l) => `[${l.flag} ${l.unit}]`)
  .join(' ')}`;

export async function runRunCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      format: { type: 'string', default: 'table' },
      'api-url': { type: 'string' },
      'data-dir': { type: 'string' },
      database: { type: 'string' },
      'statement-timeout': { type: 'string' },
      'temp-file-limit': { type: 'string' },
      set: { type: 'string', multiple: true },
    },
  });
  const [file] = positionals;
  if (!file || positionals.length > 1) throw new Error(USAGE);
  if (values['data-dir'] !== undefined && values.database !== undefined) {
    throw new Error('--data-dir keeps the embedded database, --database runs on a PostgreSQL server: give one of them');
  }
  if (!OUTPUT_FORMATS.includes(values.format as OutputFormat)) throw new Error(`--format must be one of ${OUTPUT_FORMATS.join(', ')}, not "${values.format}"`);
  const limits: Partial<StatementLimits> = {
    statementTimeoutSeconds: limitValue(values['statement-timeout'], 'statementTimeoutSeconds'),
    tempFileLimitMb: limitValue(values['temp-file-limit'], 'tempFileLimitMb'),
  };
  // `--api-url simulator:?users=1000` reads the built-in simulator.
  const target = values['api-url'] ? apiTarget(values['api-url'], '--api-url') : undefined;
  // CLERK_API_KEY is sent only to the origin the person running the CLI chose, never to one a
  // notebook names on its own.
  const keyOrigin = target?.kind === 'http' ? target.origin : new URL(checkApiUrl(process.env.CLERK_API_URL ?? DEFAULT_API_URL, 'CLERK_API_URL')).origin;
  const stop = stopOnSignals((text) => process.stderr.write(text));
  try {
    const runtime = await Runtime.start({
      secrets: new EnvironmentSecretStore(process.env.CLERK_API_KEY, keyOrigin),
      apiUrlOverride: values['api-url'],
      dataDir: values['data-dir'],
      database: values.database,
      limits,
      variables: variablesOf(values.set ?? []),
    });
    for (const notice of runtime.notices) process.stderr.write(`NOTICE:  ${notice}\n`);
    try {
      const ok = await runNotebook(file, runtime, {
        format: values.format as OutputFormat,
        outDir: values.out,
        stdout: process.stdout,
        stderr: process.stderr,
        signal: stop.signal,
      });
      return stop.exitCode ?? (ok ? 0 : 1);
    } finally {
      await runtime.close();
    }
  } finally {
    stop.dispose();
  }
}

function limitValue(text: string | undefined, limit: keyof StatementLimits): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  const { flag, unit } = LIMITS[limit];
  if (text.trim() === '' || !Number.isFinite(value) || value < 0)
    throw new Error(`${flag} must be a number of ${unit.toLowerCase()} (0 for no limit), not "${text}"`);
  return value;
}

/** `--set since=2025-01-01`, as psql's `--set`: the notebook reads `:since`, and its own `\set since` does not override it. */
function variablesOf(assignments: string[]): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const assignment of assignments) {
    const match = /^([A-Za-z0-9_]+)=(.*)$/s.exec(assignment);
    if (!match) throw new Error(`--set takes NAME=VALUE (a name of letters, digits and underscores), not "${assignment}"`);
    variables[match[1]!] = match[2]!;
  }
  return variables;
}
