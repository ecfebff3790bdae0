/// <reference lib="dom" />
// The result's Chart mode: its toolbar controls (chart type, x, y columns, series column, Save
// PNG / SVG) and the chart they choose, drawn into the result's body, of every row of the result:
// its rows are read where the result is kept (results/chartRows.ts), the chart drawn when they
// come, and kept while only the chart type or the series shown change. A choice the
// user makes, and switching to the chart, is sent to the extension, which keeps it as the cell's
// `-- chart:` comment; switching to the grid removes the comment. The payload brings it back when
// the cell runs again.
import { CHART_TYPES, type ChartChoice, type ChartType } from '../../results/chartComment.js';
import { chartRowColumns, MAX_GROUPS, type ChartRows } from '../../results/chartRows.js';
import type { RendererMessage } from '../../results/payload.js';
import { renderChart } from './chart.js';
import { pngBase64, svgMarkup } from './chartImage.js';
import {
  axisKind,
  chartColumns,
  chartData,
  chartLayout,
  chartable,
  type ChartData,
  columnRoles,
  defaultChoice,
  fitChoice,
  MAX_CATEGORIES,
  yCandidates,
  type ColumnRole,
  type Measure,
} from './chartModel.js';
import { counted } from './counted.js';
import { button, el } from './dom.js';
import type { GridRows } from './gridRows.js';
import type { GridPayload } from './model.js';

interface Messaging {
  postMessage?(message: unknown): void;
}

const TYPE_NAMES: Record<ChartType, string> = { bar: 'Bar', line: 'Line', area: 'Area', stacked: 'Stacked', scatter: 'Scatter' };

// Choices made in this webview, by cell, statement and run (the result's id), and whether the chart
// or the grid was shown last: the output item keeps the payload of the cell's run, so an output
// drawn again (scrolled back into view) would otherwise lose them. A new run reads the cell's
// comment, which says the same unless it was edited by hand.
const chosen = new Map<string, { choice: ChartChoice; shown: boolean }>();

let measureContext: CanvasRenderingContext2D | null | undefined;
/** Label widths in the theme's font, as the chart's text is drawn (11px). */
const measure: Measure = (text) => {
  if (measureContext === undefined) {
    measureContext = document.createElement('canvas').getContext('2d');
    const family = getComputedStyle(document.body).getPropertyValue('--vscode-font-family').trim() || 'sans-serif';
    if (measureContext) measureContext.font = `11px ${family}`;
  }
  return measureContext ? measureContext.measureText(text).width : text.length * 6.6;
};

export class ChartView {
  readonly controls = el('span', 'clerk-chart-controls-inner');
  /** The chart came from the cell's `-- chart:` comment (or was shown here last): show it first. */
  readonly remembered: boolean;
  private choice: ChartChoice;
  private hidden = new Set<number>();
  private readonly roles: ColumnRole[];
  private readonly key: string | undefined;
  private body: HTMLElement | undefined;
  private status: HTMLElement | undefined;
  private svg: SVGSVGElement | undefined;
  private drawnWidth = 0;
  /**
   * The rows of the chart's columns once read (`columns`: which, as chartColumns gives them), and
   * their series: made once, not again when a legend entry is toggled or the output resized.
   */
  private read: { columns: string; rows?: ChartRows; data?: ChartData; error?: string } | undefined;
  private readonly typeButtons = new Map<ChartType, HTMLButtonElement>();
  private readonly xSelect = el('select', 'clerk-chart-x');
  private readonly seriesSelect = el('select', 'clerk-chart-series');
  private readonly yPicker = el('details', 'clerk-picker clerk-chart-y');
  private readonly ySummary = el('summary');
  private readonly yList = el('div', 'clerk-picker-list');

  /** A chart view for a result that can be charted, else undefined. */
  static of(payload: GridPayload, context: Messaging, rows: GridRows): ChartView | undefined {
    const roles = columnRoles(payload.columns, payload.rows);
    if (!chartable(roles, payload.rows.length)) return undefined;
    const key = payload.cell !== undefined ? `${payload.cell}#${payload.statement}#${payload.resultId ?? ''}` : undefined;
    const mine = key !== undefined ? chosen.get(key) : undefined;
    const saved = mine?.choice ?? payload.chart;
    const fitting = saved && fitChoice(roles, saved);
    const choice = fitting ?? defaultChoice(roles, payload.rows);
    return choice && new ChartView(payload, context, rows, roles, choice, key, fitting !== undefined && (mine?.shown ?? true));
  }

