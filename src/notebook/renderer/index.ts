/// <reference lib="dom" />
// Notebook renderer for `application/vnd.clerk-sql.result+json`: a grid with the Postgres column
// types in the header, sorted (click a header; shift-click for a further key), filtered (the
// filter box over every column, and a header's own filters) and paged over every row of the
// result: views of a result larger than the output are computed where its rows are kept (the
// extension asks the runtime's thread, see gridRows.ts), the same rules as here (results/view.ts);
// a chart (chartView.ts) of every row of the result, for results with numeric columns;
// an export button that asks the extension (renderer messaging) to save the rows as shown or all. And for
// `application/vnd.clerk-sql.error+json`: a failed cell's error as psql prints it, with a "Set key"
// button when a key is what it needs. Runs in the output webview: no vscode import; styles use
// the theme's CSS variables. Columns can be hidden (a header's panel, the toolbar's "Columns"),
// frozen at the left and resized (columnLayout.ts): the output's own state, not the file's.
import { filterText, nextSort, pageOf, sortText, statusText, type GridPayload, type ViewStatus } from './model.js';
import { columnKind, isFiltered, QUERY_ORDER, type GridView } from '../../results/view.js';
import { ERROR_MIME } from '../../ids.js';
import type { ErrorPayload, RendererMessage } from '../../results/payload.js';
import { CSS } from './style.js';
import { CHART_CSS } from './chartStyle.js';
import { ChartView } from './chartView.js';
import { columnPanel, VALUES_SHOWN } from './columnPanel.js';
import { columnsMenu } from './columnsMenu.js';
import { resizeHandle } from './columnResize.js';
import { frozenOffsets, toggleHidden, visibleColumns } from './columnLayout.js';
import { button, el } from './dom.js';
import { keptRows, outputRows, Requests, type GridRows, type Messaging } from './gridRows.js';
import { GridSelection } from './gridSelection.js';
import { cellText } from './cellText.js';
import { valueViewer } from './valueViewer.js';
import { isEpochMillisColumn } from './epochMillis.js';
import { shownText } from '../../results/valueText.js';
import type { Cell } from './selection.js';

interface OutputItem {
  id: string;
  mime: string;
  json(): unknown;
}
interface RendererContext {
  postMessage?(message: unknown): void;
  onDidReceiveMessage?(listener: (message: unknown) => void): { dispose(): void };
}

export const PAGE_SIZE = 100;
/** The column panels' widest (style.ts). */
const PANEL_WIDTH = 360;
const STALE = 'From a runtime that has been restarted since: run the cell again to refresh.';

export function activate(context: RendererContext) {
  const style = document.createElement('style');
  style.textContent = CSS + CHART_CSS;
  document.head.appendChild(style);
  const requests = context.postMessage && context.onDidReceiveMessage ? new Requests(context as Messaging) : undefined;
  return {
    renderOutputItem(item: OutputItem, element: HTMLElement) {
      element.replaceChildren();
      if (item.mime === ERROR_MIME) {
        element.appendChild(errorView(item.json() as ErrorPayload, context));
        return;
      }
      const payload = item.json() as GridPayload;
      if (!payload || payload.version !== 1 || !Array.isArray(payload.columns)) {
        element.textContent = 'Unsupported Clerk SQL result.';
        return;
      }
      element.appendChild(new ResultView(payload, context, requests).root);
    },
    disposeOutputItem() {},
  };
}

class ResultView {
  readonly root = el('div', 'clerk-result');
  private view: GridView = QUERY_ORDER;
  private page = 0;
  private mode: 'grid' | 'chart';
  private readonly chart: ChartView | undefined;
  /** Where the rows come from, and when only the output's rows are viewed, why. */
  private rows: GridRows;
  private partial: ViewStatus['partial'];
  /** Why the kept rows could not be read (the grid fell back to the output's). */
  private failure: string | undefined;
  /** The latest draw: a reply to an earlier one is dropped. */
  private drawing = 0;
  private panel: HTMLElement | undefined;
  private viewer: HTMLElement | undefined;
  private readonly selection: GridSelection;
  private readonly body = el('div', 'clerk-body');
  private readonly status = el('span', 'clerk-status');
  private readonly pager = el('span', 'clerk-pager');
  private readonly filterBox = el('input', 'clerk-filter');
  private readonly chips = el('span', 'clerk-chips');
  private readonly gridControls = el('span', 'clerk-grid-controls');
  private readonly chartControls = el('span', 'clerk-chart-controls');
  private readonly columnsButton = button('Columns', 'clerk-columns', () => this.openColumns(), 'Show or hide columns');
  private hidden: ReadonlySet<number> = new Set();
  /** Columns with an index below this stay at the left. */
  private frozen = 0;
  /** Widths set by dragging a header's edge (px), by column index. */
  private readonly widths = new Map<number, number>();

