// Finding keys written inline, so the extension can move them to its secret store before a cell
// runs: which server and origin each key belongs to, the literal's exact range, and that the
// cell rewritten with the placeholder runs against the store's key.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SqlParser } from '../../src/fdw/sql/parser.js';
import { findInlineKeys, KEY_PLACEHOLDER, mayHoldKey, notebookServers, withPlaceholders } from '../../src/fdw/runtime/inlineKeys.js';
import { Runtime } from '../../src/fdw/runtime/runtime.js';
import { MemorySecretStore } from '../../src/fdw/runtime/secrets.js';
import { startSimulator } from '../../src/fdw/simulator/index.js';

let parser: SqlParser;
before(async () => {
  parser = await SqlParser.load();
});

const keysOf = (...cells: string[]) =>
  findInlineKeys(
    cells.map((c) => parser.parse(c)),
    cells.length - 1,
  );

test('a key in CREATE SERVER: its server, Clerk origin and the literal, quotes included', () => {
  const cell = "create server my_clerk_server\n  foreign data wrapper clerk_fdw\n  options (api_key 'sk_test_abc123');";
  const [found, ...rest] = keysOf(cell);
  assert.equal(rest.length, 0);
  assert.deepEqual(
    { ...found, literal: cell.slice(found!.start, found!.end) },
    {
      server: 'my_clerk_server',
      apiUrl: 'https://api.clerk.com/v1',
      key: 'sk_test_abc123',
      start: found!.start,
      end: found!.end,
      literal: "'sk_test_abc123'",
    },
  );
  assert.equal(withPlaceholders(cell, [found!]), `create server my_clerk_server\n  foreign data wrapper clerk_fdw\n  options (api_key '${KEY_PLACEHOLDER}');`);
});

test("the statement's api_url gives the origin, written before or after the key", () => {
  const cell =
    "create server a foreign data wrapper clerk_fdw options (api_key 'sk_live_1', api_url 'http://127.0.0.1:9/v1');\n" +
    "create server b foreign data wrapper clerk_fdw options (api_url 'https://eu.example.com/v1', \"api_key\" /* c */ 'sk_test_2')";
  assert.deepEqual(
    keysOf(cell).map((k) => [k.server, k.apiUrl, k.key]),
    [
      ['a', 'http://127.0.0.1:9/v1', 'sk_live_1'],
      ['b', 'https://eu.example.com/v1', 'sk_test_2'],
    ],
  );
});

test("ALTER SERVER takes the api_url an earlier cell gave the server, and a later one's change", () => {
  const earlier = "create server s foreign data wrapper clerk_fdw options (api_url 'https://eu.example.com/v1')";
  assert.deepEqual(
    keysOf(earlier, "alter server s options (add api_key 'sk_test_9')").map((k) => k.apiUrl),
    ['https://eu.example.com/v1'],
  );
  assert.deepEqual(
    keysOf(earlier, "alter server s options (drop api_url, set api_key 'sk_test_9')").map((k) => k.apiUrl),
    ['https://api.clerk.com/v1'],
  );
  // A server created again without api_url is back at Clerk's.
  const recreated = 'drop server s; create server s foreign data wrapper clerk_fdw';
  assert.deepEqual(
    keysOf(earlier, recreated, "alter server s options (add api_key 'sk_test_9')").map((k) => k.apiUrl),
    ['https://api.clerk.com/v1'],
  );
});

test('placeholders, keys in comments or strings elsewhere, and unusual spellings are not moved', () => {
  assert.deepEqual(keysOf("create server s foreign data wrapper clerk_fdw options (api_key '<clerk secret Key>')"), []);
  assert.deepEqual(keysOf("-- api_key 'sk_test_1'\nselect 'sk_test_1' as api_key"), []);
  // E'…' is left in place (the runtime redacts it): the literal is not the plain quoted key.
  assert.deepEqual(keysOf("create server s foreign data wrapper clerk_fdw options (api_key E'sk_test_1')"), []);
  assert.equal(mayHoldKey('select 1'), false);
  assert.equal(mayHoldKey("options (api_key 'sk_live_x')"), true);
});

