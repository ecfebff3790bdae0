/// <reference lib="dom" />
// A column header's right edge: drag it to resize the column, double-click it to fit the column
// to its values again, or with the keyboard focused on it, arrows by 10px. A separator for
// assistive technology, its value the column's width.
import { columnWidth, MIN_COLUMN_WIDTH } from './columnLayout.js';
import { el } from './dom.js';

const KEY_STEP = 10;

export interface ResizeOptions {
  name: string;
  /** The column's width drawn now (px). */
  width: () => number;
  /** A new width, or undefined: as wide as its values (the grid's own layout). */
  resize: (width: number | undefined) => void;
}

export function resizeHandle({ name, width, resize }: ResizeOptions): HTMLElement {
  const handle = el('span', 'clerk-col-resize');
  handle.setAttribute('role', 'separator');
  handle.setAttribute('aria-orientation', 'vertical');
  handle.setAttribute('aria-label', `Resize ${name}`);
  handle.setAttribute('aria-valuemin', String(MIN_COLUMN_WIDTH));
  handle.tabIndex = 0;
  handle.title = 'Drag to resize, double-click to fit';
  handle.addEventListener('mousedown', (e) => {
    if (e.button !== 0) return;
    // Neither a sort (the header's click) nor a text selection.
    e.preventDefault();
    e.stopPropagation();
    const [x0, w0] = [e.clientX, width()];
    handle.classList.add('clerk-dragging');
    const move = (m: MouseEvent) => resize(columnWidth(w0 + m.clientX - x0));
    const up = () => {
      handle.classList.remove('clerk-dragging');
      document.removeEventListener('mousemove', move);
      // The click that ends a drag is not the header's.
      const swallow = (c: Event) => c.stopPropagation();
      window.addEventListener('click', swallow, { capture: true, once: true });
      setTimeout(() => window.removeEventListener('click', swallow, { capture: true }));
    };
    document.addEventListener('mousemove', move);
    document.addEventListener('mouseup', up, { once: true });
  });
  handle.addEventListener('dblclick', (e) => {
    e.stopPropagation();
    resize(undefined);
  });
  handle.addEventListener('keydown', (e) => {
    const step = e.key === 'ArrowLeft' ? -KEY_STEP : e.key === 'ArrowRight' ? KEY_STEP : 0;
    if (!step) return;
    e.preventDefault();
    e.stopPropagation();
    resize(columnWidth(width() + step));
  });
  return handle;
}
