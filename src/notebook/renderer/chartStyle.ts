// The chart's styles (inlined in the bundle): VS Code theme colours only. Saved images get these
// as computed values (chartImage.ts), so they look as the chart did on screen.
export const CHART_CSS = `
.clerk-chart-controls-inner { display: inline-flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.clerk-chart-controls label { display: inline-flex; gap: 4px; align-items: center; color: var(--vscode-descriptionForeground); }
.clerk-chart-controls select, .clerk-picker summary { font: inherit; padding: 1px 4px; color: var(--vscode-dropdown-foreground);
  background: var(--vscode-dropdown-background); border: 1px solid var(--vscode-dropdown-border, transparent); }
.clerk-picker { position: relative; }
.clerk-picker summary { cursor: pointer; list-style: none; max-width: 260px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.clerk-picker summary::after { content: ' ▾'; }
.clerk-picker[open] .clerk-picker-list { position: absolute; z-index: 2; top: 100%; left: 0; display: flex; flex-direction: column; gap: 2px;
  padding: 4px 8px; min-width: 160px; max-height: 240px; overflow: auto; color: var(--vscode-dropdown-foreground);
  background: var(--vscode-dropdown-background); border: 1px solid var(--vscode-dropdown-border, var(--vscode-panel-border, #8884)); }
.clerk-picker-list label { color: var(--vscode-dropdown-foreground); white-space: nowrap; }
.clerk-chart-controls select:focus, .clerk-picker summary:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: -1px; }
.clerk-chart-empty { padding: 24px; color: var(--vscode-descriptionForeground); }
.clerk-chart { display: block; max-width: 100%; height: auto; background: var(--vscode-editor-background); }
.clerk-axis { stroke: var(--vscode-editor-foreground); stroke-opacity: 0.6; }
.clerk-axis-grid { stroke: var(--vscode-editor-foreground); stroke-opacity: 0.12; }
.clerk-axis-label, .clerk-legend, .clerk-axis-title { fill: var(--vscode-editor-foreground); font-size: 11px; font-family: var(--vscode-font-family); }
.clerk-axis-label { fill-opacity: 0.75; }
.clerk-axis-title { font-weight: 600; }
.clerk-legend-item { cursor: pointer; }
.clerk-legend-item:focus-visible { outline: 1px solid var(--vscode-focusBorder); }
.clerk-legend-hidden { opacity: 0.4; }
.clerk-legend-hidden .clerk-legend { text-decoration: line-through; }
path.clerk-line { fill: none; stroke-width: 2; }
path.clerk-area { fill-opacity: 0.25; stroke: none; }
.clerk-dot { fill-opacity: 0.85; stroke: none; }
.clerk-series-0 { fill: var(--vscode-charts-blue, #3794ff); stroke: var(--vscode-charts-blue, #3794ff); }
.clerk-series-1 { fill: var(--vscode-charts-orange, #d18616); stroke: var(--vscode-charts-orange, #d18616); }
.clerk-series-2 { fill: var(--vscode-charts-green, #89d185); stroke: var(--vscode-charts-green, #89d185); }
.clerk-series-3 { fill: var(--vscode-charts-purple, #b180d7); stroke: var(--vscode-charts-purple, #b180d7); }
.clerk-series-4 { fill: var(--vscode-charts-red, #f14c4c); stroke: var(--vscode-charts-red, #f14c4c); }
.clerk-series-5 { fill: var(--vscode-charts-yellow, #cca700); stroke: var(--vscode-charts-yellow, #cca700); }
.clerk-series-6 { fill: var(--vscode-terminal-ansiCyan, #11a8cd); stroke: var(--vscode-terminal-ansiCyan, #11a8cd); }
.clerk-series-7 { fill: var(--vscode-terminal-ansiMagenta, #bc3fbc); stroke: var(--vscode-terminal-ansiMagenta, #bc3fbc); }
`;
