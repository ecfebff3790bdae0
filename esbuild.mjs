// Bundles every entry point into dist/. An entry whose source does not exist yet is skipped,
// so the list can name the whole product while it is being built.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const entries = {
  cli: 'src/cli.ts',
  bench: 'bench/main.ts',
  extension: 'src/extension.ts',
  server: 'src/language/server.ts',
};

const entryPoints = Object.fromEntries(Object.entries(entries).filter(([, file]) => existsSync(file)));

await build({
  entryPoints,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  external: ['vscode'],
  logLevel: 'warning',
  banner: { js: '#!/usr/bin/env node' },
});
