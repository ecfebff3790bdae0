// The FDW DDL rules live once (FdwCatalog.check): the runtime raises the first problem of a
// statement and the language server shows every one, with the same code, message and place. Each
// case runs in a real runtime (against the simulator) and in the analyzer, after the same setup.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { NotebookAnalyzer } from '../../src/language/analysis/analyze.js';
import { Severity } from '../../src/language/analysis/model.js';
import { CellError, Runtime } from '../../src/fdw/runtime/runtime.js';
import { EnvironmentSecretStore } from '../../src/fdw/runtime/secrets.js';
import { SqlParser } from '../../src/fdw/sql/parser.js';
import { namesAfter } from '../../src/fdw/sql/tokens.js';
import { startSimulator, type Simulator } from '../../src/fdw/simulator/index.js';

const SETUP = [
  'create foreign data wrapper clerk_wrapper handler clerk_fdw_handler validator clerk_fdw_validator;',
  "create server my_clerk_server foreign data wrapper clerk_wrapper options (api_key '<clerk secret Key>');",
  "create foreign table clerk_users (user_id text, email text, created_at bigint) server my_clerk_server options (object 'users');",
];

let sim: Simulator;
let rt: Runtime;
let analyzer: NotebookAnalyzer;
before(async () => {
  sim = await startSimulator({ seed: 3, users: 20, orgs: 2, memberships: 4, rateLimit: false });
  rt = await Runtime.start({ secrets: new EnvironmentSecretStore(sim.secretKey, new URL(sim.url).origin), apiUrlOverride: sim.url });
  for (const cell of SETUP) await rt.execute(cell);
  analyzer = new NotebookAnalyzer(await SqlParser.load());
});
after(async () => {
  await rt.close();
  await sim.close();
});

/** [statement, the problems the editor shows (code and the text it marks, in order)]. */
const cases: [string, [string, string][]][] = [
  ['create foreign data wrapper clerk_wrapper handler clerk_fdw_handler', [['42710', 'clerk_wrapper']]],
  [
    "create foreign data wrapper w2 handler public.postgres_fdw_handler validator nope_validator options (x '1')",
    [
      ['42883', 'public.postgres_fdw_handler'],
      ['42883', 'nope_validator'],
      ['HV00D', 'x'],
    ],
  ],
  [
    "create server s2 foreign data wrapper nope options (api_kye 'x', cache_ttl 'soon')",
    [
      ['42704', 'nope'],
      ['HV00D', 'api_kye'],
      ['HV024', "'soon'"],
    ],
  ],
  ['create server "My Server" /* a comment */ foreign\n  data -- another\n  wrapper "No Such"', [['42704', '"No Such"']]],
  [
    "create server my_clerk_server foreign data wrapper clerk_wrapper options (cache_ttl '1', cache_ttl '2')",
    [
      ['42710', 'my_clerk_server'],
      ['42710', 'cache_ttl'],
    ],
  ],
  [
    "create foreign table t1 (user_id text, emial text, created_at boolean) server nope options (object 'users')",
    [
      ['HV005', 'emial'],
      ['HV004', 'boolean'],
      ['42704', 'nope'],
    ],
  ],
  ['create foreign table t2 (user_id text) server my_clerk_server', [['HV00J', 't2']]],
  [
    "create foreign table s.t3 (user_id text) server my_clerk_server options (object 'userz', objekt 'x')",
    [
      ['HV024', "'userz'"],
      ['HV00D', 'objekt'],
    ],
  ],
  ["create foreign table clerk_users (user_id text) server my_clerk_server options (object 'users')", [['42P07', 'clerk_users']]],
  ["alter server nope options (add cache_ttl '1')", [['42704', 'nope']]],
  [
    "alter server my_clerk_server options (set api_url 'http://api.clerk.com/v1', add cache_ttl 'x', drop api_url)",
    [
      ['42704', 'api_url'],
      ['HV024', "'x'"],
      ['42704', 'api_url'],
    ],
  ],
  ['drop server if exists nope, my_clerk_server', [['2BP01', 'my_clerk_server']]],
  ['drop foreign table clerk_users, public.nope', [['42P01', 'public.nope']]],
  ['drop foreign data wrapper clerk_wrapper', [['2BP01', 'clerk_wrapper']]],
  [
    'import foreign schema clerk limit to (clerk_organizations, clerk_orgs) from server nope into public',
    [
      ['HV024', 'clerk_orgs'],
      ['42704', 'nope'],
    ],
  ],
  ["alter foreign table nope options (set object 'users')", [['42P01', 'nope']]],
  ["alter foreign table clerk_users options (set objekt 'users')", [['HV00D', 'objekt']]],
];

