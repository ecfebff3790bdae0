// Completion from the text before the cursor (which need not parse) and the notebook's
// definitions after the cell: object names, option names, a table's columns, table names,
// columns of the foreign tables a query reads, the keywords that fit (keywords.ts), and a
// snippet for the documented setup. On a Postgres connection, the database's tables and their
// columns too (database.ts).
import {
  CLERK_OBJECTS,
  IMPORT_TABLES,
  columnMarkdown,
  columnsOf,
  documentedColumns,
  formatType,
  lookupObject,
  objectMarkdown,
} from '../../fdw/catalog/index.js';
import { HANDLER, VALIDATOR } from '../../fdw/runtime/fdwCatalog.js';
import { SERVER_OPTIONS, TABLE_OPTIONS } from '../../fdw/runtime/serverOptions.js';
import { OPTION_DOCS, tableMarkdown } from './docs.js';
import { keywordsAt } from './keywords.js';
import { statementAround, withoutComments } from '../../fdw/sql/lexical.js';
import type { KnownTable, Scope } from './model.js';
import type { SnapshotRelation } from '../../fdw/db/schemaSnapshot.js';
import type { DatabaseSchema } from './database.js';

/** LSP's CompletionItemKind values used here. */
export const ItemKind = { Field: 5, Class: 7, Property: 10, Value: 12, Keyword: 14, Snippet: 15, Struct: 22 } as const;

export interface CompletionEntry {
  label: string;
  kind: number;
  detail?: string;
  documentation?: string;
  insertText: string;
  snippet: boolean;
  sortText?: string;
  /** UTF-16 offsets of the cell text the entry replaces (the partial word before the cursor). */
  replace: { start: number; end: number };
}

const KEYWORDS = new Set(
  'where join on left right inner outer full cross group order limit using natural union except intersect having window offset fetch for lateral set values returning select from as and or not'.split(
    ' ',
  ),
);

/**
 * `trigger`: the character that opened the list unasked (LSP's trigger character), if any. A comma
 * opens nothing and a space opens nothing in a column list: there the next key is as likely Enter
 * as a name, and an open list would take the Enter. Asked for (Ctrl+Space), the list is the same.
 */