  private constructor(
    private readonly p: GridPayload,
    private readonly context: Messaging,
    private readonly rows: GridRows,
    roles: ColumnRole[],
    choice: ChartChoice,
    key: string | undefined,
    remembered: boolean,
  ) {
    this.roles = roles;
    this.choice = choice;
    this.key = key;
    this.remembered = remembered;
    this.buildControls();
  }

  /** Draws the chart into `body` and says what it shows in `status`; again when the body's width changes. */
  draw(body: HTMLElement, status: HTMLElement): void {
    if (this.body !== body) {
      new ResizeObserver(() => {
        if (this.svg?.isConnected && Math.abs(body.clientWidth - this.drawnWidth) > 24) this.redraw();
      }).observe(body);
    }
    this.body = body;
    this.status = status;
    this.redraw();
  }

  private redraw(): void {
    const { body, status, choice, p } = this;
    if (!body || !status) return;
    this.syncControls();
    this.svg = undefined;
    if (choice.y.length === 0) {
      body.replaceChildren(el('div', 'clerk-chart-empty', 'Choose one or more numeric columns for y.'));
      status.textContent = '';
      return;
    }
    const columns = chartColumns(this.roles, choice);
    const key = JSON.stringify(columns);
    if (this.read?.columns !== key) {
      const reading: NonNullable<ChartView['read']> = { columns: key };
      this.read = reading;
      const rows = this.rows.chart(columns);
      if (!(rows instanceof Promise)) reading.rows = rows;
      else
        rows
          .then(
            (got) => (reading.rows = got),
            (err: unknown) => (reading.error = err instanceof Error ? err.message : String(err)),
          )
          .finally(() => {
            if (this.read === reading) this.redraw();
          });
    }
    const read = this.read;
    const { rows, error } = read;
    if (!rows) {
      body.replaceChildren(el('div', 'clerk-chart-empty', error ? `The chart's rows could not be read: ${error}` : ''));
      status.textContent = error ? '' : `Reading ${p.rowCount.toLocaleString('en-US')} rows for the chart…`;
      return;
    }
    const data = (read.data ??= chartData(
      rows.rows,
      chartRowColumns(columns).map((i) => this.roles[i]!),
      choice,
    ));
    this.drawnWidth = body.clientWidth || 760;
    const layout = chartLayout(data, choice.type, this.hidden, Math.max(420, Math.min(1400, this.drawnWidth)), choice.x, measure);
    const what = `${TYPE_NAMES[choice.type]} chart of ${choice.y.join(', ')} by ${choice.x}${choice.series ? `, one series per ${choice.series}` : ''}`;
    this.svg = renderChart(layout, what + (layout.split ? ', with a right axis for the smaller values' : ''), (series) => {
      if (!this.hidden.delete(series)) this.hidden.add(series);
      this.redraw();
    });
    body.replaceChildren(this.svg);
    const points = data.series.reduce((n, s) => n + s.points.length, 0);
    const omitted = data.omitted + rows.omitted;
    const notes = [
      rows.drawn.from === 'all'
        ? counted(points, 'point') + (rows.total > p.rows.length ? ` from all ${counted(rows.total, 'row')}, not only the output's` : '')
        : rows.drawn.from === 'steps'
          ? `all ${counted(rows.total, 'row')}, drawn as ${counted(points, 'point')}: each y's lowest and highest and the first and last x in each of ${rows.drawn.steps.toLocaleString('en-US')} steps of x`
          : `the first ${counted(rows.rows.length, 'row')} of ${rows.total.toLocaleString('en-US')}: ${counted(points, 'point')}`,
      omitted > 0
        ? `${counted(omitted, 'row')} left out (${data.xKind === 'category' ? `past ${MAX_CATEGORIES} categories, ` : 'no x value, '}or past ${MAX_GROUPS} series)`
        : '',
      layout.split ? `right axis: ${layout.yAxes.find((a) => a.side === 'right')?.title}` : '',
      // A stale output's rest went with its runtime: its chart is of the output's rows.
      rows.total < p.rowCount ? `of the output's ${rows.total.toLocaleString('en-US')} rows; the result had ${p.rowCount.toLocaleString('en-US')}` : '',
    ].filter(Boolean);
    status.textContent = `${what} (${notes.join('; ')})`;
  }

  /**
   * The user switched to the chart or to the grid. Looking at the chart changes nothing in the
   * notebook (a choice made with the controls is what the cell keeps); the grid removes the
   * cell's `-- chart:` comment, so the cell opens in the grid.
   */
  shown(chart: boolean): void {
    if (this.key !== undefined) chosen.set(this.key, { choice: this.choice, shown: chart });
    if (!chart) this.keep(null);
  }

