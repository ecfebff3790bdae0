// The result renderer's pure logic: paging, the status line (over every row or only the
// output's, and why), sort keys from header clicks and filter names. Sorting and filtering
// themselves: resultsView.test.ts; charts: notebookChart.test.ts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { filterText, nextSort, pageOf, statusText } from '../../src/notebook/renderer/model.js';
import { QUERY_ORDER } from '../../src/results/view.js';
import { gridPayload as payload } from '../helpers/gridPayload.js';

describe('paging and the status line', () => {
  const p = payload([['id', 'integer']], [], { rowCount: 10_000, truncated: true });

  test('pages of 100, clamped', () => {
    assert.deepEqual(pageOf(250, 0, 100), { page: 0, pages: 3, first: 1, last: 100 });
    assert.deepEqual(pageOf(250, 7, 100), { page: 2, pages: 3, first: 201, last: 250 });
    assert.deepEqual(pageOf(0, 3, 100), { page: 0, pages: 1, first: 0, last: 0 });
  });

  test('over every row of the result: how many match and what it is sorted by', () => {
    const sort = [{ column: 0, descending: true }];
    assert.equal(
      statusText(p, { ...QUERY_ORDER, sort }, { page: pageOf(10_000, 0, 100), matching: 10_000, over: 10_000 }),
      'Showing 1–100 of 10,000 rows, sorted by id ↓ over all 10,000 rows',
    );
    assert.equal(
      statusText(p, { ...QUERY_ORDER, filter: 'x' }, { page: pageOf(312, 3, 100), matching: 312, over: 10_000 }),
      'Showing 301–312 of 312 rows, filtered: 312 of 10,000 rows',
    );
    assert.equal(statusText(p, QUERY_ORDER, { page: pageOf(10_000, 1, 100), matching: 10_000, over: 10_000 }), 'Showing 101–200 of 10,000 rows');
  });

  test('over only the rows in the output: says so, and why', () => {
    const sort = [{ column: 0, descending: false }];
    assert.equal(
      statusText({ ...p, stale: true }, { ...QUERY_ORDER, sort }, { page: pageOf(1000, 0, 100), matching: 1000, over: 1000, partial: 'stale' }),
      'Showing 1–100 of 1,000 rows, sorted by id ↑ over only the 1,000 rows in the output (of 10,000; run the cell again to see all)',
    );
    assert.equal(
      statusText(p, QUERY_ORDER, { page: pageOf(1000, 0, 100), matching: 1000, over: 1000, partial: 'local' }),
      'Showing 1–100 of 1,000 rows, output truncated to 1,000 rows of 10,000 rows (export for all)',
    );
    const small = payload([['a', 'text']], [['x'], ['y']]);
    assert.equal(statusText(small, QUERY_ORDER, { page: pageOf(2, 0, 100), matching: 2, over: 2 }), 'Showing 2 rows');
    assert.equal(statusText(small, { ...QUERY_ORDER, filter: 'y' }, { page: pageOf(1, 0, 100), matching: 1, over: 2 }), 'Showing 1 row, filtered: 1 of 2 rows');
  });
});

describe('header clicks and filter names', () => {
  test('a click cycles ascending, descending, none; shift adds a further key', () => {
    assert.deepEqual(nextSort([], 2, false), [{ column: 2, descending: false }]);
    assert.deepEqual(nextSort([{ column: 2, descending: false }], 2, false), [{ column: 2, descending: true }]);
    assert.deepEqual(nextSort([{ column: 2, descending: true }], 2, false), []);
    assert.deepEqual(nextSort([{ column: 2, descending: true }], 0, false), [{ column: 0, descending: false }]);
    const two = nextSort([{ column: 2, descending: true }], 0, true);
    assert.deepEqual(two, [
      { column: 2, descending: true },
      { column: 0, descending: false },
    ]);
    assert.deepEqual(nextSort(two, 0, true), [
      { column: 2, descending: true },
      { column: 0, descending: true },
    ]);
    assert.deepEqual(nextSort(nextSort(two, 0, true), 0, true), [{ column: 2, descending: true }]);
  });

  test('filters as their chips name them', () => {
    assert.equal(filterText('email', { column: 1, kind: 'contains', text: 'gmail' }), 'email contains "gmail"');
    assert.equal(filterText('n', { column: 0, kind: 'range', min: '1', max: '9' }), 'n 1 … 9');
    assert.equal(filterText('n', { column: 0, kind: 'range', min: '1' }), 'n ≥ 1');
    assert.equal(filterText('s', { column: 0, kind: 'values', values: ['a', null, '', 'b', 'c'] }), "s = a, NULL, '' (+2)");
  });
});
