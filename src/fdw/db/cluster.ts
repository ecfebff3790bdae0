// Opens PGlite on a data directory on disk, creating the cluster from a template when the
// directory is new. Initializing a cluster (initdb) takes seconds; unpacking an initialized one
// takes a few hundred milliseconds, so the build ships a template (dist/pglite-template.tar.gz,
// made by esbuild.mjs). Without one (running from source) it is made once here, at the same path.
//
// The data always lives in a directory on disk, even for a database the caller sees as
// temporary: COPY of 100 MB takes ~50 s on PGlite's in-memory file system against ~2 s on disk,
// and a directory survives the worker being terminated to cancel a statement.

import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import { INIT_MARKER } from './dataDir.js';
import { guardEngine } from './engineGuard.js';
import type { OpenInfo, WasmModule, WorkerConfig } from './protocol.js';
import { valueParsers } from './resultTypes.js';
import { extractTar } from './tar.js';

// PGlite's defaults, and:
// - 32 MB of shared buffers instead of 128 MB: Postgres clears its buffer pool at start, which
//   costs ~0.5 s for 128 MB; the OS page cache behind the data files makes up for the smaller pool.
// - wal_level=minimal (there are no replicas to feed): a table created or truncated in the
//   transaction that fills it (CREATE TABLE AS, COPY after TRUNCATE) is written once instead of
//   twice (heap and WAL), which halves the time of a large load.
// - allow_alter_system=off: what ALTER SYSTEM writes (postgresql.auto.conf) outlives the session
//   and is read at every start, where a setting the embedded Postgres cannot apply
//   (shared_preload_libraries naming a library it does not have) keeps the database from ever
//   opening again. Postgres then refuses it: "ALTER SYSTEM is not allowed in this environment".
// - temp_file_limit: the caller's (see WorkerConfig).
function startParams(tempFileLimitKb: number): string[] {
  return [
    ...PGlite.defaultStartParams,
    ...['-c', 'shared_buffers=32MB', '-c', 'wal_level=minimal', '-c', 'max_wal_senders=0'],
    ...['-c', 'allow_alter_system=off', '-c', `temp_file_limit=${tempFileLimitKb}`],
  ];
}

declare const WebAssembly: { compile(bytes: Uint8Array): Promise<WasmModule> };

export interface Cluster {
  pg: PGlite;
  initializedFrom: OpenInfo['initializedFrom'];
  wasmModule: WasmModule;
}

/** `dataDir` is missing, empty, holds a cluster, or one whose initialization was cut short (Database.open checks). */
export async function openCluster({ dataDir, templateFile, wasmFile, wasmModule, tempFileLimitKb }: WorkerConfig): Promise<Cluster> {
  // Compiled on V8's background threads while the template is unpacked here.
  const compiling = wasmModule ? Promise.resolve(wasmModule) : WebAssembly.compile(readFileSync(wasmFile));
  // Owner-only, like any Postgres data directory: it holds the users' data.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  let initializedFrom: OpenInfo['initializedFrom'] = 'existing';
  const marker = join(dataDir, INIT_MARKER);
  const interrupted = existsSync(marker);
  if (interrupted || !existsSync(join(dataDir, 'PG_VERSION'))) {
    initializedFrom = existsSync(templateFile) ? 'template' : 'initdb';
    if (initializedFrom === 'initdb') await makeTemplate(templateFile);
    // What an initialization cut short left is ours (the marker says so): it starts over.
    if (interrupted) for (const entry of readdirSync(dataDir)) if (entry !== INIT_MARKER) rmSync(join(dataDir, entry), { recursive: true, force: true });
    writeFileSync(marker, '');
    extractTar(gunzipSync(readFileSync(templateFile)), dataDir);
    rmSync(marker);
  }
  const module = await compiling;
  const pg = await PGlite.create({ dataDir, parsers: valueParsers, startParams: startParams(tempFileLimitKb), pgliteWasmModule: module }).catch(
    (error: unknown) => {
      throw explainedStartFailure(error, dataDir);
    },
  );
  guardEngine(pg);
  if (initializedFrom === 'existing') await removeLeftoverFiles(pg, dataDir);
  return { pg, initializedFrom, wasmModule: module };
}

// Postgres removes a relation's files when the transaction that created it aborts, and a
// statement's temporary files when it ends, but not when the process stops in the middle (the
// postmaster cleans temporary files at start, and PGlite has none): a CREATE TABLE AS or a large
// sort cancelled (the worker is terminated) or killed leaves files that nothing owns, for good
// (gigabytes, for a large one). They are removed here, before anything runs: no transaction is
// open yet, so every file a table owns is in pg_class and no statement has temporary files. The
// checkpoint first makes Postgres done with the files of tables dropped earlier (kept until a
// checkpoint so that their numbers are not reused before it). Only files of user relations
// (number >= 16384, Postgres's FirstNormalObjectId) are candidates.
async function removeLeftoverFiles(pg: PGlite, dataDir: string): Promise<void> {
  const temporary = join(dataDir, 'base', 'pgsql_tmp');
  if (existsSync(temporary)) for (const file of readdirSync(temporary)) rmSync(join(temporary, file), { recursive: true, force: true });
  await pg.exec('checkpoint');
  const { rows } = await pg.query<{ database: number; nodes: number[] }>(
    `select (select oid::int8 from pg_database where datname = current_database()) as database,
            array(select pg_relation_filenode(oid)::int8 from pg_class where pg_relation_filenode(oid) is not null) as nodes`,
  );
  const [{ database, nodes } = { database: 0, nodes: [] }] = rows;
  const owned = new Set(nodes.map(Number));
  const dir = join(dataDir, 'base', String(database));
  for (const file of readdirSync(dir)) {
    // <relfilenode>[_fsm|_vm|_init][.<segment>]
    const node = /^(\d+)(?:_(?:fsm|vm|init))?(?:\.\d+)?$/.exec(file)?.[1];
    if (node !== undefined && Number(node) >= 16384 && !owned.has(Number(node))) rmSync(join(dir, file), { force: true });
  }
}

// PGlite's reasons for not starting say neither where nor why ("failed to initialize properly",
// "memory access out of bounds"): the directory is named, and settings left by ALTER SYSTEM
// (before it was refused) are named as the likely cause.
function explainedStartFailure(error: unknown, dataDir: string): Error {
  const reason = error instanceof Error ? error.message : String(error);
  const file = join(dataDir, 'postgresql.auto.conf');
  let settings: string[] = [];
  try {
    settings = readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => /^\s*[^#\s]/.test(line));
  } catch {
    // Missing or unreadable: not the cause named here.
  }
  if (settings.length > 0) {
    return new Error(
      `the database in ${dataDir} does not start (${reason}); its postgresql.auto.conf holds settings written by ALTER SYSTEM (${settings.join('; ')}), read at every start. Delete those lines from ${file} and open it again.`,
    );
  }
  return new Error(`the database in ${dataDir} does not start (${reason}): its files are damaged, or were not made by this version`);
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
