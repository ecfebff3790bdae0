// Export of a full result: the CSV is exactly what COPY ... CSV HEADER writes (copyCsv below) for
// every row, not only the ones in the cell output, whatever the chunking; the JSON parses to the
// result's rows as objects (asJson below), NDJSON to the same a line each, Markdown is a table; as
// the grid shows it, the rows of its view; the file is streamed with progress and can be cancelled.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { StatementResult } from '../../src/fdw/runtime/runtime.js';
import { csvField, pgText } from '../../src/results/valueText.js';
import { exportChunks, sourceOf, viewSource, writeExport, type ExportSource } from '../../src/notebook/export.js';
import type { ExportFormat } from '../../src/results/payload.js';
import { KeptRows } from '../../src/results/keptRows.js';
import { QUERY_ORDER } from '../../src/results/view.js';
import { resultPayload } from '../../src/results/payload.js';

function result(columns: [string, string][], rows: unknown[][]): StatementResult {
  return {
    statement: 0,
    sql: 'select ...',
    command: 'SELECT',
    columns: columns.map(([name, type], i) => ({ name, type, typeOid: i })),
    rows,
    rowCount: rows.length,
    elapsedMs: 1,
    requests: 0,
    sources: [],
    notices: [],
  };
}

/** RFC 4180 parser that tells a quoted empty field ("") from an unquoted one (NULL). */
function parseCsv(text: string): (string | null)[][] {
  const rows: (string | null)[][] = [];
  let row: (string | null)[] = [];
  let i = 0;
  while (i < text.length) {
    let value: string | null;
    if (text[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        assert.ok(q >= 0, 'closing quote');
        v += text.slice(i, q);
        if (text[q + 1] === '"') {
          v += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      value = v;
    } else {
      const m = /[,\r]/.exec(text.slice(i));
      const end = m ? i + m.index : text.length;
      value = end === i ? null : text.slice(i, end);
      i = end;
    }
    row.push(value);
    if (text[i] === ',') i++;
    else {
      assert.equal(text.slice(i, i + 2), '\r\n', `line end at ${i}`);
      i += 2;
      rows.push(row);
      row = [];
    }
  }
  return rows;
}

const tricky = result(
  [
    ['id', 'bigint'],
    ['email', 'text'],
    ['note', 'text'],
    ['attrs', 'jsonb'],
    ['tags', 'text[]'],
    ['ok', 'boolean'],
    ['raw', 'bytea'],
  ],
  [
    [1n, 'a@example.com', '', { a: 1, b: [1, 'x'] }, ['x', 'y z'], true, new Uint8Array([0xde, 0xad])],
    [2n, null, 'say "hi", then\r\nleave', null, [], false, null],
    [9007199254740993n, ' padded ', 'ünïcödé ✓', [1, 2], [null, 'NULL'], null, new Uint8Array([])],
  ],
);

/** What COPY ... CSV HEADER writes for the result, field by field. */
function copyCsv(r: StatementResult): string {
  const lines = [r.columns.map((c) => csvField(c.name)), ...r.rows.map((row) => row.map((v, i) => csvField(pgText(v, r.columns[i]!.type))))];
  return lines.map((fields) => fields.join(',') + '\r\n').join('');
}

/** The JSON export's document: an array of the rows as objects, bigints exact, bytea as hex text. */
function asJson(r: StatementResult): unknown {
  const value = (v: unknown): unknown =>
    typeof v === 'bigint'
      ? Number.isSafeInteger(Number(v))
        ? Number(v)
        : String(v)
      : v instanceof Uint8Array
        ? pgText(v)
        : Array.isArray(v)
          ? v.map(value)
          : v;
  return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c.name, value(row[i])])));
}

/** The whole export text of a source (a result: its rows in memory). */
async function exported(from: StatementResult | ExportSource, format: ExportFormat, size?: number): Promise<string> {
  let text = '';
  for await (const chunk of exportChunks('pages' in from ? from : sourceOf(from), format, size)) text += chunk;
  return text;
}

