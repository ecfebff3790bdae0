// The order of a view's rows (view.ts's rules), made cheap for a large result: the first pages of
// a sort are the top rows picked in one pass (a heap as big as the prefix), not a sort of every
// row; a deeper page sorts every row, by each key column's rank among all rows (computed once per
// column and kept), so a re-sort or a second key costs a counting pass per key. Pure.
import {
  columnKind,
  columnValues,
  compareKeyed,
  filterRows,
  numericKey,
  type CellText,
  type ColumnKind,
  type ColumnValues,
  type GridView,
  type SortKey,
  type ViewColumn,
} from './view.js';

/** Rows a sort orders first: pages within them are read without sorting every row. */
export const SORTED_PREFIX = 1000;

type Compare = (a: number, b: number) => number;

/** A column's sort keys, kept once made: each row's number (numbers, dates), and its rank once a whole order needed it. */
interface KeyColumn {
  kind: ColumnKind;
  numbers: Float64Array | undefined;
  /** Equal numbers are equal values: dates, and numbers none of whose texts is longer than a double tells apart. */
  exact: boolean;
  /** Each row's place among the column's distinct values, ascending (NULLs last), and how many there are. */
  ranks?: Ranks;
}

interface Ranks {
  rank: Uint32Array;
  distinct: number;
}

/** Decimals of at most this many characters (digits, sign and point) are told apart by their doubles. */
const EXACT_DIGITS = 15;

/** A view's rows in its order: all of them (`complete`), or its first rows while `total` pass its filters. */
interface Ordered {
  key: string;
  rows: Uint32Array;
  total: number;
  complete: boolean;
}

/** One view at a time over rows, its order kept so that paging through it costs a slice. */
export class ViewCache {
  private cached: Ordered | undefined;
  private filtered: { key: string; rows: Uint32Array } | undefined;
  private readonly keyColumns = new Map<number, KeyColumn>();

  constructor(
    private readonly count: number,
    private readonly columns: readonly ViewColumn[],
    private readonly cell: CellText,
  ) {}

  /** Every row of the view (indexes into the rows), in its order. */
  rows(view: GridView): Uint32Array {
    return this.ordered(view, Infinity).rows;
  }

  /** Rows [offset, offset + count) of the view, and how many it has. */
  page(view: GridView, offset: number, count: number): { rows: Uint32Array; total: number } {
    const { rows, total } = this.ordered(view, offset + count);
    return { rows: rows.subarray(offset, offset + count), total };
  }

  values(view: GridView, column: number, limit: number): ColumnValues {
    return columnValues(this.count, this.columns, this.cell, view, column, limit);
  }

  /** The view's rows in order, at least its first `needed`. */
  private ordered(view: GridView, needed: number): Ordered {
    const key = JSON.stringify(view);
    const cached = this.cached;
    if (cached?.key === key && (cached.complete || cached.rows.length >= needed)) return cached;
    const rows = this.passing(view);
    const total = rows.length;
    if (view.sort.length === 0) return (this.cached = { key, rows, total, complete: true });
    if (needed <= SORTED_PREFIX && total > 2 * SORTED_PREFIX)
      return (this.cached = { key, rows: topRows(rows, SORTED_PREFIX, this.comparator(view.sort)), total, complete: false });
    return (this.cached = { key, rows: this.sortAll(rows, view.sort), total, complete: true });
  }

  /** The rows passing the view's filters, in query order; kept while only the sort changes. */
  private passing(view: GridView): Uint32Array {
    const key = JSON.stringify([view.filter, view.columns]);
    if (this.filtered?.key !== key) this.filtered = { key, rows: filterRows(this.count, this.columns, this.cell, view) };
    return this.filtered.rows;
  }

  /**
   * Every row, sorted: by ranks (one counting pass per key, last key first, each stable) when the
   * rows are many, ranking the key columns not ranked yet; a few rows (a narrow filter) by comparing.
   */
  private sortAll(rows: Uint32Array, sort: readonly SortKey[]): Uint32Array {
    if (rows.length * 8 < this.count && !sort.every((k) => this.keyColumn(k.column).ranks)) return rows.slice().sort(this.comparator(sort));
    let out = rows;
    for (let i = sort.length - 1; i >= 0; i--) {
      const { column, descending } = sort[i]!;
      out = countingSort(out, this.ranks(column), descending);
    }
    return out;
  }

  /** Query order within ties, so that every order is total and stable. */
  private comparator(sort: readonly SortKey[]): Compare {
    const keys = sort.map(({ column, descending }) => ({ compare: this.columnCompare(column), dir: descending ? -1 : 1 }));
    return (a, b) => {
      for (const k of keys) {
        const c = k.compare(a, b);
        if (c !== 0) return k.dir * c;
      }
      return a - b;
    };
  }

  /** Ascending order of two rows by one column: its ranks when made, else its numbers, falling back to Postgres's text. */
  private columnCompare(column: number): Compare {
    const key = this.keyColumn(column);
    if (key.ranks) {
      const { rank } = key.ranks;
      return (a, b) => rank[a]! - rank[b]!;
    }
    const { kind, numbers, exact } = key;
    const cell = this.cell;
    if (!numbers) return (a, b) => compareKeyed(cell(a, column), cell(b, column), Number.NaN, Number.NaN, kind);
    return (a, b) => {
      const x = numbers[a]!;
      const y = numbers[b]!;
      if (x < y) return -1;
      if (x > y) return 1;
      if (x === y && exact) return 0;
      // NULLs, NaN and equal doubles of long decimals are settled by the text.
      return compareKeyed(cell(a, column), cell(b, column), x, y, kind);
    };
  }

