// The TextMate grammar (syntaxes/clerk-sql.tmLanguage.json) against the catalog it names, and its
// scopes on FDW statements. Without vscode-textmate here, its own rules are run with JS regular
// expressions the way a TextMate tokenizer does (at each point, the earliest match wins, ties go
// to the first rule); the rules of the included SQL grammar are VS Code's and are not run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CLERK_OBJECTS, OBJECT_ALIASES } from '../../src/fdw/catalog/index.ts';
import { HANDLER, SERVER_OPTIONS, TABLE_OPTIONS, VALIDATOR } from '../../src/fdw/runtime/fdwCatalog.ts';

interface Rule {
  name?: string;
  match: string;
  captures?: Record<string, { name: string }>;
}

const grammar = JSON.parse(readFileSync('syntaxes/clerk-sql.tmLanguage.json', 'utf8')) as {
  patterns: { include: string }[];
  repository: Record<string, Rule>;
};

const rules = grammar.patterns.filter((p) => p.include.startsWith('#')).map((p) => grammar.repository[p.include.slice(1)]!);

/** Oniguruma's `(?i)` prefix becomes the `i` flag; `(?i:word)` becomes a class per letter (Node 20's RegExp has no modifiers). */
function toRegExp(pattern: string): RegExp {
  const insensitive = pattern.startsWith('(?i)');
  const source = (insensitive ? pattern.slice(4) : pattern).replace(/\(\?i:([a-z_]+)\)/g, (_, word: string) =>
    [...word].map((c) => (/[a-z]/.test(c) ? `[${c}${c.toUpperCase()}]` : c)).join(''),
  );
  return new RegExp(source, `gd${insensitive ? 'i' : ''}`);
}

const compiled = rules.map((rule) => ({ rule, regexp: toRegExp(rule.match) }));

/** [text, scope] of every token the grammar's own rules give the line. */
function tokenize(line: string): [string, string][] {
  const tokens: [string, string][] = [];
  let position = 0;
  while (position < line.length) {
    let best: { rule: Rule; match: RegExpExecArray } | undefined;
    for (const { rule, regexp } of compiled) {
      regexp.lastIndex = position;
      const match = regexp.exec(line);
      if (match && (!best || match.index < best.match.index)) best = { rule, match };
    }
    if (!best) break;
    const { rule, match } = best;
    if (rule.name) tokens.push([match[0], rule.name]);
    for (const [group, capture] of Object.entries(rule.captures ?? {})) {
      const text = match[Number(group)];
      if (text !== undefined) tokens.push([text, capture.name]);
    }
    position = Math.max(match.index + match[0].length, position + 1);
  }
  return tokens;
}

/** The alternatives of the group of `rule` whose opening `after` ends with. */
function alternatives(rule: string, after: string): string[] {
  const match = grammar.repository[rule]!.match;
  const start = match.indexOf(after) + after.length;
  assert.ok(start >= after.length, `${rule}: ${after}`);
  return match.slice(start, match.indexOf(')', start)).split('|').sort();
}

const STATEMENT = 'keyword.other.ddl.fdw.clerk-sql';
const KEYWORD = 'keyword.other.fdw.clerk-sql';
const OPTION = 'variable.parameter.option.fdw.clerk-sql';
const OBJECT = 'string.quoted.single.sql support.constant.object.clerk-sql';
const FUNCTION = 'support.function.fdw.clerk-sql';
const QUOTE_BEGIN = 'string.quoted.single.sql punctuation.definition.string.begin.sql';
const QUOTE_END = 'string.quoted.single.sql punctuation.definition.string.end.sql';

test('grammar: the object names are exactly the catalog objects and their old names', () => {
  const names = [...CLERK_OBJECTS, ...Object.keys(OBJECT_ALIASES)];
  assert.deepEqual(alternatives('object-option', "(')("), [...names].sort());
  for (const name of names) {
    assert.deepEqual(tokenize(`options (object '${name}')`), [
      ['options', KEYWORD],
      ['object', OPTION],
      ["'", QUOTE_BEGIN],
      [name, OBJECT],
      ["'", QUOTE_END],
    ]);
  }
  // Not an object (clerk_fdw compares case-sensitively): the option name only.
  for (const value of ['user', 'Users', 'users_x']) assert.deepEqual(tokenize(`object '${value}'`), [['object', OPTION]], value);
});

test('grammar: the option names are exactly the server and table options', () => {
  assert.deepEqual(alternatives('option-name', '\\b('), [...SERVER_OPTIONS, ...TABLE_OPTIONS].sort());
  for (const name of [...SERVER_OPTIONS, ...TABLE_OPTIONS]) assert.deepEqual(tokenize(`${name} 'x'`), [[name, OPTION]]);
  // A column called like an option is not one: options come before a value.
  assert.deepEqual(tokenize('select object, api_key from t'), []);
  assert.deepEqual(alternatives('fdw-functions', '(?:'), [HANDLER, VALIDATOR].sort());
});

test('grammar: the FDW statements', () => {
  assert.deepEqual(tokenize('create foreign data wrapper w handler clerk_fdw_handler validator clerk_fdw_validator;'), [
    ['create foreign data wrapper', STATEMENT],
    ['handler', KEYWORD],
    ['clerk_fdw_handler', FUNCTION],
    ['validator', KEYWORD],
    ['clerk_fdw_validator', FUNCTION],
  ]);
  assert.deepEqual(tokenize("CREATE SERVER s FOREIGN DATA WRAPPER w OPTIONS (api_key '<clerk secret Key>', api_url 'https://x', cache_ttl '60');"), [
    ['CREATE SERVER', STATEMENT],
    ['FOREIGN DATA WRAPPER', KEYWORD],
    ['OPTIONS', KEYWORD],
    ['api_key', OPTION],
    ['api_url', OPTION],
    ['cache_ttl', OPTION],
  ]);
  assert.deepEqual(tokenize("create foreign table t (server_id text) server s options (object 'users');").map(([text]) => text), [
    'create foreign table',
    'server',
    'options',
    'object',
    "'",
    'users',
    "'",
  ]);
  const statements: [string, string[]][] = [
    ["alter server s options (set api_url 'https://x')", ['alter server', 'options', 'api_url']],
    ['alter foreign table t options (drop object)', ['alter foreign table', 'options']],
    ['drop foreign data wrapper if exists w cascade', ['drop foreign data wrapper']],
    ['drop server s', ['drop server']],
    ['drop  foreign\ttable t', ['drop  foreign\ttable']],
    ['import foreign schema clerk limit to (clerk_users) from server s into public', ['import foreign schema', 'limit to', 'from server']],
    ['create user mapping for current_user server s', ['create user mapping', 'server']],
  ];
  for (const [line, expected] of statements) assert.deepEqual(tokenize(line).map(([text]) => text), expected, line);
  assert.equal(tokenize('import foreign schema clerk from server s into public')[0]![1], STATEMENT);
});
