// The grid's selection of cells, and where keys move it. Pure: no DOM. A cell's row is its place in
// the view (sorted and filtered), over every page, not in the page drawn: a selection can span pages.

export interface Cell {
  row: number;
  column: number;
}

/**
 * From the anchor (where a click or the shift key started) to the active cell (the one with
 * focus). `allRows`: every row of the columns from the anchor's to the active one's (a column
 * selected from its header); `allColumns`: every column of those rows.
 */
export interface Selection {
  anchor: Cell;
  active: Cell;
  allRows?: boolean;
  allColumns?: boolean;
}

/** Inclusive bounds of the selected cells. */
export interface Range {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** The view's size: `rows` in it, `columns`, and rows a page moves by. */
export interface Extent {
  rows: number;
  columns: number;
  pageSize: number;
}

export function cellSelection(cell: Cell): Selection {
  return { anchor: cell, active: cell };
}

export function rangeOf(s: Selection, { rows, columns }: Pick<Extent, 'rows' | 'columns'>): Range {
  return {
    top: s.allRows ? 0 : Math.min(s.anchor.row, s.active.row),
    bottom: s.allRows ? rows - 1 : Math.max(s.anchor.row, s.active.row),
    left: s.allColumns ? 0 : Math.min(s.anchor.column, s.active.column),
    right: s.allColumns ? columns - 1 : Math.max(s.anchor.column, s.active.column),
  };
}

export function inRange(r: Range, row: number, column: number): boolean {
  return row >= r.top && row <= r.bottom && column >= r.left && column <= r.right;
}

/**
 * Where a key moves the active cell, undefined for a key that does not move it: arrows by one
 * (with Ctrl/Cmd to the edge), Home/End to the row's first/last cell (with Ctrl/Cmd the view's),
 * PageUp/PageDown by a page of rows.
 */
export function moveKey(key: string, toEdge: boolean, at: Cell, { rows, columns, pageSize }: Extent): Cell | undefined {
  const cell = (row: number, column: number): Cell => ({
    row: Math.max(0, Math.min(rows - 1, row)),
    column: Math.max(0, Math.min(columns - 1, column)),
  });
  switch (key) {
    case 'ArrowUp':
      return cell(toEdge ? 0 : at.row - 1, at.column);
    case 'ArrowDown':
      return cell(toEdge ? rows - 1 : at.row + 1, at.column);
    case 'ArrowLeft':
      return cell(at.row, toEdge ? 0 : at.column - 1);
    case 'ArrowRight':
      return cell(at.row, toEdge ? columns - 1 : at.column + 1);
    case 'Home':
      return cell(toEdge ? 0 : at.row, 0);
    case 'End':
      return cell(toEdge ? rows - 1 : at.row, columns - 1);
    case 'PageUp':
      return cell(at.row - pageSize, at.column);
    case 'PageDown':
      return cell(at.row + pageSize, at.column);
    default:
      return undefined;
  }
}

/** The selection after a key: moved, or with shift extended from the anchor (whole columns or rows stay whole). */
export function keySelection(s: Selection, key: string, { shift, toEdge }: { shift: boolean; toEdge: boolean }, extent: Extent): Selection | undefined {
  const to = moveKey(key, toEdge, s.active, extent);
  if (!to) return undefined;
  return shift ? { ...s, active: to } : cellSelection(to);
}

/** Column `column` whole, or with `extend` every column from that selection's anchor's to it; the active row stays. */
export function columnSelection(column: number, row: number, extend?: Selection): Selection {
  return { anchor: { row, column: extend ? extend.anchor.column : column }, active: { row, column }, allRows: true };
}

/** The active cell's row whole (Shift+Space). */
export function rowSelection(active: Cell): Selection {
  return { anchor: active, active, allColumns: true };
}

/** Every cell of the view (Ctrl/Cmd+A); the active cell stays. */
export function allSelection(active: Cell): Selection {
  return { anchor: active, active, allRows: true, allColumns: true };
}
