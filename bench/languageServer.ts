// Language server latency: a 300-cell notebook opened in the real server (`node dist/server.js
// --stdio`, build first), then single edits, each timed from the didChange notification to the
// publishDiagnostics that reflects it (of the edited cell, or of a later cell the edit changes),
// or, for an edit that changes no diagnostics (nothing is published), to the answer of a hover
// request sent right after it. Prints a table and writes bench/results-language.json (with the
// load average: the figures are wall-clock times, so a busy machine shows in the p95).
//
//   node --import tsx bench/languageServer.ts
//   CLERK_SQL_SERVER=path/to/server.js          another server bundle (default dist/server.js)
//   BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"   node options for the server
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';
import { StreamMessageReader, StreamMessageWriter, createMessageConnection } from 'vscode-jsonrpc/node';
import {
  Diagnostic,
  DidChangeNotebookDocumentNotification,
  DidOpenNotebookDocumentNotification,
  ExitNotification,
  InitializeRequest,
  HoverRequest,
  InitializedNotification,
  NotebookCellKind,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol';
import { NB, cellUri, notebookCells } from './languageNotebook.js';
import { machine, markdownTable } from './report.js';

const CELLS = 300;
const EDITS = 40;
const TARGET_MS = 50;
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

async function main() {
  const entry = process.env.CLERK_SQL_SERVER ?? join(process.cwd(), 'dist', 'server.js');
  const server = spawn(process.execPath, [...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean), entry, '--stdio'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const connection = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
  /** Called on every publication with its arrival time. */
  let onPublish: (p: PublishDiagnosticsParams, at: number) => void = () => {};
  let publications = 0;
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    publications++;
    onPublish(p, performance.now());
  });
  connection.listen();

  const spawnedAt = performance.now();
  await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null });
  await connection.sendNotification(InitializedNotification.type, {});
  const initializeMs = performance.now() - spawnedAt;

  const texts = notebookCells(CELLS);
  const versions = texts.map(() => 1);
  /** Resolves when every cell was published once, with the per-cell diagnostics. */
  const round = (expect: (p: PublishDiagnosticsParams) => boolean, watched: string) =>
    new Promise<{ watchedAt: number; lastAt: number; diagnostics: Map<string, number> }>((resolve, reject) => {
      const seen = new Map<string, number>();
      let watchedAt = NaN;
      const timer = setTimeout(() => reject(new Error(`no complete publication within 30 s (${seen.size} cells)`)), 30_000);
      onPublish = (p, at) => {
        if (p.uri === watched && expect(p) && Number.isNaN(watchedAt)) watchedAt = at;
        seen.set(p.uri, p.diagnostics.length);
        if (seen.size === CELLS && !Number.isNaN(watchedAt)) {
          clearTimeout(timer);
          resolve({ watchedAt, lastAt: at, diagnostics: seen });
        }
      };
    });

  // Open: every cell analysed from scratch (libpg-query parses all 300).
  const t0 = performance.now();
  const opened = round(() => true, cellUri(CELLS - 1));
  await connection.sendNotification(DidOpenNotebookDocumentNotification.type, {
    notebookDocument: {
      uri: NB,
      notebookType: 'clerk-sql-notebook',
      version: 1,
      cells: texts.map((_, i) => ({ kind: NotebookCellKind.Code, document: cellUri(i) })),
    },
    cellTextDocuments: texts.map((text, i) => ({ uri: cellUri(i), languageId: 'clerk-sql', version: 1, text })),
  });
  const open = await opened;
  const openMs = open.lastAt - t0;
  const baseline = [...open.diagnostics.values()].reduce((a, b) => a + b, 0);
  if (baseline !== 1) console.error(`note: ${baseline} diagnostics in the notebook as opened (expected 1, the placeholder api_key)`);

  let notebookVersion = 1;
  /** Resolves with the arrival time of the first publication for `uri` that satisfies `expect`. */
  const publication = (uri: string, expect: (p: PublishDiagnosticsParams) => boolean) =>
    new Promise<{ at: number }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no publication for ${uri} within 30 s`)), 30_000);
      onPublish = (p, at) => {
        if (p.uri === uri && expect(p)) {
          clearTimeout(timer);
          onPublish = () => {};
          resolve({ at });
        }
      };
    });

  /**
   * Replaces `from`..`to` of line `line` in cell `cell`. With `watch`, times the edit to the
   * publication it expects; without, to the answer of a hover request sent right after the edit
   * (the server analyses the pending edit before it answers).
   */
  async function edit(
    cell: number,
    line: number,
    from: number,
    to: number,
    text: string,
    watch?: { cell: number; expect: (p: PublishDiagnosticsParams) => boolean },
  ) {
    const lines = texts[cell]!.split('\n');
    lines[line] = lines[line]!.slice(0, from) + text + lines[line]!.slice(to);
    texts[cell] = lines.join('\n');
    versions[cell]!++;
    const done = watch ? publication(cellUri(watch.cell), watch.expect) : undefined;
    const start = performance.now();
    const change = connection.sendNotification(DidChangeNotebookDocumentNotification.type, {
      notebookDocument: { uri: NB, version: ++notebookVersion },
      change: {
        cells: {
          textContent: [
            {
              document: { uri: cellUri(cell), version: versions[cell]! },
              changes: [{ range: { start: { line, character: from }, end: { line, character: to } }, text }],
            },
          ],
        },
      },
    });
    if (done) {
      await change;
      const r = await done;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return r.at - start;
    }
    await change;
    await connection.sendRequest(HoverRequest.type, { textDocument: { uri: cellUri(cell) }, position: { line, character: from } });
    return performance.now() - start;
  }

  const scenarios: { scenario: string; samples: number[] }[] = [];
  const noDiagnostics = (p: PublishDiagnosticsParams) => p.diagnostics.length === 0;

  // 1. Query cells near the end and in the middle: the select list gets an unknown column, then the fix.
  for (const cell of [CELLS - 5, CELLS / 2]) {
    const samples = [];
    // a `queries[0]` cell: "select user_id, email, ..." on line 1
    for (let k = 0; k < EDITS; k++) {
      const bad = `emial_${k}`;
      samples.push(await edit(cell, 1, 16, 21, bad, { cell, expect: (p) => p.diagnostics.some((d) => Diagnostic.getMessageString(d).includes(bad)) }));
      samples.push(await edit(cell, 1, 16, 16 + bad.length, 'email', { cell, expect: noDiagnostics }));
    }
    scenarios.push({ scenario: `query cell ${cell}: unknown column typed, then fixed (that cell's diagnostics)`, samples });
  }
  // 2. The users table's DDL (cell 1): a column Clerk does not have, then the fix.
  {
    const samples = [];
    const at = texts[1]!.split('\n')[0]!.indexOf('banned');
    for (let k = 0; k < EDITS; k++) {
      const bad = `bannd_${k}`;
      samples.push(
        await edit(1, 0, at, at + 'banned'.length, bad, { cell: 1, expect: (p) => p.diagnostics.some((d) => Diagnostic.getMessageString(d).includes(bad)) }),
      );
      samples.push(await edit(1, 0, at, at + bad.length, 'banned', { cell: 1, expect: noDiagnostics }));
    }
    scenarios.push({ scenario: "DDL cell 1: unknown column typed, then fixed (that cell's diagnostics)", samples });
  }
  // 3. The same DDL cell drops `email` (renamed to another Clerk field): the queries of the
  //    last cell, 298 cells further, lose it; timed to that cell's publication.
  {
    const samples = [];
    const last = CELLS - 1;
    const at = texts[1]!.split('\n')[0]!.indexOf(' email ') + 1;
    for (let k = 0; k < EDITS; k++) {
      samples.push(await edit(1, 0, at, at + 'email'.length, 'phone', { cell: last, expect: (p) => p.diagnostics.length > 0 }));
      samples.push(await edit(1, 0, at, at + 'phone'.length, 'email', { cell: last, expect: noDiagnostics }));
    }
    scenarios.push({ scenario: `DDL cell 1: a column renamed, diagnostics of cell ${CELLS - 1} (uses it)`, samples });
  }
  // 4. Typing in a comment of the last cell: no diagnostics change, so nothing is published;
  //    timed to the answer of a hover sent right after the keystroke.
  {
    const samples = [];
    const cell = 153;
    for (let k = 0; k < EDITS * 2; k++) {
      const line = texts[cell]!.split('\n')[0]!;
      samples.push(await edit(cell, 0, line.length, line.length, k % 2 ? ' ' : 'x'));
    }
    scenarios.push({ scenario: 'comment of cell 153: a keystroke, then hover (answered after the analysis)', samples });
  }
  // 5. Typing in the middle: a column typed into the select list of cell 150 one keystroke at a
  //    time, then erased the same way; each keystroke timed to the answer of a hover sent right
  //    after it (answered once the whole notebook is analysed).
  {
    const samples = [];
    const cell = CELLS / 2; // "select user_id, email, ..." on line 1: typed after "email"
    const typed = ', first_name, last_name, created_at, banned';
    for (let c = 0; c < typed.length; c++) samples.push(await edit(cell, 1, 21 + c, 21 + c, typed[c]!));
    for (let c = typed.length; c > 0; c--) samples.push(await edit(cell, 1, 20 + c, 21 + c, ''));
    scenarios.push({ scenario: `typing in the select list of cell ${cell}: a keystroke, then hover (answered after the analysis)`, samples });
  }
  // How many publications one edit causes (the server sends only the cells whose diagnostics changed).
  const before = publications;
  await edit(CELLS / 2, 1, 16, 21, 'emial', { cell: CELLS / 2, expect: (p) => p.diagnostics.length > 0 });
  await new Promise((resolve) => setTimeout(resolve, 200));
  const publishedPerEdit = publications - before;

  // The LSP way out: shutdown, then exit (the server process ends by itself).
  const exited = new Promise((resolve) => server.once('exit', resolve));
  await connection.sendRequest(ShutdownRequest.type);
  await connection.sendNotification(ExitNotification.type);
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
  connection.dispose();
  server.kill();

  const rows = scenarios.map(({ scenario, samples }) => ({
    scenario,
    edits: samples.length,
    medianMs: percentile(samples, 50),
    p95Ms: percentile(samples, 95),
    maxMs: Math.max(...samples),
    withinTarget: percentile(samples, 95) <= TARGET_MS,
  }));
  const header = ['scenario', 'edits', 'median ms', 'p95 ms', 'max ms', `p95 <= ${TARGET_MS} ms`];
  const table = rows.map((r) => [r.scenario, String(r.edits), r.medianMs.toFixed(1), r.p95Ms.toFixed(1), r.maxMs.toFixed(1), r.withinTarget ? 'yes' : 'NO']);
  console.log(
    `load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} on ${os.cpus().length} CPUs`,
  );
  console.log(
    `${CELLS}-cell notebook: server initialize ${initializeMs.toFixed(0)} ms; open (every cell parsed, analysed and published) ${openMs.toFixed(0)} ms; publications sent for one edit: ${publishedPerEdit}\n`,
  );
  console.log(markdownTable(header, table));

  const out = join(process.cwd(), 'bench', 'results-language.json');
  writeFileSync(
    out,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        machine: machine(),
        cells: CELLS,
        targetMs: TARGET_MS,
        initializeMs,
        openMs,
        publicationsPerEdit: publishedPerEdit,
        rows,
      },
      null,
      2,
    ) + '\n',
  );
  console.error(`wrote ${out}`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
