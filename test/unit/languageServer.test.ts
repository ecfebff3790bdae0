// Spawns the real language server and talks LSP to it over stdio.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { StreamMessageReader, StreamMessageWriter, createMessageConnection, type MessageConnection } from 'vscode-jsonrpc/node';
import {
  CompletionRequest,
  DidChangeNotebookDocumentNotification,
  DidChangeTextDocumentNotification,
  DidOpenNotebookDocumentNotification,
  DidOpenTextDocumentNotification,
  HoverRequest,
  InitializeRequest,
  InitializedNotification,
  NotebookCellKind,
  PublishDiagnosticsNotification,
  CodeActionRequest,
  type CompletionItem,
  Diagnostic,
  type Hover,
  type CodeAction,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol';
import type { SchemaSnapshot } from '../../src/fdw/db/schemaSnapshot.js';
import { DatabaseSchemaNotification } from '../../src/language/protocol.js';

let server: ChildProcessWithoutNullStreams;
let connection: MessageConnection;
const published = new Map<string, Diagnostic[]>();
/** Publications per URI: a text document is published once per analysis. */
const publications = new Map<string, number>();
const waiters: (() => void)[] = [];

before(async () => {
  // CLERK_SQL_SERVER=dist/server.js runs the same tests against the bundle.
  const entry = process.env.CLERK_SQL_SERVER;
  const args = entry ? [entry, '--stdio'] : ['--import', 'tsx', 'src/language/server.ts', '--stdio'];
  server = spawn(process.execPath, args, { stdio: 'pipe' });
  connection = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
  connection.onNotification(PublishDiagnosticsNotification.type, (params: PublishDiagnosticsParams) => {
    published.set(params.uri, params.diagnostics);
    publications.set(params.uri, (publications.get(params.uri) ?? 0) + 1);
    for (const wake of waiters.splice(0)) wake();
  });
  connection.listen();
  const init = await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null });
  assert.ok(init.capabilities.notebookDocumentSync);
  assert.ok(init.capabilities.hoverProvider);
  await connection.sendNotification(InitializedNotification.type, {});
});

after(() => {
  connection?.dispose();
  server?.kill();
});

/** Waits until `ready` holds for the published diagnostics. */
async function until(ready: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise<void>((resolve) => {
      waiters.push(resolve);
      setTimeout(resolve, 200);
    });
  }
}

const NB = 'file:///work/test.clerk.sql';
const cellUri = (i: number) => `vscode-notebook-cell:/work/test.clerk.sql#cell${i}`;
const CELLS = [
  "create foreign data wrapper w handler clerk_fdw_handler validator clerk_fdw_validator;\ncreate server s foreign data wrapper w options (api_key 'sk_test_abcdef123456');",
  "create foreign table clerk_users (user_id text, emial text) server s options (object 'users');",
  'select u.user_id, u.mail from clerk_users u',
];