for (const [sql, expected] of cases) {
  test(sql.replace(/\s+/g, ' '), async () => {
    const error = await rt.execute(sql).then(
      () => assert.fail('the runtime ran it'),
      (e: unknown) => (e instanceof CellError ? e : assert.fail(String(e))),
    );
    const diagnostics = analyzer
      .analyze([...SETUP, sql])
      .cells.at(-1)!
      .diagnostics.filter((d) => d.severity === Severity.Error);
    const marked = (d: (typeof diagnostics)[number]) => {
      const lines = sql.split('\n');
      const { start, end } = d.range;
      return start.line === end.line ? lines[start.line]!.slice(start.character, end.character) : '';
    };
    assert.deepEqual(
      diagnostics.map((d) => [d.code, marked(d)]),
      expected,
    );
    // The runtime's error is the editor's first, at the same place.
    const first = diagnostics[0]!;
    assert.equal(error.code, first.code);
    assert.equal(first.message.split('\n')[0], error.message);
    assert.deepEqual([error.position?.line, error.position?.character], [first.range.start.line, first.range.start.character]);
  });
}

test('a statement-wide problem points at the statement: its start in the runtime, its first word in the editor', async () => {
  const sql = "create server s9 type 'x' foreign data wrapper clerk_wrapper";
  const error = await rt.execute(sql).then(
    () => assert.fail('the runtime ran it'),
    (e: unknown) => (e instanceof CellError ? e : assert.fail(String(e))),
  );
  assert.equal(error.message, 'clerk_fdw servers take no TYPE or VERSION');
  assert.deepEqual([error.position?.line, error.position?.character], [0, 0]);
  const [d] = analyzer
    .analyze([...SETUP, sql])
    .cells.at(-1)!
    .diagnostics.filter((x) => x.severity === Severity.Error);
  assert.deepEqual([d!.code, d!.range.start, d!.range.end], ['0A000', { line: 0, character: 0 }, { line: 0, character: 6 }]);
});

test('a broken table is reported where it is defined, not again where it is altered or dropped', () => {
  const cells = [
    ...SETUP,
    "create foreign table bad (user_id text) server my_clerk_server options (object 'nothing')",
    "drop foreign table bad;\nalter foreign table bad options (set object 'users')",
  ];
  const result = analyzer.analyze(cells);
  assert.deepEqual(
    result.cells.at(-2)!.diagnostics.map((d) => d.code),
    ['HV024'],
  );
  assert.deepEqual(result.cells.at(-1)!.diagnostics, []);
});

test('namesAfter: names the tree gives without a location, through comments, quotes and IF EXISTS', () => {
  const text = 'DROP /* x */ Server IF EXISTS a, "b c" , s.d cascade';
  const spans = namesAfter(text, { start: 0, end: text.length }, ['drop', 'server']);
  assert.deepEqual(
    spans.map((s) => text.slice(s.start, s.end)),
    ['a', '"b c"', 's.d'],
  );
  assert.deepEqual(namesAfter(text, { start: 0, end: text.length }, ['create', 'server']), []);
  // The range bounds the search: a later statement's words are not this one's.
  const two = 'select 1; create server x foreign data wrapper w';
  assert.deepEqual(namesAfter(two, { start: 0, end: 8 }, ['server']), []);
});