  constructor(
    private readonly p: GridPayload,
    private readonly context: RendererContext,
    requests: Requests | undefined,
  ) {
    // Rows past the output are viewed where they are kept; a stale output's went with its runtime.
    const kept = p.truncated && p.resultId !== undefined && requests !== undefined;
    this.rows = kept ? keptRows(requests, p.resultId!) : outputRows(p);
    this.partial = p.truncated && !kept ? (p.stale ? 'stale' : 'local') : undefined;
    this.chart = ChartView.of(p, context, this.rows);
    // A cell whose `-- chart:` comment names the chart shows it first.
    this.mode = this.chart?.remembered ? 'chart' : 'grid';
    this.selection = new GridSelection({
      columns: p.columns,
      pageSize: PAGE_SIZE,
      rows: async (offset, count) => (await this.rows.page(this.view, offset, count)).rows,
      showRow: (row) => {
        this.page = Math.floor(row / PAGE_SIZE);
        void this.drawGrid();
      },
      openValue: (cell, text, values, td) => this.openValue(cell, text, values, td),
    });
    if (p.stale) this.root.appendChild(el('div', 'clerk-stale', STALE));
    for (const notice of p.notices) this.root.appendChild(el('div', 'clerk-notice', `NOTICE:  ${notice}`));
    if (p.columns.length === 0) {
      this.root.appendChild(el('div', 'clerk-command', p.command));
      return;
    }
    const bar = el('div', 'clerk-toolbar');
    this.filterBox.type = 'search';
    this.filterBox.placeholder = 'Filter rows';
    this.filterBox.setAttribute('aria-label', 'Filter rows (any column contains)');
    this.filterBox.addEventListener('input', () => this.setView({ ...this.view, filter: this.filterBox.value }));
    this.columnsButton.setAttribute('aria-haspopup', 'dialog');
    this.gridControls.append(this.filterBox, this.columnsButton, this.chips);
    if (this.chart) {
      const chart = this.chart;
      const toggle = el('span', 'clerk-segmented');
      for (const mode of ['grid', 'chart'] as const)
        toggle.appendChild(
          button(mode === 'grid' ? 'Grid' : 'Chart', `clerk-mode-${mode}`, () => {
            if (this.mode === mode) return;
            this.mode = mode;
            // Kept in the cell: the chart as its `-- chart:` comment, the grid as none.
            chart.shown(mode === 'chart');
            this.draw();
          }),
        );
      bar.appendChild(toggle);
      this.chartControls.appendChild(chart.controls);
    }
    bar.append(this.gridControls, this.chartControls, el('span', 'clerk-spacer'));
    if (this.context.postMessage && this.p.resultId) {
      const exporting = button('Export…', 'clerk-export', () =>
        this.context.postMessage!({ type: 'export', resultId: this.p.resultId!, view: this.view } satisfies RendererMessage),
      );
      exporting.title = 'Save the rows as shown (sorted and filtered) or the whole result, as CSV, JSON, NDJSON or Markdown';
      bar.appendChild(exporting);
    }
    const foot = el('div', 'clerk-footer');
    foot.append(this.status, this.pager);
    this.root.append(bar, this.body, foot);
    this.draw();
  }

  /** A new view, from its first page. */
  private setView(view: GridView): void {
    this.view = view;
    this.page = 0;
    this.selection.reset();
    this.draw();
  }

  private draw(): void {
    this.root.querySelectorAll('.clerk-mode-grid, .clerk-mode-chart').forEach((b) => {
      const on = b.classList.contains(`clerk-mode-${this.mode}`);
      b.classList.toggle('clerk-active', on);
      b.setAttribute('aria-pressed', String(on));
    });
    this.gridControls.hidden = this.mode !== 'grid';
    this.chartControls.hidden = this.mode !== 'chart';
    this.pager.hidden = this.mode !== 'grid';
    if (this.mode === 'chart' && this.chart) {
      // A page of the grid still on its way is not drawn over the chart, nor the grid's popups left on it.
      this.drawing++;
      this.body.removeAttribute('aria-busy');
      this.closePopups();
      this.chart.draw(this.body, this.status);
    } else void this.drawGrid();
  }

