// CREATE FOREIGN TABLE checks: the `object` option and each declared column, as errors and
// notices that point at the column they are about.
import type { ClerkObjectName } from '../clerk/schemas.js';
import { converterFor, type CatalogProblem, type ResolvedColumn } from './lookup.js';
import { lookupObject } from './objects.js';
import { formatType, type PgType } from './pgTypes.js';

export interface DeclaredColumn {
  /** As in the parse tree: unquoted identifiers already folded to lower case. */
  readonly name: string;
  readonly type: PgType;
}

export interface CatalogDiagnostic extends CatalogProblem {
  readonly severity: 'error' | 'notice';
  /** Index of the offending declared column; absent when it is about the `object` option. */
  readonly column?: number;
  /** Declared types likely meant instead (a notice about the column's type). */
  readonly betterTypes?: readonly string[];
}

export interface TableCheck {
  /** The resolved object (an old name resolves to the current one); absent if unknown. */
  readonly object?: ClerkObjectName;
  readonly diagnostics: readonly CatalogDiagnostic[];
  /** No diagnostic is an error. */
  readonly ok: boolean;
  /** When ok: each declared column's catalog entry and conversion, in declared order. */
  readonly resolved?: readonly ResolvedColumn[];
}

const FDW_INVALID_ATTRIBUTE_VALUE = 'HV024';
const DUPLICATE_COLUMN = '42701';
const SUCCESSFUL_COMPLETION = '00000';

export function validateForeignTable(objectOption: string, columns: readonly DeclaredColumn[]): TableCheck {
  const found = lookupObject(objectOption);
  if (!found.ok) {
    const { message, hint, suggestion } = found;
    return { diagnostics: [{ severity: 'error', code: FDW_INVALID_ATTRIBUTE_VALUE, message, hint, ...(suggestion ? { suggestion } : {}) }], ok: false };
  }
  const diagnostics: CatalogDiagnostic[] = [];
  if (found.notice) diagnostics.push({ severity: 'notice', code: SUCCESSFUL_COMPLETION, message: found.notice });

  const seen = new Set<string>();
  const resolved: ResolvedColumn[] = [];
  columns.forEach(({ name, type }, column) => {
    // Postgres rejects the table itself with this message, before any FDW is asked.
    if (seen.has(name)) {
      diagnostics.push({ severity: 'error', code: DUPLICATE_COLUMN, message: `column "${name}" specified more than once`, column });
      return;
    }
    seen.add(name);
    const lookup = converterFor(found.object, name, type);
    if (!lookup.ok) {
      const { ok: _, ...problem } = lookup;
      diagnostics.push({ severity: 'error', ...problem, column });
      return;
    }
    resolved.push({ column: lookup.column, conversion: lookup.conversion });
    if (lookup.column.notice) diagnostics.push({ severity: 'notice', code: SUCCESSFUL_COMPLETION, message: lookup.column.notice, column });
    const advice = lookup.conversion.advice;
    if (advice) {
      const better = advice.better.map(formatType);
      diagnostics.push({
        severity: 'notice',
        code: SUCCESSFUL_COMPLETION,
        message: `column "${name}" declared ${formatType(type)} ${advice.message}; declare it ${better.join(' or ')}`,
        column,
        betterTypes: better,
      });
    }
  });
  const ok = diagnostics.every((d) => d.severity !== 'error');
  return { object: found.object, diagnostics, ok, ...(ok ? { resolved } : {}) };
}
