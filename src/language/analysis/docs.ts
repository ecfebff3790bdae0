// Markdown for the names the catalog modules do not document: options, wrappers, servers, tables.
import { CLERK_OBJECTS, columnMarkdown, formatType, objectMarkdown, type ClerkColumn, type DeclaredColumn, type PgType } from '../../fdw/catalog/index.js';
import { DEFAULT_API_URL } from '../../fdw/clerk/apiUrl.js';
import { KEY_PLACEHOLDER } from '../../fdw/runtime/inlineKeys.js';
import { simulatorParameters } from '../../fdw/simulator/url.js';
import { DEFAULT_CACHE_TTL_SECONDS, HANDLER, VALIDATOR } from '../../fdw/runtime/fdwCatalog.js';
import type { ClerkObjectName } from '../../fdw/clerk/schemas.js';

export const OPTION_DOCS: Readonly<Record<string, string>> = {
  api_key: [
    '**api_key** — server option: the Clerk secret key (`sk_test_...` or `sk_live_...`).',
    '',
    "Leave it out, or write a placeholder such as `'<clerk secret Key>'`: the notebook then asks for the key and keeps it in VS Code's SecretStorage.",
    "A real key written here is moved to VS Code's SecretStorage before the notebook is saved or the cell runs, and the placeholder",
    `\`'${KEY_PLACEHOLDER}'\` takes its place: the key never reaches the file. The CLI reads the key from \`CLERK_API_KEY\`.`,
  ].join('\n'),
  api_url: [
    `**api_url** — server option: the Clerk Backend API base URL (default \`${DEFAULT_API_URL}\`).`,
    '',
    'Must be https, except to this machine (localhost, 127.0.0.1, [::1]). A key is sent only to the address it was stored for.',
    '',
    "`'simulator:'` reads the built-in Clerk simulator instead, started on demand, with no key: `'simulator:?users=10000&seed=1'`. Parameters:",
    ...simulatorParameters().map(([name, doc]) => `- \`${name}\`: ${doc}`),
  ].join('\n'),
  cache_ttl: [
    `**cache_ttl** — server option: how many seconds fetched rows are reused before Clerk is asked again (default ${DEFAULT_CACHE_TTL_SECONDS}).`,
    '',
    "`'0'` refetches on every statement.",
  ].join('\n'),
  object: [
    `**object** — foreign table option: the Clerk object whose rows the table holds: ${CLERK_OBJECTS.map((o) => `\`'${o}'\``).join(', ')}`,
    "(old name `'junction_table'`).",
  ].join('\n'),
};

export function wrapperMarkdown(name: string): string {
  return `**Foreign-data wrapper \`${name}\`** — clerk_fdw, built into this notebook (handler \`${HANDLER}\`, validator \`${VALIDATOR}\`).`;
}

export function serverMarkdown(name: string, wrapper: string | undefined, options: Readonly<Record<string, string>> | undefined): string {
  const lines = [`**Server \`${name}\`**${wrapper ? ` — foreign-data wrapper \`${wrapper}\`` : ''}`];
  if (options) {
    lines.push('', `API: \`${options.api_url ?? DEFAULT_API_URL}\`; cache: ${options.cache_ttl ?? DEFAULT_CACHE_TTL_SECONDS} s.`);
  }
  return lines.join('\n');
}

export function tableMarkdown(name: string, object: ClerkObjectName | undefined, columns: readonly DeclaredColumn[]): string {
  const declared = columns.map((c) => `\`${c.name} ${formatType(c.type)}\``).join(', ');
  return [
    `**Foreign table \`${name}\`**${object ? ` — Clerk object \`${object}\`` : ''}`,
    '',
    `Columns: ${declared || '(none)'}.`,
    ...(object ? ['', '---', '', objectMarkdown(object)] : []),
  ].join('\n');
}

// Markdown is built for every symbol of every cell on each analysis, and the catalog's pages are
// long: each distinct page is built once.
const memo = new Map<string, string>();

function remember(key: string, build: () => string): string {
  let value = memo.get(key);
  if (value === undefined) {
    if (memo.size > 10_000) memo.clear();
    value = build();
    memo.set(key, value);
  }
  return value;
}

export function objectDoc(object: ClerkObjectName): string {
  return remember(`o\0${object}`, () => objectMarkdown(object));
}

export function columnDoc(column: ClerkColumn, declared?: PgType): string {
  return remember(`c\0${column.object}\0${column.name}\0${declared ? formatType(declared) : ''}`, () => columnMarkdown(column, declared));
}

export function tableDoc(name: string, object: ClerkObjectName | undefined, columns: readonly DeclaredColumn[]): string {
  const key = `t\0${name}\0${object ?? ''}\0${columns.map((c) => `${c.name} ${formatType(c.type)}`).join(',')}`;
  return remember(key, () => tableMarkdown(name, object, columns));
}