export function completeAt(text: string, offset: number, scope: Scope, trigger?: string): CompletionEntry[] {
  if (trigger === ',') return [];
  const cursor = Math.max(0, Math.min(offset, text.length));
  const around = statementAround(text, cursor);
  const statement = text.slice(around.start, around.end);
  const before = text.slice(around.start, cursor);
  const partial = /[A-Za-z0-9_$]*$/.exec(before)?.[0] ?? '';
  const replace = { start: cursor - partial.length, end: cursor };

  // :name, :'name', :"name" (psql variables; `::` is a cast)
  const variable = /(?<![:\w]):(['"]?)([A-Za-z0-9_]*)$/.exec(before);
  if (variable) {
    const [, quote, typed] = variable;
    return scope.variables.map(({ name, value }) => ({
      label: name,
      kind: ItemKind.Value,
      detail: `psql variable = ${value}`,
      insertText: name + quote,
      snippet: false,
      replace: { start: cursor - typed!.length, end: cursor },
    }));
  }

  // object '...'
  const objectValue = /\bobject\s*'([^']*)$/i.exec(before);
  if (objectValue) {
    const typed = objectValue[1]!;
    return CLERK_OBJECTS.map((object, i) => ({
      label: object,
      kind: ItemKind.Value,
      detail: 'Clerk object',
      documentation: objectMarkdown(object),
      insertText: object,
      snippet: false,
      sortText: String(i).padStart(2, '0'),
      replace: { start: cursor - typed.length, end: cursor },
    }));
  }

  // OPTIONS ( name '...', ... )
  const options = lastMatch(before, /\boptions\s*\(/gi);
  if (options !== undefined && !before.slice(options).includes(')')) {
    if (!/(?:^|,)\s*[A-Za-z0-9_]*$/.test(before.slice(options))) return [];
    const isServer = /^\s*(?:create|alter)\s+server\b/i.test(withoutComments(before));
    const names = isServer ? SERVER_OPTIONS : /\bforeign\s+table\b/i.test(before) ? TABLE_OPTIONS : [];
    return names.map((name) => ({
      label: name,
      kind: ItemKind.Property,
      detail: isServer ? 'server option' : 'foreign table option',
      documentation: OPTION_DOCS[name] ?? '',
      insertText: `${name} '$1'`,
      snippet: true,
      replace,
    }));
  }

  // create foreign table t ( <column> type, ... )
  const tableHead = /^\s*create\s+foreign\s+table\s+(?:if\s+not\s+exists\s+)?([^\s(]+)\s*\(/i.exec(withoutComments(before));
  if (tableHead) {
    const list = withoutComments(before).slice(tableHead[0].length);
    if (depth(list) === 0) {
      if (trigger !== undefined || !/(?:^|,)\s*[A-Za-z0-9_]*$/.test(list)) return [];
      return columnDefinitions(statement, tableHead[1]!, list, replace);
    }
  }

  const tables = tablesOf(statement, scope);
  const { database } = scope;

  // FROM / JOIN schema.<table>
  const inSchema = /\b(?:from|join|into|update|table)\s+([A-Za-z_][A-Za-z0-9_$]*)\.[A-Za-z0-9_$]*$/i.exec(before)?.[1]?.toLowerCase();
  if (database && inSchema !== undefined && database.hasSchema(inSchema)) return relationNames(database, database.readable(inSchema), replace, false);

  // alias.column
  const qualified = /([A-Za-z_][A-Za-z0-9_$]*)\.([A-Za-z0-9_$]*)$/.exec(before);
  if (qualified) {
    const table = tables.get(qualified[1]!.toLowerCase());
    return table ? columnsOfTable(table, replace) : [];
  }

  // FROM / JOIN <table>
  if (
    /\b(?:from|join|into|update|table)\s+[A-Za-z0-9_$]*$/i.test(before) ||
    (/\bfrom\s+[^;]*,\s*[A-Za-z0-9_$]*$/i.test(before) && !/\b(?:where|group|order|join)\b/i.test(before.slice(before.toLowerCase().lastIndexOf('from'))))
  ) {
    const names = tableNames(scope, replace);
    const offered = new Set(names.map((e) => e.label));
    return database ? [...names, ...relationNames(database, database.readable(), replace, true).filter((e) => !offered.has(e.label))] : names;
  }

  const { keywords, ddl } = keywordsAt(before.slice(0, before.length - partial.length));
  const entries: CompletionEntry[] = [];
  if (!ddl) for (const table of new Set(tables.values())) entries.push(...columnsOfTable(table, replace));
  // A select list written before its FROM: the columns of the tables an unqualified name finds.
  if (!ddl && tables.size === 0 && database) entries.push(...unqualifiedColumns(database, replace));
  keywords.forEach((keyword, i) =>
    entries.push({ label: keyword, kind: ItemKind.Keyword, insertText: keyword, snippet: false, sortText: `y${String(i).padStart(2, '0')}`, replace }),
  );
  if (/^\s*[A-Za-z0-9_$]*$/.test(withoutComments(before))) entries.push(setupSnippet(replace));
  return entries;
}

function lastMatch(text: string, pattern: RegExp): number | undefined {
  let found: number | undefined;
  for (const match of text.matchAll(pattern)) found = match.index + match[0].length;
  return found;
}

/** Paren depth at the end of `text`, relative to its start. */
function depth(text: string): number {
  let d = 0;
  for (const c of text) {
    if (c === '(') d++;
    else if (c === ')') d--;
  }
  return d;
}

/**
 * The columns the table's Clerk object provides, but those declared. The object is the one its
 * `object` option names, or the one a documented table name stands for (`clerk_users`); before
 * either is written, no object's columns are offered.
 */
function columnDefinitions(statement: string, tableName: string, list: string, replace: CompletionEntry['replace']): CompletionEntry[] {
  const written = /\bobject\s*'([^']*)'/i.exec(statement)?.[1];
  const found = written === undefined ? undefined : lookupObject(written);
  const object = found?.ok ? found.object : IMPORT_TABLES.find((t) => t.table === tableName.replace(/^"|"$/g, '').toLowerCase())?.object;
  if (!object) return [];
  const declared = new Set([...list.matchAll(/(?:^|,)\s*([A-Za-z_][A-Za-z0-9_$]*)\s+\S/g)].map((m) => m[1]!.toLowerCase()));
  return columnsOf(object)
    .filter((c) => !declared.has(c.name))
    .map((column, i) => ({
      label: column.name,
      kind: ItemKind.Field,
      detail: `${formatType(column.defaultType)}${column.origin === 'documented' ? ' (documented)' : ''}`,
      documentation: columnMarkdown(column),
      insertText: `${column.name} ${formatType(column.defaultType)}`,
      snippet: false,
      sortText: `${column.origin === 'documented' ? 0 : 1}${String(i).padStart(3, '0')}`,
      replace,
    }));
}

/** A table whose columns completion offers: a Clerk foreign table of the notebook, or a relation of the database. */
type Table = KnownTable | SnapshotRelation;

const isRelation = (table: Table): table is SnapshotRelation => 'kind' in table;

/** Tables the statement names (Clerk foreign tables, named cell results, then the database's), by table name and by alias. */
function tablesOf(statement: string, scope: Scope): Map<string, Table> {
  const byName = new Map<string, Table>();
  const add = (name: string, table: Table) => {
    const aliases = aliasesIn(statement, name);
    if (aliases === undefined) return;
    byName.set(name, table);
    for (const alias of aliases) byName.set(alias, table);
  };
  for (const table of scope.foreignTables) if (table.object) add(table.name, table);
  for (const { name, columns } of scope.namedResults) {
    add(name, { schema: 'pg_temp', name, kind: 'table', columns: columns.map((c) => ({ ...c, nullable: true })) });
  }
  const { database } = scope;
  if (!database) return byName;
  // A name, maybe schema-qualified, and the alias after it (looked ahead, so that it is a name too).
  for (const match of statement.matchAll(/\b(?:([A-Za-z_][A-Za-z0-9_$]*)\.)?([A-Za-z_][A-Za-z0-9_$]*)\b(?=(?:\s+(?:as\s+)?([A-Za-z_][A-Za-z0-9_$]*))?)/gi)) {
    const name = match[2]!.toLowerCase();
    if (byName.has(name)) continue;
    const relation = database.find(match[1]?.toLowerCase(), name);
    if (!relation) continue;
    byName.set(name, relation);
    const alias = match[3]?.toLowerCase();
    if (alias && !KEYWORDS.has(alias) && !byName.has(alias)) byName.set(alias, relation);
  }
  return byName;
}

/** The aliases the statement gives to the table `name` (none: `[]`), or undefined when it does not name it. */
function aliasesIn(statement: string, name: string): string[] | undefined {
  const matches = [...statement.matchAll(new RegExp(`\\b${escape(name)}\\b(?:\\s+(?:as\\s+)?([A-Za-z_][A-Za-z0-9_$]*))?`, 'gi'))];
  if (matches.length === 0) return undefined;
  return matches.flatMap((match) => {
    const alias = match[1]?.toLowerCase();
    return alias && !KEYWORDS.has(alias) ? [alias] : [];
  });
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function columnsOfTable(table: Table, replace: CompletionEntry['replace']): CompletionEntry[] {
  if (isRelation(table)) return relationColumns(table, replace, '');
  return table.columns.map((declared, i) => {
    const column = table.object ? columnsOf(table.object).find((c) => c.name === declared.name) : undefined;
    return {
      label: declared.name,
      kind: ItemKind.Field,
      detail: `${formatType(declared.type)} — ${table.name}`,
      ...(column ? { documentation: columnMarkdown(column, declared.type) } : {}),
      insertText: declared.name,
      snippet: false,
      sortText: String(i).padStart(3, '0'),
      replace,
    };
  });
}

function tableNames(scope: Scope, replace: CompletionEntry['replace']): CompletionEntry[] {
  return [
    ...scope.foreignTables.map((t) => ({
      label: t.name,
      kind: ItemKind.Class,
      detail: t.object ? `foreign table — Clerk ${t.object}` : 'foreign table',
      documentation: tableMarkdown(t.name, t.object, t.columns),
      insertText: t.name,
      snippet: false,
      sortText: `0${t.name}`,
      replace,
    })),
    ...scope.namedResults.map(({ name, columns }) => ({
      label: name,
      kind: ItemKind.Struct,
      detail: 'named cell result',
      documentation: `A cell's result (\`-- name: ${name}\`): ${columns.map((c) => c.name).join(', ')}`,
      insertText: name,
      snippet: false,
      sortText: `1${name}`,
      replace,
    })),
    ...scope.relations
      .filter((name) => !scope.namedResults.some((r) => r.name === name))
      .map((name) => ({
        label: name,
        kind: ItemKind.Struct,
        detail: 'table',
        insertText: name,
        snippet: false,
        sortText: `1${name}`,
        replace,
      })),
  ];
}

/** The database's relations, after the notebook's own tables; `qualify`: with their schema where the search path does not find them. */
function relationNames(database: DatabaseSchema, relations: SnapshotRelation[], replace: CompletionEntry['replace'], qualify: boolean): CompletionEntry[] {
  return relations.map((relation, i) => {
    const label = qualify ? database.nameOf(relation) : relation.name;
    return {
      label,
      kind: ItemKind.Class,
      detail: `${relation.kind} — ${relation.schema}`,
      documentation: database.relationDoc(relation),
      insertText: label,
      snippet: false,
      sortText: `2${String(i).padStart(5, '0')}`,
      replace,
    };
  });
}

function relationColumns(relation: SnapshotRelation, replace: CompletionEntry['replace'], sortPrefix: string): CompletionEntry[] {
  return relation.columns.map((column, i) => ({
    label: column.name,
    kind: ItemKind.Field,
    detail: `${column.type} — ${relation.name}`,
    insertText: column.name,
    snippet: false,
    sortText: `${sortPrefix}${String(i).padStart(4, '0')}`,
    replace,
  }));
}

/** Most columns offered before a FROM names the table: beyond, the list would be the whole database. */
const UNQUALIFIED_COLUMNS = 1000;

function unqualifiedColumns(database: DatabaseSchema, replace: CompletionEntry['replace']): CompletionEntry[] {
  const entries: CompletionEntry[] = [];
  for (const [i, relation] of database.readable().entries()) {
    if (!database.reachable(relation)) continue;
    if (entries.length + relation.columns.length > UNQUALIFIED_COLUMNS) break;
    entries.push(...relationColumns(relation, replace, `x${String(i).padStart(5, '0')}`));
  }
  return entries;
}

/** The documented setup: wrapper, server (key from the secret store) and the tables of clerk_fdw's document. */
export function setupSnippetText(): string {
  const tables = IMPORT_TABLES.filter((t) => documentedColumns(t.object).length > 0).map((t) => {
    const columns = documentedColumns(t.object).map((c) => `  ${c.name} ${formatType(c.type)}`);
    return `create foreign table ${t.table} (\n${columns.join(',\n')}\n)\n  server \${1:clerk_server}\n  options (object '${t.object}');`;
  });
  return [
    `create foreign data wrapper \${2:clerk_wrapper}\n  handler ${HANDLER}\n  validator ${VALIDATOR};`,
    `-- No api_key: the key is asked for and kept in VS Code's SecretStorage.\ncreate server \${1:clerk_server}\n  foreign data wrapper \${2:clerk_wrapper};`,
    ...tables,
  ].join('\n\n');
}

function setupSnippet(replace: CompletionEntry['replace']): CompletionEntry {
  return {
    label: 'clerk_fdw setup',
    kind: ItemKind.Snippet,
    detail: 'wrapper, server and the documented tables (clerk_users, clerk_organizations, clerk_organization_memberships)',
    documentation: '```sql\n' + setupSnippetText().replace(/\$\{\d+:([^}]*)\}/g, '$1') + '\n```',
    insertText: setupSnippetText(),
    snippet: true,
    sortText: 'zz',
    replace,
  };
}