  private keyColumn(column: number): KeyColumn {
    let key = this.keyColumns.get(column);
    if (!key) {
      const kind = columnKind(this.columns[column]?.type ?? 'text');
      let numbers: Float64Array | undefined;
      let exact = kind === 'date';
      if (kind === 'number') {
        numbers = new Float64Array(this.count);
        exact = true;
        for (let r = 0; r < this.count; r++) {
          const text = this.cell(r, column);
          numbers[r] = numericKey(text, kind);
          if (text !== null && text.length > EXACT_DIGITS) exact = false;
        }
      } else if (kind === 'date') {
        numbers = new Float64Array(this.count);
        for (let r = 0; r < this.count; r++) numbers[r] = numericKey(this.cell(r, column), kind);
      }
      key = { kind, numbers, exact };
      this.keyColumns.set(column, key);
    }
    return key;
  }

  /**
   * The column's ranks. Rows with a number are sorted by it, the rest (NaN, text that is no date)
   * by their text, NULLs last; a column without numbers ranks its distinct texts, not its rows.
   */
  private ranks(column: number): Ranks {
    const key = this.keyColumn(column);
    if (key.ranks) return key.ranks;
    const rank = new Uint32Array(this.count);
    const compare = this.columnCompare(column);
    let next = 0;
    /** Ranks items (rows, or groups of them) sorted ascending, from `next` on; equal neighbours share one. */
    const rankSorted = (sorted: ArrayLike<number>, same: (a: number, b: number) => boolean, into = rank) => {
      for (let i = 0; i < sorted.length; i++) {
        if (i > 0 && !same(sorted[i - 1]!, sorted[i]!)) next++;
        into[sorted[i]!] = next;
      }
      if (sorted.length > 0) next++;
    };
    const nulls: number[] = [];
    if (key.numbers) {
      const numbers = key.numbers;
      const numbered: number[] = [];
      const others: number[] = [];
      for (let r = 0; r < this.count; r++) {
        if (numbers[r] === numbers[r]) numbered.push(r);
        else (this.cell(r, column) === null ? nulls : others).push(r);
      }
      for (const rows of [numbered, others]) rankSorted(Uint32Array.from(rows).sort(compare), (a, b) => compare(a, b) === 0);
    } else {
      const texts: string[] = [];
      const groups = new Map<string, number>();
      const group = new Uint32Array(this.count);
      for (let r = 0; r < this.count; r++) {
        const text = this.cell(r, column);
        if (text === null) nulls.push(r);
        else {
          let g = groups.get(text);
          if (g === undefined) groups.set(text, (g = texts.push(text) - 1));
          group[r] = g;
        }
      }
      const byText = (a: number, b: number) => compareKeyed(texts[a]!, texts[b]!, Number.NaN, Number.NaN, key.kind);
      const groupRank = new Uint32Array(texts.length);
      rankSorted(Uint32Array.from(texts, (_, g) => g).sort(byText), (a, b) => byText(a, b) === 0, groupRank);
      // NULL rows get their rank below.
      for (let r = 0; r < this.count; r++) rank[r] = groupRank[group[r]!]!;
    }
    rankSorted(nulls, () => true);
    key.ranks = { rank, distinct: next };
    return key.ranks;
  }
}

/** Rows stably ordered by their rank, descending reversing it (NULLs, ranked last, then come first, as in Postgres). */
function countingSort(rows: Uint32Array, { rank, distinct }: { rank: Uint32Array; distinct: number }, descending: boolean): Uint32Array {
  const place = descending ? (r: number) => distinct - 1 - rank[r]! : (r: number) => rank[r]!;
  const starts = new Uint32Array(distinct + 1);
  for (const r of rows) starts[place(r) + 1]!++;
  for (let i = 1; i <= distinct; i++) starts[i]! += starts[i - 1]!;
  const out = new Uint32Array(rows.length);
  for (const r of rows) out[starts[place(r)]!++] = r;
  return out;
}

/** The first `k` rows in `compare`'s order, in it: one pass keeping the best k in a heap whose root is the worst of them. */
function topRows(rows: Uint32Array, k: number, compare: Compare): Uint32Array {
  const heap = new Uint32Array(k);
  let size = 0;
  const siftDown = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let worst = i;
      if (l < size && compare(heap[l]!, heap[worst]!) > 0) worst = l;
      if (r < size && compare(heap[r]!, heap[worst]!) > 0) worst = r;
      if (worst === i) return;
      [heap[i], heap[worst]] = [heap[worst]!, heap[i]!];
      i = worst;
    }
  };
  // A result is often in the order asked for, or against it (ids ascending, sorted descending):
  // read from the end that sorts first, so that the best rows come first and the rest are turned
  // away by the root, not each sifted into the heap.
  const backwards = rows.length > 1 && compare(rows[rows.length - 1]!, rows[0]!) < 0;
  for (let n = 0; n < rows.length; n++) {
    const row = rows[backwards ? rows.length - 1 - n : n]!;
    if (size < k) {
      let i = size++;
      heap[i] = row;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (compare(heap[i]!, heap[parent]!) <= 0) break;
        [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
        i = parent;
      }
    } else if (compare(row, heap[0]!) < 0) {
      heap[0] = row;
      siftDown(0);
    }
  }
  return heap.subarray(0, size).sort(compare);
}

/** Rows [0, count) in the view: those passing its filters, in its order (stable: ties keep query order). */
export function viewRows(count: number, columns: readonly ViewColumn[], cell: CellText, view: GridView): Uint32Array {
  return new ViewCache(count, columns, cell).rows(view);
}