describe('CSV export', () => {
  test('equals COPY ... CSV HEADER at any chunk size', async () => {
    const expected = copyCsv(tricky);
    for (const size of [1, 2, 3, 1000]) assert.equal(await exported(tricky, 'csv', size), expected, `chunks of ${size}`);
    assert.equal(expected.split('\r\n')[0], 'id,email,note,attrs,tags,ok,raw');
  });

  test('NULL is an empty field, empty text is ""; values round-trip through an RFC 4180 parser', async () => {
    const parsed = parseCsv(await exported(tricky, 'csv'));
    assert.deepEqual(
      parsed[0],
      tricky.columns.map((c) => c.name),
    );
    assert.deepEqual(
      parsed.slice(1),
      tricky.rows.map((r) => r.map((v, i) => pgText(v, tricky.columns[i]!.type))),
    );
    assert.equal(parsed[1]![2], '');
    assert.equal(parsed[2]![1], null);
  });

  test('property: any text values round-trip', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.option(fc.string({ unit: 'grapheme' }), { nil: null }), fc.option(fc.string(), { nil: null })), { maxLength: 30 }),
        fc.integer({ min: 1, max: 7 }),
        async (rows, size) => {
          const r = result(
            [
              ['a', 'text'],
              ['b', 'text'],
            ],
            rows,
          );
          const text = await exported(r, 'csv', size);
          assert.equal(text, copyCsv(r));
          assert.deepEqual(parseCsv(text).slice(1), rows);
        },
      ),
    );
  });

  test('the full result, not the rows bounded for the cell output', async () => {
    const rows = Array.from({ length: 25_000 }, (_, i) => [BigInt(i), `user${i}@example.com`]);
    const big = result(
      [
        ['user_id', 'bigint'],
        ['email', 'text'],
      ],
      rows,
    );
    const payload = resultPayload(big, 1000, 'id-1');
    assert.equal(payload.rows.length, 1000);
    assert.equal(payload.truncated, true);
    const dir = mkdtempSync(join(tmpdir(), 'clerk-export-'));
    const progress: number[] = [];
    const { bytes, cancelled } = await writeExport(sourceOf(big), 'csv', join(dir, 'all.csv'), (n) => progress.push(n));
    assert.equal(cancelled, false);
    const text = readFileSync(join(dir, 'all.csv'), 'utf8');
    assert.equal(text, copyCsv(big));
    assert.equal(Buffer.byteLength(text), bytes);
    assert.equal(text.split('\r\n').length - 2, 25_000);
    assert.equal(progress.at(-1), 25_000);
    assert.ok(progress.length >= 12, `progress reported per chunk (${progress.length})`);
    assert.deepEqual(
      progress,
      [...progress].sort((a, b) => a - b),
    );
  });

  test('cancellation stops between chunks', async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => [i, 'x']);
    const big = result(
      [
        ['n', 'integer'],
        ['s', 'text'],
      ],
      rows,
    );
    const dir = mkdtempSync(join(tmpdir(), 'clerk-export-'));
    let chunks = 0;
    const out = await writeExport(
      sourceOf(big),
      'csv',
      join(dir, 'part.csv'),
      () => chunks++,
      () => chunks >= 2,
      1000,
    );
    assert.equal(out.cancelled, true);
    assert.equal(chunks, 2);
    assert.ok(existsSync(join(dir, 'part.csv')));
  });

  test('a write error rejects', async () => {
    await assert.rejects(writeExport(sourceOf(tricky), 'csv', join(tmpdir(), 'no-such-dir-' + process.pid, 'x.csv')), /ENOENT/);
  });

  test('rows kept elsewhere (the runtime thread) are read page by page, in order, every one', async () => {
    const rows = Array.from({ length: 45_001 }, (_, i) => [BigInt(i), `user${i}@example.com`]);
    const full = result(
      [
        ['user_id', 'bigint'],
        ['email', 'text'],
      ],
      rows,
    );
    // What the controller holds: the first rows only, and a reader of all of them.
    const shown = { ...full, rows: rows.slice(0, 1000) };
    const reads: [number, number][] = [];
    const kept = new KeptRows(rows, full.columns);
    const rowsThere = {
      total: kept.total,
      page: (view: typeof QUERY_ORDER, offset: number, count: number) => (reads.push([offset, count]), kept.page(view, offset, count)),
      values: kept.values.bind(kept),
      chart: kept.chart.bind(kept),
    };
    const source = viewSource(shown, rowsThere, QUERY_ORDER, rows.length);
    assert.equal(await exported(source, 'csv'), copyCsv(full));
    assert.deepEqual(
      reads.map(([offset]) => offset),
      [0, 10_000, 20_000, 30_000, 40_000],
    );
    assert.deepEqual(JSON.parse(await exported(source, 'json', 777)), asJson(full));
  });
});

describe('JSON, NDJSON and Markdown export', () => {
  test('JSON: an array of the rows as objects at any chunk size, including no rows', async () => {
    for (const r of [tricky, result([['a', 'text']], [])]) {
      const expected = asJson(r);
      for (const size of [1, 2, 1000]) assert.deepEqual(JSON.parse(await exported(r, 'json', size)), expected);
    }
  });

  test('NDJSON: one object a line, the same objects', async () => {
    const text = await exported(tricky, 'ndjson', 2);
    assert.ok(text.endsWith('}\n'));
    assert.deepEqual(
      text
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown),
      asJson(tricky),
    );
    assert.equal(await exported(result([['a', 'text']], []), 'ndjson'), '');
  });

  test('Markdown: a table, numbers right-aligned, | escaped, line breaks as <br>, NULL empty', async () => {
    const r = result(
      [
        ['n', 'bigint'],
        ['s', 'text'],
      ],
      [
        [1n, 'a | b'],
        [22n, 'two\r\nlines \\ back'],
        [null, ''],
      ],
    );
    assert.equal(await exported(r, 'markdown', 1), '| n | s |\n| ---: | --- |\n| 1 | a \\| b |\n| 22 | two<br>lines \\\\ back |\n|  |  |\n');
  });
});

test('as shown: the rows of a view (sorted and filtered) where they are kept, in every format', async () => {
  const rows = Array.from({ length: 30_000 }, (_, i) => [BigInt(i), i % 4 === 0 ? null : `user${(i * 7) % 30_000}@example.com`]);
  const full = result(
    [
      ['user_id', 'bigint'],
      ['email', 'text'],
    ],
    rows,
  );
  const kept = new KeptRows(rows, full.columns);
  const view = { sort: [{ column: 1, descending: true }], filter: '', columns: [{ column: 1, kind: 'contains' as const, text: '9@' }] };
  const { total } = await kept.page(view, 0, 0);
  const expected = rows
    .filter((r) => typeof r[1] === 'string' && r[1].includes('9@'))
    .sort((a, b) => (String(a[1]) < String(b[1]) ? 1 : String(a[1]) > String(b[1]) ? -1 : 0));
  assert.equal(total, expected.length);
  const shown = { ...full, rows: expected };
  const source = viewSource(full, kept, view, total);
  assert.equal(await exported(source, 'csv'), copyCsv(shown));
  assert.deepEqual(JSON.parse(await exported(source, 'json', 333)), asJson(shown));
});
