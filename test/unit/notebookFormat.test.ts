// The `*.clerk.sql` format: example files for each case, then properties over random files
// (byte-exact round trip, edits touching only their cell, new cells surviving a reload, and
// marker detection agreeing with PostgreSQL's own scanner).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModule, scanSync } from 'libpg-query';
import { cellsForRun, parseNotebook, serializeNotebook, type CellKind, type NotebookCell, type NotebookData } from '../../src/notebook/format.js';

const roundTrip = (text: string): string => serializeNotebook(parseNotebook(text));

/** Kind, source and title: what the user sees of a cell. */
const visible = (cells: NotebookCell[]) => cells.map((c) => ({ kind: c.kind, source: c.source, title: c.metadata?.title }));

function withSource(data: NotebookData, index: number, source: string): NotebookData {
  return { ...data, cells: data.cells.map((c, i) => (i === index ? { ...c, source } : c)) };
}

describe('parsing', () => {
  test('text before the first marker, markdown and titled code cells', () => {
    const text = [
      '-- setup',
      'select 1;',
      '',
      '-- %% [markdown] Intro',
      '-- # Sign-ups',
      '--',
      '-- Counted per month.',
      '',
      '-- %% Sign-ups per month',
      "select date_trunc('month', created_at) from users;",
      '',
    ].join('\n');
    const data = parseNotebook(text);
    assert.deepEqual(visible(data.cells), [
      { kind: 'code', source: '-- setup\nselect 1;', title: undefined },
      { kind: 'markdown', source: '# Sign-ups\n\nCounted per month.', title: 'Intro' },
      { kind: 'code', source: "select date_trunc('month', created_at) from users;", title: 'Sign-ups per month' },
    ]);
    assert.equal(serializeNotebook(data), text);
  });

  test('empty text before the first marker is no cell; blank lines there are one', () => {
    assert.deepEqual(visible(parseNotebook('-- %%\nselect 1\n').cells), [{ kind: 'code', source: 'select 1', title: undefined }]);
    assert.deepEqual(parseNotebook('').cells, []);
    const blank = '\n\n-- %%\nselect 1\n';
    assert.deepEqual(
      parseNotebook(blank).cells.map((c) => c.source),
      ['', 'select 1'],
    );
    assert.equal(roundTrip(blank), blank);
  });

  test('a marker needs `-- %%` at the very start of a line', () => {
    const text = 'select 1 -- %% no\n --  %% no\n--%% no\n-- %%x\nselect 2\n-- %%\t tabbed  \n';
    assert.deepEqual(visible(parseNotebook(text).cells), [
      { kind: 'code', source: 'select 1 -- %% no\n --  %% no\n--%% no', title: undefined },
      { kind: 'code', source: 'select 2', title: 'x' },
      { kind: 'code', source: '', title: 'tabbed' },
    ]);
    assert.equal(roundTrip(text), text);
  });

  test('a marker-looking line inside SQL text is part of that SQL', () => {
    const hidden = [
      "select '\n-- %%\n';",
      "select 'it''s\n-- %% still a string';",
      "select E'\\'\n-- %%\n';",
      'select $$\n-- %%\n$$;',
      'select $body$ $$\n-- %%\n$body$;',
      '/* outer /* inner */\n-- %%\n*/ select 1;',
      'select 1 as "col\n-- %%\n";',
    ];
    for (const sql of hidden) {
      const text = `-- %% One\n${sql}\n-- %% Two\nselect 2;\n`;
      assert.deepEqual(
        visible(parseNotebook(text).cells),
        [
          { kind: 'code', source: sql, title: 'One' },
          { kind: 'code', source: 'select 2;', title: 'Two' },
        ],
        sql,
      );
      assert.equal(roundTrip(text), text);
    }
  });

  test('what closes or opens nothing leaves the next marker alone', () => {
    const visibleMarkers = [
      "-- it's a comment",
      '-- /* not a block comment',
      "select 'a\\'; -- a standard string ends at the first lone quote",
      "select name'x'; -- only a lone E prefixes an escape string",
      'select $1, a$b$c; -- parameters and identifiers, not dollar quotes',
      "\\echo it's -- a psql meta-command ends with its line",
    ];
    for (const sql of visibleMarkers) {
      const text = `-- %%\n${sql}\n-- %%\nselect 2;\n`;
      assert.deepEqual(
        parseNotebook(text).cells.map((c) => c.source),
        [sql, 'select 2;'],
        sql,
      );
    }
  });

  test('like psql, a string left open swallows the markers up to its end', () => {
    const text = "-- %%\nselect 'oops\n-- %%\nselect 2';\n-- %%\nselect 3;\n";
    assert.deepEqual(
      parseNotebook(text).cells.map((c) => c.source),
      ["select 'oops\n-- %%\nselect 2';", 'select 3;'],
    );
    assert.equal(roundTrip(text), text);
    assert.equal(parseNotebook("-- %%\nselect 'oops\n-- %%\nselect 2;\n").cells.length, 1);
  });

  test('markdown lines: prefixes, empty lines, escapes and stray text', () => {
    const text = '-- %% [markdown]\n-- # Title\n--\n--tight\n--  indented\n-- \\%% not a marker\n\nplain\n';
    const [cell] = parseNotebook(text).cells;
    assert.equal(cell?.source, '# Title\n\ntight\n indented\n%% not a marker\n\nplain');
    assert.equal(roundTrip(text), text);
  });

  test('line endings: CRLF, LF, mixed and none at the end', () => {
    for (const text of [
      '-- %%\r\nselect 1\r\n-- %% [markdown]\r\n-- hi\r\n',
      '-- %%\nselect 1\n-- %% [markdown]\n-- hi\n',
      'select 0\r\n-- %%\nselect 1\r\n\r\n\n-- %% [markdown]\n-- hi\r\n--\r\n\n',
      '-- %%\nselect 1',
      '-- %%',
      'select 1\r',
      '-- %%\r$$ after a lone CR is SQL\r\n-- %%\n',
    ]) {
      const data = parseNotebook(text);
      for (const cell of data.cells) assert.ok(!cell.source.includes('\r'), JSON.stringify(cell.source));
      assert.equal(serializeNotebook(data), text);
    }
    // A lone CR ends a line, as it ends a `--` comment for PostgreSQL.
    assert.deepEqual(
      parseNotebook('-- %%\rselect 1\r-- %% Two\rselect 2').cells.map((c) => c.source),
      ['select 1', 'select 2'],
    );
    assert.equal(parseNotebook('a\r\nb\r\nc\n').metadata?.eol, '\r\n');
    assert.equal(parseNotebook('a\r\nb\nc\n').metadata?.eol, '\n');
    assert.equal(parseNotebook('a').metadata?.eol, '\n');
  });

  test('trailing blank lines belong to the file, not to the source', () => {
    const text = '-- %%\nselect 1\n\n\n-- %%\nselect 2\n\n';
    assert.deepEqual(
      parseNotebook(text).cells.map((c) => c.source),
      ['select 1', 'select 2'],
    );
    assert.equal(roundTrip(text), text);
  });

  test('a UTF-8 byte order mark is kept out of the cells and written back', () => {
    const text = "\uFEFF-- %% Título\nselect 'é';\n";
    const data = parseNotebook(text);
    assert.equal(data.metadata?.bom, true);
    assert.deepEqual(visible(data.cells), [{ kind: 'code', source: "select 'é';", title: 'Título' }]);
    assert.equal(serializeNotebook(data), text);
    assert.equal(roundTrip('\uFEFF'), '\uFEFF');
    assert.equal(parseNotebook('-- %%\n').metadata?.bom, false);
  });
});

