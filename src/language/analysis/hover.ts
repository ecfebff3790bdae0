// Hover: the innermost symbol the analysis recorded at the position.
import type { CellAnalysis, HoverSymbol } from './model.js';

/** `offset` is a UTF-16 offset into the cell. */
export function hoverAt(cell: CellAnalysis, offset: number): HoverSymbol | undefined {
  let best: HoverSymbol | undefined;
  for (const symbol of cell.symbols) {
    if (symbol.start <= offset && offset <= symbol.end && (!best || symbol.end - symbol.start < best.end - best.start)) best = symbol;
  }
  return best;
}
