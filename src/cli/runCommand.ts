// `clerk-notebook run FILE [--out DIR] [--format table|csv|json] [--api-url URL] [--data-dir DIR]`
import { parseArgs } from 'node:util';
import { checkApiUrl, DEFAULT_API_URL } from '../fdw/clerk/apiUrl.js';
import { Runtime } from '../fdw/runtime/runtime.js';
import { EnvironmentSecretStore } from '../fdw/runtime/secrets.js';
import type { OutputFormat } from './output.js';
import { runNotebook } from './runNotebook.js';

export async function runRunCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      format: { type: 'string', default: 'table' },
      'api-url': { type: 'string' },
      'data-dir': { type: 'string' },
    },
  });
  const [file] = positionals;
  if (!file || positionals.length > 1) throw new Error('usage: clerk-notebook run FILE [--out DIR] [--format table|csv|json] [--api-url URL] [--data-dir DIR]');
  if (!['table', 'csv', 'json'].includes(values.format!)) throw new Error(`--format must be table, csv or json, not "${values.format}"`);
  const apiUrl = values['api-url'] ? checkApiUrl(values['api-url'], '--api-url') : undefined;
  // CLERK_API_KEY is sent only to the origin the person running the CLI chose, never to one a
  // notebook names on its own.
  const keyOrigin = new URL(apiUrl ?? checkApiUrl(process.env.CLERK_API_URL ?? DEFAULT_API_URL, 'CLERK_API_URL')).origin;
  const runtime = await Runtime.start({
    secrets: new EnvironmentSecretStore(process.env.CLERK_API_KEY, keyOrigin),
    apiUrlOverride: apiUrl,
    dataDir: values['data-dir'],
  });
  try {
    const ok = await runNotebook(file, runtime, { format: values.format as OutputFormat, outDir: values.out, stdout: process.stdout, stderr: process.stderr });
    return ok ? 0 : 1;
  } finally {
    await runtime.close();
  }
}
