// Bundles every entry point into dist/. An entry whose source does not exist yet is skipped,
// so the list can name the whole product while it is being built.
import { build } from 'esbuild';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

const entries = {
  cli: 'src/cli.ts',
  bench: 'bench/main.ts',
  extension: 'src/extension.ts',
  server: 'src/language/server.ts',
  // Thread that runs PGlite; src/fdw/db/database.ts starts it from dist/db-worker.js.
  'db-worker': 'src/fdw/db/worker.ts',
  // Thread that runs a notebook's whole Runtime; src/fdw/host/hostedRuntime.ts starts it from dist/runtime-worker.js.
  'runtime-worker': 'src/fdw/host/worker.ts',
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
  // The ESM builds of dependencies (PGlite's, chosen for `import` statements) find their files
  // through import.meta.url, which is empty in a CJS bundle: point it at the bundle itself.
  // "use strict" comes first so that the bundle stays in strict mode.
  define: { 'import.meta.url': '__bundle_url' },
  banner: { js: '#!/usr/bin/env node\n"use strict";\nvar __bundle_url = require("node:url").pathToFileURL(__filename).href;' },
});

// The notebook renderer runs in the output webview: a browser ES module, no vscode import,
// its CSS inlined (src/notebook/renderer/style.ts).
if (existsSync('src/notebook/renderer/index.ts')) {
  await build({
    entryPoints: { renderer: 'src/notebook/renderer/index.ts' },
    outdir: 'dist',
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'esm',
    sourcemap: true,
    logLevel: 'warning',
  });
}

// PGlite and libpg-query load their WASM and data files from the directory of the script that
// contains them, which once bundled is dist/.
const assets = [
  'node_modules/@electric-sql/pglite/dist/pglite.wasm',
  'node_modules/@electric-sql/pglite/dist/pglite.data',
  'node_modules/@electric-sql/pglite/dist/initdb.wasm',
  'node_modules/libpg-query/wasm/libpg-query.wasm',
];
for (const asset of assets) copyFileSync(asset, `dist/${asset.split('/').pop()}`);

// An initialized Postgres cluster, unpacked when a database is created instead of running initdb
// (seconds); see src/fdw/db/cluster.ts. Made again when the PGlite version changes.
const template = 'dist/pglite-template.tar.gz';
const templateStamp = 'dist/pglite-template.version';
const pgliteVersion = JSON.parse(readFileSync('node_modules/@electric-sql/pglite/package.json', 'utf8')).version;
if (!existsSync(template) || !existsSync(templateStamp) || readFileSync(templateStamp, 'utf8') !== pgliteVersion) {
  const { PGlite } = await import('@electric-sql/pglite');
  const pg = await PGlite.create();
  const dump = await pg.dumpDataDir('gzip');
  await pg.close();
  writeFileSync(template, Buffer.from(await dump.arrayBuffer()));
  writeFileSync(templateStamp, pgliteVersion);
}
