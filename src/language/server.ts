// The Clerk SQL language server: diagnostics, hover, completion and quick fixes for clerk_fdw
// notebooks, over LSP (`node dist/server.js --stdio`).
//
// Two kinds of documents are served:
//   - notebook cells (LSP notebook document sync; code cells of language `clerk-sql`), analysed
//     together in notebook order, so a cell sees the DDL of the cells before it, and, when the
//     notebook's kernel is a Postgres connection, the database's tables (the extension sends a
//     schema snapshot: protocol.ts's DatabaseSchemaNotification);
//   - a `.clerk.sql` file opened as text (language `clerk-sql`): split into cells with the
//     notebook file format, and every range mapped back to the file's lines.
// Every handler catches its own failures: no input may take the server down.
import { CELL_LANGUAGE, NOTEBOOK_FILE_SUFFIX, NOTEBOOK_TYPES } from '../ids.js';
import {
  CodeActionKind,
  CompletionItemKind,
  CompletionTriggerKind,
  InsertTextFormat,
  MarkupKind,
  NotebookCellKind,
  NotebookDocuments,
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
  type CodeAction,
  type CompletionItem,
  type Diagnostic,
  type Hover,
  type InitializeResult,
  type Position,
  type Range,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { redactSecrets } from '../fdw/clerk/errors.js';
import { SqlParser } from '../fdw/sql/parser.js';
import { cellsForRun } from '../notebook/format.js';
import { NotebookAnalyzer } from './analysis/analyze.js';
import { actionsAt } from './analysis/codeActions.js';
import { completeAt } from './analysis/completion.js';
import { hoverAt } from './analysis/hover.js';
import type { CellAnalysis, Range as CellRange } from './analysis/model.js';
import { SourceText } from '../fdw/sql/sourceText.js';
import { SchemaSnapshot } from '../fdw/db/schemaSnapshot.js';
import { DatabaseSchema } from './analysis/database.js';
import { DatabaseSchemaNotification } from './protocol.js';

/** What is analysed as one: a notebook (its cells), or a `.clerk.sql` open as text. `id` keys the maps. */
interface DocumentKey {
  kind: 'notebook' | 'text';
  uri: string;
  id: string;
}

const documentKey = (kind: DocumentKey['kind'], uri: string): DocumentKey => ({ kind, uri, id: `${kind}:${uri}` });

/** Where a piece of analysed text lives: a cell document, or lines of a text document. */
interface Located {
  uri: string;
  text: string;
  /** The text's offsets and positions. */
  source: SourceText;
  /** Lines of the document before the text (0 for a notebook cell). */
  lineOffset: number;
  analysis: CellAnalysis;
}

const connection = createConnection(ProposedFeatures.all);
const textDocuments = new TextDocuments(TextDocument);
const notebooks = new NotebookDocuments(TextDocument);
const parserReady = SqlParser.load().then((parser) => new NotebookAnalyzer(parser));

/** Analysed pieces by document URI: a cell URI maps to one, a text document to one per code cell. */
const analysed = new Map<string, Located[]>();
/** The cell URIs diagnostics were last published for, per notebook. */
const publishedCells = new Map<string, string[]>();
const pending = new Set<string>();
/** The analysis pass running for each key (a notebook pass pauses to let publications out). */
const running = new Map<string, Promise<void>>();
/** Passes started per document key: a pass that sees a newer one started stops. */
const passes = new Map<string, number>();
/** The database each notebook's kernel runs on, by notebook URI: absent for the embedded kernel. */
const databases = new Map<string, DatabaseSchema>();
/** What was last sent for each cell URI: only the cells whose diagnostics changed are published
 * again. A cell the analysis reused (same object) is skipped without comparing its diagnostics. */
const lastSent = new Map<string, { analysis: CellAnalysis; json: string }>();

/** Publishes a cell's diagnostics if they changed; returns whether it did. */
function publishCell(uri: string, analysis: CellAnalysis): boolean {
  const last = lastSent.get(uri);
  if (last?.analysis === analysis) return false;
  const diagnostics = analysis.diagnostics.map((d) => toDiagnostic(d, 0));
  const json = JSON.stringify(diagnostics);
  lastSent.set(uri, { analysis, json });
  if (last?.json === json) return false;
  void connection.sendDiagnostics({ uri, diagnostics });
  return true;
}

/** The server's log (VS Code's output channel), with any key masked: an error may quote a cell's text. */
function logError(what: string, error: unknown): void {
  connection.console.error(redactSecrets(`clerk-sql: ${what}: ${String(error)}`));
}

function clearCell(uri: string): void {
  analysed.delete(uri);
  lastSent.delete(uri);
  void connection.sendDiagnostics({ uri, diagnostics: [] });
}

connection.onInitialize((): InitializeResult => ({
  capabilities: {
    textDocumentSync: TextDocumentSyncKind.Incremental,
    notebookDocumentSync: { notebookSelector: NOTEBOOK_TYPES.map((notebook) => ({ notebook, cells: [{ language: CELL_LANGUAGE }] })) },
    hoverProvider: true,
    completionProvider: { triggerCharacters: ['.', "'", '(', ',', ' ', ':'] },
    codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
  },
  serverInfo: { name: 'clerk-sql-language-server' },
}));

/** Changes received per document key, counted so that a pass starts only once they stop (see `settle`). */
const changes = new Map<string, number>();

// Changes are coalesced: a burst of edits to one document is analysed once, at its last version.
function schedule(key: DocumentKey): void {
  changes.set(key.id, (changes.get(key.id) ?? 0) + 1);
  if (pending.has(key.id)) return;
  pending.add(key.id);
  settle(key, undefined);
}

/**
 * Waits for a turn of the event loop in which no change to the document came in, then
 * analyses it. The connection takes one queued message per turn (vscode-jsonrpc dispatches
 * from setImmediate, after the turn's earlier immediates, this one included), so the edits an
 * editor queued while the server was busy arrive one per turn: analysing after the first would
 * analyse every queued version in turn (minutes, for 300 keystrokes in a 5,000-cell file).
 */
function settle(key: DocumentKey, seen: number | undefined): void {
  setImmediate(() => {
    // A request may have run the analysis already (see `current`).
    if (!pending.has(key.id)) return;
    const now = changes.get(key.id);
    if (now !== seen) return settle(key, now);
    pending.delete(key.id);
    void refresh(key);
  });
}

function refresh(key: DocumentKey): Promise<void> {
  const pass = (async () => {
    try {
      const analyzer = await parserReady;
      if (key.kind === 'notebook') await refreshNotebook(analyzer, key);
      else await refreshText(analyzer, key);
    } catch (error) {
      logError('analysis failed', error instanceof Error ? error.stack : error);
    }
  })();
  running.set(key.id, pass);
  void pass.then(() => {
    if (running.get(key.id) === pass) running.delete(key.id);
  });
  return pass;
}

/** How long a pass runs before it lets the event loop send its publications and take new edits. */
const SLICE_MS = 10;

/**
 * Analyses `texts` cell by cell (mostly from the analyzer's cache), handing each analysis to
 * `each`, which says whether it published something. After the first publication (usually the
 * edited cell) the pass lets the event loop send it before going on, so that cell's diagnostics
 * do not wait for the cells after it; then it yields every SLICE_MS (a yield per publication
 * costs more than the analysis when an edit changes the diagnostics of many cells). A pass that
 * finds an edit came in while it yielded stops and resolves false: the edit's pass redoes the
 * rest, mostly from the cache. So a long analysis (a big file) never holds back the edits that
 * make it stale.
 */
async function analyseInSlices(
  analyzer: NotebookAnalyzer,
  key: DocumentKey,
  texts: readonly string[],
  each: (analysis: CellAnalysis, index: number) => boolean,
): Promise<boolean> {
  const pass = (passes.get(key.id) ?? 0) + 1;
  passes.set(key.id, pass);
  let i = 0;
  let publishedAny = false;
  let yieldedAt = performance.now();
  const database = key.kind === 'notebook' ? databases.get(key.uri) : undefined;
  for (const analysis of analyzer.cellByCell(texts, database)) {
    const published = each(analysis, i++);
    const due = (published && !publishedAny) || performance.now() - yieldedAt >= SLICE_MS;
    publishedAny ||= published;
    if (due && i < texts.length) {
      await new Promise((resolve) => setImmediate(resolve));
      yieldedAt = performance.now();
      // An edit came in: its pass (started, or about to) redoes the rest.
      if (passes.get(key.id) !== pass || pending.has(key.id)) return false;
    }
  }
  return true;
}

/** Publishes each notebook cell whose diagnostics changed, as the analysis reaches it. */
async function refreshNotebook(analyzer: NotebookAnalyzer, key: DocumentKey): Promise<void> {
  const { uri } = key;
  const notebook = notebooks.getNotebookDocument(uri);
  const previous = publishedCells.get(uri) ?? [];
  if (!notebook) {
    for (const cellUri of previous) clearCell(cellUri);
    publishedCells.delete(uri);
    passes.delete(key.id);
    changes.delete(key.id);
    return;
  }
  const cells = notebook.cells.flatMap((cell) => {
    if (cell.kind !== NotebookCellKind.Code) return [];
    const document = notebooks.getCellTextDocument(cell);
    return document && document.languageId === CELL_LANGUAGE ? [{ uri: cell.document, text: document.getText() }] : [];
  });
  const now = new Set(cells.map((c) => c.uri));
  for (const cellUri of previous) if (!now.has(cellUri)) clearCell(cellUri);
  publishedCells.set(uri, [...now]);
  await analyseInSlices(
    analyzer,
    key,
    cells.map((c) => c.text),
    (analysis, i) => {
      const cell = cells[i]!;
      analysed.set(cell.uri, [{ uri: cell.uri, text: cell.text, source: new SourceText(cell.text), lineOffset: 0, analysis }]);
      return publishCell(cell.uri, analysis);
    },
  );
}

/** Publishes a .clerk.sql text document's diagnostics, all of its cells at once, when the analysis completes. */
async function refreshText(analyzer: NotebookAnalyzer, key: DocumentKey): Promise<void> {
  const { uri } = key;
  const document = textDocuments.get(uri);
  if (!document || !isClerkText(document)) {
    analysed.delete(uri);
    passes.delete(key.id);
    changes.delete(key.id);
    void connection.sendDiagnostics({ uri, diagnostics: [] });
    return;
  }
  const { version } = document;
  const cells = cellsForRun(document.getText());
  const pieces: Located[] = [];
  const complete = await analyseInSlices(
    analyzer,
    key,
    cells.map((c) => c.source),
    (analysis, i) => {
      pieces.push({ uri, text: cells[i]!.source, source: new SourceText(cells[i]!.source), lineOffset: cells[i]!.lineOffset, analysis });
      return false;
    },
  );
  if (!complete) return;
  analysed.set(uri, pieces);
  void connection.sendDiagnostics({ uri, version, diagnostics: pieces.flatMap((p) => p.analysis.diagnostics.map((d) => toDiagnostic(d, p.lineOffset))) });
}

function isClerkText(document: TextDocument): boolean {
  return document.languageId === CELL_LANGUAGE || document.uri.endsWith(NOTEBOOK_FILE_SUFFIX);
}

const shift = (range: CellRange, lines: number): Range => ({
  start: { line: range.start.line + lines, character: range.start.character },
  end: { line: range.end.line + lines, character: range.end.character },
});

function toDiagnostic(d: CellAnalysis['diagnostics'][number], lineOffset: number): Diagnostic {
  return { range: shift(d.range, lineOffset), severity: d.severity, code: d.code, source: CELL_LANGUAGE, message: d.message };
}

/** The analysed piece holding the position, and the UTF-16 offset into its text. */
function locate(uri: string, position: Position): { piece: Located; offset: number } | undefined {
  const pieces = analysed.get(uri);
  if (!pieces) return undefined;
  for (let i = pieces.length - 1; i >= 0; i--) {
    const piece = pieces[i]!;
    if (position.line < piece.lineOffset) continue;
    const offset = piece.source.offsetOfPosition(position.line - piece.lineOffset, position.character);
    return offset === undefined ? undefined : { piece, offset };
  }
  return undefined;
}

/** The document position of a UTF-16 offset into a piece's text. */
function positionIn(piece: Located, offset: number): Position {
  const { line, character } = piece.source.positionAt(offset);
  return { line: line + piece.lineOffset, character };
}

/** Waits for a document's pending analysis, so that a request right after an edit sees it. */
async function current(uri: string): Promise<void> {
  const notebook = notebooks.findNotebookDocumentForCell(uri);
  const key = notebook ? documentKey('notebook', notebook.uri) : documentKey('text', uri);
  if (pending.delete(key.id) || !analysed.has(uri)) await refresh(key);
  // A pass in progress, or an edit that came in meanwhile, has a newer text.
  for (;;) {
    const pass = running.get(key.id);
    if (pass) await pass;
    else if (pending.delete(key.id)) await refresh(key);
    else return;
  }
}

connection.onHover(async ({ textDocument, position }): Promise<Hover | null> => {
  try {
    await current(textDocument.uri);
    const found = locate(textDocument.uri, position);
    const symbol = found && hoverAt(found.piece.analysis, found.offset);
    if (!found || !symbol) return null;
    const range = { start: positionIn(found.piece, symbol.start), end: positionIn(found.piece, symbol.end) };
    return { contents: { kind: MarkupKind.Markdown, value: symbol.markdown }, range };
  } catch (error) {
    logError('hover failed', error);
    return null;
  }
});

connection.onCompletion(async ({ textDocument, position, context }): Promise<CompletionItem[]> => {
  try {
    await current(textDocument.uri);
    const found = locate(textDocument.uri, position);
    if (!found) return [];
    const { piece, offset } = found;
    const trigger = context?.triggerKind === CompletionTriggerKind.TriggerCharacter ? context.triggerCharacter : undefined;
    return completeAt(piece.text, offset, piece.analysis.scope, trigger).map((entry) => ({
      label: entry.label,
      kind: entry.kind as CompletionItemKind,
      ...(entry.detail ? { detail: entry.detail } : {}),
      ...(entry.documentation ? { documentation: { kind: MarkupKind.Markdown, value: entry.documentation } } : {}),
      ...(entry.sortText ? { sortText: entry.sortText } : {}),
      insertTextFormat: entry.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      textEdit: { range: { start: positionIn(piece, entry.replace.start), end: positionIn(piece, entry.replace.end) }, newText: entry.insertText },
    }));
  } catch (error) {
    logError('completion failed', error);
    return [];
  }
});

connection.onCodeAction(async ({ textDocument, range }): Promise<CodeAction[]> => {
  try {
    await current(textDocument.uri);
    const pieces = analysed.get(textDocument.uri) ?? [];
    return pieces.flatMap((piece) => {
      const local: CellRange = shift(range, -piece.lineOffset);
      if (local.end.line < 0) return [];
      return actionsAt(piece.analysis, local).map((action): CodeAction => ({
        title: action.title,
        kind: CodeActionKind.QuickFix,
        ...(action.diagnostic ? { diagnostics: [toDiagnostic(action.diagnostic, piece.lineOffset)] } : {}),
        isPreferred: action.preferred,
        ...('edit' in action
          ? { edit: { changes: { [textDocument.uri]: [{ range: shift(action.edit.range, piece.lineOffset), newText: action.edit.newText }] } } }
          : { command: { command: action.command, title: action.title, arguments: [textDocument.uri] } }),
      }));
    });
  } catch (error) {
    logError('code actions failed', error);
    return [];
  }
});

connection.onNotification(DatabaseSchemaNotification, ({ notebook, snapshot }) => {
  // Checked, not trusted: a snapshot this server cannot read is no snapshot, so nothing is said of the database.
  const parsed = snapshot === null ? undefined : SchemaSnapshot.safeParse(snapshot);
  if (parsed?.success) databases.set(notebook, new DatabaseSchema(parsed.data));
  else databases.delete(notebook);
  if (parsed && !parsed.success) logError('database schema not understood', parsed.error.message);
  schedule(documentKey('notebook', notebook));
});

notebooks.onDidOpen((notebook) => schedule(documentKey('notebook', notebook.uri)));
notebooks.onDidChange((event) => schedule(documentKey('notebook', event.notebookDocument.uri)));
notebooks.onDidClose((notebook) => schedule(documentKey('notebook', notebook.uri)));
textDocuments.onDidChangeContent(({ document }) => schedule(documentKey('text', document.uri)));
textDocuments.onDidClose(({ document }) => schedule(documentKey('text', document.uri)));

process.on('uncaughtException', (error) => logError('uncaught exception', error?.stack ?? error));
process.on('unhandledRejection', (error) => logError('unhandled rejection', error));

notebooks.listen(connection);
textDocuments.listen(connection);
connection.listen();
