// psql variables: `\set` / `\unset` and `:name`, `:'name'`, `:"name"` read as psql reads them,
// every value bound as data (a number, a quoted literal or a quoted identifier, never SQL text),
// in the runtime (cells share them, errors point into the cell) and the CLI (--set).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandPsql, quoteLiteral, scanPsql, maskPsql } from '../../src/fdw/sql/psqlVariables.js';
import { CellError, Runtime } from '../../src/fdw/runtime/runtime.js';
import { EnvironmentSecretStore } from '../../src/fdw/runtime/secrets.js';
import { runCli } from '../helpers/cli.js';
import { SqlParser } from '../../src/fdw/sql/parser.js';
import { NotebookAnalyzer } from '../../src/language/analysis/analyze.js';
import { completeAt } from '../../src/language/analysis/completion.js';
import { hoverAt } from '../../src/language/analysis/hover.js';
import { Severity } from '../../src/language/analysis/model.js';

function expand(text: string, variables: Record<string, string> = {}, fixed: string[] = []) {
  const map = new Map(Object.entries(variables));
  const expansion = expandPsql(text, map, new Set(fixed));
  return { ...expansion, variables: Object.fromEntries(map) };
}

describe('reading a cell as psql does', () => {
  test('references outside strings, identifiers, dollar quotes and comments; :: is a cast', () => {
    const text = `select :a, :'b', :"c", 'x:a', "y:a", $$:a$$, x::int, e'\\':a' -- :a\n/* :a */ from t where arr[1:2] = :a;`;
    const found = scanPsql(text).map((item) => ('reference' in item ? `${item.reference.form}:${item.reference.name}` : '?'));
    assert.deepEqual(found, ['value:a', 'literal:b', 'identifier:c', 'value:a']);
  });

  test('\\set concatenates its arguments, reads quotes and escapes, and takes earlier values', () => {
    const { variables, problems, sql } = expand(`\\set a 1 2\n\\set b 'it''s\\n' x\n\\set c :a:'b' "q"\n\\set empty\nselect 1;`);
    assert.deepEqual(problems, []);
    assert.deepEqual(variables, { a: '12', b: "it's\nx", c: "12'it''s\nx'\"q\"", empty: '' });
    // The meta-commands are blanked: the statement keeps its offset in the cell.
    assert.equal(sql.indexOf('select 1;'), `\\set a 1 2\n\\set b 'it''s\\n' x\n\\set c :a:'b' "q"\n\\set empty\n`.length);
  });

  test('values are data: a number stays a number, anything else is quoted', () => {
    const vars = { n: '10', since: '2025-01-01', evil: "x'; drop table users; --", bs: "a\\'b", col: 'we"ird' };
    const { sql, problems } = expand(`select :n, :since, :evil, :'evil', :bs, :"col"`, vars);
    assert.deepEqual(problems, []);
    assert.equal(sql, `select 10, '2025-01-01', 'x''; drop table users; --', 'x''; drop table users; --',  E'a\\\\''b', "we""ird"`);
    assert.equal(quoteLiteral('plain'), "'plain'");
  });

  test('a variable not set, an unknown meta-command, a shell command: problems with their place', () => {
    const text = `select :nope;\n\\gset\n\\set x \`date\`\n\\set\n\\unset a b`;
    const { problems } = expand(text);
    assert.deepEqual(
      problems.map((p) => [p.message, text.slice(p.start, p.end)]),
      [
        ['variable "nope" is not set', ':nope'],
        ['psql meta-command "\\gset" is not supported in a notebook', '\\gset'],
        ['\\set with a backquoted shell command is not supported in a notebook', '\\set x `date`'],
        ['\\set needs a variable name (letters, digits and underscores)', '\\set'],
        ['\\unset takes one variable name; found "b" after it', '\\unset a b'],
      ],
    );
  });

  test("--set values win over the notebook's \\set; \\unset forgets", () => {
    assert.deepEqual(expand(`\\set since '2024-01-01'\n\\set other 1\n\\unset gone`, { since: '2025-06-01', gone: 'x' }, ['since']).variables, {
      since: '2025-06-01',
      other: '1',
    });
  });

  test('offsets after a replaced reference map back to the cell', () => {
    const text = `select :long_name_here, bad(`;
    const { sql, map } = expand(text, { long_name_here: '1' });
    assert.equal(sql, 'select 1, bad(');
    assert.equal(map.toCell(sql.indexOf('bad')), text.indexOf('bad'));
    assert.equal(map.toCell(sql.indexOf('1')), text.indexOf(':long'));
  });

  test("the editor's placeholders keep every offset and parse where the reference stood", () => {
    const text = `\\set n 5\nselect :n, :'s', :"t" from x;`;
    const placed = maskPsql(text);
    assert.equal(placed.length, text.length);
    assert.equal(placed, `        \nselect '', 'xx', "xx" from x;`);
    assert.equal(maskPsql('select 1::int'), 'select 1::int');
  });
});