test('notebook: diagnostics per cell, then hover, completion and a quick fix', async () => {
  await connection.sendNotification(DidOpenNotebookDocumentNotification.type, {
    notebookDocument: {
      uri: NB,
      notebookType: 'clerk-sql-notebook',
      version: 1,
      cells: CELLS.map((_, i) => ({ kind: NotebookCellKind.Code, document: cellUri(i) })),
    },
    cellTextDocuments: CELLS.map((text, i) => ({ uri: cellUri(i), languageId: 'clerk-sql', version: 1, text })),
  });
  await until(() => CELLS.every((_, i) => published.has(cellUri(i))), 'diagnostics of every cell');
  assert.deepEqual(
    published.get(cellUri(0))!.map((d) => [d.severity, d.code, d.range.start.line]),
    [[2, 'inline-secret', 1]],
  );
  const [column] = published.get(cellUri(1))!;
  assert.equal(column!.code, 'HV005');
  assert.deepEqual(column!.range, { start: { line: 0, character: 48 }, end: { line: 0, character: 53 } });
  assert.deepEqual(
    published.get(cellUri(2))!.map((d) => Diagnostic.getMessageString(d).split('\n')[0]),
    ['column u.mail does not exist'],
  );

  const hover = (await connection.sendRequest(HoverRequest.type, { textDocument: { uri: cellUri(1) }, position: { line: 0, character: 88 } })) as Hover;
  assert.match((hover.contents as { value: string }).value, /Clerk object `users`/);

  const completion = (await connection.sendRequest(CompletionRequest.type, {
    textDocument: { uri: cellUri(2) },
    position: { line: 0, character: 9 },
  })) as CompletionItem[];
  assert.deepEqual(
    completion.map((c) => c.label),
    ['user_id', 'emial'],
  );

  const actions = (await connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: cellUri(1) },
    range: column!.range,
    context: { diagnostics: [column!] },
  })) as CodeAction[];
  assert.equal(actions[0]!.title, 'Change to email');
  assert.deepEqual(actions[0]!.edit!.changes![cellUri(1)], [{ range: column!.range, newText: 'email' }]);

  // The inline key of cell 0: the extension's command moves it, given the cell's URI.
  const [secret] = published.get(cellUri(0))!;
  const moves = (await connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: cellUri(0) },
    range: secret!.range,
    context: { diagnostics: [secret!] },
  })) as CodeAction[];
  assert.deepEqual(
    moves.map((a) => ({ title: a.title, command: a.command, edit: a.edit })),
    [
      {
        title: 'Move the key to SecretStorage',
        command: { command: 'clerkSql.moveInlineKeys', title: 'Move the key to SecretStorage', arguments: [cellUri(0)] },
        edit: undefined,
      },
    ],
  );

  // An edit to the table's cell changes the diagnostics of the query's cell. Only the cells whose
  // diagnostics changed are published again (cell 0's are sent before cell 2's, or not at all).
  published.delete(cellUri(2));
  published.delete(cellUri(0));
  await connection.sendNotification(DidChangeNotebookDocumentNotification.type, {
    notebookDocument: { uri: NB, version: 2 },
    change: {
      cells: {
        textContent: [
          {
            document: { uri: cellUri(1), version: 2 },
            changes: [{ range: column!.range, text: 'mail' }],
          },
        ],
      },
    },
  });
  await until(() => published.has(cellUri(2)), 'diagnostics after the edit');
  assert.equal(published.has(cellUri(0)), false, 'cell 0, unchanged, is not published again');
  assert.deepEqual(
    published.get(cellUri(1))!.map((d) => d.code),
    ['HV005'],
  );
  assert.deepEqual(published.get(cellUri(2)), []);
});

test('a .clerk.sql file opened as text: cells from the file format, ranges in file lines', async () => {
  const uri = 'file:///work/plain.clerk.sql';
  const text = ['-- %% setup', CELLS[0], CELLS[1], '-- %% [markdown]', '-- # Notes', '-- %% query', CELLS[2]].join('\n');
  await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'clerk-sql', version: 1, text } });
  await until(() => published.has(uri), 'diagnostics of the text document');
  const diagnostics = published.get(uri)!;
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character]),
    [
      ['inline-secret', 2, CELLS[0]!.split('\n')[1]!.indexOf("'sk_test")],
      ['HV005', 3, CELLS[1]!.indexOf('emial')],
      ['42703', 7, CELLS[2]!.indexOf('mail')],
    ],
  );
  const hover = (await connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 7, character: 10 } })) as Hover;
  assert.match((hover.contents as { value: string }).value, /^\*\*user_id\*\*/);
  assert.equal(hover.range!.start.line, 7);
});

test('a burst of edits that queued up while the server was busy is analysed once, at its last version', async () => {
  const uri = 'file:///work/burst.clerk.sql';
  const queries = Array.from({ length: 300 }, (_, i) => `-- %%\nselect user_id, emial from clerk_users where user_id > '${i}';`);
  const text = [`-- %%\n${CELLS[0]}`, `-- %%\n${CELLS[1]}`, ...queries].join('\n');
  await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'clerk-sql', version: 1, text } });
  await until(() => published.has(uri), 'diagnostics of the text document');
  publications.set(uri, 0);
  // 100 keystrokes typed into a comment at the end of the file, sent back to back.
  const line = text.split('\n').length - 1;
  const end = text.split('\n')[line]!.length;
  const typed = ' -- ' + 'x'.repeat(96);
  const sent = [...typed].map((char, k) =>
    connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 + k },
      contentChanges: [{ range: { start: { line, character: end + k }, end: { line, character: end + k } }, text: char }],
    }),
  );
  await Promise.all(sent);
  // Answered once the latest version is analysed.
  await connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character: 2 } });
  const analyses = publications.get(uri)!;
  assert.ok(analyses >= 1 && analyses <= 3, `${analyses} analyses for ${typed.length} queued edits`);
});

