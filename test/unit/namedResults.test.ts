// Named cell results: a cell whose leading comments say `-- name: signups` keeps its last query's
// result as the table signups, which later cells query; re-made when the cell runs again; the
// language server knows it and its columns.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CellError, Runtime } from '../../src/fdw/runtime/runtime.js';
import { EnvironmentSecretStore } from '../../src/fdw/runtime/secrets.js';
import { startSimulator, type Simulator } from '../../src/fdw/simulator/index.js';
import { resultNameOf } from '../../src/fdw/sql/resultName.js';
import { SqlParser } from '../../src/fdw/sql/parser.js';
import { NotebookAnalyzer } from '../../src/language/analysis/analyze.js';
import { completeAt } from '../../src/language/analysis/completion.js';
import { hoverAt } from '../../src/language/analysis/hover.js';

const SETUP = `create foreign data wrapper clerk_wrapper handler clerk_fdw_handler validator clerk_fdw_validator;
create server clerk_server foreign data wrapper clerk_wrapper options (api_key '<clerk secret Key>');
create foreign table users (id text, created_at timestamptz, last_active_at timestamptz) server clerk_server options (object 'users');`;

const SIGNUPS = `-- Sign-ups per month
-- name: signups
select date_trunc('month', created_at) as month, count(*) as sign_ups
from users group by 1 order by 1 desc`;

test('the name comes from a leading comment only', () => {
  assert.deepEqual(resultNameOf('-- name: Signups\nselect 1'), { name: 'signups', start: 9, end: 16 });
  assert.equal(resultNameOf('select 1 -- name: later'), undefined);
  assert.equal(resultNameOf('-- name: two words\nselect 1'), undefined);
  assert.equal(resultNameOf('/* block */ -- name: x\nselect 1'), undefined);
});

describe('in the runtime', () => {
  let sim: Simulator;
  let rt: Runtime;
  before(async () => {
    sim = await startSimulator({ seed: 5, users: 600, orgs: 10, memberships: 50, rateLimit: false });
    rt = await Runtime.start({ secrets: new EnvironmentSecretStore(sim.secretKey, new URL(sim.url).origin), apiUrlOverride: sim.url });
    await rt.execute(SETUP);
  });
  after(async () => {
    await rt.close();
    await sim.close();
  });

  test('a later cell queries the named result; the cell shows the same rows, in its order', async () => {
    const [shown] = await rt.execute(SIGNUPS);
    assert.ok(shown!.rows.length > 3);
    const [kept] = await rt.execute('select * from signups');
    assert.deepEqual(kept!.rows, shown!.rows);
    assert.deepEqual(
      kept!.columns.map((c) => c.name),
      ['month', 'sign_ups'],
    );
    const [total] = await rt.execute('select sum(sign_ups)::int as n from signups');
    assert.deepEqual(total!.rows, [[600]]);
  });

  test('running the cell again re-makes the table with the new result', async () => {
    await rt.execute('-- name: picked\nselect 1 as a');
    await rt.execute('-- name: picked\nselect 2 as b, 3 as c');
    const [r] = await rt.execute('select * from picked');
    assert.deepEqual(
      r!.columns.map((c) => c.name),
      ['b', 'c'],
    );
    assert.deepEqual(r!.rows, [[2, 3]]);
  });

  test('only the last statement is kept; a last statement that is not a query says so', async () => {
    const results = await rt.execute('-- name: not_kept\nselect 1 as x;\ncreate table plain (n int)');
    assert.match(results.at(-1)!.notices.join('\n'), /the cell is named "not_kept" .* its last statement is not a query: no table "not_kept" was made/);
    const error = await rt.execute('select * from not_kept').then(
      () => assert.fail('not_kept exists'),
      (e: unknown) => e as CellError,
    );
    assert.match(error.message, /relation "not_kept" does not exist/);
  });

  test("an error in the named query points at the cell's text", async () => {
    const text = '-- name: broken\nselect no_such_column from users';
    const error = await rt.execute(text).then(
      () => assert.fail('expected an error'),
      (e: unknown) => e as CellError,
    );
    assert.ok(error instanceof CellError);
    assert.match(error.message, /column "no_such_column" does not exist/);
    assert.deepEqual(error.position, { offset: text.indexOf('no_such_column'), line: 1, character: 7 });
  });
});

describe('in the editor', () => {
  let analyzer: NotebookAnalyzer;
  before(async () => {
    analyzer = new NotebookAnalyzer(await SqlParser.load());
  });

  test('later cells know the table and its columns (from the query, * expanded)', () => {
    const cells = [SETUP, SIGNUPS, '-- name: recent\nselect u.*, 1::bigint as one from users u', 'select  from signups s'];
    const analysed = analyzer.analyze(cells).cells;
    for (const cell of analysed.slice(1)) assert.deepEqual(cell.diagnostics, []);
    const columns = completeAt(cells[3]!, 'select '.length, analysed[3]!.scope).map((e) => e.label);
    assert.ok(columns.includes('month') && columns.includes('sign_ups'), columns.join());
    assert.deepEqual(analysed[3]!.scope.namedResults, [
      {
        name: 'signups',
        columns: [
          { name: 'month', type: '' },
          { name: 'sign_ups', type: 'bigint' },
        ],
      },
      {
        name: 'recent',
        columns: [
          { name: 'id', type: 'text' },
          { name: 'created_at', type: 'timestamptz' },
          { name: 'last_active_at', type: 'timestamptz' },
          { name: 'one', type: 'int8' },
        ],
      },
    ]);
    const hover = hoverAt(analysed[1]!, cells[1]!.indexOf('signups') + 2);
    assert.match(hover!.markdown, /this cell's result, kept as a table/);
    assert.match(hover!.markdown, /`sign_ups` bigint/);
    const names = completeAt('select * from ', 14, analysed[3]!.scope).filter((e) => e.detail === 'named cell result');
    assert.deepEqual(
      names.map((e) => e.label),
      ['signups', 'recent'],
    );
  });

  test('a name on a cell whose last statement is not a query is a warning on the name', () => {
    const [cell] = analyzer.analyze(['-- name: nothing\ncreate table t (n int)']).cells;
    assert.deepEqual(
      cell!.diagnostics.map((d) => [d.code, d.message.split('\n')[0], d.range.start]),
      [['named-result-not-query', 'the cell\'s last statement is not a query: no table "nothing" is kept', { line: 0, character: 9 }]],
    );
  });
});