describe('serializing edits and new cells', () => {
  test('new cells: a marker line, then the source', () => {
    const data: NotebookData = {
      cells: [
        { kind: 'code', source: 'select 1;' },
        { kind: 'markdown', source: '# Title\n\n%% literal\nText', metadata: { title: 'Notes' } },
        { kind: 'code', source: '', metadata: { title: 'Empty' } },
        { kind: 'markdown', source: '' },
      ],
    };
    const text = serializeNotebook(data);
    assert.equal(text, '-- %%\nselect 1;\n-- %% [markdown] Notes\n-- # Title\n--\n-- \\%% literal\n-- Text\n-- %% Empty\n-- %% [markdown]\n');
    assert.deepEqual(visible(parseNotebook(text).cells), visible(data.cells));
  });

  test('new cells follow the notebook line ending and byte order mark', () => {
    const text = serializeNotebook({
      cells: [{ kind: 'code', source: 'select 1\nfrom users' }],
      metadata: { bom: true, eol: '\r\n' },
    });
    assert.equal(text, '\uFEFF-- %%\r\nselect 1\r\nfrom users\r\n');
  });

  test('an edited cell is rewritten in the dominant line ending; the others keep their bytes', () => {
    const before = '-- %%\r\nselect 1\r\n\r\n-- %% Two\nselect 2\n\n-- %%\r\nselect 3\r\n';
    const data = parseNotebook(before);
    assert.equal(data.metadata?.eol, '\r\n');
    const after = serializeNotebook(withSource(data, 1, 'select 2\nfrom users'));
    assert.equal(after, '-- %%\r\nselect 1\r\n\r\n-- %% Two\r\nselect 2\r\nfrom users\r\n\r\n-- %%\r\nselect 3\r\n');
  });

  test('an edited cell keeps its marker as written, its blank lines and a missing final newline', () => {
    const data = parseNotebook('-- %%   Odd   spacing  \nselect 1\n\n\n-- %% [markdown]\n-- last');
    const after = serializeNotebook({
      ...data,
      cells: [
        { ...data.cells[0]!, source: 'select 10' },
        { ...data.cells[1]!, source: 'first\nsecond' },
      ],
    });
    assert.equal(after, '-- %%   Odd   spacing  \nselect 10\n\n\n-- %% [markdown]\n-- first\n-- second');
  });

  test('retitling or changing the kind rewrites the marker', () => {
    const data = parseNotebook('-- %% Old\nselect 1\n-- %%\n-- # note\n');
    const after = serializeNotebook({
      ...data,
      cells: [
        { ...data.cells[0]!, metadata: { ...data.cells[0]!.metadata, title: 'New' } },
        { ...data.cells[1]!, kind: 'markdown', source: '# note' },
      ],
    });
    assert.equal(after, '-- %% New\nselect 1\n-- %% [markdown]\n-- # note\n');
  });

  test('a source handed back with CRLF is not an edit', () => {
    const text = '-- %%\nselect 1\nfrom users\n';
    const data = parseNotebook(text);
    assert.equal(serializeNotebook(withSource(data, 0, 'select 1\r\nfrom users')), text);
  });

  test('text before the first marker gets a marker once it is no longer first or is emptied', () => {
    const text = 'select 0\n-- %%\nselect 1\n';
    const data = parseNotebook(text);
    assert.equal(serializeNotebook(withSource(data, 0, 'select 00')), 'select 00\n-- %%\nselect 1\n');
    assert.equal(serializeNotebook(withSource(data, 0, '')), '-- %%\n-- %%\nselect 1\n');
    const moved = serializeNotebook({ ...data, cells: [data.cells[1]!, data.cells[0]!] });
    assert.equal(moved, '-- %%\nselect 1\n-- %%\nselect 0\n');
    assert.deepEqual(
      parseNotebook(moved).cells.map((c) => c.source),
      ['select 1', 'select 0'],
    );
  });

  test('a cell added after a last line without newline starts on its own line', () => {
    const data = parseNotebook('-- %%\r\nselect 1\r\n-- %%\r\nselect 2');
    const after = serializeNotebook({ ...data, cells: [...data.cells, { kind: 'code', source: 'select 3' }] });
    assert.equal(after, '-- %%\r\nselect 1\r\n-- %%\r\nselect 2\r\n-- %%\r\nselect 3\r\n');
  });

  test('a deleted cell takes exactly its bytes with it', () => {
    const data = parseNotebook('-- %%\nselect 1\n\n-- %% gone\nselect 2\n\n-- %%\nselect 3\n');
    const after = serializeNotebook({ ...data, cells: [data.cells[0]!, data.cells[2]!] });
    assert.equal(after, '-- %%\nselect 1\n\n-- %%\nselect 3\n');
  });
});

