// `npm run bench:grid [-- --rows N]`: the grid's views of a large kept result. A query of N rows
// (default 1,000,000; five columns: bigint, text, timestamptz, integer, text with NULLs) runs in a
// HostedRuntime, which sends the first 1,000 rows (as the notebook's output holds) and keeps the
// rest in its thread; then the grid's requests, as the renderer makes them through the extension:
// the first page after a sort, the next page, after a filter, a column's values. Times each (the
// median of 3, each on a view not cached yet, but the "next page"), and the process's RSS (every
// thread: the runtime's, its database's, this one's, which stands for the extension host) and this
// thread's heap, at rest with the result kept and at their peak during the views. Prints a table,
// writes bench/results-grid.json (bench/results-grid-N.json for another N). Not a test: it measures.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { HostedRuntime } from '../src/fdw/host/hostedRuntime.js';
import { MemorySecretStore } from '../src/fdw/runtime/secrets.js';
import { pgText } from '../src/results/valueText.js';
import { QUERY_ORDER, type GridView } from '../src/results/view.js';

const PAGE = 100;
const OUTPUT_ROWS = 1000;

interface Row {
  step: string;
  medianMs: number;
  minMs: number;
  /** Rows in the view. */
  total: number;
  /** The first value of the page's first row, to see the view did what it says. */
  first: string;
}

const mb = (bytes: number) => bytes / 2 ** 20;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' } } });
  const n = Number(values.rows);
  const runtime = await HostedRuntime.start({ secrets: new MemorySecretStore() });
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const rows: Row[] = [];
  try {
    const startedRss = mb(process.memoryUsage().rss);
    const t0 = performance.now();
    const [result] = await runtime.execute(
      `select g as id, 'user' || g || '@example.com' as email,
         timestamptz '2020-01-01 00:00:00+00' + ((g::bigint * 7919) % ${n}) * interval '1 minute' as created_at,
         (g * 31) % 1000 as score, case when g % 7 = 0 then null else 'plan_' || (g % 5) end as plan
       from generate_series(1, ${n}) g`,
      { sendRows: OUTPUT_ROWS },
    );
    const queryMs = performance.now() - t0;
    const remote = result!.remote!;
    (globalThis as { gc?: () => void }).gc?.();
    const rest = process.memoryUsage();
    const timer = setInterval(sample, 10);

    const time = async (step: string, views: GridView[], offset = 0) => {
      const times: number[] = [];
      let last = { rows: [] as unknown[][], total: 0 };
      for (const view of views) {
        const start = performance.now();
        last = await remote.page(view, offset, PAGE);
        times.push(performance.now() - start);
      }
      times.sort((a, b) => a - b);
      rows.push({ step, medianMs: times[Math.floor(times.length / 2)]!, minMs: times[0]!, total: last.total, first: pgText(last.rows[0]?.[0]) ?? '' });
      console.error(`  ${step}: ${times.map((t) => t.toFixed(0)).join(', ')} ms`);
    };
    // Each run a view of its own (another column or direction), so none is served from the cache.
    const sorts = (column: number): GridView[] =>
      [true, false, true].map((descending, i) => ({ ...QUERY_ORDER, sort: [{ column, descending }], filter: ' '.repeat(i) }));
    await time('first page, query order', [QUERY_ORDER, QUERY_ORDER, QUERY_ORDER]);
    await time('sort by created_at (timestamptz)', sorts(2));
    // The view the sort step computed last, so cached.
    const byDate = sorts(2)[2]!;
    await time('next page of that sort (cached view)', [byDate, byDate, byDate], PAGE);
    await time('page 5,000 of that sort (cached view)', [byDate, byDate, byDate], 5000 * PAGE);
    await time('sort by id (bigint)', sorts(0));
    await time('sort by email (text, code point)', sorts(1));
    await time(
      'sort by plan, score desc (two keys)',
      [0, 1, 2].map((i) => ({
        ...QUERY_ORDER,
        sort: [
          { column: 4, descending: false },
          { column: 3, descending: true },
        ],
        filter: ' '.repeat(i),
      })),
    );
    await time(
      'filter box "user12" (every column)',
      ['user12', 'USER12', 'User12'].map((filter) => ({ ...byDate, filter })),
    );
    await time(
      'column filter: score 10 … 20, sorted',
      ['10', '10.0', '1e1'].map((min) => ({ ...byDate, columns: [{ column: 3, kind: 'range', min, max: '20' }] })),
    );
    await time(
      'column filter: plan in (plan_1, NULL)',
      [
        ['plan_1', null],
        [null, 'plan_1'],
        ['plan_1', null, 'x'],
      ].map((v) => ({ ...QUERY_ORDER, columns: [{ column: 4, kind: 'values', values: v }] })),
    );
    const valueTimes: number[] = [];
    for (const column of [4, 3, 4]) {
      const start = performance.now();
      await remote.values(QUERY_ORDER, column, 20);
      valueTimes.push(performance.now() - start);
    }
    valueTimes.sort((a, b) => a - b);
    rows.push({ step: "a column's top 20 values (plan, score)", medianMs: valueTimes[1]!, minMs: valueTimes[0]!, total: n, first: '' });
    clearInterval(timer);
    sample();

    const fmt = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
    const header = ['step', 'median ms', 'min ms', 'rows in view', 'first value'];
    const table = rows.map((r) => [r.step, fmt(r.medianMs), fmt(r.minMs), fmt(r.total), r.first]);
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i]!.length)));
    const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |';
    console.log(line(header));
    console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
    for (const t of table) console.log(line(t));
    const memory = {
      rssBeforeQueryMb: startedRss,
      rssResultKeptMb: mb(rest.rss),
      rssPeakDuringViewsMb: mb(peakRss),
      heapResultKeptMb: mb(rest.heapUsed),
      heapPeakDuringViewsMb: mb(peakHeap),
    };
    console.log(`\nquery (${fmt(n)} rows, ${OUTPUT_ROWS} sent): ${fmt(queryMs)} ms`);
    console.log(
      `RSS (all threads): ${fmt(memory.rssBeforeQueryMb)} MB before, ${fmt(memory.rssResultKeptMb)} MB with the result kept, ${fmt(memory.rssPeakDuringViewsMb)} MB at most during the views`,
    );
    console.log(
      `this thread's heap (the extension host's share): ${fmt(memory.heapResultKeptMb)} MB with the result kept, ${fmt(memory.heapPeakDuringViewsMb)} MB at most`,
    );
    const machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version };
    const out = join(process.cwd(), 'bench', n === 1_000_000 ? 'results-grid.json' : `results-grid-${n}.json`);
    writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), machine, rows: n, pageSize: PAGE, queryMs, steps: rows, memory }, null, 2) + '\n');
    console.error(`wrote ${out}`);
  } finally {
    await runtime.close();
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
