// The TextMate grammar (syntaxes/clerk-sql.tmLanguage.json) against the catalog it names, and its
// scopes on FDW statements, tokenized by VS Code's own engine (vscode-textmate with the
// Oniguruma WASM). The SQL grammar it includes is VS Code's built-in one, not on npm: its rules
// do not run here, so only this grammar's own rules give scopes.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { INITIAL, parseRawGrammar, Registry, type IGrammar } from 'vscode-textmate';
import { loadWASM, OnigScanner, OnigString } from 'vscode-oniguruma';
import { CLERK_OBJECTS, OBJECT_ALIASES } from '../../src/fdw/catalog/index.js';
import { HANDLER, VALIDATOR } from '../../src/fdw/runtime/fdwCatalog.js';
import { SERVER_OPTIONS, TABLE_OPTIONS } from '../../src/fdw/runtime/serverOptions.js';

const GRAMMAR_FILE = 'syntaxes/clerk-sql.tmLanguage.json';
const grammar = JSON.parse(readFileSync(GRAMMAR_FILE, 'utf8')) as { repository: Record<string, { match: string }> };
let engine: IGrammar;

before(async () => {
  const wasm = readFileSync(createRequire(import.meta.url).resolve('vscode-oniguruma/release/onig.wasm'));
  await loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new Registry({
    onigLib: Promise.resolve({ createOnigScanner: (patterns) => new OnigScanner(patterns), createOnigString: (text) => new OnigString(text) }),
    loadGrammar: async (scope) => (scope === 'source.clerk-sql' ? parseRawGrammar(readFileSync(GRAMMAR_FILE, 'utf8'), GRAMMAR_FILE) : null),
  });
  const loaded = await registry.loadGrammar('source.clerk-sql');
  assert.ok(loaded, 'the grammar loads');
  engine = loaded;
});

/** [text, scopes below the root, space-separated] of every token that has any. */
function tokenize(line: string): [string, string][] {
  return engine
    .tokenizeLine(line, INITIAL)
    .tokens.map((t): [string, string] => [line.slice(t.startIndex, t.endIndex), t.scopes.slice(1).join(' ')])
    .filter(([, scope]) => scope !== '');
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
  assert.deepEqual(
    tokenize("create foreign table t (server_id text) server s options (object 'users');").map(([text]) => text),
    ['create foreign table', 'server', 'options', 'object', "'", 'users', "'"],
  );
  const statements: [string, string[]][] = [
    ["alter server s options (set api_url 'https://x')", ['alter server', 'options', 'api_url']],
    ['alter foreign table t options (drop object)', ['alter foreign table', 'options']],
    ['drop foreign data wrapper if exists w cascade', ['drop foreign data wrapper']],
    ['drop server s', ['drop server']],
    ['drop  foreign\ttable t', ['drop  foreign\ttable']],
    ['import foreign schema clerk limit to (clerk_users) from server s into public', ['import foreign schema', 'limit to', 'from server']],
    ['create user mapping for current_user server s', ['create user mapping', 'server']],
  ];
  for (const [line, expected] of statements)
    assert.deepEqual(
      tokenize(line).map(([text]) => text),
      expected,
      line,
    );
  assert.equal(tokenize('import foreign schema clerk from server s into public')[0]![1], STATEMENT);
});

test('grammar: psql variables and meta-commands', () => {
  const VARIABLE = 'variable.other.psql.clerk-sql';
  assert.deepEqual(tokenize("\\set since '2025-01-01'"), [
    ['\\set', 'keyword.control.psql.clerk-sql'],
    ['since', VARIABLE],
    [" '2025-01-01'", 'string.unquoted.psql.clerk-sql'],
  ]);
  assert.deepEqual(tokenize(`where created_at > :since and x = :'s' or :"c" = y::int`), [
    [':since', VARIABLE],
    [":'s'", VARIABLE],
    [':"c"', VARIABLE],
  ]);
  assert.deepEqual(tokenize('\\gexec'), [['\\gexec', 'invalid.illegal.psql.clerk-sql']]);
});