  private async drawGrid(): Promise<void> {
    const drawing = ++this.drawing;
    const { view } = this;
    this.drawChips();
    this.body.setAttribute('aria-busy', 'true');
    let got: Awaited<ReturnType<GridRows['page']>>;
    try {
      got = await this.rows.page(view, this.page * PAGE_SIZE, PAGE_SIZE);
    } catch (err) {
      if (drawing !== this.drawing) return;
      // The kept rows are gone (the runtime stopped): the output's rows still are here.
      this.failure = err instanceof Error ? err.message : String(err);
      this.rows = outputRows(this.p);
      this.partial = 'local';
      return this.drawGrid();
    }
    if (drawing !== this.drawing) return;
    const page = pageOf(got.total, this.page, PAGE_SIZE);
    if (page.page !== this.page) {
      // Past the last page (a narrower filter): its last page instead.
      this.page = page.page;
      return this.drawGrid();
    }
    this.body.removeAttribute('aria-busy');
    const columns = visibleColumns(this.p.columns.length, this.hidden);
    const table = this.table(got.rows, columns);
    const wrap = el('div', 'clerk-grid-wrap');
    wrap.appendChild(table);
    // The value viewer showed a cell of the rows replaced here (another page, sort or filter).
    this.closeViewer();
    this.body.replaceChildren(wrap, this.selection.bar);
    // Measured once drawn: the frozen columns' offsets are the widths before them.
    this.layoutColumns(table, columns);
    this.selection.attach(table, page.page * PAGE_SIZE, got.rows, got.total, columns);
    const over = this.partial ? this.p.rows.length : this.p.rowCount;
    this.status.textContent =
      statusText(this.p, view, { page, matching: got.total, over, partial: this.partial }) +
      (this.failure ? ` (the rest could not be read: ${this.failure})` : '');
    this.pager.replaceChildren();
    if (page.pages > 1) {
      const go = (n: number) => () => {
        this.page = n;
        this.draw();
      };
      const prev = button('‹ Prev', 'clerk-prev', go(page.page - 1));
      prev.disabled = page.page === 0;
      const next = button('Next ›', 'clerk-next', go(page.page + 1));
      next.disabled = page.page >= page.pages - 1;
      this.pager.append(prev, el('span', 'clerk-page', `Page ${page.page + 1} of ${page.pages.toLocaleString('en-US')}`), next);
    }
  }

  /** The page's rows, in the columns drawn (`columns`: their indexes); hidden ones are not in the table at all. */
  private table(rows: GridPayload['rows'], columns: readonly number[]): HTMLTableElement {
    const { p, view } = this;
    const kinds = p.columns.map((c) => columnKind(c.type));
    const table = el('table', 'clerk-grid');
    const head = table.createTHead().insertRow();
    columns.forEach((i, position) => {
      const c = p.columns[i]!;
      const th = el('th');
      th.className = `clerk-kind-${kinds[i]}`;
      th.style.textAlign = kinds[i] === 'number' ? 'right' : 'left';
      const at = view.sort.findIndex((k) => k.column === i);
      const key = view.sort[at];
      const sorted = key ? (key.descending ? 'descending' : 'ascending') : 'none';
      // aria-sort belongs on the primary key's header only.
      th.setAttribute('aria-sort', at === 0 ? sorted : 'none');
      th.tabIndex = 0;
      th.setAttribute('role', 'columnheader');
      th.title = `${c.name} (${c.type}): click to sort, shift-click to sort by it as well, Ctrl/Cmd-click to select the column`;
      const filtered = view.columns.some((f) => f.column === i);
      th.classList.toggle('clerk-filtered', filtered);
      const arrow = el('span', 'clerk-sort', sorted === 'ascending' ? '▲' : sorted === 'descending' ? '▼' : '');
      if (key && view.sort.length > 1) arrow.textContent += String(at + 1);
      const funnel = button('≡', 'clerk-column-filter', (e) => {
        e.stopPropagation();
        this.openPanel(i, th);
      });
      funnel.setAttribute('aria-label', `Filter, hide or freeze ${c.name}${filtered ? ' (filtered)' : ''}`);
      funnel.setAttribute('aria-haspopup', 'dialog');
      funnel.setAttribute('aria-pressed', String(filtered));
      const handle = resizeHandle({
        name: c.name,
        width: () => th.getBoundingClientRect().width,
        resize: (width) => {
          if (width === undefined) this.widths.delete(i);
          else this.widths.set(i, width);
          this.sizeColumn(table, position, width);
          this.layoutColumns(table, columns);
        },
      });
      th.append(el('span', 'clerk-col-name', c.name), arrow, funnel, el('span', 'clerk-col-type', c.type), handle);
      const sort = (more: boolean) => this.setView({ ...view, sort: nextSort(view.sort, i, more) });
      th.addEventListener('click', (e) => (e.ctrlKey || e.metaKey ? this.selection.selectColumn(i, e.shiftKey) : sort(e.shiftKey)));
      th.addEventListener('keydown', (e) => {
        if (e.target !== th || (e.key !== 'Enter' && e.key !== ' ')) return;
        e.preventDefault();
        sort(e.shiftKey);
      });
      head.appendChild(th);
    });
    const tbody = table.createTBody();
    for (const row of rows) {
      const tr = tbody.insertRow();
      columns.forEach((i) => {
        const v = row[i] ?? null;
        const td = tr.insertCell();
        td.className = `clerk-kind-${kinds[i]}`;
        // Inline: the output webview's own table styles right-align cells after the first.
        td.style.textAlign = kinds[i] === 'number' ? 'right' : 'left';
        if (v === null) {
          td.classList.add('clerk-null');
          td.textContent = 'NULL';
        } else if (v === '') {
          td.classList.add('clerk-empty');
          td.title = '(empty text)';
        } else {
          const shown = cellText(v, kinds[i]!);
          td.textContent = shown.text;
          if (shown.cut || shown.text !== v || kinds[i] === 'json') td.title = 'Double-click or Enter: the whole value';
        }
      });
    }
    columns.forEach((i, position) => {
      const width = this.widths.get(i);
      if (width !== undefined) this.sizeColumn(table, position, width);
    });
    return table;
  }

