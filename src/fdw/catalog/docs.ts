// Markdown for hover and completion details, written from the catalog's own data so the
// documentation cannot drift from what the loader does.
import type { ClerkObjectName } from '../clerk/schemas.js';
import type { ClerkColumn } from './columns.js';
import { columnsOf } from './lookup.js';
import { OBJECT_ALIASES } from './objects.js';
import { formatType, sameType, type PgType } from './pgTypes.js';

const ORIGIN: Readonly<Record<ClerkColumn['origin'], string>> = {
  documented: "documented in clerk_fdw's DDL",
  attrs: 'the whole object',
  derived: 'derived by Clerk SQL Notebook',
  field: 'a Clerk API field',
};

/** Paths in code style; prose sources (`the whole object`) as they are. */
const code = (source: string) => (/^[\w.[\]]+$/.test(source) ? `\`${source}\`` : source);

/**
 * A column's documentation: where it comes from, its JSON type and unit, its default type,
 * and what each allowed declared type gives. `declared` marks the conversion in use.
 */
export function columnMarkdown(column: ClerkColumn, declared?: PgType): string {
  const lines = [
    `**${column.name}** \`${formatType(column.defaultType)}\` — Clerk object \`${column.object}\`, ${ORIGIN[column.origin]}`,
    '',
    column.description,
    '',
    `Source: ${code(column.source)}, a JSON ${column.jsonType}${column.unit ? ` (${column.unit})` : ''}. Absent or null gives NULL.`,
    '',
    'Declared as:',
  ];
  for (const conversion of column.conversions) {
    const inUse = declared !== undefined && conversion.types.some((t) => sameType(t, declared));
    const types = conversion.types.map((t) => `\`${formatType(t)}\``).join(', ');
    lines.push(`- ${types}: ${conversion.result}${inUse ? ' ← this table' : ''}`);
  }
  return lines.join('\n');
}

/** An object's documentation: its columns, documented ones first. */
export function objectMarkdown(object: ClerkObjectName): string {
  const columns = columnsOf(object);
  const oldNames = Object.entries(OBJECT_ALIASES)
    .filter(([, alias]) => alias.object === object)
    .map(([name]) => `\`${name}\``);
  const byOrigin = (origin: ClerkColumn['origin']) =>
    columns
      .filter((c) => c.origin === origin)
      .map((c) => `\`${c.name} ${formatType(c.defaultType)}\``)
      .join(', ');
  return [
    `**Clerk object \`${object}\`**${oldNames.length ? ` (old name: ${oldNames.join(', ')})` : ''}`,
    '',
    byOrigin('documented')
      ? `Documented columns: ${byOrigin('documented')}.`
      : 'Not an object of clerk_fdw (which documents no columns for it): its columns are the fields of the API object below.',
    '',
    `${byOrigin('documented') ? 'Also' : 'Columns'}: ${[byOrigin('attrs'), byOrigin('derived'), byOrigin('field')].filter(Boolean).join(', ')}.`,
  ].join('\n');
}
