/// <reference lib="dom" />
// Draws a chart's layout (chartModel.ts computes every position) as SVG: legend entries that
// toggle their series, value axes left and right with their titles, x labels, and the marks.
// Colours and fonts come from classes (chartStyle.ts), the theme's CSS variables.
import type { ChartLayout } from './chartModel.js';

const SVG = 'http://www.w3.org/2000/svg';
const SERIES_COLOURS = 8;

function svgEl(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

const titled = (e: SVGElement, title: string | undefined) => {
  if (title) e.appendChild(svgEl('title', {}, title));
  return e;
};

/** `label`: what the chart shows, for screen readers; `onToggle`: a legend entry was clicked. */
export function renderChart(layout: ChartLayout, label: string, onToggle: (series: number) => void): SVGSVGElement {
  const { width: W, height: H, plot } = layout;
  const svg = svgEl('svg', { class: 'clerk-chart', viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': label }) as SVGSVGElement;
  const colour = (series: number) => `clerk-series clerk-series-${series % SERIES_COLOURS}`;

  for (const entry of layout.legend) {
    const name = entry.name;
    const g = svgEl('g', {
      class: `clerk-legend-item${entry.hidden ? ' clerk-legend-hidden' : ''}`,
      role: 'button',
      tabindex: 0,
      'aria-pressed': String(!entry.hidden),
      'aria-label': `${entry.hidden ? 'Show' : 'Hide'} ${name}`,
    });
    g.append(
      svgEl('rect', { class: colour(entry.series), x: entry.x, y: entry.y + 2, width: 10, height: 10, rx: 2 }),
      svgEl('text', { class: 'clerk-legend', x: entry.x + 14, y: entry.y + 11 }, name),
    );
    g.addEventListener('click', () => onToggle(entry.series));
    g.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      e.preventDefault();
      onToggle(entry.series);
    });
    svg.appendChild(g);
  }

  for (const axis of layout.yAxes) {
    const left = axis.side === 'left';
    const gridLines = left || !layout.yAxes.some((a) => a.side === 'left');
    for (const t of axis.ticks) {
      if (gridLines) svg.appendChild(svgEl('line', { class: 'clerk-axis-grid', x1: plot.left, x2: plot.right, y1: t.at, y2: t.at }));
      svg.appendChild(svgEl('text', { class: 'clerk-axis-label', x: left ? plot.left - 6 : plot.right + 6, y: t.at + 4, 'text-anchor': t.anchor }, t.label));
    }
    svg.appendChild(
      svgEl('line', { class: 'clerk-axis', x1: left ? plot.left : plot.right, x2: left ? plot.left : plot.right, y1: plot.top, y2: plot.bottom }),
    );
    const tx = left ? 12 : W - 6;
    const ty = (plot.top + plot.bottom) / 2;
    svg.appendChild(svgEl('text', { class: 'clerk-axis-title', x: tx, y: ty, 'text-anchor': 'middle', transform: `rotate(-90 ${tx} ${ty})` }, axis.title));
  }
  svg.appendChild(svgEl('line', { class: 'clerk-axis', x1: plot.left, x2: plot.right, y1: layout.baseline, y2: layout.baseline }));

  const x = layout.xAxis;
  for (const t of x.ticks) {
    svg.appendChild(svgEl('line', { class: 'clerk-axis', x1: t.at, x2: t.at, y1: plot.bottom, y2: plot.bottom + 4 }));
    const attrs = { class: 'clerk-axis-label', x: t.at, y: x.labelY, 'text-anchor': t.anchor };
    svg.appendChild(titled(svgEl('text', x.rotate ? { ...attrs, transform: `rotate(-45 ${t.at} ${x.labelY})` } : attrs, t.label), t.title));
  }
  svg.appendChild(svgEl('text', { class: 'clerk-axis-title', x: (plot.left + plot.right) / 2, y: x.titleY, 'text-anchor': 'middle' }, x.title));

  for (const mark of layout.marks) {
    const cls = colour(mark.series);
    if (mark.kind === 'bars') {
      for (const r of mark.rects) svg.appendChild(titled(svgEl('rect', { class: cls, x: r.x, y: r.y, width: r.width, height: r.height }), r.title));
      continue;
    }
    if (mark.area) svg.appendChild(svgEl('path', { class: `${cls} clerk-area`, d: mark.area }));
    if (mark.d) svg.appendChild(svgEl('path', { class: `${cls} clerk-line`, d: mark.d }));
    for (const dot of mark.dots) svg.appendChild(titled(svgEl('circle', { class: `${cls} clerk-dot`, cx: dot.cx, cy: dot.cy, r: dot.r }), dot.title));
  }
  return svg;
}
