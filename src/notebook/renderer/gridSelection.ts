/// <reference lib="dom" />
// The grid's cell selection as a person makes it: arrows, Home/End, PageUp/PageDown (to the page
// holding the cell), shift to extend, Ctrl/Cmd+A for all, Ctrl/Cmd+Space a column, Shift+Space a
// row; a click, shift-click or drag; a header's Ctrl/Cmd-click for its column. It is painted on
// the page drawn (aria-selected, the active cell focused), summarized in a bar under the grid
// (selectionSummary.ts), and copied, whole values with their column names: Ctrl/Cmd+C as TSV,
// the bar's buttons as CSV, JSON or Markdown (results/copyFormats.ts). Values of rows beyond the
// page are read wherever the rows are kept, once per selection. A selection's columns are
// positions among the columns drawn (hidden ones are not): keys step over hidden columns, and a
// copy holds the selection's visible columns.
import { COPY_FORMAT_NAMES, COPY_FORMATS, copyText, type CopyFormat } from '../../results/copyFormats.js';
import { columnKind, type ViewColumn } from '../../results/view.js';
import { copyToClipboard } from './clipboard.js';
import { counted } from './counted.js';
import { button, el } from './dom.js';
import {
  allSelection,
  cellSelection,
  columnSelection,
  inRange,
  keySelection,
  rangeOf,
  rowSelection,
  type Cell,
  type Extent,
  type Range,
  type Selection,
} from './selection.js';
import { summarize, summaryText } from './selectionSummary.js';

type TextRow = (string | null)[];

/** Rows a selection may span to be summed or copied here; the export is for more. */
export const MAX_SELECTED_ROWS = 10_000;

export interface SelectionHost {
  readonly columns: readonly ViewColumn[];
  readonly pageSize: number;
  /** Rows [offset, offset + count) of the view now, values whole. */
  rows(offset: number, count: number): Promise<TextRow[]>;
  /** Draws the page holding this row of the view (which attaches its table here). */
  showRow(row: number): void;
  /** Opens the value viewer on a cell of the page drawn (`cell.column`: the result's index); `columnValues`: the page's values of its column. */
  openValue(cell: Cell, text: string | null, columnValues: (string | null)[], td: HTMLElement): void;
}

interface DrawnPage {
  table: HTMLTableElement;
  /** Row of the view the page starts at. */
  offset: number;
  rows: TextRow[];
  /** Rows in the view. */
  total: number;
  /** The result's index of each column drawn, by position. */
  columns: readonly number[];
}

export class GridSelection {
  /** Under the grid: the selection's summary, what was copied, the buttons. */
  readonly bar = el('div', 'clerk-selection-bar');
  private readonly summary = el('span', 'clerk-selection-summary');
  private readonly note = el('span', 'clerk-selection-note');
  private readonly viewButton: HTMLButtonElement;
  private selection: Selection | undefined;
  private page: DrawnPage | undefined;
  /** The active cell is on a page being drawn: focus it once it is. */
  private focusOnDraw = false;
  private dragging = false;
  /** The selected cells' values, once read, and the range they are of. */
  private selected: { key: string; rows: TextRow[] } | undefined;
  /** The latest read of the selection: a reply to an earlier one is dropped. */
  private reading = 0;

  constructor(private readonly host: SelectionHost) {
    this.bar.hidden = true;
    this.note.setAttribute('aria-live', 'polite');
    this.viewButton = button('View value', 'clerk-view-value', () => this.openActive(), 'The whole value of the active cell (double-click or Enter)');
    const copies = el('span', 'clerk-segmented clerk-copy');
    copies.setAttribute('role', 'group');
    copies.setAttribute('aria-label', 'Copy the selection with its column names as');
    for (const format of COPY_FORMATS)
      copies.append(button(COPY_FORMAT_NAMES[format], `clerk-copy-${format}`, () => this.copy(format), `Copy the selection as ${COPY_FORMAT_NAMES[format]}`));
    this.bar.append(this.summary, this.note, el('span', 'clerk-spacer'), this.viewButton, el('span', 'clerk-copy-label', 'Copy as'), copies);
  }

  /** No selection: the view changed (its rows are others). */
  reset(): void {
    this.selection = undefined;
    this.selected = undefined;
    this.reading++;
    this.bar.hidden = true;
  }

