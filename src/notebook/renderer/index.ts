/// <reference lib="dom" />
// Notebook renderer for `application/vnd.clerk-sql.result+json`: a sortable, filterable,
// paged grid with the Postgres column types in the header, a chart (chartView.ts) for results
// with numeric columns, and export buttons that ask the extension (renderer messaging) to save
// the full result; and for
// `application/vnd.clerk-sql.error+json`: a failed cell's error as psql prints it, with a "Set key"
// button when a key is what it needs. Runs in the output webview: no vscode import; styles use
// the theme's CSS variables.
import { columnKind, filterRows, pageOf, sortRows, statusText, type GridPayload, type SortKey } from './model.js';
import { ERROR_MIME } from '../../ids.js';
import type { ErrorPayload, RendererMessage } from '../../results/payload.js';
import { CSS } from './style.js';
import { CHART_CSS } from './chartStyle.js';
import { ChartView } from './chartView.js';
import { button, el } from './dom.js';

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
const STALE = 'From a runtime that has been restarted since: run the cell again to refresh.';

export function activate(context: RendererContext) {
  const style = document.createElement('style');
  style.textContent = CSS + CHART_CSS;
  document.head.appendChild(style);
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
      element.appendChild(new ResultView(payload, context).root);
    },
    disposeOutputItem() {},
  };
}

class ResultView {
  readonly root = el('div', 'clerk-result');
  private sort: SortKey | undefined;
  private filter = '';
  private page = 0;
  private mode: 'grid' | 'chart';
  private readonly chart: ChartView | undefined;
  private readonly body = el('div', 'clerk-body');
  private readonly status = el('span', 'clerk-status');
  private readonly pager = el('span', 'clerk-pager');
  private readonly filterBox = el('input', 'clerk-filter');
  private readonly gridControls = el('span', 'clerk-grid-controls');
  private readonly chartControls = el('span', 'clerk-chart-controls');

  constructor(
    private readonly p: GridPayload,
    private readonly context: RendererContext,
  ) {
    this.chart = ChartView.of(p, context);
    // A cell whose `-- chart:` comment names the chart shows it first.
    this.mode = this.chart?.remembered ? 'chart' : 'grid';
    if (p.stale) this.root.appendChild(el('div', 'clerk-stale', STALE));
    for (const notice of p.notices) this.root.appendChild(el('div', 'clerk-notice', `NOTICE:  ${notice}`));
    if (p.columns.length === 0) {
      this.root.appendChild(el('div', 'clerk-command', p.command));
      return;
    }
    const bar = el('div', 'clerk-toolbar');
    this.filterBox.type = 'search';
    this.filterBox.placeholder = 'Filter rows';
    this.filterBox.setAttribute('aria-label', 'Filter rows');
    this.filterBox.addEventListener('input', () => {
      this.filter = this.filterBox.value;
      this.page = 0;
      this.draw();
    });
    this.gridControls.append(this.filterBox);
    if (this.chart) {
      const toggle = el('span', 'clerk-segmented');
      for (const mode of ['grid', 'chart'] as const)
        toggle.appendChild(
          this.button(mode === 'grid' ? 'Grid' : 'Chart', `clerk-mode-${mode}`, () => {
            this.mode = mode;
            this.draw();
          }),
        );
      bar.appendChild(toggle);
      this.chartControls.appendChild(this.chart.controls);
    }
    bar.append(this.gridControls, this.chartControls, el('span', 'clerk-spacer'));
    if (this.context.postMessage && this.p.resultId) {
      for (const format of ['csv', 'json'] as const) {
        bar.appendChild(
          this.button(
            `Export ${format.toUpperCase()}`,
            `clerk-export-${format}`,
            () => this.context.postMessage!({ type: 'export', resultId: this.p.resultId!, format } satisfies RendererMessage),
            `Save all ${this.p.rowCount.toLocaleString('en-US')} rows as ${format.toUpperCase()}`,
          ),
        );
      }
    }
    const foot = el('div', 'clerk-footer');
    foot.append(this.status, this.pager);
    this.root.append(bar, this.body, foot);
    this.draw();
  }

  private button(label: string, cls: string, onClick: () => void, title?: string): HTMLButtonElement {
    return button(label, cls, onClick, title);
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
    if (this.mode === 'chart' && this.chart) this.chart.draw(this.body, this.status);
    else this.drawGrid();
  }

  private drawGrid(): void {
    const { p } = this;
    const order = filterRows(p.rows, sortRows(p.rows, p.columns, this.sort), this.filter);
    const page = pageOf(order, this.page, PAGE_SIZE);
    this.page = page.page;
    const kinds = p.columns.map((c) => columnKind(c.type));
    const table = el('table', 'clerk-grid');
    const head = table.createTHead().insertRow();
    p.columns.forEach((c, i) => {
      const th = el('th');
      th.className = `clerk-kind-${kinds[i]}`;
      th.style.textAlign = kinds[i] === 'number' ? 'right' : 'left';
      const sorted = this.sort?.column === i ? (this.sort.descending ? 'descending' : 'ascending') : 'none';
      th.setAttribute('aria-sort', sorted);
      th.title = `${c.name} (${c.type}): click to sort`;
      const name = el('span', 'clerk-col-name', c.name);
      const type = el('span', 'clerk-col-type', c.type);
      const arrow = el('span', 'clerk-sort', sorted === 'ascending' ? '▲' : sorted === 'descending' ? '▼' : '');
      th.append(name, arrow, type);
      th.addEventListener('click', () => {
        // none -> ascending -> descending -> none
        this.sort = this.sort?.column !== i ? { column: i, descending: false } : this.sort.descending ? undefined : { column: i, descending: true };
        this.draw();
      });
      head.appendChild(th);
    });
    const tbody = table.createTBody();
    for (const r of page.rows) {
      const tr = tbody.insertRow();
      p.rows[r]!.forEach((v, i) => {
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
          td.textContent = v.length > 300 ? v.slice(0, 300) + '…' : v;
          if (v.length > 40 || v.includes('\n')) td.title = kinds[i] === 'json' ? prettyJson(v) : v;
        }
      });
    }
    const wrap = el('div', 'clerk-grid-wrap');
    wrap.appendChild(table);
    this.body.replaceChildren(wrap);
    this.status.textContent = statusText(p, page, order.length, this.filter.trim() !== '');
    this.pager.replaceChildren();
    if (page.pages > 1) {
      const go = (n: number) => () => {
        this.page = n;
        this.draw();
      };
      const prev = this.button('‹ Prev', 'clerk-prev', go(page.page - 1));
      prev.disabled = page.page === 0;
      const next = this.button('Next ›', 'clerk-next', go(page.page + 1));
      next.disabled = page.page >= page.pages - 1;
      this.pager.append(prev, el('span', 'clerk-page', `Page ${page.page + 1} of ${page.pages}`), next);
    }
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

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
