// What a grid cell shows of a value: booleans as true/false, each line break as ↵ (a cell is one
// line: it would otherwise hide them), and at most CELL_TEXT_LIMIT characters, marked as cut. The
// whole value is the value viewer's and the copies'. Pure: no DOM.
import { shownText } from '../../results/valueText.js';
import type { ColumnKind } from '../../results/view.js';

/** Characters a cell draws: a value of megabytes would slow the page for a glimpse. */
export const CELL_TEXT_LIMIT = 300;

export function cellText(text: string, kind: ColumnKind): { text: string; cut: boolean } {
  const shown = shownText(text, kind);
  const cut = shown.length > CELL_TEXT_LIMIT;
  return { text: (cut ? shown.slice(0, CELL_TEXT_LIMIT) : shown).replace(/\r\n|\r|\n/g, '↵') + (cut ? '…' : ''), cut };
}
