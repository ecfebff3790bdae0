// A Clerk secret key written where it should not be (a statement that does not parse, an
// unquoted key, a key with `-` or `.`, a key in another option) reaches no error of the
// runtime and no diagnostic of the language server, in whole or in part.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { redactSecrets } from '../../src/fdw/clerk/errors.js';
import { CellError, Runtime } from '../../src/fdw/runtime/runtime.js';
import { MemorySecretStore } from '../../src/fdw/runtime/secrets.js';
import { SqlParser } from '../../src/fdw/sql/parser.js';
import { NotebookAnalyzer } from '../../src/language/analysis/analyze.js';

/** A key with the characters that were left unmasked, and the pieces of it that must never show. */
const KEY = 'sk_live_Fake0Key-With.Dots_and-dashes99';
const PIECES = ['Fake0Key', 'With', 'Dots', 'dashes99'];

/** Statements that carry KEY into a parser's or Postgres's message. */
const LEAKY_STATEMENTS = [
  `create server s foreign data wrapper w options (api_key '${KEY});`,
  `create server s foreign data wrapper w options (api_key ${KEY});`,
  `create server s foreign data wrapper w options (api_key E'${KEY});`,
  `create server s foreign data wrapper w options (api_key $$${KEY});`,
  `create server s foreign data wrapper w options (api_key "${KEY}');`,
  `select '${KEY}'::int;`,
];

function assertNoKey(text: string, where: string): void {
  for (const piece of PIECES) assert.ok(!text.includes(piece), `${where} shows "${piece}" of the key: ${text}`);
}

test('the masking function masks a key whole, whatever follows sk_live_ up to a space or quote', () => {
  assert.equal(redactSecrets(`near "'${KEY});"`), `near "'sk_live_***"`);
  assert.equal(redactSecrets(`at or near "${KEY}"`), 'at or near "sk_live_***"');
  assert.equal(redactSecrets(`a key ${KEY} and sk_test_x.y`), 'a key sk_live_*** and sk_test_***');
  assert.equal(redactSecrets('keys start with sk_test_ or sk_live_ (Clerk Dashboard)'), 'keys start with sk_test_ or sk_live_ (Clerk Dashboard)');
});

describe('runtime errors', () => {
  let rt: Runtime;
  before(async () => {
    rt = await Runtime.start({ secrets: new MemorySecretStore() });
  });
  after(() => rt.close());

  for (const sql of LEAKY_STATEMENTS) {
    test(`no piece of the key in the error of: ${sql.replace(KEY, 'KEY')}`, async () => {
      const err = await rt.execute(sql).then(
        () => assert.fail('expected an error'),
        (e: unknown) => e as CellError,
      );
      assert.ok(err instanceof CellError, String(err));
      assertNoKey([err.message, err.detail, err.hint, err.stack, JSON.stringify(err)].join('\n'), 'the error');
    });
  }
});

describe('language server diagnostics', () => {
  let analyzer: NotebookAnalyzer;
  before(async () => {
    analyzer = new NotebookAnalyzer(await SqlParser.load());
  });

  const unparsable = LEAKY_STATEMENTS.filter((sql) => sql.startsWith('create server'));
  for (const sql of [...unparsable, `create server s foreign data wrapper w options (api_url '${KEY}');`]) {
    test(`no piece of the key in the diagnostics of: ${sql.replace(KEY, 'KEY')}`, () => {
      const [cell] = analyzer.analyze([sql]).cells;
      assert.ok(cell!.diagnostics.length > 0);
      assertNoKey(JSON.stringify(cell!.diagnostics), 'a diagnostic');
    });
  }
});
