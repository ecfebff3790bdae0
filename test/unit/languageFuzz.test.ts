// Property-based fuzzing of the language features with random and mutated notebooks: thousands
// through the analysis (and hover, completion, code actions) in this process, where the
// incremental analysis is also checked against a fresh one, and a few hundred through the real
// server over stdio. Nothing may throw or hang, and every range must lie inside its document.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fc from 'fast-check';
import { StreamMessageReader, StreamMessageWriter, createMessageConnection, type MessageConnection } from 'vscode-jsonrpc/node';
import {
  CompletionRequest,
  DidChangeNotebookDocumentNotification,
  DidCloseNotebookDocumentNotification,
  DidOpenNotebookDocumentNotification,
  HoverRequest,
  InitializeRequest,
  InitializedNotification,
  NotebookCellKind,
  PublishDiagnosticsNotification,
  type CompletionItem,
  type Diagnostic,
} from 'vscode-languageserver-protocol';
import { SqlParser } from '../../src/fdw/sql/parser.js';
import { NotebookAnalyzer } from '../../src/language/analysis/analyze.js';
import { actionsAt } from '../../src/language/analysis/codeActions.js';
import { completeAt } from '../../src/language/analysis/completion.js';
import { hoverAt } from '../../src/language/analysis/hover.js';
import type { Range } from '../../src/language/analysis/model.js';

let parser: SqlParser;
let analyzer: NotebookAnalyzer;
before(async () => {
  parser = await SqlParser.load();
  analyzer = new NotebookAnalyzer(parser);
});

/** Per notebook, generous: the machine may be busy; a hang or a blow-up is what this catches. */
const ANALYSIS_BOUND_MS = 2000;
const SERVER_BOUND_MS = 10_000;

// Fragments that exercise the checks: valid DDL, broken DDL, queries, half-typed statements, junk.
const FRAGMENTS = [
  'create foreign data wrapper clerk_wrapper handler clerk_fdw_handler validator clerk_fdw_validator;',
  "create server clerk_server foreign data wrapper clerk_wrapper options (api_url 'https://api.clerk.com/v1');",
  "create foreign table clerk_users (user_id text, email text, created_at timestamptz) server clerk_server options (object 'users');",
  "create foreign table m (user_id text, role text) server clerk_server options (object 'junction_table');",
  'select u.email, m.role from clerk_users u join m on m.user_id = u.user_id',
  "create server x foreign data wrapper clerk_wrapper options (api_key 'sk_test_abc', api_url 'http://x')",
  'with c as (select * from clerk_users) select * from c where exists (select 1 from m where m.user_id = c.user_id)',
  'create table t as select * from clerk_users; select * from t',
  "select 'é😀', \"quoted\" from clerk_users\r\nwhere email = 'a'\rorder by 1",
  "drop foreign table clerk_users; alter server clerk_server options (set api_url 'https://a')",
  'import foreign schema clerk from server clerk_server into public',
  "alter server x options (add api_key 'sk_live_x'); alter foreign table m options (set object 'users')",
  'drop server clerk_server cascade; create view v as select email from clerk_users',
  'create foreign table t (\n  user_id text,\n  ',
  "select email from clerk_users where email like 'x' group by",
  ';;; $$ /* -- ( ) \' "',
];

const mutated = fc.tuple(fc.constantFrom(...FRAGMENTS), fc.nat(), fc.nat(), fc.string({ maxLength: 8, unit: 'binary' })).map(([text, cut, length, insert]) => {
  const at = cut % (text.length + 1);
  return text.slice(0, at) + insert + text.slice(Math.min(text.length, at + (length % 6)));
});
const cell = fc.oneof(fc.constantFrom(...FRAGMENTS), mutated, mutated, fc.string({ maxLength: 40, unit: 'binary' }));
const notebook = fc.array(cell, { maxLength: 6 });

/** LSP lines of a text (\r\n, \n or a lone \r end a line), in UTF-16 code units. */
function lineLengths(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((line) => line.length);
}

function assertInside(range: Range, text: string, what: string): void {
  const lines = lineLengths(text);
  const { start, end } = range;
  for (const p of [start, end]) {
    assert.ok(Number.isInteger(p.line) && p.line >= 0 && p.line < lines.length, `${what}: line ${p.line} of ${lines.length}`);
    assert.ok(Number.isInteger(p.character) && p.character >= 0 && p.character <= lines[p.line]!, `${what}: character ${p.character} of ${lines[p.line]}`);
  }
  assert.ok(start.line < end.line || (start.line === end.line && start.character <= end.character), `${what}: start after end`);
}

test('analysis, hover, completion and code actions: 2000 random or mutated notebooks', () => {
  fc.assert(
    fc.property(notebook, fc.nat(), (cells, position) => {
      const started = performance.now();
      const result = analyzer.analyze(cells);
      assert.equal(result.cells.length, cells.length);
      result.cells.forEach((analysis, i) => {
        const text = cells[i]!;
        const offset = position % (text.length + 1);
        for (const d of analysis.diagnostics) {
          assertInside(d.range, text, `diagnostic ${d.code}`);
          assert.ok(d.message.length > 0);
          for (const action of actionsAt(analysis, d.range)) if ('edit' in action) assertInside(action.edit.range, text, action.title);
        }
        for (const symbol of analysis.symbols) assert.ok(symbol.start >= 0 && symbol.start < symbol.end && symbol.end <= text.length, 'hover symbol');
        hoverAt(analysis, offset);
        for (const entry of completeAt(text, offset, analysis.scope)) {
          assert.ok(entry.replace.start >= 0 && entry.replace.start <= entry.replace.end && entry.replace.end <= text.length, entry.label);
        }
      });
      const ms = performance.now() - started;
      assert.ok(ms < ANALYSIS_BOUND_MS, `${ms.toFixed(0)} ms for ${JSON.stringify(cells)}`);
    }),
    { numRuns: 2000 },
  );
});

