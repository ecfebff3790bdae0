import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SqlParser } from '../../src/fdw/sql/parser.js';
import { CLERK_OBJECTS } from '../../src/fdw/catalog/index.js';
import { NotebookAnalyzer } from '../../src/language/analysis/analyze.js';
import { actionsAt } from '../../src/language/analysis/codeActions.js';
import { COMMANDS } from '../../src/ids.js';
import { completeAt, setupSnippetText } from '../../src/language/analysis/completion.js';
import { hoverAt } from '../../src/language/analysis/hover.js';

let analyzer: NotebookAnalyzer;
before(async () => {
  analyzer = new NotebookAnalyzer(await SqlParser.load());
});

const SETUP = [
  'create foreign data wrapper clerk_wrapper handler clerk_fdw_handler validator clerk_fdw_validator;',
  "create server clerk_server foreign data wrapper clerk_wrapper options (api_url 'https://api.clerk.com/v1');",
  "create foreign table clerk_users (user_id text, email text, created_at timestamptz) server clerk_server options (object 'users');",
];

const at = (text: string, needle: string, delta = 0) => {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, needle);
  return i + delta;
};

function hover(cells: string[], cell: number, needle: string, delta = 1): string | undefined {
  const result = analyzer.analyze(cells);
  return hoverAt(result.cells[cell]!, at(cells[cell]!, needle, delta))?.markdown;
}

test('hover: object, declared column with its declared type, option, wrapper and server names', () => {
  const table = SETUP[2]!;
  assert.match(hover(SETUP, 2, "'users'")!, /^\*\*Clerk object `users`\*\*/);
  const created = hover(SETUP, 2, 'created_at')!;
  assert.match(created, /^\*\*created_at\*\*/);
  assert.match(created, /`timestamptz`[^\n]*← this table/);
  assert.match(hover(SETUP, 2, 'object')!, /foreign table option/);
  assert.match(hover(SETUP, 1, 'api_url')!, /^\*\*api_url\*\*/);
  assert.match(hover(SETUP, 1, 'clerk_wrapper')!, /Foreign-data wrapper `clerk_wrapper`/);
  assert.match(hover(SETUP, 2, 'clerk_server')!, /Server `clerk_server`/);
  assert.match(hover(SETUP, 0, 'clerk_fdw_handler')!, /handler function/);
  assert.equal(hover(SETUP, 2, table.slice(0, 6), 0), undefined); // `create`: nothing to say
});

test('hover: columns and tables in queries', () => {
  const cells = [...SETUP, 'select u.email, created_at from clerk_users u;\nselect email from clerk_users'];
  const email = hover(cells, 3, 'email')!;
  assert.match(email, /^\*\*email\*\*/);
  assert.match(email, /foreign table `clerk_users`/);
  assert.match(hover(cells, 3, 'created_at')!, /← this table/);
  assert.match(hover(cells, 3, 'clerk_users')!, /^\*\*Foreign table `clerk_users`\*\* — Clerk object `users`/);
});

const labels = (text: string, offset: number, cells = SETUP) => {
  const result = analyzer.analyze([...cells, text]);
  return completeAt(text, offset, result.cells.at(-1)!.scope).map((e) => e.label);
};

test("completion: object names inside object '...'", () => {
  const text = "create foreign table t (user_id text) server clerk_server options (object 'us";
  assert.deepEqual(labels(text, text.length), CLERK_OBJECTS);
  const result = analyzer.analyze([text]);
  const [users] = completeAt(text, text.length, result.cells[0]!.scope);
  assert.deepEqual(users!.replace, { start: text.length - 2, end: text.length });
});

test('completion: option names for servers and tables', () => {
  const server = "create server s foreign data wrapper clerk_wrapper options (api_url 'https://x', ";
  assert.deepEqual(labels(server, server.length), ['api_key', 'api_url', 'cache_ttl']);
  const table = 'create foreign table t (user_id text) server clerk_server options (';
  assert.deepEqual(labels(table, table.length), ['object']);
});

test('completion: columns of the object inside create foreign table, without those declared', () => {
  const text = "create foreign table t (\n  user_id text,\n  \n) server clerk_server options (object 'organization_memberships');";
  const offset = at(text, '  \n)', 2);
  const result = analyzer.analyze([...SETUP, text]);
  const entries = completeAt(text, offset, result.cells.at(-1)!.scope);
  const names = entries.map((e) => e.label);
  assert.ok(names.includes('organization_id') && names.includes('role'));
  assert.ok(!names.includes('user_id'));
  const role = entries.find((e) => e.label === 'role')!;
  assert.equal(role.insertText, 'role text');
  assert.match(role.detail!, /documented/);
});

