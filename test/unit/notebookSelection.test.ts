// The grid's selection (ranges over the view's rows, keys that move and extend it, whole columns,
// rows, all) and the footer's summary of it (count, exact sums and averages of bigints and
// numerics, NULLs counted out, floats, min and max by value).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  allSelection,
  cellSelection,
  columnSelection,
  inRange,
  keySelection,
  moveKey,
  rangeOf,
  rowSelection,
  type Extent,
} from '../../src/notebook/renderer/selection.js';
import { summarize, summaryText } from '../../src/notebook/renderer/selectionSummary.js';
import type { ColumnKind } from '../../src/results/view.js';

const extent: Extent = { rows: 250, columns: 4, pageSize: 100 };

describe('selection', () => {
  test('keys move the active cell, clamped to the view; Ctrl/Cmd to the edge; pages by the page size', () => {
    const at = { row: 10, column: 1 };
    assert.deepEqual(moveKey('ArrowDown', false, at, extent), { row: 11, column: 1 });
    assert.deepEqual(moveKey('ArrowUp', false, { row: 0, column: 1 }, extent), { row: 0, column: 1 });
    assert.deepEqual(moveKey('ArrowRight', false, { row: 0, column: 3 }, extent), { row: 0, column: 3 });
    assert.deepEqual(moveKey('ArrowLeft', true, at, extent), { row: 10, column: 0 });
    assert.deepEqual(moveKey('ArrowDown', true, at, extent), { row: 249, column: 1 });
    assert.deepEqual(moveKey('Home', false, at, extent), { row: 10, column: 0 });
    assert.deepEqual(moveKey('End', false, at, extent), { row: 10, column: 3 });
    assert.deepEqual(moveKey('Home', true, at, extent), { row: 0, column: 0 });
    assert.deepEqual(moveKey('End', true, at, extent), { row: 249, column: 3 });
    assert.deepEqual(moveKey('PageDown', false, at, extent), { row: 110, column: 1 });
    assert.deepEqual(moveKey('PageDown', false, { row: 200, column: 1 }, extent), { row: 249, column: 1 });
    assert.deepEqual(moveKey('PageUp', false, at, extent), { row: 0, column: 1 });
    assert.equal(moveKey('a', false, at, extent), undefined);
  });

  test('shift extends from the anchor; without it the selection is the one cell', () => {
    let s = cellSelection({ row: 5, column: 1 });
    s = keySelection(s, 'ArrowDown', { shift: true, toEdge: false }, extent)!;
    s = keySelection(s, 'ArrowRight', { shift: true, toEdge: false }, extent)!;
    assert.deepEqual(rangeOf(s, extent), { top: 5, bottom: 6, left: 1, right: 2 });
    // Back past the anchor: the range flips to the other side.
    s = keySelection(s, 'PageUp', { shift: true, toEdge: false }, extent)!;
    assert.deepEqual(rangeOf(s, extent), { top: 0, bottom: 5, left: 1, right: 2 });
    s = keySelection(s, 'ArrowLeft', { shift: false, toEdge: false }, extent)!;
    assert.deepEqual(rangeOf(s, extent), { top: 0, bottom: 0, left: 1, right: 1 });
    assert.equal(keySelection(s, 'x', { shift: true, toEdge: false }, extent), undefined);
  });

  test('whole columns, a whole row, all: the active cell stays where it was', () => {
    const col = columnSelection(2, 40);
    assert.deepEqual(rangeOf(col, extent), { top: 0, bottom: 249, left: 2, right: 2 });
    assert.deepEqual(col.active, { row: 40, column: 2 });
    const cols = columnSelection(0, 40, col);
    assert.deepEqual(rangeOf(cols, extent), { top: 0, bottom: 249, left: 0, right: 2 });
    // Shift+arrow from whole columns: still whole columns, one more.
    const more = keySelection(col, 'ArrowRight', { shift: true, toEdge: false }, extent)!;
    assert.deepEqual(rangeOf(more, extent), { top: 0, bottom: 249, left: 2, right: 3 });
    const row = rowSelection({ row: 7, column: 2 });
    assert.deepEqual(rangeOf(row, extent), { top: 7, bottom: 7, left: 0, right: 3 });
    const all = allSelection({ row: 7, column: 2 });
    assert.deepEqual(rangeOf(all, extent), { top: 0, bottom: 249, left: 0, right: 3 });
    assert.deepEqual(all.active, { row: 7, column: 2 });
  });

  test('inRange is the rectangle between anchor and active, whatever their order', () => {
    fc.assert(
      fc.property(fc.nat(249), fc.nat(3), fc.nat(249), fc.nat(3), fc.nat(249), fc.nat(3), (r1, c1, r2, c2, r, c) => {
        const range = rangeOf({ anchor: { row: r1, column: c1 }, active: { row: r2, column: c2 } }, extent);
        const inside = Math.min(r1, r2) <= r && r <= Math.max(r1, r2) && Math.min(c1, c2) <= c && c <= Math.max(c1, c2);
        assert.equal(inRange(range, r, c), inside);
      }),
    );
  });
});