describe('cellsForRun', () => {
  test('code cells with their notebook index and where their source starts in the file', () => {
    const text = 'select 0;\n-- %% [markdown]\n-- hi\n-- %% Three\r\n\r\nselect\r\n  3;\r\n-- %%\n';
    assert.deepEqual(cellsForRun('\uFEFF' + text), [
      { index: 1, title: undefined, source: 'select 0;', lineOffset: 0 },
      { index: 3, title: 'Three', source: '\nselect\n  3;', lineOffset: 4 },
      { index: 4, title: undefined, source: '', lineOffset: 8 },
    ]);
  });
});

// ---- Properties over random files built from lines that stress the format.

const MARKER_LINES = ['-- %%', '-- %% Sign-ups per month', '-- %% [markdown]', '-- %% [markdown] Intro', '-- %%x', '-- %%   spaced  '];
const NEAR_MARKERS = ['--%%', ' -- %%', '-- %', 'select 1 -- %%'];
const MARKDOWN_LINES = ['-- # Heading', '--', "-- it's prose", '--tight', '-- \\%% escaped', '--  indented'];
const SQL_LINES = [
  'select 1;',
  "select 'it''s';",
  "select 'open",
  "'",
  "E'\\'",
  "select e'a\\'b';",
  '$$',
  'select $$ x',
  '$tag$',
  'end $tag$;',
  'a$$ 1$$',
  'select $1',
  '/*',
  '*/',
  '/* a /* b */ c */',
  '"quoted "" id"',
  '"',
  "-- comment 'x",
  '-- /* not a comment',
];
const PSQL_LINES = ["\\echo it's"];
const OTHER_LINES = ['', '   ', 'select \'é\' as "ü";'];

