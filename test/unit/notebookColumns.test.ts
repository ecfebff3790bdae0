// The grid's column layout: the columns drawn when some are hidden (never none), and the left
// offsets of the frozen ones among those drawn.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { columnWidth, frozenOffsets, MIN_COLUMN_WIDTH, toggleHidden, visibleColumns } from '../../src/notebook/renderer/columnLayout.js';

describe('column layout', () => {
  test('the visible columns are the ones not hidden, in order', () => {
    assert.deepEqual(visibleColumns(4, new Set()), [0, 1, 2, 3]);
    assert.deepEqual(visibleColumns(4, new Set([0, 2])), [1, 3]);
  });

  test('hiding toggles a column, but never the last one shown', () => {
    const one = toggleHidden(3, new Set(), 1);
    assert.deepEqual([...one], [1]);
    assert.deepEqual([...toggleHidden(3, one, 1)], []);
    const two = toggleHidden(3, one, 0);
    assert.deepEqual([...two].sort(), [0, 1]);
    assert.deepEqual([...toggleHidden(3, two, 2)].sort(), [0, 1], 'column 2 is the last shown');
    assert.deepEqual([...toggleHidden(3, two, 0)], [1], 'showing is always possible');
  });

  test('frozen columns start where the frozen ones before them end; hidden ones take no room', () => {
    assert.deepEqual(frozenOffsets([0, 1, 2, 3], 0, [50, 60, 70, 80]), []);
    assert.deepEqual(frozenOffsets([0, 1, 2, 3], 3, [50, 60, 70, 80]), [0, 50, 110]);
    // Column 1 hidden, frozen up to column 2: the drawn 0 and 2.
    assert.deepEqual(frozenOffsets([0, 2, 3], 3, [50, 70, 80]), [0, 50]);
    // The first drawn column is past the frozen ones: none stays.
    assert.deepEqual(frozenOffsets([2, 3], 2, [70, 80]), []);
  });

  test('a dragged width is whole pixels, not below the minimum', () => {
    assert.equal(columnWidth(120.6), 121);
    assert.equal(columnWidth(3), MIN_COLUMN_WIDTH);
    assert.equal(columnWidth(-40), MIN_COLUMN_WIDTH);
  });
});
