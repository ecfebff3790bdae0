// The Clerk objects a foreign table's `object` option can name.
import { objectSchemas, type ClerkObjectName } from '../clerk/schemas.js';
import { closestMatch } from './suggest.js';

/** In the order documentation and suggestions list them. */
export const CLERK_OBJECTS = Object.keys(objectSchemas) as readonly ClerkObjectName[];

/** Old names that still work, with the notice that tells people the current one. */
export const OBJECT_ALIASES: Readonly<Record<string, { object: ClerkObjectName; notice: string }>> = {
  junction_table: {
    object: 'organization_memberships',
    notice: "object 'junction_table' is the old name of 'organization_memberships' (clerk_fdw v0.2.2)",
  },
};

export type ObjectLookup =
  | { ok: true; object: ClerkObjectName; notice?: string }
  | {
      ok: false;
      message: string;
      hint: string;
      /** The current name of the closest object, when the input looks like a typo. */
      suggestion?: ClerkObjectName;
      valid: readonly ClerkObjectName[];
    };

function isClerkObject(name: string): name is ClerkObjectName {
  return Object.hasOwn(objectSchemas, name);
}

/** Resolves the `object` option's value (case-sensitive, as clerk_fdw compares it). */
export function lookupObject(name: string): ObjectLookup {
  if (isClerkObject(name)) return { ok: true, object: name };
  const alias = Object.hasOwn(OBJECT_ALIASES, name) ? OBJECT_ALIASES[name] : undefined;
  if (alias) return { ok: true, object: alias.object, notice: alias.notice };

  // A typo of an old name is suggested as the current name.
  const match = closestMatch(name, [...CLERK_OBJECTS, ...Object.keys(OBJECT_ALIASES)]);
  const suggestion = match === undefined ? undefined : isClerkObject(match) ? match : OBJECT_ALIASES[match]!.object;
  const valid = `Valid objects: ${CLERK_OBJECTS.join(', ')}.`;
  return {
    ok: false,
    message: `"${name}" is not a Clerk object`,
    hint: suggestion ? `Did you mean "${suggestion}"? ${valid}` : valid,
    ...(suggestion ? { suggestion } : {}),
    valid: CLERK_OBJECTS,
  };
}