  private keep(chart: ChartChoice | null): void {
    if (this.p.cell !== undefined) this.context.postMessage?.({ type: 'chartChoice', cell: this.p.cell, chart } satisfies RendererMessage);
  }

  /** A choice made with the controls: drawn, and kept in the cell's text by the extension. */
  private choose(change: Partial<ChartChoice>): void {
    const next: ChartChoice = { ...this.choice, ...change };
    if (next.series === undefined || next.series === next.x) delete next.series;
    const numeric = new Set(yCandidates(this.roles, next.x).map((r) => r.name));
    next.y = next.y.filter((n) => numeric.has(n) && n !== next.series);
    this.choice = next;
    this.hidden.clear();
    if (this.key !== undefined) chosen.set(this.key, { choice: next, shown: true });
    if (next.y.length > 0) this.keep(next);
    this.redraw();
  }

  private buildControls(): void {
    const types = el('span', 'clerk-segmented');
    types.setAttribute('role', 'group');
    types.setAttribute('aria-label', 'Chart type');
    for (const t of CHART_TYPES) {
      const b = button(TYPE_NAMES[t], `clerk-chart-${t}`, () => this.choose({ type: t }));
      this.typeButtons.set(t, b);
      types.appendChild(b);
    }
    this.xSelect.setAttribute('aria-label', 'x axis column');
    for (const r of this.roles) this.xSelect.appendChild(new Option(`${r.name}${axisKind(r) === 'time' ? ' (time)' : ''}`, r.name));
    this.xSelect.addEventListener('change', () => this.choose({ x: this.xSelect.value }));
    this.ySummary.setAttribute('aria-label', 'y columns');
    this.yPicker.append(this.ySummary, this.yList);
    this.seriesSelect.setAttribute('aria-label', 'Series column: one series per value');
    this.seriesSelect.addEventListener('change', () => this.choose({ series: this.seriesSelect.value || undefined }));
    const label = (text: string, control: HTMLElement) => {
      const l = el('label', undefined, text);
      l.appendChild(control);
      return l;
    };
    this.controls.append(types, label('x', this.xSelect), label('y', this.yPicker), label('series', this.seriesSelect));
    if (this.context.postMessage)
      for (const format of ['png', 'svg'] as const)
        this.controls.appendChild(
          button(`Save ${format.toUpperCase()}`, `clerk-chart-save-${format}`, () => void this.save(format), `Save the chart as ${format.toUpperCase()}`),
        );
  }

  /** The controls show the current choice: y offers the numeric columns other than x, series the others. */
  private syncControls(): void {
    const { choice } = this;
    for (const [t, b] of this.typeButtons) {
      b.classList.toggle('clerk-active', t === choice.type);
      b.setAttribute('aria-pressed', String(t === choice.type));
    }
    this.xSelect.value = choice.x;
    this.ySummary.textContent = choice.y.length ? choice.y.join(', ') : '(none)';
    this.yList.replaceChildren(
      ...yCandidates(this.roles, choice.x).map((r) => {
        const box = el('input');
        box.type = 'checkbox';
        box.value = r.name;
        box.checked = choice.y.includes(r.name);
        box.addEventListener('change', () => {
          const y = yCandidates(this.roles, choice.x)
            .map((c) => c.name)
            .filter((n) => (n === r.name ? box.checked : choice.y.includes(n)));
          this.choose({ y, series: this.choice.series === r.name ? undefined : this.choice.series });
        });
        const l = el('label');
        l.append(box, ` ${r.name}${r.epochMs ? ' (time)' : ''}`);
        return l;
      }),
    );
    this.seriesSelect.replaceChildren(
      new Option('(none)', ''),
      ...this.roles.filter((r) => r.name !== choice.x && !choice.y.includes(r.name)).map((r) => new Option(r.name, r.name)),
    );
    this.seriesSelect.value = choice.series ?? '';
  }

  private async save(format: 'png' | 'svg'): Promise<void> {
    const svg = this.svg;
    if (!svg) return;
    const markup = svgMarkup(svg);
    const data = format === 'svg' ? markup : await pngBase64(markup, svg.width.baseVal.value, svg.height.baseVal.value);
    const name = `${this.choice.y.join('-')}-by-${this.choice.x}`;
    this.context.postMessage?.({ type: 'saveChart', format, data, name } satisfies RendererMessage);
  }
}
