// The language server under a burst of edits on a big notebook, through the real server over
// stdio (build first: dist/server.js). The notebook is opened and fully published, then a run
// of keystrokes is typed into one cell and sent back to back, as an editor sends them while the
// server is busy, followed by a hover on the edited cell, which the server answers once it has
// analysed the latest version. Timed from the first keystroke: the edited cell's diagnostics
// for the last version (query cells: its last column is in them), and the hover's answer
// (the whole notebook analysed at the last version). The server's peak RSS (VmHWM) is read
// after opening and after the burst. Every scenario runs in a fresh server.
//
//   node --import tsx bench/languageServerBurst.ts            both edits, notebook and text, on 5,000 and 30,000 cells
//   node --import tsx bench/languageServerBurst.ts 5000 300   the same on one notebook size, with that many keystrokes
//   CLERK_SQL_SERVER=path/to/server.js                         another server bundle (default dist/server.js)
//   BENCH_SERVER_NODE_ARGS="--cpu-prof"                        node options for the server, instead of the
//                                                              client's (src/language/serverProcess.ts; "" for none)
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StreamMessageReader, StreamMessageWriter, createMessageConnection } from 'vscode-jsonrpc/node';
import {
  Diagnostic,
  DidChangeNotebookDocumentNotification,
  DidChangeTextDocumentNotification,
  DidOpenNotebookDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializeRequest,
  InitializedNotification,
  NotebookCellKind,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol';
import { SERVER_EXEC_ARGV } from '../src/language/serverProcess.js';
import { NB, cellUri, notebookCells } from './languageNotebook.js';
import { machine } from './report.js';

/** Where the keystrokes go: a query in the middle (changes that cell only), or the users table's DDL (changes every cell that reads it). */
type Target = 'query' | 'ddl';
/** The notebook as VS Code's notebook editor syncs it (a document per cell), or the .clerk.sql file opened as text. */
type Document = 'notebook' | 'text';
const TEXT_URI = 'file:///bench/notebook-as-text.clerk.sql';

interface Outcome {
  cells: number;
  document: Document;
  target: Target;
  keystrokes: number;
  openMs: number;
  openPeakRssMb: number;
  editedCellMs?: number;
  analysedMs: number;
  peakRssMb: number;
  publications: number;
}

/** The server's peak resident set so far (Linux), in MB. */
function peakRssMb(pid: number): number {
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return Math.round(kb / 1024);
}

/** `, c0, c1, ...` (queries) or `, c0 text, c1 text, ...` (DDL): at least `count` keystrokes, ending with a whole unit. */
function typedText(count: number, target: Target): { text: string; last: string } {
  let text = '';
  let n = 0;
  while (text.length < count) text += target === 'query' ? `, c${n++}` : `, c${n++} text`;
  return { text, last: `c${n - 1}` };
}

async function scenario(cells: number, keystrokes: number, document: Document, target: Target): Promise<Outcome> {
  const entry = process.env.CLERK_SQL_SERVER ?? join(process.cwd(), 'dist', 'server.js');
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? SERVER_EXEC_ARGV;
  const server = spawn(process.execPath, [...nodeArgs, entry, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
  let onPublish: (p: PublishDiagnosticsParams, at: number) => void = () => {};
  let publications = 0;
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    publications++;
    onPublish(p, performance.now());
  });
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null });
  await connection.sendNotification(InitializedNotification.type, {});

  const texts = notebookCells(cells);
  // The file's lines: each cell after a `-- %%` marker line.
  const firstLine = (cell: number) => texts.slice(0, cell).reduce((n, text) => n + text.split('\n').length + 1, 0) + 1;
  const opened = new Promise<void>((resolve) => {
    const seen = new Set<string>();
    onPublish = (p) => {
      seen.add(p.uri);
      if (seen.size === (document === 'notebook' ? cells : 1)) resolve();
    };
  });
  const openStart = performance.now();
  if (document === 'notebook') {
    await connection.sendNotification(DidOpenNotebookDocumentNotification.type, {
      notebookDocument: {
        uri: NB,
        notebookType: 'clerk-sql-notebook',
        version: 1,
        cells: texts.map((_, i) => ({ kind: NotebookCellKind.Code, document: cellUri(i) })),
      },
      cellTextDocuments: texts.map((text, i) => ({ uri: cellUri(i), languageId: 'clerk-sql', version: 1, text })),
    });
  } else {
    const text = texts.map((cell) => `-- %%\n${cell}`).join('\n');
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: TEXT_URI, languageId: 'clerk-sql', version: 1, text } });
  }
  await opened;
  const openMs = performance.now() - openStart;
  const openPeakRssMb = peakRssMb(server.pid!);

  // A query cell in the middle: "select user_id, email, ..." on line 1, typed after "email".
  // The users table's DDL, cell 1: typed after the last column ("attrs jsonb").
  const cell = target === 'query' ? cells / 2 - ((cells / 2) % 5) : 1;
  const line = (target === 'query' ? 1 : 0) + (document === 'text' ? firstLine(cell) : 0);
  const at = target === 'query' ? 21 : texts[1]!.split('\n')[0]!.indexOf(')');
  const uri = document === 'notebook' ? cellUri(cell) : TEXT_URI;
  const { text: typed, last } = typedText(keystrokes, target);
  publications = 0;
  let editedCellAt: number | undefined;
  onPublish = (p, time) => {
    if (target === 'query' && p.uri === uri && p.diagnostics.some((d) => Diagnostic.getMessageString(d).includes(`"${last}"`))) editedCellAt ??= time;
  };
  const start = performance.now();
  const sent: Promise<void>[] = [];
  for (let k = 0; k < typed.length; k++) {
    const change = { range: { start: { line, character: at + k }, end: { line, character: at + k } }, text: typed[k]! };
    sent.push(
      document === 'notebook'
        ? connection.sendNotification(DidChangeNotebookDocumentNotification.type, {
            notebookDocument: { uri: NB, version: 2 + k },
            change: { cells: { textContent: [{ document: { uri, version: 2 + k }, changes: [change] }] } },
          })
        : connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 2 + k }, contentChanges: [change] }),
    );
  }
  await Promise.all(sent);
  await connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character: at } });
  const analysedMs = performance.now() - start;
  const outcome: Outcome = {
    cells,
    document,
    target,
    keystrokes: typed.length,
    openMs,
    openPeakRssMb,
    ...(editedCellAt !== undefined ? { editedCellMs: editedCellAt - start } : {}),
    analysedMs,
    peakRssMb: peakRssMb(server.pid!),
    publications,
  };
  if (target === 'query' && editedCellAt === undefined) throw new Error(`no publication of ${uri} with "${last}" before the hover was answered`);

  const exited = new Promise((resolve) => server.once('exit', resolve));
  await connection.sendRequest(ShutdownRequest.type);
  await connection.sendNotification(ExitNotification.type);
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
  connection.dispose();
  server.kill();
  return outcome;
}