test('incremental analysis: after an edit, insertion or removal of a cell, the same as analysing from scratch', () => {
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), cell }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), cell }),
    fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
  );
  fc.assert(
    fc.property(notebook, fc.array(edit, { minLength: 1, maxLength: 3 }), (cells, edits) => {
      let current = cells;
      analyzer.analyze(current);
      for (const e of edits) {
        const at = e.at % (current.length + 1);
        current = [...current];
        if (e.kind === 'insert') current.splice(at, 0, e.cell);
        else current.splice(at, 1, ...(e.kind === 'replace' ? [e.cell] : []));
        if (current.length === 0) continue;
        assert.deepEqual(analyzer.analyze(current), new NotebookAnalyzer(parser).analyze(current));
      }
    }),
    { numRuns: 300 },
  );
});

// The real server over stdio.
let server: ChildProcessWithoutNullStreams;
let connection: MessageConnection;
const published = new Map<string, Diagnostic[]>();
let wake: () => void = () => {};

before(async () => {
  // CLERK_SQL_SERVER=dist/server.js runs the same tests against the bundle.
  const entry = process.env.CLERK_SQL_SERVER;
  const args = entry ? [entry, '--stdio'] : ['--import', 'tsx', 'src/language/server.ts', '--stdio'];
  server = spawn(process.execPath, args, { stdio: 'pipe' });
  connection = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    published.set(params.uri, params.diagnostics);
    wake();
  });
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null });
  await connection.sendNotification(InitializedNotification.type, {});
});

after(() => {
  connection?.dispose();
  server?.kill();
});

async function allPublished(uris: string[], deadline: number): Promise<void> {
  while (!uris.every((uri) => published.has(uri))) {
    assert.ok(Date.now() < deadline, `no diagnostics for ${uris.filter((u) => !published.has(u)).join(', ')}`);
    await new Promise<void>((resolve) => {
      wake = resolve;
      setTimeout(resolve, 100);
    });
  }
}

test('the server over stdio: 300 random or mutated notebooks opened, edited, completed and closed', async () => {
  let n = 0;
  await fc.assert(
    fc.asyncProperty(notebook, cell, fc.nat(), fc.nat(), async (cells, replacement, which, position) => {
      const started = Date.now();
      const deadline = started + SERVER_BOUND_MS;
      const uri = `file:///fuzz/notebook${++n}.clerk.sql`;
      const uris = cells.map((_, i) => `vscode-notebook-cell:/fuzz/notebook${n}.clerk.sql#cell${i}`);
      const texts = [...cells];
      await connection.sendNotification(DidOpenNotebookDocumentNotification.type, {
        notebookDocument: { uri, notebookType: 'clerk-sql-notebook', version: 1, cells: uris.map((document) => ({ kind: NotebookCellKind.Code, document })) },
        cellTextDocuments: uris.map((document, i) => ({ uri: document, languageId: 'clerk-sql', version: 1, text: texts[i]! })),
      });
      await allPublished(uris, deadline);
      if (uris.length > 0) {
        // Replace one cell's whole text, then ask for completion at a random point of it (answered after the analysis).
        const i = which % uris.length;
        const lines = lineLengths(texts[i]!);
        await connection.sendNotification(DidChangeNotebookDocumentNotification.type, {
          notebookDocument: { uri, version: 2 },
          change: {
            cells: {
              textContent: [
                {
                  document: { uri: uris[i]!, version: 2 },
                  changes: [{ range: { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: lines.at(-1)! } }, text: replacement }],
                },
              ],
            },
          },
        });
        texts[i] = replacement;
        const replaced = lineLengths(replacement);
        const line = position % replaced.length;
        const at = { line, character: position % (replaced[line]! + 1) };
        const items = (await connection.sendRequest(CompletionRequest.type, { textDocument: { uri: uris[i]! }, position: at })) as CompletionItem[];
        for (const item of items) {
          const edit = item.textEdit as { range: Range } | undefined;
          if (edit) assertInside(edit.range, replacement, `completion ${item.label}`);
        }
        await connection.sendRequest(HoverRequest.type, { textDocument: { uri: uris[i]! }, position: at });
      }
      uris.forEach((cellUri, i) => {
        for (const d of published.get(cellUri)!) assertInside(d.range, texts[i]!, `cell ${i}: ${String(d.code)}`);
      });
      await connection.sendNotification(DidCloseNotebookDocumentNotification.type, {
        notebookDocument: { uri },
        cellTextDocuments: uris.map((document) => ({ uri: document })),
      });
      assert.ok(Date.now() - started < SERVER_BOUND_MS, `${Date.now() - started} ms for ${JSON.stringify(cells)}`);
      assert.equal(server.exitCode, null);
    }),
    { numRuns: 300 },
  );
});
