// Opens PGlite on a data directory on disk, creating the cluster from a template when the
// directory is new. Initializing a cluster (initdb) takes seconds; unpacking an initialized one
// takes a few hundred milliseconds, so the build ships a template (dist/pglite-template.tar.gz,
// made by esbuild.mjs). Without one (running from source) it is made once here, at the same path.
//
// The data always lives in a directory on disk, even for a database the caller sees as
// temporary: COPY of 100 MB takes ~50 s on PGlite's in-memory file system against ~2 s on disk,
// and a directory survives the worker being terminated to cancel a statement.

import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import type { OpenInfo, WasmModule, WorkerConfig } from './protocol.ts';
import { valueParsers } from './result-types.ts';
import { extractTar } from './tar.ts';

// PGlite's defaults, and:
// - 32 MB of shared buffers instead of 128 MB: Postgres clears its buffer pool at start, which
//   costs ~0.5 s for 128 MB; the OS page cache behind the data files makes up for the smaller pool.
// - wal_level=minimal (there are no replicas to feed): a table created or truncated in the
//   transaction that fills it (CREATE TABLE AS, COPY after TRUNCATE) is written once instead of
//   twice (heap and WAL), which halves the time of a large load.
const START_PARAMS = [
  ...PGlite.defaultStartParams,
  ...['-c', 'shared_buffers=32MB', '-c', 'wal_level=minimal', '-c', 'max_wal_senders=0'],
];

declare const WebAssembly: { compile(bytes: Uint8Array): Promise<WasmModule> };

export interface Cluster {
  pg: PGlite;
  initializedFrom: OpenInfo['initializedFrom'];
  wasmModule: WasmModule;
}

/** `dataDir` is missing, empty, or holds a cluster (Database.open checks). */
export async function openCluster({ dataDir, templateFile, wasmFile, wasmModule }: WorkerConfig): Promise<Cluster> {
  // Compiled on V8's background threads while the template is unpacked here.
  const compiling = wasmModule ? Promise.resolve(wasmModule) : WebAssembly.compile(readFileSync(wasmFile));
  // Owner-only, like any Postgres data directory: it holds the users' data.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  let initializedFrom: OpenInfo['initializedFrom'] = 'existing';
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    initializedFrom = existsSync(templateFile) ? 'template' : 'initdb';
    if (initializedFrom === 'initdb') await makeTemplate(templateFile);
    extractTar(gunzipSync(readFileSync(templateFile)), dataDir);
  }
  const module = await compiling;
  const pg = await PGlite.create({ dataDir, parsers: valueParsers, startParams: START_PARAMS, pgliteWasmModule: module });
  return { pg, initializedFrom, wasmModule: module };
}

/** Runs initdb (in memory) and writes the resulting cluster as a gzipped tar. */
async function makeTemplate(file: string): Promise<void> {
  const pg = await PGlite.create();
  const dump = await pg.dumpDataDir('gzip');
  await pg.close();
  mkdirSync(dirname(file), { recursive: true });
  // Written aside and renamed, so a concurrent open never reads half a file.
  const partial = `${file}.${randomUUID()}.partial`;
  writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
  renameSync(partial, file);
}
