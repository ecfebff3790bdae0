/// <reference lib="dom" />
// The grid toolbar's "Columns" popup: every column of the result with a checkbox, to hide it or
// show it again, and "Show all". The last column shown cannot be unchecked.
import type { ViewColumn } from '../../results/view.js';
import { button, el } from './dom.js';

export interface ColumnsMenuOptions {
  columns: readonly ViewColumn[];
  /** The hidden columns now (they change while the popup is open). */
  hidden: () => ReadonlySet<number>;
  toggle: (column: number) => void;
  showAll: () => void;
  close: () => void;
}

export function columnsMenu({ columns, hidden, toggle, showAll, close }: ColumnsMenuOptions): HTMLElement {
  const menu = el('div', 'clerk-column-panel clerk-columns-menu');
  menu.setAttribute('role', 'dialog');
  menu.setAttribute('aria-label', 'Columns shown');
  const list = el('div', 'clerk-panel-values');
  list.setAttribute('role', 'group');
  list.setAttribute('aria-label', 'Columns');
  const sync = () => {
    const h = hidden();
    const only = columns.length - h.size === 1;
    boxes.forEach((box, i) => {
      box.checked = !h.has(i);
      box.disabled = box.checked && only;
    });
  };
  const boxes = columns.map((c, i) => {
    const box = el('input');
    box.type = 'checkbox';
    box.addEventListener('change', () => {
      toggle(i);
      sync();
    });
    const row = el('label', 'clerk-panel-value');
    row.append(box, el('span', '', c.name), el('span', 'clerk-panel-count', c.type));
    list.append(row);
    return box;
  });
  sync();
  const actions = el('div', 'clerk-panel-actions');
  actions.append(
    button('Show all', 'clerk-columns-show-all', () => {
      showAll();
      sync();
    }),
    button('Close', 'clerk-panel-cancel', close),
  );
  menu.append(el('div', 'clerk-panel-title', 'Columns shown'), list, actions);
  menu.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    e.stopPropagation();
    close();
  });
  queueMicrotask(() => boxes[0]?.focus());
  return menu;
}
