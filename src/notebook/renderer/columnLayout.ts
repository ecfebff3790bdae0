// How the grid lays out its columns, pure (no DOM): which are drawn (hidden ones are not), which
// of them stay at the left while scrolling (frozen) and at what offsets, and a dragged width's
// bounds. Columns are the result's indexes; the grid draws the visible ones in that order.

/** A dragged column is never narrower than this (its ≡ button and edge stay usable). */
export const MIN_COLUMN_WIDTH = 48;

/** The indexes of the columns drawn, in order: those not `hidden`. */
export function visibleColumns(count: number, hidden: ReadonlySet<number>): number[] {
  return Array.from({ length: count }, (_, i) => i).filter((i) => !hidden.has(i));
}

/** The hidden columns after hiding or showing one; the last column shown cannot be hidden. */
export function toggleHidden(count: number, hidden: ReadonlySet<number>, column: number): Set<number> {
  const next = new Set(hidden);
  if (next.has(column)) next.delete(column);
  else if (visibleColumns(count, hidden).length > 1) next.add(column);
  return next;
}

/**
 * The left offsets (px) of the frozen columns drawn, by position: each starts where the frozen
 * ones before it end. `frozen`: columns with an index below it stay; `widths`: the drawn columns'
 * widths by position.
 */
export function frozenOffsets(visible: readonly number[], frozen: number, widths: readonly number[]): number[] {
  const offsets: number[] = [];
  let left = 0;
  for (let p = 0; p < visible.length && visible[p]! < frozen; p++) {
    offsets.push(left);
    left += widths[p] ?? 0;
  }
  return offsets;
}

/** A dragged width, whole pixels, not below the minimum. */
export function columnWidth(px: number): number {
  return Math.max(MIN_COLUMN_WIDTH, Math.round(px));
}
