// psql variables in the editor: a cell's `\set`s apply in order (the runtime's own expansion,
// psqlVariables.ts), a reference to a variable no earlier line or cell sets is a warning (the
// CLI's --set may still give it), a meta-command the notebook cannot run is an error, and hover
// on a reference shows its value and the SQL it becomes.
import { expandPsql, referenceSql, type PsqlItem } from '../../fdw/sql/psqlVariables.js';
import type { CellContext } from './context.js';
import { Severity } from './model.js';

/** `psql`: the cell's items as scanPsql finds them. */
export function checkVariables(ctx: CellContext, text: string, psql: readonly PsqlItem[]): void {
  const variables = new Map(ctx.state.variables);
  const { problems, references } = expandPsql(text, variables, new Set(), psql);
  ctx.state.variables = variables;
  for (const problem of problems) {
    const notSet = problem.kind === 'not-set';
    ctx.report(problem, notSet ? Severity.Warning : Severity.Error, notSet ? 'variable-not-set' : '42601', problem.message, problem.hint);
  }
  for (const { reference, value } of references) {
    if (value === undefined) continue;
    ctx.symbol(reference, `**:${reference.name}** (psql variable) = \`${value}\`\n\nHere it reads as \`${referenceSql(reference.form, value).trim()}\`.`);
  }
}
