// The Clerk SQL language server: diagnostics, hover, completion and quick fixes for clerk_fdw
// notebooks, over LSP (`node dist/server.js --stdio`).
//
// Two kinds of documents are served:
//   - notebook cells (LSP notebook document sync; code cells of language `clerk-sql`), analysed
//     together in notebook order, so a cell sees the DDL of the cells before it;
//   - a `.clerk.sql` file opened as text (language `clerk-sql`): split into cells with the
//     notebook file format, and every range mapped back to the file's lines.
// Every handler catches its own failures: no input may take the server down.
import {
  CodeActionKind,
  CompletionItemKind,
  DiagnosticSeverity,
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
import { SqlParser } from '../fdw/sql/parser.ts';
import { cellsForRun } from '../notebook/format.ts';
import { NotebookAnalyzer } from './analysis/analyze.ts';
import { actionsAt } from './analysis/codeActions.ts';
import { completeAt } from './analysis/completion.ts';
import { hoverAt } from './analysis/hover.ts';
import type { CellAnalysis, Range as CellRange } from './analysis/model.ts';

export const LANGUAGE_ID = 'clerk-sql';
/** The notebook types whose clerk-sql cells are synchronized (src/notebook/serializer.ts). */
export const NOTEBOOK_TYPES = ['clerk-sql-notebook', 'clerk-sql-notebook-any'];

/** Where a piece of analysed text lives: a cell document, or lines of a text document. */
interface Located {
  uri: string;
  text: string;
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
/** What was last sent for each cell URI: an edit re-analyses the whole notebook, but only the
 * cells whose diagnostics changed are published again. */
const lastSent = new Map<string, string>();

function publishCell(uri: string, diagnostics: Diagnostic[]): void {
  const key = JSON.stringify(diagnostics);
  if (lastSent.get(uri) === key) return;
  lastSent.set(uri, key);
  void connection.sendDiagnostics({ uri, diagnostics });
}

function clearCell(uri: string): void {
  analysed.delete(uri);
  lastSent.delete(uri);
  void connection.sendDiagnostics({ uri, diagnostics: [] });
}

connection.onInitialize(
  (): InitializeResult => ({
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      notebookDocumentSync: { notebookSelector: NOTEBOOK_TYPES.map((notebook) => ({ notebook, cells: [{ language: LANGUAGE_ID }] })) },
      hoverProvider: true,
      completionProvider: { triggerCharacters: ['.', "'", '(', ',', ' '] },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
    },
    serverInfo: { name: 'clerk-sql-language-server' },
  }),
);

// Changes are coalesced: a burst of edits to one document is analysed once, right after it.
function schedule(key: string): void {
  if (pending.has(key)) return;
  pending.add(key);
  setImmediate(() => {
    pending.delete(key);
    void refresh(key);
  });
}

async function refresh(key: string): Promise<void> {
  try {
    const analyzer = await parserReady;
    if (key.startsWith('notebook:')) refreshNotebook(analyzer, key.slice('notebook:'.length));
    else refreshText(analyzer, key.slice('text:'.length));
  } catch (error) {
    connection.console.error(`clerk-sql: analysis failed: ${String(error instanceof Error ? error.stack : error)}`);
  }
}

function refreshNotebook(analyzer: NotebookAnalyzer, uri: string): void {
  const notebook = notebooks.getNotebookDocument(uri);
  const previous = publishedCells.get(uri) ?? [];
  if (!notebook) {
    for (const cellUri of previous) clearCell(cellUri);
    publishedCells.delete(uri);
    return;
  }
  const cells = notebook.cells.flatMap((cell) => {
    if (cell.kind !== NotebookCellKind.Code) return [];
    const document = notebooks.getCellTextDocument(cell);
    return document && document.languageId === LANGUAGE_ID ? [{ uri: cell.document, text: document.getText() }] : [];
  });
  const result = analyzer.analyze(cells.map((c) => c.text));
  const now = new Set(cells.map((c) => c.uri));
  for (const cellUri of previous) if (!now.has(cellUri)) clearCell(cellUri);
  cells.forEach((cell, i) => {
    const analysis = result.cells[i]!;
    analysed.set(cell.uri, [{ uri: cell.uri, text: cell.text, lineOffset: 0, analysis }]);
    publishCell(cell.uri, analysis.diagnostics.map((d) => toDiagnostic(d, 0)));
  });
  publishedCells.set(uri, [...now]);
}

function refreshText(analyzer: NotebookAnalyzer, uri: string): void {
  const document = textDocuments.get(uri);
  if (!document || !isClerkText(document)) {
    analysed.delete(uri);
    void connection.sendDiagnostics({ uri, diagnostics: [] });
    return;
  }
  const cells = cellsForRun(document.getText());
  const result = analyzer.analyze(cells.map((c) => c.source));
  const pieces = cells.map((cell, i): Located => ({ uri, text: cell.source, lineOffset: cell.lineOffset, analysis: result.cells[i]! }));
  analysed.set(uri, pieces);
  void connection.sendDiagnostics({ uri, version: document.version, diagnostics: pieces.flatMap((p) => p.analysis.diagnostics.map((d) => toDiagnostic(d, p.lineOffset))) });
}

function isClerkText(document: TextDocument): boolean {
  return document.languageId === LANGUAGE_ID || document.uri.endsWith('.clerk.sql');
}

const shift = (range: CellRange, lines: number): Range => ({
  start: { line: range.start.line + lines, character: range.start.character },
  end: { line: range.end.line + lines, character: range.end.character },
});

function toDiagnostic(d: CellAnalysis['diagnostics'][number], lineOffset: number): Diagnostic {
  return { range: shift(d.range, lineOffset), severity: d.severity as DiagnosticSeverity, code: d.code, source: 'clerk-sql', message: d.message };
}

/** The analysed piece holding the position, and the UTF-16 offset into its text. */
function locate(uri: string, position: Position): { piece: Located; offset: number } | undefined {
  const pieces = analysed.get(uri);
  if (!pieces) return undefined;
  for (let i = pieces.length - 1; i >= 0; i--) {
    const piece = pieces[i]!;
    if (position.line < piece.lineOffset) continue;
    const offset = offsetAt(piece.text, position.line - piece.lineOffset, position.character);
    return offset === undefined ? undefined : { piece, offset };
  }
  return undefined;
}

function offsetAt(text: string, line: number, character: number): number | undefined {
  let start = 0;
  for (let l = 0; l < line; l++) {
    const next = text.indexOf('\n', start);
    if (next < 0) return undefined;
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  return Math.min(start + character, end < 0 ? text.length : end);
}

/** Waits for a document's pending analysis, so that a request right after an edit sees it. */
async function current(uri: string): Promise<void> {
  const notebook = notebooks.findNotebookDocumentForCell(uri);
  const key = notebook ? `notebook:${notebook.uri}` : `text:${uri}`;
  if (pending.has(key) || !analysed.has(uri)) {
    pending.delete(key);
    await refresh(key);
  }
}

connection.onHover(async ({ textDocument, position }): Promise<Hover | null> => {
  try {
    await current(textDocument.uri);
    const found = locate(textDocument.uri, position);
    const symbol = found && hoverAt(found.piece.analysis, found.offset);
    if (!found || !symbol) return null;
    return { contents: { kind: MarkupKind.Markdown, value: symbol.markdown }, range: shift(symbol.range, found.piece.lineOffset) };
  } catch (error) {
    connection.console.error(`clerk-sql: hover failed: ${String(error)}`);
    return null;
  }
});

connection.onCompletion(async ({ textDocument, position }): Promise<CompletionItem[]> => {
  try {
    await current(textDocument.uri);
    const found = locate(textDocument.uri, position);
    if (!found) return [];
    const { piece, offset } = found;
    const toPosition = (o: number): Position => {
      const before = piece.text.slice(0, o);
      const line = before.split('\n').length - 1;
      return { line: line + piece.lineOffset, character: o - (before.lastIndexOf('\n') + 1) };
    };
    return completeAt(piece.text, offset, piece.analysis.scope).map((entry) => ({
      label: entry.label,
      kind: entry.kind as CompletionItemKind,
      ...(entry.detail ? { detail: entry.detail } : {}),
      ...(entry.documentation ? { documentation: { kind: MarkupKind.Markdown, value: entry.documentation } } : {}),
      ...(entry.sortText ? { sortText: entry.sortText } : {}),
      insertTextFormat: entry.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      textEdit: { range: { start: toPosition(entry.replace.start), end: toPosition(entry.replace.end) }, newText: entry.insertText },
    }));
  } catch (error) {
    connection.console.error(`clerk-sql: completion failed: ${String(error)}`);
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
      return actionsAt(piece.analysis, local).map(
        (action): CodeAction => ({
          title: action.title,
          kind: CodeActionKind.QuickFix,
          ...(action.diagnostic ? { diagnostics: [toDiagnostic(action.diagnostic, piece.lineOffset)] } : {}),
          isPreferred: action.preferred,
          edit: { changes: { [textDocument.uri]: [{ range: shift(action.edit.range, piece.lineOffset), newText: action.edit.newText }] } },
        }),
      );
    });
  } catch (error) {
    connection.console.error(`clerk-sql: code actions failed: ${String(error)}`);
    return [];
  }
});

notebooks.onDidOpen((notebook) => schedule(`notebook:${notebook.uri}`));
notebooks.onDidChange((event) => schedule(`notebook:${event.notebookDocument.uri}`));
notebooks.onDidClose((notebook) => schedule(`notebook:${notebook.uri}`));
textDocuments.onDidChangeContent(({ document }) => schedule(`text:${document.uri}`));
textDocuments.onDidClose(({ document }) => schedule(`text:${document.uri}`));

process.on('uncaughtException', (error) => connection.console.error(`clerk-sql: ${String(error?.stack ?? error)}`));
process.on('unhandledRejection', (error) => connection.console.error(`clerk-sql: ${String(error)}`));

notebooks.listen(connection);
textDocuments.listen(connection);
connection.listen();
