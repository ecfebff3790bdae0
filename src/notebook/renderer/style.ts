// The renderer's styles (inlined in the bundle): VS Code theme colours only.
export const CSS = `
.clerk-result { position: relative; font-family: var(--vscode-font-family); font-size: var(--vscode-font-size, 13px); color: var(--vscode-editor-foreground); }
.clerk-toolbar { display: flex; align-items: center; gap: 6px; margin: 2px 0 6px; flex-wrap: wrap; }
.clerk-spacer { flex: 1; }
.clerk-grid-controls, .clerk-chart-controls { display: inline-flex; gap: 6px; align-items: center; }
.clerk-grid-controls[hidden], .clerk-chart-controls[hidden], .clerk-pager[hidden] { display: none; }
.clerk-segmented { display: inline-flex; }
.clerk-segmented .clerk-button { border-radius: 0; }
.clerk-segmented .clerk-button:first-child { border-radius: 2px 0 0 2px; }
.clerk-segmented .clerk-button:last-child { border-radius: 0 2px 2px 0; }
.clerk-button { font: inherit; padding: 2px 8px; cursor: pointer; border-radius: 2px;
  color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground);
  border: 1px solid var(--vscode-button-border, transparent); }
.clerk-button:hover:not(:disabled) { background: var(--vscode-button-secondaryHoverBackground); }
.clerk-button.clerk-active { color: var(--vscode-button-foreground); background: var(--vscode-button-background); }
.clerk-button.clerk-active:hover:not(:disabled) { background: var(--vscode-button-hoverBackground); }
.clerk-button:disabled { opacity: 0.5; cursor: default; }
.clerk-button:focus-visible, .clerk-filter:focus { outline: 1px solid var(--vscode-focusBorder); outline-offset: -1px; }
.clerk-filter { font: inherit; padding: 2px 6px; width: 200px; color: var(--vscode-input-foreground);
  background: var(--vscode-input-background); border: 1px solid var(--vscode-input-border, var(--vscode-panel-border, transparent)); }
.clerk-filter::placeholder { color: var(--vscode-input-placeholderForeground); }
.clerk-grid-wrap { overflow: auto; max-height: 480px; border: 1px solid var(--vscode-panel-border, var(--vscode-editorWidget-border, #8884)); }
.clerk-grid { border-collapse: collapse; font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size, 12px); }
.clerk-grid th, .clerk-grid td { text-align: left; }
.clerk-grid th { position: sticky; top: 0; z-index: 1; text-align: left; vertical-align: bottom; cursor: pointer; user-select: none; white-space: nowrap;
  padding: 3px 8px; background: var(--vscode-editorWidget-background, var(--vscode-editor-background));
  border-bottom: 1px solid var(--vscode-panel-border, #8886); border-right: 1px solid var(--vscode-panel-border, #8884); }
.clerk-grid th:hover { background: var(--vscode-list-hoverBackground); }
.clerk-col-name { font-weight: 600; }
.clerk-col-type { display: block; font-weight: normal; font-size: 0.85em; color: var(--vscode-descriptionForeground); }
.clerk-sort { margin-left: 4px; font-size: 0.8em; color: var(--vscode-textLink-foreground); }
.clerk-grid td { padding: 2px 8px; max-width: 360px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap;
  border-right: 1px solid var(--vscode-panel-border, #8882); border-bottom: 1px solid var(--vscode-panel-border, #8882); }
.clerk-grid tbody tr:nth-child(even) td { background: var(--vscode-list-hoverBackground, transparent); }
.clerk-grid th.clerk-kind-number, .clerk-grid td.clerk-kind-number { text-align: right; font-variant-numeric: tabular-nums; }
.clerk-grid td.clerk-null { color: var(--vscode-disabledForeground, var(--vscode-descriptionForeground)); font-style: italic; opacity: 0.7; }
.clerk-grid td.clerk-empty::after { content: "''"; color: var(--vscode-descriptionForeground); opacity: 0.5; }
.clerk-grid td.clerk-kind-json { color: var(--vscode-debugTokenExpression-string, var(--vscode-editor-foreground)); }
.clerk-grid td { cursor: cell; }
.clerk-grid tbody tr > td[aria-selected="true"] { background: var(--vscode-editor-inactiveSelectionBackground, var(--vscode-list-inactiveSelectionBackground)); }
.clerk-grid:focus-within tbody tr > td[aria-selected="true"] { background: var(--vscode-editor-selectionBackground, var(--vscode-list-activeSelectionBackground)); }
.clerk-grid td:focus { outline: 2px solid var(--vscode-focusBorder); outline-offset: -2px; }
.clerk-selection-bar { display: flex; align-items: center; gap: 8px; margin-top: 4px; flex-wrap: wrap; color: var(--vscode-descriptionForeground); }
.clerk-selection-bar[hidden] { display: none; }
.clerk-selection-summary { font-variant-numeric: tabular-nums; user-select: text; }
.clerk-selection-note { color: var(--vscode-notificationsInfoIcon-foreground, var(--vscode-descriptionForeground)); }
.clerk-value-viewer { position: absolute; z-index: 10; left: 0; right: 0; max-width: 960px; margin: 0 8px; padding: 6px 8px; display: flex; flex-direction: column; gap: 6px;
  color: var(--vscode-editorWidget-foreground, var(--vscode-editor-foreground)); background: var(--vscode-editorWidget-background, var(--vscode-editor-background));
  border: 1px solid var(--vscode-editorWidget-border, var(--vscode-panel-border, #8888)); box-shadow: 0 2px 8px var(--vscode-widget-shadow, #0005); }
.clerk-viewer-head { display: flex; align-items: center; gap: 8px; }
.clerk-viewer-title { font-weight: 600; }
.clerk-viewer-size, .clerk-viewer-times { color: var(--vscode-descriptionForeground); }
.clerk-viewer-times { display: flex; gap: 16px; font-family: var(--vscode-editor-font-family); }
.clerk-viewer-body { max-height: 360px; overflow: auto; font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size, 12px);
  background: var(--vscode-editor-background); padding: 4px 6px; border: 1px solid var(--vscode-panel-border, #8884); }
.clerk-viewer-body:focus { outline: 1px solid var(--vscode-focusBorder); outline-offset: -1px; }
.clerk-viewer-text { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; font: inherit; }
.clerk-json-children { padding-left: 16px; }
.clerk-json > summary { cursor: pointer; list-style-position: outside; }
.clerk-json[open] > summary .clerk-json-folded { display: none; }
.clerk-json:not([open]) > .clerk-json-close { display: none; }
.clerk-json-folded { color: var(--vscode-descriptionForeground); }
.clerk-json-key { color: var(--vscode-debugTokenExpression-name, var(--vscode-symbolIcon-propertyForeground, var(--vscode-editor-foreground))); }
.clerk-json-string { color: var(--vscode-debugTokenExpression-string, var(--vscode-editor-foreground)); }
.clerk-json-number { color: var(--vscode-debugTokenExpression-number, var(--vscode-editor-foreground)); }
.clerk-json-literal { color: var(--vscode-debugTokenExpression-boolean, var(--vscode-editor-foreground)); }
.clerk-footer { display: flex; align-items: center; gap: 12px; margin-top: 4px; color: var(--vscode-descriptionForeground); }
.clerk-pager { display: inline-flex; gap: 6px; align-items: center; }
.clerk-command { color: var(--vscode-descriptionForeground); }
.clerk-notice { color: var(--vscode-descriptionForeground); font-family: var(--vscode-editor-font-family); white-space: pre-wrap; }
.clerk-stale { margin: 2px 0 6px; padding: 2px 8px; border-left: 3px solid var(--vscode-editorWarning-foreground, #cca700);
  color: var(--vscode-editorWarning-foreground, var(--vscode-descriptionForeground)); }
.clerk-error, .clerk-cancelled { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size, 13px); padding: 4px 8px;
  border-left: 3px solid var(--vscode-errorForeground, #f14c4c); color: var(--vscode-editor-foreground); }
.clerk-cancelled { border-left-color: var(--vscode-descriptionForeground); color: var(--vscode-descriptionForeground); }
.clerk-error-message { font-weight: 600; white-space: pre-wrap; font-family: var(--vscode-editor-font-family); }
.clerk-error .clerk-error-message { color: var(--vscode-errorForeground, #f14c4c); }
.clerk-error-text { margin: 4px 0; white-space: pre-wrap; overflow-wrap: anywhere; font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size, 12px); }
.clerk-set-key { margin-top: 4px; color: var(--vscode-button-foreground); background: var(--vscode-button-background); }
.clerk-set-key:hover { background: var(--vscode-button-hoverBackground) !important; }
.clerk-grid th:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: -1px; }
.clerk-column-filter { margin-left: 4px; padding: 0 4px; font-size: 0.9em; line-height: 1.2; vertical-align: baseline; color: var(--vscode-descriptionForeground);
  background: transparent; border-color: transparent; }
.clerk-grid th.clerk-filtered .clerk-column-filter { color: var(--vscode-button-foreground); background: var(--vscode-button-background); }
.clerk-grid th.clerk-filtered .clerk-col-name { color: var(--vscode-textLink-foreground); }
.clerk-chips { display: inline-flex; gap: 4px; flex-wrap: wrap; align-items: center; }
.clerk-chip { border-radius: 10px; padding: 0 8px; color: var(--vscode-badge-foreground); background: var(--vscode-badge-background); }
.clerk-body[aria-busy="true"] { opacity: 0.6; }
.clerk-column-panel { position: absolute; z-index: 10; min-width: 240px; max-width: 360px; padding: 8px; display: flex; flex-direction: column; gap: 6px;
  color: var(--vscode-editorWidget-foreground, var(--vscode-editor-foreground)); background: var(--vscode-editorWidget-background, var(--vscode-editor-background));
  border: 1px solid var(--vscode-editorWidget-border, var(--vscode-panel-border, #8888)); box-shadow: 0 2px 8px var(--vscode-widget-shadow, #0005); }
.clerk-panel-title { font-weight: 600; }
.clerk-panel-field { display: flex; gap: 6px; align-items: center; }
.clerk-panel-field .clerk-filter { flex: 1; width: auto; }
.clerk-panel-label { min-width: 56px; color: var(--vscode-descriptionForeground); }
.clerk-panel-values { max-height: 220px; overflow: auto; display: flex; flex-direction: column; gap: 1px; }
.clerk-panel-value { display: flex; gap: 6px; align-items: center; font-family: var(--vscode-editor-font-family); white-space: nowrap; }
.clerk-panel-value span:nth-child(2) { flex: 1; overflow: hidden; text-overflow: ellipsis; }
.clerk-panel-value .clerk-null { font-style: italic; color: var(--vscode-disabledForeground, var(--vscode-descriptionForeground)); }
.clerk-panel-value .clerk-empty::after { content: "''"; color: var(--vscode-descriptionForeground); }
.clerk-panel-count { color: var(--vscode-descriptionForeground); font-variant-numeric: tabular-nums; }
.clerk-panel-actions { display: flex; gap: 6px; justify-content: flex-end; }
.clerk-panel-layout { justify-content: flex-start; padding-bottom: 6px; border-bottom: 1px solid var(--vscode-editorWidget-border, var(--vscode-panel-border, #8884)); }
.clerk-col-resize { position: absolute; top: 0; right: 0; width: 6px; height: 100%; cursor: col-resize; }
.clerk-col-resize:hover, .clerk-col-resize:focus-visible, .clerk-col-resize.clerk-dragging { outline: none; background: var(--vscode-sash-hoverBorder, var(--vscode-focusBorder)); }
.clerk-grid .clerk-sized { box-sizing: border-box; overflow: hidden; text-overflow: ellipsis; }
/* Frozen cells stay at the left: opaque, so what scrolls under them is not seen through (zebra and selection layered on top). */
.clerk-grid td.clerk-frozen { position: sticky; z-index: 1; background: var(--vscode-editor-background); }
.clerk-grid th.clerk-frozen { z-index: 2; }
.clerk-grid tbody tr:nth-child(even) td.clerk-frozen { background: linear-gradient(var(--vscode-list-hoverBackground, transparent), var(--vscode-list-hoverBackground, transparent)) var(--vscode-editor-background); }
.clerk-grid tbody tr > td.clerk-frozen[aria-selected="true"] { background: linear-gradient(var(--vscode-editor-inactiveSelectionBackground), var(--vscode-editor-inactiveSelectionBackground)) var(--vscode-editor-background); }
.clerk-grid:focus-within tbody tr > td.clerk-frozen[aria-selected="true"] { background: linear-gradient(var(--vscode-editor-selectionBackground), var(--vscode-editor-selectionBackground)) var(--vscode-editor-background); }
.clerk-grid .clerk-frozen-last { box-shadow: inset -2px 0 0 var(--vscode-panel-border, #8886); }
`;
