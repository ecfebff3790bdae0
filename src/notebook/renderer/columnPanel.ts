/// <reference lib="dom" />
// A column header's filter panel: the column's most frequent values to pick from (counted where
// the rows are), text it contains, and for numbers and dates a range. Applying sets every filter
// of the column at once (they all apply: contains, range and values). Above them, the column's
// layout: hide it, freeze the columns up to it (or unfreeze).
import type { ColumnFilter, ColumnKind, ColumnValues, ViewColumn } from '../../results/view.js';
import { shownText } from '../../results/valueText.js';
import { button, el } from './dom.js';

/** Values listed to pick from. */
export const VALUES_SHOWN = 20;

export interface ColumnPanelOptions {
  index: number;
  column: ViewColumn;
  kind: ColumnKind;
  /** The column's filters now. */
  filters: ColumnFilter[];
  values: Promise<ColumnValues>;
  /** The column's filters from now on (none: cleared). */
  apply: (filters: ColumnFilter[]) => void;
  /** Hides the column; undefined when it is the only one shown. */
  hide: (() => void) | undefined;
  /** The column is among the frozen ones: the action unfreezes them, else it freezes up to this column. */
  frozen: boolean;
  freeze: () => void;
  close: () => void;
}

export function columnPanel({ index, column, kind, filters, values, apply, hide, frozen, freeze, close }: ColumnPanelOptions): HTMLElement {
  const panel = el('div', 'clerk-column-panel');
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-label', `Filter ${column.name}`);
  panel.append(el('div', 'clerk-panel-title', `Filter ${column.name} (${column.type})`));
  const layout = el('div', 'clerk-panel-actions clerk-panel-layout');
  layout.setAttribute('role', 'group');
  layout.setAttribute('aria-label', `Column ${column.name}`);
  const hiding = button('Hide column', 'clerk-panel-hide', () => hide?.(), hide ? `Hide ${column.name} (Columns shows it again)` : 'The only column shown');
  hiding.disabled = !hide;
  layout.append(
    hiding,
    button(
      frozen ? 'Unfreeze' : 'Freeze up to this column',
      'clerk-panel-freeze',
      freeze,
      frozen ? 'Let every column scroll' : `Keep the columns up to ${column.name} at the left`,
    ),
  );
  panel.append(layout);
  const field = (label: string, value: string, placeholder: string) => {
    const input = el('input', 'clerk-filter');
    input.value = value;
    input.placeholder = placeholder;
    input.setAttribute('aria-label', `${column.name} ${label.toLowerCase()}`);
    const row = el('label', 'clerk-panel-field');
    row.append(el('span', 'clerk-panel-label', label), input);
    panel.append(row);
    return input;
  };
  const has = <K extends ColumnFilter['kind']>(k: K) => filters.find((f): f is Extract<ColumnFilter, { kind: K }> => f.kind === k);
  const contains = field('Contains', has('contains')?.text ?? '', 'text in the value');
  const ranged = kind === 'number' || kind === 'date';
  const range = has('range');
  const hint = kind === 'date' ? 'e.g. 2024-01-31' : 'a number';
  const min = ranged ? field('From', range?.min ?? '', hint) : undefined;
  const max = ranged ? field('To', range?.max ?? '', hint) : undefined;

  const list = el('div', 'clerk-panel-values', 'Counting values…');
  list.setAttribute('role', 'group');
  list.setAttribute('aria-label', `Values of ${column.name}`);
  panel.append(list);
  const picked = new Set(has('values')?.values ?? []);
  const boxes: [HTMLInputElement, string | null][] = [];
  values.then(
    ({ values: top, distinct }) => {
      list.replaceChildren(
        el('div', 'clerk-panel-label', `Values (${top.length < distinct ? `top ${top.length} of ` : ''}${distinct.toLocaleString('en-US')})`),
      );
      for (const { value, count } of top) {
        const box = el('input');
        box.type = 'checkbox';
        box.checked = picked.has(value);
        boxes.push([box, value]);
        const row = el('label', 'clerk-panel-value');
        const text = el('span', value === null ? 'clerk-null' : value === '' ? 'clerk-empty' : '', value === null ? 'NULL' : shownText(value, kind));
        row.append(box, text, el('span', 'clerk-panel-count', count.toLocaleString('en-US')));
        list.append(row);
      }
    },
    (err: Error) => (list.textContent = `Values unavailable: ${err.message}`),
  );

  const chosen = (): ColumnFilter[] => {
    const out: ColumnFilter[] = [];
    if (contains.value.trim()) out.push({ column: index, kind: 'contains', text: contains.value.trim() });
    const [lo, hi] = [min?.value.trim(), max?.value.trim()];
    if (lo || hi) out.push({ column: index, kind: 'range', ...(lo ? { min: lo } : {}), ...(hi ? { max: hi } : {}) });
    // Picked values not listed (they left the top ones) stay picked.
    const listed = new Set(boxes.map(([, v]) => v));
    const values = [...[...picked].filter((v) => !listed.has(v)), ...boxes.filter(([b]) => b.checked).map(([, v]) => v)];
    if (values.length > 0) out.push({ column: index, kind: 'values', values });
    return out;
  };
  const actions = el('div', 'clerk-panel-actions');
  actions.append(
    button('Apply', 'clerk-panel-apply clerk-active', () => apply(chosen())),
    button('Clear', 'clerk-panel-clear', () => apply([])),
    button('Cancel', 'clerk-panel-cancel', () => close()),
  );
  panel.append(actions);
  panel.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') close();
    else if (e.key === 'Enter' && (e.target as HTMLElement).tagName === 'INPUT' && (e.target as HTMLInputElement).type !== 'checkbox') apply(chosen());
    else return;
    e.preventDefault();
    e.stopPropagation();
  });
  queueMicrotask(() => contains.focus());
  return panel;
}
