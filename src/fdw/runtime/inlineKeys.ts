// Clerk secret keys written inline (`options (api_key 'sk_live_…')`) in a notebook's cells. The
// extension moves them into its secret store before the cell runs and writes KEY_PLACEHOLDER in
// their place, so the key never reaches the saved file, the runtime, outputs or errors.
import type { DefElem, Node } from 'libpg-query';
import { DEFAULT_API_URL } from '../clerk/apiUrl.js';
import { defElems, droppedNames, optionString } from '../sql/ast.js';
import type { ParsedCell } from '../sql/parser.js';
import { KEY_PLACEHOLDER, SECRET_KEY } from './serverOptions.js';

/** Written in place of a moved key; not a secret key, so the runtime takes the key from the store. */
export { KEY_PLACEHOLDER };

export interface InlineKey {
  server: string;
  /** The api_url the server has at that statement (Clerk's when none is set): the key is stored for its origin. */
  apiUrl: string;
  key: string;
  /** UTF-16 offsets of the quoted literal in the cell, quotes included. */
  start: number;
  end: number;
}

/** A cheap test before parsing: a cell without this cannot hold a secret key. */
export function mayHoldKey(text: string): boolean {
  return /sk_(test|live)_/.test(text);
}

/**
 * The secret keys written inline in `cells[index]`. The earlier cells (parsed, in notebook
 * order) give the api_url of a server that an ALTER SERVER sets a key for.
 */
export function findInlineKeys(cells: readonly ParsedCell[], index: number): InlineKey[] {
  const found: InlineKey[] = [];
  for (const { cell, server, options, apiUrl } of serverStatements(cells.slice(0, index + 1))) {
    if (cell !== index) continue;
    for (const option of options) {
      const key = option.defname === 'api_key' ? optionString(option) : undefined;
      if (key === undefined || !SECRET_KEY.test(key)) continue;
      const literal = literalAfter(cells[cell]!, option.location, key);
      if (literal) found.push({ server, apiUrl, key, ...literal });
    }
  }
  const cell = cells[index];
  if (cell && mayHoldKey(cell.source.text)) {
    const known = new Map(notebookServers(cells.slice(0, index)).map((s) => [s.server, s.apiUrl]));
    for (const stmt of cell.statements) if (!stmt.ok) found.push(...keysBeingTyped(stmt, known));
  }
  return found;
}

// A statement that does not parse yet (a key pasted before the statement is finished, then
// auto-saved): its key is found by its shape after `api_key`, its server by the CREATE or ALTER
// SERVER the statement starts with, so that the key still never reaches the file.
const SERVER_HEAD = /^(?:create\s+server\s+(?:if\s+not\s+exists\s+)?|alter\s+server\s+)("(?:[^"]|"")+"|[A-Za-z_][\w$]*)/i;
const KEY_OPTION = /\bapi_key\s+('sk_(?:test|live)_[^'\s]+'?)/gi;
const URL_OPTION = /\bapi_url\s+'([^']*)'/i;

function keysBeingTyped(stmt: { text: string; start: { offset: number } }, known: ReadonlyMap<string, string>): InlineKey[] {
  const head = SERVER_HEAD.exec(stmt.text);
  if (!head) return [];
  const name = head[1]!;
  // As Postgres reads a name: quoted as written, otherwise folded to lower case.
  const server = name.startsWith('"') ? name.slice(1, -1).replaceAll('""', '"') : name.toLowerCase();
  const apiUrl = URL_OPTION.exec(stmt.text)?.[1] ?? known.get(server) ?? DEFAULT_API_URL;
  return [...stmt.text.matchAll(KEY_OPTION)].flatMap((m) => {
    const literal = m[1]!;
    const key = literal.replace(/^'|'$/g, '');
    if (!SECRET_KEY.test(key)) return [];
    const start = stmt.start.offset + m.index + m[0].length - literal.length;
    return [{ server, apiUrl, key, start, end: start + literal.length }];
  });
}