async function main() {
  const [cellsArg, keystrokesArg] = process.argv.slice(2).map(Number);
  const all: [Document, Target][] = [
    ['notebook', 'query'],
    ['notebook', 'ddl'],
    ['text', 'query'],
    ['text', 'ddl'],
  ];
  const runs: [number, number, Document, Target][] = cellsArg
    ? all.map(([document, target]) => [cellsArg, keystrokesArg ?? 300, document, target])
    : [5_000, 30_000].flatMap((cells) => all.map(([document, target]): [number, number, Document, Target] => [cells, 300, document, target]));
  const outcomes: Outcome[] = [];
  for (const [cells, keystrokes, document, target] of runs) {
    const o = await scenario(cells, keystrokes, document, target);
    outcomes.push(o);
    const edited = o.editedCellMs === undefined ? '' : `, edited cell's final diagnostics ${(o.editedCellMs / 1000).toFixed(2)} s`;
    console.log(
      `${document}, ${cells} cells, ${o.keystrokes} keystrokes in ${target === 'query' ? 'a query cell' : 'the users DDL'}: open ${(o.openMs / 1000).toFixed(1)} s (peak RSS ${o.openPeakRssMb} MB)${edited}, whole notebook analysed ${(o.analysedMs / 1000).toFixed(2)} s, peak RSS ${o.peakRssMb} MB, ${o.publications} publications`,
    );
  }
  const out = join(process.cwd(), 'bench', 'results-language-burst.json');
  writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), machine: machine(), outcomes }, null, 2) + '\n');
  console.error(`wrote ${out}`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
