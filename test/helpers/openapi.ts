// Validates JSON against Clerk's OpenAPI spec (../shared/clerk-api beside the repository, or CLERK_OPENAPI_SPEC).
// OpenAPI 3.0 schemas are almost JSON Schema; the differences are converted here:
// `nullable: true` becomes "null or the schema", `discriminator` is dropped (oneOf already
// decides), OpenAPI-only annotations are dropped, and `$ref`s are made absolute so that any
// fragment (a response's schema, a component) compiles on its own.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

/** The reference facts about Clerk's API, in ../shared beside the repository (as CI lays it out). */
export const CLERK_API_DIR = join(import.meta.dirname, '../../../shared/clerk-api');
export const CLERK_OPENAPI_SPEC = process.env.CLERK_OPENAPI_SPEC ?? join(CLERK_API_DIR, 'openapi-bapi-2021-02-05.yml');
/** The newest spec (2026-05-12), which the objects beyond clerk_fdw's are checked against. */
export const NEWEST_OPENAPI_SPEC = join(CLERK_API_DIR, 'openapi-bapi-2026-05-12.yml');
const DOCUMENT_ID = 'clerk-bapi';
const DROPPED_KEYWORDS = new Set(['nullable', 'discriminator', 'example', 'examples', 'deprecated', 'externalDocs', 'xml']);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An OpenAPI 3.0 schema (or any node holding schemas) as JSON Schema draft-07. */
export function toJsonSchema(node: Json, keysAreNames = false): Json {
  if (Array.isArray(node)) return node.map((item) => toJsonSchema(item));
  if (!isObject(node)) return node;
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(node)) {
    if (keysAreNames) {
      out[key] = toJsonSchema(value);
      continue;
    }
    if (DROPPED_KEYWORDS.has(key) || key.startsWith('x-')) continue;
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/')) out[key] = DOCUMENT_ID + value;
    // The values of these keywords are maps from names to schemas.
    else
      out[key] = toJsonSchema(
        value,
        key === 'properties' || key === 'patternProperties' || key === 'definitions' || key === 'schemas' || key === 'responses' || key === 'content',
      );
  }
  return node.nullable === true && !keysAreNames ? { anyOf: [{ type: 'null' }, out] } : out;
}

/** Ajv's errors as readable lines: `/data/0/email_addresses/1 must have required property 'object'`. */
export function describeErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
}

export interface ClerkOpenApi {
  /** A validator for `#/components/schemas/<name>`; returns the errors (none: valid). */
  schema(name: string): (value: unknown) => string[];
  /** A validator for the JSON body of `method path` answered with `status`, as the spec declares it. */
  response(path: string, method: string, status: number): (value: unknown) => string[];
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function loadClerkOpenApi(file = CLERK_OPENAPI_SPEC): ClerkOpenApi {
  const spec = parse(readFileSync(file, 'utf8')) as {
    paths: Record<string, Record<string, { responses: Record<string, Json> }>>;
    components: Record<string, Json>;
  };
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const format of ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password']) ajv.addFormat(format, true);
  const components = spec.components;
  ajv.addSchema({ $id: DOCUMENT_ID, components: toJsonSchema({ schemas: components.schemas ?? {}, responses: components.responses ?? {} }) }, DOCUMENT_ID);

  const validator = (pointer: string) => {
    const validate: ValidateFunction = ajv.compile({ $ref: `${DOCUMENT_ID}#${pointer}` });
    return (value: unknown) => (validate(value) ? [] : describeErrors(validate.errors));
  };
  return {
    schema: (name) => validator(`/components/schemas/${escapePointer(name)}`),
    response(path, method, status) {
      const operation = spec.paths[path]?.[method.toLowerCase()];
      const declared = operation?.responses[String(status)];
      if (!declared) throw new Error(`the spec declares no ${status} response for ${method.toUpperCase()} ${path}`);
      const ref = isObject(declared) && typeof declared.$ref === 'string' ? declared.$ref : undefined;
      if (!ref?.startsWith('#/components/responses/')) throw new Error(`${method} ${path} ${status}: inline responses are not supported`);
      return validator(`${ref.slice(1)}/content/${escapePointer('application/json')}/schema`);
    },
  };
}