/** The servers the cells create, each with its api_url after the last statement that sets it. */
export function notebookServers(cells: readonly ParsedCell[]): { server: string; apiUrl: string }[] {
  const servers = new Map<string, string>();
  for (const { server, apiUrl } of serverStatements(cells)) servers.set(server, apiUrl);
  return [...servers].map(([server, apiUrl]) => ({ server, apiUrl }));
}

/**
 * Each CREATE and ALTER SERVER of the cells, in order, with the server's api_url after it. A
 * CREATE of a server that exists (not dropped since) fails in Postgres: it changes nothing.
 */
function* serverStatements(cells: readonly ParsedCell[]): Generator<{ cell: number; server: string; options: DefElem[]; apiUrl: string }> {
  const apiUrls = new Map<string, string>();
  for (const [i, cell] of cells.entries()) {
    for (const stmt of cell.statements) {
      if (!stmt.ok) continue;
      for (const dropped of droppedServers(stmt.ast)) apiUrls.delete(dropped);
      const server = serverStatement(stmt.ast);
      if (!server) continue;
      const options = defElems(server.options);
      // Its key, if it has one, is still moved: stored for the server as it exists.
      if (server.create && apiUrls.has(server.name)) {
        yield { cell: i, server: server.name, options, apiUrl: apiUrls.get(server.name)! };
        continue;
      }
      const url = options.find((o) => o.defname === 'api_url' && o.defaction !== 'DEFELEM_DROP');
      if (url) apiUrls.set(server.name, optionString(url) ?? DEFAULT_API_URL);
      else if (options.some((o) => o.defname === 'api_url') || server.create) apiUrls.set(server.name, DEFAULT_API_URL);
      yield { cell: i, server: server.name, options, apiUrl: apiUrls.get(server.name) ?? DEFAULT_API_URL };
    }
  }
}

/** The cell's text with each found key's literal replaced by the quoted placeholder. */
export function withPlaceholders(text: string, keys: readonly InlineKey[]): string {
  let out = text;
  for (const k of [...keys].sort((a, b) => b.start - a.start)) out = `${out.slice(0, k.start)}'${KEY_PLACEHOLDER}'${out.slice(k.end)}`;
  return out;
}

function serverStatement(ast: Node): { name: string; create: boolean; options?: Node[] } | undefined {
  if ('CreateForeignServerStmt' in ast && ast.CreateForeignServerStmt.servername) {
    return { name: ast.CreateForeignServerStmt.servername, create: true, options: ast.CreateForeignServerStmt.options };
  }
  if ('AlterForeignServerStmt' in ast && ast.AlterForeignServerStmt.servername) {
    return { name: ast.AlterForeignServerStmt.servername, create: false, options: ast.AlterForeignServerStmt.options };
  }
  return undefined;
}

function droppedServers(ast: Node): string[] {
  if (!('DropStmt' in ast) || ast.DropStmt.removeType !== 'OBJECT_FOREIGN_SERVER') return [];
  return droppedNames(ast.DropStmt.objects).map((path) => path.at(-1) ?? '');
}

// The literal is the first `'key'` after the option's name. A key has no quote or backslash in
// it, so it is written exactly so in a standard string; any other spelling (E'…', U&'…') is
// left in place and the runtime still redacts it from every output.
const OPTION_NAME_THEN_TRIVIA = /^(?:api_key|"api_key")(?:\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*$/i;

function literalAfter(cell: ParsedCell, location: number | undefined, key: string): { start: number; end: number } | undefined {
  if (location === undefined) return undefined;
  const from = cell.source.offsetOfByte(location);
  const quoted = `'${key}'`;
  const at = cell.source.text.indexOf(quoted, from);
  if (at < 0 || !OPTION_NAME_THEN_TRIVIA.test(cell.source.text.slice(from, at))) return undefined;
  return { start: at, end: at + quoted.length };
}
