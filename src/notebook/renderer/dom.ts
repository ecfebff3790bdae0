/// <reference lib="dom" />
// The renderer's one way of making elements, shared by the grid (index.ts, columnPanel.ts) and the
// chart (chartView.ts).

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

export function button(label: string, cls: string, onClick: (event: MouseEvent) => void, title?: string): HTMLButtonElement {
  const b = el('button', `clerk-button ${cls}`, label);
  b.type = 'button';
  if (title) b.title = title;
  b.addEventListener('click', onClick);
  return b;
}