  /** A page was drawn: its table, where it starts in the view, its rows, the view's size, and the columns drawn. */
  attach(table: HTMLTableElement, offset: number, rows: TextRow[], total: number, columns: readonly number[]): void {
    this.page = { table, offset, rows, total, columns };
    table.setAttribute('role', 'grid');
    table.setAttribute('aria-multiselectable', 'true');
    table.setAttribute('aria-rowcount', String(total + 1));
    table.setAttribute('aria-colcount', String(columns.length));
    table.tHead?.rows[0]?.setAttribute('aria-rowindex', '1');
    Array.from(table.tBodies[0]!.rows).forEach((tr, i) => {
      tr.setAttribute('aria-rowindex', String(offset + i + 2));
      for (const td of Array.from(tr.cells)) td.setAttribute('role', 'gridcell');
    });
    table.addEventListener('keydown', (e) => this.onKey(e));
    table.addEventListener('mousedown', (e) => this.onMouseDown(e));
    table.addEventListener('mouseover', (e) => this.onMouseOver(e));
    table.addEventListener('dblclick', (e) => {
      const cell = this.cellAt(e.target);
      if (cell) this.openValue(cell);
    });
    table.addEventListener('focusin', (e) => this.onFocusIn(e));
    table.addEventListener('copy', (e) => this.onCopy(e));
    this.paint();
    if (this.focusOnDraw) {
      this.focusOnDraw = false;
      this.focusActive();
    }
  }

  /** A header's Ctrl/Cmd-click (`column`: the result's index): its column whole, or with `extend` (shift) every column from the selection's anchor's. */
  selectColumn(column: number, extend: boolean): void {
    const at = this.page?.columns.indexOf(column) ?? -1;
    if (at < 0) return;
    const row = this.selection?.active.row ?? this.page?.offset ?? 0;
    this.select(columnSelection(at, row, extend ? this.selection : undefined), true);
  }

  private extent(): Extent {
    return { rows: this.page?.total ?? 0, columns: this.page?.columns.length ?? 0, pageSize: this.host.pageSize };
  }

  /** The result's indexes of the drawn columns from position `left` to `right`. */
  private columnsOf(left: number, right: number): readonly number[] {
    return this.page?.columns.slice(left, right + 1) ?? [];
  }

  private select(s: Selection, focus: boolean): void {
    this.selection = s;
    const page = this.page;
    if (page && (s.active.row < page.offset || s.active.row >= page.offset + page.rows.length)) {
      this.focusOnDraw = focus;
      this.host.showRow(s.active.row);
    } else {
      this.paint();
      if (focus) this.focusActive();
    }
    void this.read();
  }

  private td(cell: Cell): HTMLTableCellElement | undefined {
    const page = this.page;
    return page?.table.tBodies[0]?.rows[cell.row - page.offset]?.cells[cell.column];
  }

  private cellAt(target: EventTarget | null): Cell | undefined {
    const td = (target as HTMLElement | null)?.closest?.('td');
    const page = this.page;
    if (!td || !page || !page.table.contains(td)) return undefined;
    return { row: page.offset + (td.parentElement as HTMLTableRowElement).sectionRowIndex, column: td.cellIndex };
  }

  private paint(): void {
    const page = this.page;
    if (!page) return;
    const s = this.selection;
    const range = s ? rangeOf(s, this.extent()) : undefined;
    const activeHere = !!s && this.td(s.active) !== undefined;
    Array.from(page.table.tBodies[0]!.rows).forEach((tr, i) => {
      Array.from(tr.cells).forEach((td, c) => {
        const row = page.offset + i;
        td.setAttribute('aria-selected', String(!!range && inRange(range, row, c)));
        // One tab stop in the grid: the active cell, else the page's first.
        const active = activeHere ? s.active.row === row && s.active.column === c : i === 0 && c === 0;
        td.tabIndex = active ? 0 : -1;
      });
    });
    this.viewButton.disabled = !activeHere;
  }

  private focusActive(): void {
    const td = this.selection && this.td(this.selection.active);
    if (!td) return;
    td.focus({ preventScroll: true });
    td.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }

  private onKey(e: KeyboardEvent): void {
    const at = this.cellAt(e.target);
    if (!at) return;
    const s = this.selection ?? cellSelection(at);
    const mod = e.ctrlKey || e.metaKey;
    let next: Selection | undefined;
    if (e.key === 'Enter' || e.key === 'F2') this.openValue(s.active);
    else if (mod && e.key.toLowerCase() === 'a') next = allSelection(s.active);
    else if (e.key === ' ' && mod) next = columnSelection(s.active.column, s.active.row);
    else if (e.key === ' ' && e.shiftKey) next = rowSelection(s.active);
    else if (e.key === 'Escape' && (s.anchor !== s.active || s.allRows || s.allColumns)) next = cellSelection(s.active);
    else next = keySelection(s, e.key, { shift: e.shiftKey, toEdge: mod }, this.extent());
    if (!next && e.key !== 'Enter' && e.key !== 'F2') return;
    e.preventDefault();
    e.stopPropagation();
    if (next) this.select(next, true);
  }