describe('in the runtime', () => {
  let rt: Runtime;
  before(async () => {
    rt = await Runtime.start({ secrets: new EnvironmentSecretStore(undefined, 'https://api.clerk.com'), variables: { fixed: 'from --set' } });
  });
  after(() => rt.close());

  test('a variable set in one cell is read in the next, as data', async () => {
    assert.deepEqual(await rt.execute(`\\set n 41\n\\set since '2025-01-01'`), []);
    const [r] = await rt.execute(`select :n + 1 as answer, :'since'::date + 1 as next_day, :since::date as day, :'fixed' as fixed`);
    assert.deepEqual(r!.rows, [[42, '2025-01-02', '2025-01-01', 'from --set']]);
  });

  test('an injection attempt is a value, not SQL', async () => {
    await rt.execute(`create table victims (n int); \\set evil '1; drop table victims'`);
    const [r] = await rt.execute(`select :'evil' as v, (select count(*) from victims) as still_there`);
    assert.deepEqual(r!.rows, [['1; drop table victims', 0n]]);
  });

  test('errors point into the cell as written, past a replaced reference', async () => {
    await rt.execute(`\\set a_rather_long_variable_name 1`);
    const error = await rt.execute(`select :a_rather_long_variable_name,\n  no_such_column`).then(
      () => assert.fail('expected an error'),
      (e: unknown) => e as CellError,
    );
    assert.ok(error instanceof CellError);
    assert.match(error.message, /column "no_such_column" does not exist/);
    assert.deepEqual(error.position, { offset: 39, line: 1, character: 2 });
  });

  test('a reference to a variable not set fails before anything runs, at the reference', async () => {
    const error = await rt.execute(`create table not_made (n int);\nselect :missing`).then(
      () => assert.fail('expected an error'),
      (e: unknown) => e as CellError,
    );
    assert.match(error.message, /variable "missing" is not set/);
    assert.match(error.hint!, /\\set missing <value>/);
    assert.deepEqual(error.position, { offset: 38, line: 1, character: 7 });
    const [exists] = await rt.execute(`select to_regclass('not_made') is null as absent`);
    assert.deepEqual(exists!.rows, [[true]]);
  });
});

describe('the CLI', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'clerk-set-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('--set gives a value the notebook reads, over its own \\set', async () => {
    const file = join(dir, 'vars.clerk.sql');
    writeFileSync(file, `-- %% Defaults\n\\set since '2024-01-01'\n\\set n 2\n-- %% Query\nselect :'since'::date as since, :n * 2 as twice;\n`);
    const withSet = await runCli(['run', file, '--format', 'csv', '--set', 'since=2025-06-30']);
    assert.equal(withSet.code, 0, withSet.stderr);
    assert.match(withSet.stdout, /since,twice\r\n2025-06-30,4\r\n/);
    const without = await runCli(['run', file, '--format', 'csv']);
    assert.match(without.stdout, /since,twice\r\n2024-01-01,4\r\n/);
    const bad = await runCli(['run', file, '--set', 'no equals']);
    assert.equal(bad.code, 1, bad.stderr);
    assert.match(bad.stderr, /--set takes NAME=VALUE/);
  });
});

describe('in the editor', () => {
  let analyzer: NotebookAnalyzer;
  before(async () => {
    analyzer = new NotebookAnalyzer(await SqlParser.load());
  });

  test('a variable set in an earlier cell: no diagnostic, its value on hover, offered after a colon', () => {
    const cells = [`\\set since '2025-01-01'\n\\set n 5`, `select * from generate_series(1, :n) where :'since' < now()::text;`];
    const { cells: analysed } = analyzer.analyze(cells);
    assert.deepEqual(analysed[0]!.diagnostics, []);
    assert.deepEqual(analysed[1]!.diagnostics, []);
    const text = cells[1]!;
    const hover = hoverAt(analysed[1]!, text.indexOf(":'since'") + 3);
    assert.match(hover!.markdown, /\*\*:since\*\* \(psql variable\) = `2025-01-01`/);
    assert.match(hover!.markdown, /reads as `'2025-01-01'`/);
    assert.deepEqual(
      completeAt(`${text}\nselect :`, text.length + 9, analysed[1]!.scope).map((e) => [e.label, e.detail]),
      [
        ['since', 'psql variable = 2025-01-01'],
        ['n', 'psql variable = 5'],
      ],
    );
  });

  test('a variable no earlier line sets is a warning on the reference; an unknown meta-command an error', () => {
    const text = `select :later;\n\\set later 1\n\\gexec`;
    const [cell] = analyzer.analyze([text]).cells;
    assert.deepEqual(
      cell!.diagnostics.map((d) => [d.severity, d.code, d.message.split('\n')[0], d.range.start.line, d.range.start.character, d.range.end.character]),
      [
        [Severity.Warning, 'variable-not-set', 'variable "later" is not set', 0, 7, 13],
        [Severity.Error, '42601', 'psql meta-command "\\gexec" is not supported in a notebook', 2, 0, 6],
      ],
    );
  });

  test("a reference's placeholder keeps the statement's other diagnostics in place", () => {
    const cells = [
      "create foreign data wrapper w handler clerk_fdw_handler validator clerk_fdw_validator;\ncreate server s foreign data wrapper w;\ncreate foreign table u (id text, email text) server s options (object 'users');",
      `\\set who 'a@b.c'\nselect emial from u where email = :'who';`,
    ];
    const [, cell] = analyzer.analyze(cells).cells;
    const [diagnostic] = cell!.diagnostics;
    assert.match(diagnostic!.message, /emial/);
    assert.deepEqual(diagnostic!.range.start, { line: 1, character: 7 });
  });
});