const line = (pool: string[]) => fc.constantFrom(...pool);
const eol = fc.constantFrom('\n', '\n', '\r\n', '\r\n', '\r');

/** A file from the given line pool: random line endings, maybe no final newline, maybe a BOM. */
function fileFrom(pool: string[], options: { bom: boolean }) {
  return fc
    .tuple(fc.array(fc.tuple(line(pool), eol), { maxLength: 25 }), fc.boolean(), options.bom ? fc.boolean() : fc.constant(false))
    .map(([lines, finalEol, bom]) => {
      const text = lines.map(([l, e], i) => (i < lines.length - 1 || finalEol ? l + e : l)).join('');
      return (bom ? '\uFEFF' : '') + text;
    });
}

const ANY_LINES = [...MARKER_LINES, ...NEAR_MARKERS, ...MARKDOWN_LINES, ...SQL_LINES, ...PSQL_LINES, ...OTHER_LINES];
const anyFile = fileFrom(ANY_LINES, { bom: true });

// Sources a user could type that close everything they open and hold no marker line of their own.
const CLOSED_SQL = [
  'select 1;',
  "select 'a''b';",
  "select '\n-- %%\n';",
  'select $$\n-- %% in a dollar quote\n$$;',
  '/* a /* nested\n-- %% */ */',
  "select E'\\'';",
  '"id"',
  '-- a comment',
  '\\echo psql',
  '',
  '  ',
];
const MARKDOWN_TEXT = ['', '# Title', '%%', '%% looks like a marker', '\\%%', "it's", '/*', '-- dashes', ' indented', 'é'];

/** Code sources lose trailing empty lines: they are the gap before the next marker. */
const canonicalCode = (source: string) => source.replace(/\n+$/, '');

const codeSource = fc.array(line(CLOSED_SQL), { maxLength: 5 }).map((lines) => lines.join('\n'));
const markdownSource = fc.array(line(MARKDOWN_TEXT), { maxLength: 5 }).map((lines) => lines.join('\n'));
const title = fc.constantFrom(undefined, '', 'Sign-ups', '  padded  ', 'per\nline');

const newCell: fc.Arbitrary<NotebookCell> = fc
  .tuple(fc.constantFrom<CellKind>('code', 'markdown'), codeSource, markdownSource, title)
  .map(([kind, code, markdown, t]) => ({
    kind,
    source: kind === 'code' ? code : markdown,
    ...(t === undefined ? {} : { metadata: { title: t } }),
  }));

const expectedTitle = (t: string | undefined) => t?.replace(/\n/g, ' ').trim() || undefined;