  private onMouseDown(e: MouseEvent): void {
    const cell = this.cellAt(e.target);
    if (!cell || e.button !== 0) return;
    // The grid selects cells, not text: a drag extends the selection.
    e.preventDefault();
    this.dragging = true;
    document.addEventListener('mouseup', () => (this.dragging = false), { once: true });
    this.select(e.shiftKey && this.selection ? { anchor: this.selection.anchor, active: cell } : cellSelection(cell), true);
  }

  private onMouseOver(e: MouseEvent): void {
    const cell = this.cellAt(e.target);
    const s = this.selection;
    if (!this.dragging || !cell || !s || (s.active.row === cell.row && s.active.column === cell.column)) return;
    this.select({ anchor: s.anchor, active: cell }, true);
  }

  /** Tab into the grid (or a click the mouse handlers left): that cell becomes the active one. */
  private onFocusIn(e: FocusEvent): void {
    const cell = this.cellAt(e.target);
    const s = this.selection;
    if (!cell || (s && s.active.row === cell.row && s.active.column === cell.column)) return;
    this.select(cellSelection(cell), false);
  }

  private openActive(): void {
    if (this.selection) this.openValue(this.selection.active);
  }

  private openValue(cell: Cell): void {
    const page = this.page;
    const td = this.td(cell);
    const column = page?.columns[cell.column];
    if (!page || !td || column === undefined) return;
    this.host.openValue(
      { row: cell.row, column },
      page.rows[cell.row - page.offset]![column] ?? null,
      page.rows.map((r) => r[column] ?? null),
      td,
    );
  }

  /** Reads the selected cells' values (from the page, else where the rows are kept) and summarizes them. */
  private async read(): Promise<void> {
    const s = this.selection;
    const page = this.page;
    if (!s || !page) return;
    this.bar.hidden = false;
    const r = rangeOf(s, this.extent());
    const key = `${r.top}:${r.bottom}:${r.left}:${r.right}`;
    if (this.selected?.key === key) return;
    this.selected = undefined;
    this.note.textContent = '';
    const reading = ++this.reading;
    const rows = r.bottom - r.top + 1;
    const columns = r.right - r.left + 1;
    const size = `${rows.toLocaleString('en-US')} × ${columns.toLocaleString('en-US')} selected`;
    if (rows > MAX_SELECTED_ROWS) {
      this.summary.textContent = `${size}: more than ${MAX_SELECTED_ROWS.toLocaleString('en-US')} rows to sum or copy here (Export… saves every row)`;
      return;
    }
    let full: TextRow[];
    if (r.top >= page.offset && r.bottom < page.offset + page.rows.length) full = page.rows.slice(r.top - page.offset, r.bottom - page.offset + 1);
    else {
      this.summary.textContent = `${size} · reading…`;
      try {
        full = await this.host.rows(r.top, rows);
      } catch (err) {
        if (reading === this.reading) this.summary.textContent = `${size}: its values could not be read (${err instanceof Error ? err.message : String(err)})`;
        return;
      }
      if (reading !== this.reading) return;
    }
    const shown = this.columnsOf(r.left, r.right);
    const cells = full.map((row) => shown.map((c) => row[c] ?? null));
    this.selected = { key, rows: cells };
    const kinds = shown.map((c) => columnKind(this.host.columns[c]!.type));
    this.summary.textContent = summaryText(summarize(cells, kinds), rows, columns);
  }

  /** The selection as `format`, undefined while its values are still being read (or are too many). */
  private copyTextOf(format: CopyFormat): string | undefined {
    const s = this.selection;
    if (!s || !this.selected) return undefined;
    const r: Range = rangeOf(s, this.extent());
    return copyText(
      format,
      this.columnsOf(r.left, r.right).map((c) => this.host.columns[c]!),
      this.selected.rows,
    );
  }

  private copied(format: CopyFormat, ok: boolean): void {
    const cells = this.selected ? this.selected.rows.length * (this.selected.rows[0]?.length ?? 0) : 0;
    this.note.textContent = !this.selected
      ? 'Nothing copied: the selection is not read yet, or too large'
      : ok
        ? `Copied ${counted(cells, 'cell')} as ${COPY_FORMAT_NAMES[format]}`
        : 'The clipboard could not be written';
  }

  /** Ctrl/Cmd+C in the grid (or the editor's Copy): the selection as TSV with its column names. */
  private onCopy(e: ClipboardEvent): void {
    if (e.defaultPrevented || !this.selection || !e.clipboardData) return;
    e.preventDefault();
    const text = this.copyTextOf('tsv');
    if (text !== undefined) e.clipboardData.setData('text/plain', text);
    this.copied('tsv', text !== undefined);
  }

  private copy(format: CopyFormat): void {
    const text = this.copyTextOf(format);
    this.copied(format, text !== undefined && copyToClipboard(text));
  }
}
