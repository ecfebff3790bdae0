// Shared by the catalog tests: Clerk's own example payloads, parsed as the client parses
// them, arbitrary objects shaped by the schemas, and a COPY text-format reader.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { z } from 'zod';
import {
  Organization,
  OrganizationMembership,
  User,
  listEnvelope,
  objectSchemas,
  type ClerkObject,
  type ClerkObjectName,
} from '../../src/fdw/clerk/schemas.js';
import YAML from 'yaml';
import { converterFor, normalizeType } from '../../src/fdw/catalog/index.js';

const FIXTURES = join(import.meta.dirname, '../../../shared/clerk-api/fixtures');

function load<T extends z.ZodType>(name: string, schema: T): z.infer<T> {
  return schema.parse(JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')));
}

const WEBHOOKS = join(import.meta.dirname, '../../../shared/clerk-api/openapi-webhooks-2025-04-15.yml');
let webhooks: { 'x-webhooks': Record<string, unknown>; components: { examples: Record<string, { value: unknown }> } } | undefined;

/** The `data` of the webhook spec's example for `event` (e.g. `session.created`), parsed as the client parses `object`'s rows. */
export function webhookExample<N extends ClerkObjectName>(event: string, object: N): z.infer<(typeof objectSchemas)[N]> {
  webhooks ??= YAML.parse(readFileSync(WEBHOOKS, 'utf8'));
  const content = (
    webhooks!['x-webhooks'][event] as { post: { requestBody: { content: Record<string, { example?: unknown; examples?: { default: { $ref: string } } }> } } }
  ).post.requestBody.content['application/json']!;
  const example = (content.example ?? webhooks!.components.examples[content.examples!.default.$ref.split('/').pop()!]!.value) as { data: unknown };
  return objectSchemas[object].parse(example.data) as z.infer<(typeof objectSchemas)[N]>;
}

export const userFixture = (name: string): User => load(name, User);
export const usersListFixture = (name: string): User[] => load(name, z.array(User));
export const organizationFixture = (name: string): Organization => load(name, Organization);
export const organizationsListFixture = (name: string): Organization[] => load(name, listEnvelope(Organization)).data;
export const membershipFixture = (name: string): OrganizationMembership => load(name, OrganizationMembership);
export const membershipsListFixture = (name: string): OrganizationMembership[] => load(name, listEnvelope(OrganizationMembership)).data;

/** The value `column` declared as `type` (SQL spelling) gets from `obj`; throws if rejected. */
export function convert(object: ClerkObjectName, column: string, type: string, obj: ClerkObject): string | null {
  const lookup = converterFor(object, column, normalizeType(type));
  if (!lookup.ok) throw new Error(lookup.message);
  return lookup.conversion.convert(obj);
}

/** A string as COPY text carries it: U+0000 and unpaired surrogates replaced by U+FFFD. */
export function wellFormed(value: string): string {
  return value.replace(/\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\uFFFD');
}

const UNESCAPE: Readonly<Record<string, string>> = { '\\': '\\', t: '\t', n: '\n', r: '\r' };

/** Reads one line of COPY text format (without its newline) back into values. */
export function decodeCopyLine(line: string): (string | null)[] {
  return line.split('\t').map((field) => (field === '\\N' ? null : field.replace(/\\(.)/g, (_, c: string) => UNESCAPE[c] ?? c)));
}

/** Strings with every character COPY, array literals or JSON treat specially, and any Unicode. */
const trickyString = fc.oneof(
  fc.string({ unit: fc.constantFrom('a', 'N', ' ', '\\', '\t', '\n', '\r', '"', ',', '{', '}', '.', 'é', '😀', '\u0000', '\ud800', '\udc00') }),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('\\N', 'NULL', '\\.', ''),
);

const anyInteger = fc.oneof(
  fc.integer({ min: -1e13, max: 1e13 }),
  fc.maxSafeInteger(),
  fc.maxSafeNat().map((n) => -n),
);

/** Objects shaped by a zod schema: any field may be absent, null where allowed, or odd. */
export function arbitraryFor(schema: z.ZodType, integer: fc.Arbitrary<number> = anyInteger): fc.Arbitrary<unknown> {
  const inner = (s: z.ZodType) => arbitraryFor(s, integer);
  if (schema instanceof z.ZodOptional) return fc.option(inner(schema.unwrap() as z.ZodType), { nil: undefined });
  if (schema instanceof z.ZodNullable) return fc.option(inner(schema.unwrap() as z.ZodType), { nil: null });
  if (schema instanceof z.ZodString) return trickyString;
  if (schema instanceof z.ZodNumber) return integer;
  if (schema instanceof z.ZodBoolean) return fc.boolean();
  if (schema instanceof z.ZodLiteral) return fc.constantFrom(...schema.values);
  if (schema instanceof z.ZodArray) return fc.array(inner(schema.element as z.ZodType), { maxLength: 3 });
  if (schema instanceof z.ZodRecord) return fc.dictionary(trickyString, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
  if (schema instanceof z.ZodObject) {
    const fields = Object.fromEntries(Object.entries(schema.shape).map(([k, v]) => [k, inner(v as z.ZodType)]));
    return fc.record(fields, { requiredKeys: [] });
  }
  return fc.jsonValue({ maxDepth: 2 });
}
