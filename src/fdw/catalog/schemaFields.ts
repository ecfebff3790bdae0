// The top-level fields of a Clerk object, read from its zod schema, so that a field added to
// the schema becomes a column without anyone copying field lists around.
import { z } from 'zod';
import { millis } from '../clerk/schemas.js';

/** What a field holds in the JSON, once optional/nullable are unwrapped. */
export type FieldKind = 'string' | 'integer' | 'timestamp' | 'boolean' | 'object' | 'array' | 'any';

export interface SchemaField {
  readonly name: string;
  readonly kind: FieldKind;
  /** The elements' kind, for arrays. */
  readonly element?: FieldKind;
  /** Absent or null in some payloads (the schema says optional or nullable). */
  readonly nullable: boolean;
}

function unwrap(schema: z.ZodType): { base: z.ZodType; nullable: boolean } {
  let nullable = false;
  let base = schema;
  while (base instanceof z.ZodOptional || base instanceof z.ZodNullable) {
    nullable = true;
    base = base.unwrap() as z.ZodType;
  }
  return { base, nullable };
}

function kindOf(schema: z.ZodType, where: string): FieldKind {
  if (schema instanceof z.ZodString) return 'string';
  if (schema instanceof z.ZodBoolean) return 'boolean';
  if (schema instanceof z.ZodRecord || schema instanceof z.ZodObject) return 'object';
  if (schema instanceof z.ZodArray) return 'array';
  if (schema instanceof z.ZodUnknown) return 'any';
  // Milliseconds since the epoch, whatever the field's name (`period_start`, `timestamp`, `*_at`).
  if (schema === millis) return 'timestamp';
  if (schema instanceof z.ZodNumber && schema.format === 'safeint') return 'integer';
  if (schema instanceof z.ZodLiteral && [...schema.values].every((v) => typeof v === 'string')) return 'string';
  // A new kind of field needs a decision about its Postgres type: fail loudly at load time.
  throw new Error(`catalog: no column kind for the schema of ${where}`);
}

/** The fields of an object schema, in the schema's order. */
export function schemaFields(schema: z.ZodObject): SchemaField[] {
  return Object.entries(schema.shape).map(([name, fieldSchema]) => {
    const { base, nullable } = unwrap(fieldSchema as z.ZodType);
    const kind = kindOf(base, name);
    if (!(base instanceof z.ZodArray)) return { name, kind, nullable };
    const element = kindOf(unwrap(base.element as z.ZodType).base, `${name}[]`);
    return { name, kind, element, nullable };
  });
}

/** The JSON type in words, for documentation. */
export function describeJsonType(field: Pick<SchemaField, 'kind' | 'element'>): string {
  if (field.kind === 'array') return field.element === 'any' ? 'array' : `array of ${field.element}s`;
  return field.kind === 'any' ? 'any JSON value' : field.kind === 'timestamp' ? 'integer (milliseconds)' : field.kind;
}