test('positions count lone \\r and \\r\\n as line breaks, as the diagnostics do', async () => {
  const nb = 'file:///work/cr.clerk.sql';
  const uris = [0, 1, 2].map((i) => `vscode-notebook-cell:/work/cr.clerk.sql#cell${i}`);
  const texts = [CELLS[0]!, CELLS[1]!, 'select 1 as a,\r  u.user_id, u.mail\r\nfrom clerk_users u'];
  await connection.sendNotification(DidOpenNotebookDocumentNotification.type, {
    notebookDocument: { uri: nb, notebookType: 'clerk-sql-notebook', version: 1, cells: uris.map((document) => ({ kind: NotebookCellKind.Code, document })) },
    cellTextDocuments: uris.map((uri, i) => ({ uri, languageId: 'clerk-sql', version: 1, text: texts[i]! })),
  });
  await until(() => published.has(uris[2]!), 'diagnostics of the third cell');
  assert.deepEqual(
    published.get(uris[2]!)!.map((d) => d.range),
    [{ start: { line: 1, character: 15 }, end: { line: 1, character: 19 } }],
  );
  const hover = (await connection.sendRequest(HoverRequest.type, { textDocument: { uri: uris[2]! }, position: { line: 1, character: 6 } })) as Hover;
  assert.deepEqual(hover.range, { start: { line: 1, character: 4 }, end: { line: 1, character: 11 } });
  const completion = (await connection.sendRequest(CompletionRequest.type, {
    textDocument: { uri: uris[2]! },
    position: { line: 1, character: 5 },
  })) as CompletionItem[];
  assert.deepEqual(
    completion.map((c) => c.label),
    ['user_id', 'emial'],
  );
  assert.deepEqual((completion[0]!.textEdit as { range: unknown }).range, { start: { line: 1, character: 4 }, end: { line: 1, character: 5 } });
});

test('requests on unknown documents and odd positions answer without failing', async () => {
  const hover = await connection.sendRequest(HoverRequest.type, { textDocument: { uri: 'file:///nowhere.sql' }, position: { line: 99, character: 99 } });
  assert.equal(hover, null);
  const completion = await connection.sendRequest(CompletionRequest.type, { textDocument: { uri: cellUri(0) }, position: { line: 500, character: 3 } });
  assert.deepEqual(completion, []);
  assert.equal(server.exitCode, null);
});

test('the database a notebook runs on, sent by the extension: known tables, unknown ones as errors; cleared, as before', async () => {
  const nb = 'file:///work/on-postgres.clerk.sql';
  const uri = 'vscode-notebook-cell:/work/on-postgres.clerk.sql#cell0';
  const text = 'select owner_user_id from accounts;\nselect * from acounts';
  const snapshot: SchemaSnapshot = {
    where: 'postgres://app@db:5432/app',
    searchPath: ['public'],
    schemas: ['public'],
    relations: [{ schema: 'public', name: 'accounts', kind: 'table', columns: [{ name: 'owner_user_id', type: 'text', nullable: false }] }],
    rowFunctions: [],
    partial: false,
  };
  const codes = () =>
    published
      .get(uri)
      ?.map((d) => `${d.code} ${d.range.start.line}`)
      .join(', ');
  await connection.sendNotification(DidOpenNotebookDocumentNotification.type, {
    notebookDocument: { uri: nb, notebookType: 'clerk-sql-notebook', version: 1, cells: [{ kind: NotebookCellKind.Code, document: uri }] },
    cellTextDocuments: [{ uri, languageId: 'clerk-sql', version: 1, text }],
  });
  await until(() => codes() === 'undefined-relation 0, undefined-relation 1', 'the embedded kernel: both tables unknown to the notebook');
  await connection.sendNotification(DatabaseSchemaNotification, { notebook: nb, snapshot });
  await until(() => codes() === '42P01 1', 'with the database: only the misspelled table');
  const hover = (await connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 9 } })) as Hover;
  assert.match((hover.contents as { value: string }).value, /^`accounts\.owner_user_id text` not null/);
  const completion = (await connection.sendRequest(CompletionRequest.type, {
    textDocument: { uri },
    position: { line: 1, character: 14 },
  })) as CompletionItem[];
  assert.ok(completion.some((c) => c.label === 'accounts'));
  await connection.sendNotification(DatabaseSchemaNotification, { notebook: nb, snapshot: null });
  await until(() => codes() === 'undefined-relation 0, undefined-relation 1', 'back on the embedded kernel');
  // A snapshot the server cannot read is no snapshot (it replaces a good one); the server stays up.
  await connection.sendNotification(DatabaseSchemaNotification, { notebook: nb, snapshot });
  await until(() => codes() === '42P01 1', 'with the database again');
  await connection.sendNotification(DatabaseSchemaNotification, { notebook: nb, snapshot: { ...snapshot, relations: 'none' } as unknown as SchemaSnapshot });
  await until(() => codes() === 'undefined-relation 0, undefined-relation 1', 'an unreadable snapshot: none');
  assert.equal(server.exitCode, null);
});
