// Lists Clerk serves only for given keys (sessions: a user_id or client_id). Their keys come from
// the statement's conditions (pushdown), or from the rows of the relation a join compares them
// with, read once the other tables are loaded. Without either the read fails, saying which
// condition to add: a read of every user's sessions is never made behind the user's back.
import { missingKey, type ParamFilter } from '../clerk/reads.js';
import { OBJECT_NOUNS } from '../clerk/schemas.js';
import type { Engine } from '../db/engine.js';
import { DbError } from '../db/errors.js';
import { quoteIdent } from '../sql/identifiers.js';
import type { RelationRef } from '../sql/relations.js';
import type { ForeignTableLookup, TablePlan } from './pushdown.js';
import { SQLSTATE, SqlError } from './sqlError.js';

/** Requests a keyed read may make, one per key: past it the query must say which keys it needs. */
export const MAX_KEYS = 1000;

/** A table that needs keys and gets none: what the runtime's error and the editor's diagnostic say. */
export function unkeyed(plan: TablePlan): readonly string[] | undefined {
  return needsKeys(plan) && !plan.keysFrom ? missingKey(plan.table.object, plan.request.filter as ParamFilter) : undefined;
}

export function missingKeysMessage(table: string, alias: string, params: readonly string[]): { message: string; hint: string } {
  const either = params.join(' or ');
  return {
    message: `foreign table "${table}" can only be read for given ${either} values: Clerk lists them by ${either}`,
    hint:
      `Add a condition on it in the same SELECT, such as WHERE ${alias}.${params[0]} = '...' or ${alias}.${params[0]} IN (...), ` +
      `or join it to the rows that give them: JOIN ... ON ${alias}.${params[0]} = u.id.`,
  };
}

export function needsKeys(plan: TablePlan): boolean {
  return plan.maxRows !== 0 && missingKey(plan.table.object, plan.request.filter as ParamFilter) !== undefined;
}

/** The plan with its keys, from the join its planner found: the other relation's distinct values. */
export async function keyedPlan(db: Engine, plan: TablePlan, relations: RelationRef[], lookup: ForeignTableLookup): Promise<TablePlan> {
  const { table, keysFrom } = plan;
  const params = missingKey(table.object, plan.request.filter as ParamFilter)!;
  const ref = relations.find((r) => r.usage === 'read' && r.name === table.name && lookup(r.schema, r.name)?.schema === table.schema);
  const fail = (message: string, hint: string, detail?: string) => new SqlError({ code: SQLSTATE.fdwError, message, detail, hint, position: ref?.position });
  const noun = OBJECT_NOUNS[table.object];
  const alias = ref?.alias ?? table.name;
  if (!keysFrom) {
    const { message, hint } = missingKeysMessage(table.name, alias, params);
    throw fail(message, hint);
  }
  const { relation, otherColumn, param, text } = keysFrom;
  const other = lookup(relation.schema, relation.name);
  if (other && missingKey(other.object, undefined)) {
    throw fail(
      `the keys of foreign table "${table.name}" cannot come from "${relation.name}", which needs keys itself`,
      `Add a condition on ${alias}.${param}.`,
    );
  }
  const name = relation.schema ? `${quoteIdent(relation.schema)}.${quoteIdent(relation.name)}` : quoteIdent(relation.name);
  const column = quoteIdent(otherColumn);
  let keys: string[];
  try {
    // One more than allowed tells "too many" without reading them all.
    const { rows } = await db.query(`SELECT DISTINCT ${column}::text FROM ${name} WHERE ${column} IS NOT NULL LIMIT ${MAX_KEYS + 1}`);
    keys = rows.map((row) => row[0] as string);
  } catch (err) {
    if (!(err instanceof DbError)) throw err;
    throw fail(
      `reading the ${param} values of "${table.name}" from ${relation.name}.${otherColumn} (${text}) failed: ${err.message}`,
      'Check the join condition.',
    );
  }
  if (keys.length > MAX_KEYS) {
    throw fail(
      `${text} gives more than ${MAX_KEYS} ${param} values: reading "${table.name}" would take a request for each`,
      `Narrow ${relation.name} with a condition Clerk can filter on, or add one on ${alias}.${param}.`,
      `Clerk lists ${noun}s one ${param} at a time.`,
    );
  }
  const filter: ParamFilter = { ...(plan.request.filter as ParamFilter), [param]: keys };
  return {
    ...plan,
    request: { object: plan.request.object, filter } as TablePlan['request'],
    pushed: [...plan.pushed, `${text} (${keys.length} ${keys.length === 1 ? 'value' : 'values'})`],
    ...(keys.length === 0 ? { maxRows: 0 } : {}),
  };
}