test('completion: tables after FROM, columns after alias. and in the select list, setup snippet', () => {
  assert.deepEqual(labels('select * from clerk', 19), ['clerk_users']);
  const qualified = 'select u. from clerk_users u';
  assert.deepEqual(labels(qualified, 9), ['user_id', 'email', 'created_at']);
  const list = 'select  from clerk_users';
  assert.deepEqual(labels(list, 7), ['user_id', 'email', 'created_at']);
  assert.ok(labels('', 0).includes('clerk_fdw setup'));
});

test('the setup snippet is a clean notebook once its placeholders are filled', () => {
  const text = setupSnippetText().replace(/\$\{\d+:([^}]*)\}/g, '$1');
  const result = analyzer.analyze([text, 'select email, name, role from clerk_users, clerk_organizations, clerk_organization_memberships']);
  assert.deepEqual(
    result.cells.flatMap((c) => c.diagnostics).map((d) => d.code),
    ['no-api-key', 'column-notice'],
  ); // gender is always NULL
});

test('code actions: replace an unknown column, add the documented columns', () => {
  const text = "create foreign table t (\n  user_id text,\n  emial text\n) server clerk_server options (object 'users');";
  const result = analyzer.analyze([...SETUP, text]);
  const cell = result.cells.at(-1)!;
  const [diagnostic] = cell.diagnostics;
  const [fix] = actionsAt(cell, diagnostic!.range);
  assert.equal(fix!.title, 'Change to email');
  assert.ok(fix && 'edit' in fix);
  assert.deepEqual(fix.edit, { range: diagnostic!.range, newText: 'email' });
  const objectRange = { start: { line: 3, character: 40 }, end: { line: 3, character: 40 } };
  const add = actionsAt(cell, objectRange).find((a) => a.title.startsWith('Add the documented columns'));
  assert.ok(add && 'edit' in add);
  assert.deepEqual(add.edit.range, { start: { line: 2, character: 12 }, end: { line: 2, character: 12 } });
  assert.match(add.edit.newText, /^,\n {2}first_name text,\n {2}last_name text,\n {2}email text,/);
  // Applying it gives a table with every documented column.
  const lines = text.split('\n');
  lines[2] = lines[2]!.slice(0, 12) + add.edit.newText + lines[2]!.slice(12);
  const fixed = analyzer.analyze([...SETUP, lines.join('\n')]);
  assert.deepEqual(
    fixed.cells.at(-1)!.diagnostics.map((d) => d.code),
    ['HV005', 'column-notice'],
  );
});

test('code actions: a timestamp declared text gets a notice on its type, fixed to timestamptz or bigint', () => {
  const text = "create foreign table t (\n  user_id text,\n  created_at text\n) server clerk_server options (object 'users');";
  const cell = analyzer.analyze([...SETUP, text]).cells.at(-1)!;
  const [diagnostic, ...others] = cell.diagnostics;
  assert.deepEqual(others, []);
  assert.equal(diagnostic!.code, 'column-notice');
  assert.equal(diagnostic!.severity, 3);
  assert.match(diagnostic!.message, /^column "created_at" declared text holds milliseconds since the Unix epoch as digits/);
  // The type is underlined, not the name.
  assert.deepEqual(diagnostic!.range, { start: { line: 2, character: 13 }, end: { line: 2, character: 17 } });
  const actions = actionsAt(cell, diagnostic!.range);
  assert.deepEqual(
    actions.map((a) => [a.title, a.preferred, 'edit' in a ? a.edit.newText : undefined]),
    [
      ['Change to timestamptz', true, 'timestamptz'],
      ['Change to bigint', false, 'bigint'],
    ],
  );
  const fixed = text.replace('created_at text', 'created_at timestamptz');
  assert.deepEqual(analyzer.analyze([...SETUP, fixed]).cells.at(-1)!.diagnostics, []);
});