describe('properties', () => {
  test('serialize(parse(x)) === x', () => {
    fc.assert(
      fc.property(anyFile, (text) => roundTrip(text) === text),
      { numRuns: 5000 },
    );
  });

  test('parsed cells are independent of each other: each one parses alone to itself', () => {
    fc.assert(
      fc.property(anyFile, (text) => {
        for (const cell of parseNotebook(text).cells) {
          const alone = parseNotebook(cell.metadata!.raw!).cells;
          assert.deepEqual(visible(alone), visible([cell]));
        }
      }),
      { numRuns: 2000 },
    );
  });

  test('cellsForRun sources sit at lineOffset in the file, line for line', () => {
    fc.assert(
      fc.property(anyFile, (text) => {
        const fileLines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
        const run = cellsForRun(text);
        const cells = parseNotebook(text).cells;
        assert.deepEqual(
          run.map((c) => c.index),
          cells.flatMap((c, i) => (c.kind === 'code' ? [i + 1] : [])),
        );
        for (const cell of run.filter((c) => c.source !== '')) {
          const sourceLines = cell.source.split('\n');
          assert.deepEqual(fileLines.slice(cell.lineOffset, cell.lineOffset + sourceLines.length), sourceLines);
        }
      }),
      { numRuns: 2000 },
    );
  });

  test('replacing one cell source changes only that cell', () => {
    fc.assert(
      fc.property(anyFile, fc.nat(), codeSource, markdownSource, (text, pick, code, markdown) => {
        const data = parseNotebook(text);
        fc.pre(data.cells.length > 0);
        const k = pick % data.cells.length;
        const cell = data.cells[k]!;
        const source = cell.kind === 'code' ? code : markdown;
        const after = serializeNotebook(withSource(data, k, source));

        const raws = data.cells.map((c) => c.metadata!.raw!);
        const prefix = (data.metadata!.bom ? '\uFEFF' : '') + raws.slice(0, k).join('');
        assert.ok(after.startsWith(prefix));
        assert.ok(after.slice(prefix.length).endsWith(raws.slice(k + 1).join('')));

        const expected = data.cells.map((c, i) =>
          i === k ? { ...visible([c])[0]!, source: c.kind === 'code' ? canonicalCode(source) : source } : visible([c])[0],
        );
        assert.deepEqual(visible(parseNotebook(after).cells), expected);
      }),
      { numRuns: 2000 },
    );
  });

  test('new cells read back as written', () => {
    fc.assert(
      fc.property(fc.array(newCell, { maxLength: 8 }), fc.constantFrom<'\n' | '\r\n'>('\n', '\r\n'), fc.boolean(), (cells, eolStyle, bom) => {
        const text = serializeNotebook({ cells, metadata: { eol: eolStyle, bom } });
        const expected = cells.map((c) => ({
          kind: c.kind,
          source: c.kind === 'code' ? canonicalCode(c.source) : c.source,
          title: expectedTitle(c.metadata?.title),
        }));
        assert.deepEqual(visible(parseNotebook(text).cells), expected);
        // And a reload followed by a save changes nothing.
        assert.equal(roundTrip(text), text);
      }),
      { numRuns: 2000 },
    );
  });

  describe('markers agree with PostgreSQL’s scanner', () => {
    before(() => loadModule());

    test('a marker is exactly a line where PostgreSQL starts a `--` comment reading `-- %%`', () => {
      // Lines also glued by a space or nothing, to put tokens next to each other (`a$$`, `1$$`, `$1$$`, `ae'`).
      const glue = fc.constantFrom('\n', '\r\n', '\r', ' ', '');
      const fragments = [...MARKER_LINES, ...NEAR_MARKERS, ...MARKDOWN_LINES, ...SQL_LINES, ...OTHER_LINES];
      const sqlFile = fc
        .array(fc.tuple(line([...fragments, 'E', 'e', 'a', '1', '$', '-', '*']), glue), { maxLength: 30 })
        .map((parts) => parts.map(([l, g]) => l + g).join(''));
      let compared = 0;
      fc.assert(
        fc.property(sqlFile, (text) => {
          let tokens;
          try {
            tokens = scanSync(text).tokens;
          } catch {
            return; // An unterminated string or comment: PostgreSQL rejects the text.
          }
          // psql reads a backslash outside strings as a meta-command running to the end of the line.
          if (tokens.some((t) => t.text.startsWith('\\'))) return;
          compared++;
          // The scanner counts UTF-8 bytes.
          const bytes = Buffer.from(text);
          const expected = tokens
            .filter((t) => t.tokenName === 'SQL_COMMENT' && t.text.startsWith('-- %%'))
            .filter((t) => t.start === 0 || bytes[t.start - 1] === 0x0a || bytes[t.start - 1] === 0x0d)
            .map((t) => t.start);
          const actual: number[] = [];
          let offset = 0;
          for (const cell of parseNotebook(text).cells) {
            const raw = cell.metadata!.raw!;
            if (raw.startsWith('-- %%')) actual.push(offset);
            offset += Buffer.byteLength(raw);
          }
          assert.deepEqual(actual, expected);
        }),
        { numRuns: 4000 },
      );
      assert.ok(compared > 500, `only ${compared} files were valid SQL to compare`);
    });
  });
});

describe('the simulator example', () => {
  test('the shipped example, its server reading the simulator: parses as a notebook, one server, no key', async () => {
    const { simulatorExample, simulatorUrl } = await import('../../src/notebook/simulatorExample.js');
    const example = readFileSync(join(import.meta.dirname, '../../examples/clerk-analytics.clerk.sql'), 'utf8');
    const url = simulatorUrl({ users: 500, seed: 2 });
    assert.equal(url, 'simulator:?users=500&seed=2');
    const text = simulatorExample(example, url);
    assert.equal(text.split(`api_url '${url}'`).length, 3, 'in the note and the server');
    const before = parseNotebook(example).cells;
    const after = parseNotebook(text).cells;
    assert.equal(after.length, before.length + 1);
    assert.equal(after[1]!.kind, 'markdown');
    const server = after.find((c) => c.metadata?.title === 'Connect to Clerk')!.source;
    assert.match(server, /options \(\n {4}api_url 'simulator:\?users=500&seed=2'\)/);
    assert.ok(!server.includes('api_key'));
  });
});
