// Quick fixes: the analysis attaches what can be done to each diagnostic (a replacement name, the
// documented columns to add, moving an inline key); this turns them into edits of the cell, or
// into the extension's command for what an edit cannot do.
import { COMMANDS } from '../../ids.js';
import type { AnalysisDiagnostic, CellAnalysis, FixData, Range } from './model.js';

export interface CellEdit {
  range: Range;
  newText: string;
}

export type CellAction = {
  title: string;
  /** The diagnostic the action fixes, if any. */
  diagnostic?: AnalysisDiagnostic;
  preferred: boolean;
} & ({ edit: CellEdit } | { command: typeof COMMANDS.moveInlineKeys });

const before = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
const overlaps = (a: Range, b: Range) => before(a.start, b.end) && before(b.start, a.end);

function effectOf(fix: FixData, range: Range): { edit: CellEdit } | { command: typeof COMMANDS.moveInlineKeys } {
  if (fix.kind === 'moveInlineKeys') return { command: COMMANDS.moveInlineKeys };
  return { edit: fix.kind === 'replace' ? { range, newText: fix.text } : { range: { start: fix.at, end: fix.at }, newText: fix.text } };
}

/** The actions for a selection (or cursor) range of the cell. */
export function actionsAt(cell: CellAnalysis, range: Range): CellAction[] {
  const actions: CellAction[] = [];
  for (const diagnostic of cell.diagnostics) {
    if (!overlaps(diagnostic.range, range)) continue;
    diagnostic.fixes.forEach((fix, i) => actions.push({ title: fix.title, ...effectOf(fix, diagnostic.range), diagnostic, preferred: i === 0 }));
  }
  for (const action of cell.actions) {
    if (overlaps(action.range, range)) actions.push({ title: action.fix.title, ...effectOf(action.fix, action.range), preferred: false });
  }
  return actions;
}