test('code actions: an inline secret key can be moved to SecretStorage, a placeholder has nothing to move', () => {
  const server = (key: string) => `create server s foreign data wrapper clerk_wrapper options (api_key '${key}');`;
  const whole = { start: { line: 0, character: 0 }, end: { line: 0, character: 200 } };
  const inline = analyzer.analyze([SETUP[0]!, server('sk_live_0123456789abcdef')]).cells[1]!;
  const [secret] = inline.diagnostics;
  assert.equal(secret!.code, 'inline-secret');
  assert.deepEqual(
    actionsAt(inline, secret!.range).map((a) => ({ title: a.title, command: 'command' in a ? a.command : undefined, fixes: a.diagnostic })),
    [{ title: 'Move the key to SecretStorage', command: COMMANDS.moveInlineKeys, fixes: secret }],
  );
  assert.equal(COMMANDS.moveInlineKeys, 'clerkSql.moveInlineKeys');
  for (const placeholder of ['<clerk secret Key>', 'sk_live_', '']) {
    const cell = analyzer.analyze([SETUP[0]!, server(placeholder)]).cells[1]!;
    assert.deepEqual(
      cell.diagnostics.map((d) => d.code),
      ['api-key-placeholder'],
      placeholder,
    );
    assert.deepEqual(actionsAt(cell, whole), [], placeholder);
  }
});

test('latency: diagnostics of a 300-cell notebook after one edit', () => {
  const queries = [
    'select u.email, count(*) from clerk_users u group by 1 order by 2 desc limit 10',
    "select * from clerk_users where email like '%@example.com' and created_at > now() - interval '7 days'",
    'with recent as (select * from clerk_users order by created_at desc limit 5) select r.user_id, r.emial from recent r',
  ];
  const cells = [...SETUP, ...Array.from({ length: 297 }, (_, i) => `${queries[i % 3]} -- ${i}`)];
  analyzer.analyze(cells); // first analysis: parses everything
  const edited = [...cells];
  edited[150] = 'select u.emial from clerk_users u';
  const start = performance.now();
  const result = analyzer.analyze(edited);
  const ms = performance.now() - start;
  assert.equal(result.cells[150]!.diagnostics.length, 1);
  console.log(`# 300-cell notebook, re-analysis after one edit: ${ms.toFixed(1)} ms`);
  assert.ok(ms < 1000, `${ms} ms`);
});

test('completion helps typing: no list opened by a comma, nor by a space in a column list; Ctrl+Space still offers', () => {
  const result = (text: string) => analyzer.analyze([...SETUP, text]).cells.at(-1)!.scope;
  const list = 'create foreign table t (\n  user_id text,';
  const ddl = `${list}\n) server clerk_server options (object 'users');`;
  assert.deepEqual(completeAt(ddl, list.length, result(ddl), ','), [], 'a comma opens nothing: Enter stays a new line');
  const spaced = `${list} `;
  assert.deepEqual(completeAt(spaced + ')', spaced.length, result(spaced), ' '), []);
  assert.ok(
    completeAt(ddl, list.length, result(ddl)).some((e) => e.label === 'first_name'),
    'asked for, the columns are offered',
  );
  const select = 'select user_id,';
  assert.deepEqual(completeAt(select, select.length, result(select), ','), []);
  // A space after FROM still opens the tables.
  const from = 'select * from ';
  assert.ok(completeAt(from, from.length, result(from), ' ').some((e) => e.label === 'clerk_users'));
  // `options (` opens the options.
  const options = 'create foreign table t2 (user_id text) server clerk_server options (';
  assert.deepEqual(
    completeAt(options + ')', options.length, result(options), '(').map((e) => e.label),
    ['object'],
  );
});

test('completion: before the object is known, no columns of other objects; a documented table name tells the object', () => {
  const open = 'create foreign table my_table (\n  ';
  assert.deepEqual(labels(open, open.length), []);
  const documented = 'create foreign table clerk_organizations (\n  organization_id text,\n  ';
  const names = labels(documented, documented.length);
  assert.ok(names.includes('name') && names.includes('slug') && !names.includes('organization_id') && !names.includes('email'), names.join());
  assert.equal(new Set(names).size, names.length, 'no duplicates');
});

test('the simulator: no key to ask for, its parameters checked', () => {
  const ok = analyzer.analyze([
    "create foreign data wrapper w handler clerk_fdw_handler validator clerk_fdw_validator;\ncreate server s foreign data wrapper w options (api_url 'simulator:?users=100&seed=2');",
  ]);
  assert.deepEqual(
    ok.cells[0]!.diagnostics.map((d) => d.code),
    [],
  );
  const bad = analyzer.analyze([
    "create foreign data wrapper w handler clerk_fdw_handler validator clerk_fdw_validator;\ncreate server s foreign data wrapper w options (api_url 'simulator:?user=100');",
  ]);
  assert.deepEqual(
    bad.cells[0]!.diagnostics.map((d) => [d.code, d.message]),
    [
      [
        'HV024',
        'invalid value for option "api_url": unknown simulator parameter "user" (did you mean "users"?); parameters: users, seed, orgs, memberships, latency_ms, key',
      ],
    ],
  );
});
