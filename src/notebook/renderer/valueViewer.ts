/// <reference lib="dom" />
// A cell's whole value, opened from the grid (double-click, Enter, "View value"): JSON pretty,
// its objects and arrays folding; text with its line breaks; a column of epoch milliseconds also
// as a date and time (UTC and local). A dialog inside the output, closed by Escape or ✕.
import { shownText } from '../../results/valueText.js';
import type { ColumnKind, ViewColumn } from '../../results/view.js';
import { copyToClipboard } from './clipboard.js';
import { counted } from './counted.js';
import { button, el } from './dom.js';
import { epochMillisTimes } from './epochMillis.js';
import { parseJson, type JsonNode } from './jsonTree.js';

export interface ValueViewerOptions {
  column: ViewColumn;
  kind: ColumnKind;
  /** 1-based row in the view. */
  row: number;
  text: string | null;
  /** The column holds epoch milliseconds (epochMillis.ts). */
  epochMillis: boolean;
  close: () => void;
}

export function valueViewer({ column, kind, row, text, epochMillis, close }: ValueViewerOptions): HTMLElement {
  const dialog = el('div', 'clerk-value-viewer');
  dialog.setAttribute('role', 'dialog');
  dialog.setAttribute('aria-label', `Value of ${column.name}, row ${row}`);
  const shown = text === null ? null : shownText(text, kind);
  const head = el('div', 'clerk-viewer-head');
  const size = shown === null ? 'NULL' : `${counted(shown.length, 'character')}, ${counted(shown.split(/\r\n|\r|\n/).length, 'line')}`;
  head.append(el('span', 'clerk-viewer-title', `${column.name} (${column.type}), row ${row.toLocaleString('en-US')}`), el('span', 'clerk-viewer-size', size));
  head.append(el('span', 'clerk-spacer'));
  if (shown !== null) {
    const copy = button('Copy value', 'clerk-viewer-copy', () => (copy.textContent = copyToClipboard(shown) ? 'Copied' : 'Not copied'), 'Copy the whole value');
    head.append(copy);
  }
  const closing = button('✕', 'clerk-viewer-close', () => close());
  closing.setAttribute('aria-label', 'Close');
  head.append(closing);
  dialog.append(head);

  const times = epochMillis && text !== null ? epochMillisTimes(text) : undefined;
  if (times) {
    const line = el('div', 'clerk-viewer-times');
    line.append(el('span', 'clerk-viewer-time', `UTC ${times.utc}`), el('span', 'clerk-viewer-time', `Local ${times.local}`));
    dialog.append(line);
  }
  const body = el('div', 'clerk-viewer-body');
  body.tabIndex = 0;
  const tree = kind === 'json' && text !== null ? parseJson(text) : undefined;
  if (shown === null) body.append(el('span', 'clerk-null', 'NULL'));
  else if (tree) body.append(jsonView(tree, undefined, true));
  else body.append(el('pre', 'clerk-viewer-text', shown));
  dialog.append(body);
  dialog.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    e.stopPropagation();
    close();
  });
  queueMicrotask(() => body.focus());
  return dialog;
}

/** One JSON value, after its key when in an object: objects and arrays as <details> (native folding), open. */
function jsonView(node: JsonNode, key: string | undefined, last: boolean): HTMLElement {
  const label = (into: HTMLElement) => {
    if (key !== undefined) into.append(el('span', 'clerk-json-key', JSON.stringify(key)), ': ');
  };
  const comma = last ? '' : ',';
  if (node.kind === 'scalar') {
    const line = el('div', 'clerk-json-line');
    label(line);
    const type = node.text.startsWith('"') ? 'string' : /^[-\d]/.test(node.text) ? 'number' : 'literal';
    line.append(el('span', `clerk-json-${type}`, node.text), comma);
    return line;
  }
  const [open, close] = node.kind === 'object' ? ['{', '}'] : ['[', ']'];
  const children =
    node.kind === 'object'
      ? node.entries.map(([k, v], i) => jsonView(v, k, i === node.entries.length - 1))
      : node.items.map((v, i) => jsonView(v, undefined, i === node.items.length - 1));
  const size = counted(children.length, node.kind === 'object' ? 'key' : 'item');
  if (children.length === 0) {
    const line = el('div', 'clerk-json-line');
    label(line);
    line.append(open + close + comma);
    return line;
  }
  const details = el('details', 'clerk-json');
  details.open = true;
  const summary = el('summary');
  label(summary);
  // Folded, the summary alone stands for the value: `{ 3 keys },`.
  summary.append(open, el('span', 'clerk-json-folded', ` ${size} ${close}${comma}`));
  const inner = el('div', 'clerk-json-children');
  inner.append(...children);
  details.append(summary, inner, el('div', 'clerk-json-close', close + comma));
  return details;
}