test('UTF-16 offsets after non-ASCII text, and several keys in one cell replaced at once', () => {
  const cell =
    "-- clé 🔑\ncreate server a foreign data wrapper clerk_fdw options (api_key 'sk_test_a');\n" +
    "create server b foreign data wrapper clerk_fdw options (api_key 'sk_test_b');";
  const keys = keysOf(cell);
  assert.deepEqual(
    keys.map((k) => cell.slice(k.start, k.end)),
    ["'sk_test_a'", "'sk_test_b'"],
  );
  const rewritten = withPlaceholders(cell, keys);
  assert.ok(!rewritten.includes('sk_test_'));
  assert.equal(rewritten.split(KEY_PLACEHOLDER).length, 3);
  assert.ok(rewritten.startsWith('-- clé 🔑\n'));
});

test('the rewritten cell runs with the key from the store, and no output holds it', async () => {
  const sim = await startSimulator({ seed: 3, users: 40, rateLimit: false });
  const secrets = new MemorySecretStore();
  const rt = await Runtime.start({ secrets });
  try {
    const cell = `create foreign data wrapper clerk_fdw handler clerk_fdw_handler validator clerk_fdw_validator;
create server c foreign data wrapper clerk_fdw options (api_url '${sim.url}', api_key '${sim.secretKey}');
create foreign table users (id text, email text) server c options (object 'users');
select count(*) from users`;
    const keys = keysOf(cell);
    assert.equal(keys.length, 1);
    for (const k of keys) secrets.set(k.server, new URL(k.apiUrl).origin, k.key);
    const results = await rt.execute(withPlaceholders(cell, keys));
    assert.equal(results.at(-1)!.rows[0]![0], 40n);
    assert.ok(!JSON.stringify(results, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)).includes(sim.secretKey));
  } finally {
    await rt.close();
    await sim.close();
  }
});

test('a key in a statement still being typed (it does not parse yet) is found too', () => {
  const earlier = "create server s foreign data wrapper clerk_fdw options (api_url 'https://eu.example.com/v1')";
  const cases: [string[], string, [string, string, string]][] = [
    [
      [],
      "create server My_Server foreign data wrapper clerk_fdw options (api_key 'sk_live_abc123'",
      ['my_server', 'https://api.clerk.com/v1', 'sk_live_abc123'],
    ],
    [
      [],
      'create server "My Server" foreign data wrapper clerk_fdw options (api_key \'sk_test_abc123',
      ['My Server', 'https://api.clerk.com/v1', 'sk_test_abc123'],
    ],
    [[], "create server x foreign data wrapper w options (api_url 'http://127.0.0.1:9/v1', api_key 'sk_test_9'", ['x', 'http://127.0.0.1:9/v1', 'sk_test_9']],
    [[earlier], "select 1;\nalter server s options (set api_key 'sk_live_77' ", ['s', 'https://eu.example.com/v1', 'sk_live_77']],
  ];
  for (const [before, cell, expected] of cases) {
    const parsed = parser.parse(cell);
    assert.ok(parsed.errors.length > 0, `${cell} does not parse`);
    const keys = keysOf(...before, cell);
    assert.deepEqual(
      keys.map((k) => [k.server, k.apiUrl, k.key]),
      [expected],
      cell,
    );
    assert.ok(!withPlaceholders(cell, keys).includes(expected[2]), cell);
  }
  // Not a server statement, or not a key's shape: nothing.
  assert.deepEqual(keysOf("select 'sk_live_abc' from"), []);
  assert.deepEqual(keysOf("create server x foreign data wrapper w options (api_key '<clerk secret Key>'"), []);
});

test("a server's servers and addresses: a second CREATE of an existing server changes nothing; DROP forgets it", () => {
  const cells = [
    "create server a foreign data wrapper w options (api_url 'http://127.0.0.1:9/v1')",
    "create server a foreign data wrapper w options (cache_ttl '5', api_key 'sk_test_dup')",
    "create server b foreign data wrapper w; drop server b; create server b foreign data wrapper w options (api_url 'https://eu.example.com/v1')",
  ].map((c) => parser.parse(c));
  assert.deepEqual(notebookServers(cells), [
    { server: 'a', apiUrl: 'http://127.0.0.1:9/v1' },
    { server: 'b', apiUrl: 'https://eu.example.com/v1' },
  ]);
  // The failing CREATE's key is still found, for the server as it exists.
  assert.deepEqual(
    findInlineKeys(cells, 1).map((k) => [k.server, k.apiUrl, k.key]),
    [['a', 'http://127.0.0.1:9/v1', 'sk_test_dup']],
  );
});