  /** The drawn column at `position` this wide, or undefined: as wide as its values. */
  private sizeColumn(table: HTMLTableElement, position: number, width: number | undefined): void {
    const px = width === undefined ? '' : `${width}px`;
    for (const tr of Array.from(table.rows)) {
      const cell = tr.cells[position];
      if (!cell) continue;
      cell.classList.toggle('clerk-sized', width !== undefined);
      cell.style.width = cell.style.minWidth = cell.style.maxWidth = px;
    }
  }

  /** The widths drawn, as each edge's value; the frozen columns stuck at their offsets. */
  private layoutColumns(table: HTMLTableElement, columns: readonly number[]): void {
    const heads = Array.from(table.tHead!.rows[0]!.cells);
    const widths = heads.map((th) => th.getBoundingClientRect().width);
    heads.forEach((th, p) => th.querySelector('.clerk-col-resize')?.setAttribute('aria-valuenow', String(Math.round(widths[p]!))));
    const lefts = frozenOffsets(columns, this.frozen, widths);
    for (const tr of Array.from(table.rows))
      Array.from(tr.cells).forEach((cell, p) => {
        const left = lefts[p];
        cell.classList.toggle('clerk-frozen', left !== undefined);
        cell.classList.toggle('clerk-frozen-last', p === lefts.length - 1);
        cell.style.left = left === undefined ? '' : `${left}px`;
      });
  }

  /** Hidden columns from now on: the selection's positions are other columns, so it goes. */
  private setHidden(hidden: ReadonlySet<number>): void {
    this.hidden = hidden;
    this.selection.reset();
    this.columnsButton.textContent = hidden.size > 0 ? `Columns (${hidden.size} hidden)` : 'Columns';
    void this.drawGrid();
  }

  private toggleColumn(i: number): void {
    this.setHidden(toggleHidden(this.p.columns.length, this.hidden, i));
  }

  /** The toolbar's list of columns to show or hide, under its button; again: closed. */
  private openColumns(): void {
    const open = this.panel?.classList.contains('clerk-columns-menu');
    this.closePopups();
    if (open) return;
    const close = () => {
      this.closePopups();
      this.columnsButton.focus();
    };
    const menu = columnsMenu({
      columns: this.p.columns,
      hidden: () => this.hidden,
      toggle: (i) => this.toggleColumn(i),
      showAll: () => this.setHidden(new Set()),
      close,
    });
    this.placeBelow(menu, this.columnsButton);
    this.panel = menu;
    this.root.appendChild(menu);
  }

  /** The value viewer and a column panel or the Columns list, when open: not over the chart. */
  private closePopups(): void {
    this.closeViewer();
    this.panel?.remove();
    this.panel = undefined;
  }

  private closeViewer(): void {
    this.viewer?.remove();
    this.viewer = undefined;
  }