describe('the summary of the selected cells', () => {
  test('count leaves NULLs out; sum, avg, min, max over the numeric columns only', () => {
    const rows = [
      ['a', '1', null],
      ['b', '2', '10'],
      [null, null, '-3'],
    ];
    const s = summarize(rows, ['text', 'number', 'number']);
    assert.deepEqual(s, { cells: 9, count: 6, numbers: { count: 4, sum: '10', avg: '2.5', min: '-3', max: '10' } });
    assert.equal(summaryText(s, 3, 3), '3 × 3 selected · count 6 (3 NULL) · sum 10 · avg 2.5 · min -3 · max 10');
  });

  test('10,000 rows of 25 columns (250,000 numbers) are summed: no call takes every value as its arguments', () => {
    const rows = Array.from({ length: 10_000 }, (_, r) => Array.from({ length: 25 }, (_, c) => (c === 0 ? `${r}.5` : String(r))));
    const s = summarize(rows, new Array<ColumnKind>(25).fill('number')).numbers!;
    assert.deepEqual([s.count, s.min, s.max], [250_000, '0', '9999.5']);
    assert.equal(s.sum, String(25 * ((9999 * 10_000) / 2) + 5_000) + '.0');
  });

  test('text only: a count, no sum', () => {
    const s = summarize([['x'], [null], ['']], ['text']);
    assert.deepEqual(s, { cells: 3, count: 2 });
    assert.equal(summaryText(s, 3, 1), '3 × 1 selected · count 2 (1 NULL)');
  });

  test('bigints past 2^53 and numerics add exactly; the average rounds half away from zero', () => {
    const big = summarize([['9007199254740993'], ['9007199254740993'], ['1']], ['number']).numbers!;
    assert.equal(big.sum, '18014398509481987');
    assert.equal(big.avg, '6004799503160662.333333');
    assert.equal(big.max, '9007199254740993');
    const money = summarize([['0.10'], ['0.20'], ['-0.005']], ['number']).numbers!;
    assert.equal(money.sum, '0.295', 'not 0.30000000000000004 - 0.005');
    assert.equal(money.avg, '0.098333');
    assert.equal(money.min, '-0.005');
    const negative = summarize([['-1'], ['-2']], ['number']).numbers!;
    assert.deepEqual([negative.sum, negative.avg], ['-3', '-1.5']);
    assert.equal(summarize([['1'], ['2'], ['2']], ['number']).numbers!.avg, '1.666667');
    assert.equal(summarize([['-1'], ['-2'], ['-2']], ['number']).numbers!.avg, '-1.666667');
    assert.equal(summarize([['-0.0000005'], ['0']], ['number']).numbers!.avg, '-0.0000003', 'at the numbers own scale when finer than 6 digits');
  });

  test('floats with exponents, NaN and infinities add as Postgres would: NaN wins, min/max by value', () => {
    const f = summarize([['1e+20'], ['2.5'], ['Infinity']], ['number']).numbers!;
    assert.deepEqual([f.sum, f.min, f.max], ['Infinity', '2.5', 'Infinity']);
    const n = summarize([['NaN'], ['1']], ['number']).numbers!;
    assert.deepEqual([n.sum, n.max, n.min], ['NaN', 'NaN', '1'], 'NaN is greater than every number, in Postgres');
    const e = summarize([['1.5e3'], ['500']], ['number']).numbers!;
    assert.deepEqual([e.sum, e.avg, e.max], ['2000', '1000', '1.5e3']);
  });

  test('one cell: no count or sum to tell', () => {
    assert.equal(summaryText(summarize([['5']], ['number']), 1, 1), '1 × 1 selected');
  });

  test('exact sums agree with BigInt arithmetic on random integers and two-digit decimals', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), { minLength: 1, maxLength: 30 }), (ints) => {
        const cents = ints.map((n) => `${n < 0n ? '-' : ''}${(n < 0n ? -n : n) / 100n}.${String((n < 0n ? -n : n) % 100n).padStart(2, '0')}`);
        const total = ints.reduce((a, b) => a + b, 0n);
        const abs = total < 0n ? -total : total;
        const expected = `${total < 0n ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
        assert.equal(
          summarize(
            cents.map((c) => [c]),
            ['number'],
          ).numbers!.sum,
          expected,
        );
        assert.equal(
          summarize(
            ints.map((n) => [String(n)]),
            ['number'],
          ).numbers!.sum,
          String(total),
        );
      }),
    );
  });
});
