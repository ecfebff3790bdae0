// `npm run bench:grid [-- --rows N]`: the grid's views of a large kept result. A query of N rows
// (default 1,000,000; five columns: bigint, text, timestamptz, integer, text with NULLs) runs in a
// HostedRuntime, which sends the first 1,000 rows (as the notebook's output holds) and keeps the
// rest in its thread; then the grid's requests, as the renderer makes them through the extension:
// the first page of a sort, the next page, a deep page, after a filter, a column's values, and the
// rows a chart of the result is drawn from. Times each three times, each on a view not cached yet
// (but the "next page"): the first run (what the user waits for), the median and the least; and
// the process's RSS (every thread: the runtime's, its database's, this one's, which stands for the
// extension host) and this thread's heap, at rest with the result kept and at their peak during the
// views. Prints a table, writes bench/results-grid.json (bench/results-grid-N.json for another N).
// Not a test: it measures.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { HostedRuntime } from '../src/fdw/host/hostedRuntime.js';
import { MemorySecretStore } from '../src/fdw/runtime/secrets.js';
import { pgText } from '../src/results/valueText.js';
import { QUERY_ORDER, type GridView } from '../src/results/view.js';
import { machine, markdownTable } from './report.js';

const PAGE = 100;
const OUTPUT_ROWS = 1000;

interface Row {
  step: string;
  /** The first of the runs: what the user waits for the first time. */
  firstMs: number;
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
      let last = { rows: [] as unknown[][], total: 0 };
      const times = await timed(views, async (view) => {
        last = await remote.page(view, offset, PAGE);
      });
      rows.push({ step, ...times, total: last.total, first: pgText(last.rows[0]?.[0]) ?? '' });
    };
    /** Runs `run` on each input; the first run's time, the median and the least. */
    async function timed<T>(inputs: T[], run: (input: T) => Promise<unknown>) {
      const times: number[] = [];
      for (const input of inputs) {
        const start = performance.now();
        await run(input);
        times.push(performance.now() - start);
      }
      const sorted = [...times].sort((a, b) => a - b);
      return { firstMs: times[0]!, medianMs: sorted[Math.floor(sorted.length / 2)]!, minMs: sorted[0]! };
    }
    // Each run a view of its own (another direction, or a blank filter), so none is served from the
    // view cache; a column's keys (and ranks, once a deep page needed them) are kept from the first run.
    const sorts = (column: number): GridView[] =>
      [true, false, true].map((descending, i) => ({ ...QUERY_ORDER, sort: [{ column, descending }], filter: ' '.repeat(i) }));
    await time('first page, query order', [QUERY_ORDER, QUERY_ORDER, QUERY_ORDER]);
    await time('sort by created_at (timestamptz): first page', sorts(2));
    // The view the sort step computed last, so cached.
    const byDate = sorts(2)[2]!;
    await time('next page of that sort', [byDate, byDate, byDate], PAGE);
    await time('page 5,000 of that sort (sorts every row)', [byDate, byDate, byDate], 5000 * PAGE);
    await time(
      'sort by created_at again: page 5,000',
      sorts(2).map((v) => ({ ...v, filter: v.filter + '    ' })),
      5000 * PAGE,
    );
    await time('sort by id (bigint): first page', sorts(0));
    await time('sort by email (text, code point): first page', sorts(1));
    const twoKeys = [0, 1, 2].map((i) => ({
      ...QUERY_ORDER,
      sort: [
        { column: 4, descending: false },
        { column: 3, descending: true },
      ],
      filter: ' '.repeat(i),
    }));
    await time('sort by plan, score desc (two keys): first page', twoKeys);
    await time(
      'the same: page 5,000',
      twoKeys.map((v) => ({ ...v, filter: v.filter + '   ' })),
      5000 * PAGE,
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
    rows.push({
      step: "a column's top 20 values (plan, score)",
      ...(await timed([4, 3, 4], (column) => remote.values(QUERY_ORDER, column, 20))),
      total: n,
      first: '',
    });
    let chart = { rows: [] as unknown[][], total: 0 };
    const chartTimes = await timed([3, 0, 3], async (y) => {
      chart = await remote.chart({ x: 2, xRead: 'date', y: [y] });
    });
    rows.push({
      step: 'chart rows: score (or id) by created_at',
      ...chartTimes,
      total: chart.total,
      first: `${chart.rows.length.toLocaleString('en-US')} rows sent`,
    });
    clearInterval(timer);
    sample();

    const fmt = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
    const header = ['step', 'first ms', 'median ms', 'min ms', 'rows in view', 'first value'];
    const table = rows.map((r) => [r.step, fmt(r.firstMs), fmt(r.medianMs), fmt(r.minMs), fmt(r.total), r.first]);
    console.log(markdownTable(header, table));
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
    const out = join(process.cwd(), 'bench', n === 1_000_000 ? 'results-grid.json' : `results-grid-${n}.json`);
    writeFileSync(
      out,
      JSON.stringify({ date: new Date().toISOString(), machine: machine(), rows: n, pageSize: PAGE, queryMs, steps: rows, memory }, null, 2) + '\n',
    );
    console.error(`wrote ${out}`);
  } finally {
    await runtime.close();
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