  /** The value viewer on a cell, under it; closing it gives the cell its focus back. */
  private openValue(cell: Cell, text: string | null, values: (string | null)[], td: HTMLElement): void {
    this.closeViewer();
    const column = this.p.columns[cell.column]!;
    const close = () => {
      this.closeViewer();
      if (td.isConnected) td.focus();
    };
    const viewer = valueViewer({
      column,
      kind: columnKind(column.type),
      row: cell.row + 1,
      text,
      epochMillis: isEpochMillisColumn(column, values),
      close,
    });
    const at = td.getBoundingClientRect();
    const base = this.root.getBoundingClientRect();
    viewer.style.top = `${at.bottom - base.top}px`;
    this.viewer = viewer;
    this.root.appendChild(viewer);
  }

  /** The header's filter panel of column `i`, below its header. */
  private openPanel(i: number, th: HTMLElement): void {
    this.panel?.remove();
    const close = () => {
      this.panel?.remove();
      this.panel = undefined;
      th.querySelector<HTMLElement>('.clerk-column-filter')?.focus();
    };
    const panel = columnPanel({
      index: i,
      column: this.p.columns[i]!,
      kind: columnKind(this.p.columns[i]!.type),
      filters: this.view.columns.filter((f) => f.column === i),
      values: this.rows.values(this.view, i, VALUES_SHOWN),
      apply: (filters) => {
        close();
        this.setView({ ...this.view, columns: [...this.view.columns.filter((f) => f.column !== i), ...filters] });
      },
      hide:
        this.p.columns.length - this.hidden.size > 1
          ? () => {
              this.closePopups();
              this.toggleColumn(i);
              // Its header (and ≡) are gone: the focus to where it can be shown again.
              this.columnsButton.focus();
            }
          : undefined,
      frozen: i < this.frozen,
      freeze: () => {
        this.frozen = i < this.frozen ? 0 : i + 1;
        close();
        const table = this.body.querySelector('table');
        if (table) this.layoutColumns(table, visibleColumns(this.p.columns.length, this.hidden));
      },
      close,
    });
    this.placeBelow(panel, th);
    this.panel = panel;
    this.root.appendChild(panel);
  }

  /** A popup under `anchor`, but inside the output (an anchor scrolled off to the right would widen it). */
  private placeBelow(popup: HTMLElement, anchor: HTMLElement): void {
    const at = anchor.getBoundingClientRect();
    const base = this.root.getBoundingClientRect();
    popup.style.left = `${Math.max(0, Math.min(at.left - base.left, base.width - PANEL_WIDTH))}px`;
    popup.style.top = `${at.bottom - base.top}px`;
  }

  /** What is filtered, each removable, and a way to clear them all. */
  private drawChips(): void {
    const { view, p } = this;
    this.chips.replaceChildren();
    for (const f of view.columns) {
      // Its values as the grid shows them (booleans as true/false).
      const kind = columnKind(p.columns[f.column]?.type ?? 'text');
      const shown = f.kind === 'values' ? { ...f, values: f.values.map((v) => v && shownText(v, kind)) } : f;
      const chip = button(`${filterText(p.columns[f.column]?.name ?? '?', shown)} ✕`, 'clerk-chip', () =>
        this.setView({ ...view, columns: view.columns.filter((g) => g !== f) }),
      );
      chip.title = 'Remove this filter';
      this.chips.append(chip);
    }
    if (isFiltered(view))
      this.chips.append(
        button('Clear filters', 'clerk-clear-filters', () => {
          this.filterBox.value = '';
          this.setView({ ...view, filter: '', columns: [] });
        }),
      );
    if (view.sort.length > 0) this.chips.title = `Sorted by ${sortText(p, view.sort)}`;
  }
}

/** A failed or cancelled cell: the error's text, and the key it asks for as a button. */
function errorView(p: ErrorPayload, context: RendererContext): HTMLElement {
  const root = el('div', `clerk-${p.kind === 'cancelled' ? 'cancelled' : 'error'}`);
  if (p.stale) root.appendChild(el('div', 'clerk-stale', STALE));
  const [first = '', ...rest] = (p.text ?? '').split('\n');
  root.append(el('div', 'clerk-error-message', first));
  if (rest.length > 0) root.append(el('pre', 'clerk-error-text', rest.join('\n')));
  const key = p.setKey;
  if (key && context.postMessage) {
    const button = el('button', 'clerk-button clerk-set-key', `Set key for ${key.origin}`);
    button.type = 'button';
    button.title = `Store the Clerk secret key of server "${key.server}" for ${key.origin}, then run the cell again`;
    button.addEventListener('click', () =>
      context.postMessage!({ type: 'setKey', server: key.server, origin: key.origin, cell: key.cell } satisfies RendererMessage),
    );
    root.appendChild(button);
  }
  return root;
}
