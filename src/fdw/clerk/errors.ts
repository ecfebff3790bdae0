// Errors of the Clerk client. Every message says what failed (object, page, endpoint,
// status, Clerk's code and message, trace id) and never carries the secret key.

export interface ClerkErrorDetails {
  /** The Clerk object being read, e.g. `users`. */
  object?: string;
  /** `GET /v1/users` style endpoint, without query or host. */
  endpoint?: string;
  /** 0-based page number of a paged read, with its offset. */
  page?: { index: number; offset: number };
  status?: number;
  code?: string;
  clerkMessage?: string;
  traceId?: string;
  attempts?: number;
}

export class ClerkApiError extends Error {
  override name = 'ClerkApiError';
  constructor(
    message: string,
    readonly details: ClerkErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A response that does not match Clerk's schema: names the object id and the field path. */
export class ClerkSchemaError extends ClerkApiError {
  override name = 'ClerkSchemaError';
}

export class ClerkCancelledError extends Error {
  override name = 'AbortError';
  constructor(what = 'Clerk API read') {
    super(`${what} cancelled`);
  }
}

/** Describes where a failure happened, e.g. `users, page 3 (offset 1500), GET /v1/users`. */
export function describeContext(d: ClerkErrorDetails): string {
  const parts: string[] = [];
  if (d.object) parts.push(d.object);
  if (d.page) parts.push(`page ${d.page.index + 1} (offset ${d.page.offset})`);
  if (d.endpoint) parts.push(d.endpoint);
  return parts.join(', ');
}

/**
 * Removes secret keys from text that may reach a user or a log: the one masking function of
 * every error, diagnostic and log line. The client never puts the key in a URL or a message;
 * text comes from elsewhere too (a server echoing a header, an undici error, Postgres's parser
 * quoting a statement that does not parse). The known `secrets` go first, then anything that
 * looks like a key: `sk_test_`/`sk_live_` and everything after it up to a space or a quote (a
 * key may hold `-` or `.`; a parser quotes what follows it, e.g. `near "'sk_live_…);"`).
 */
export function redactSecrets(text: string, ...secrets: (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 8) out = out.split(s).join('sk_***');
  return out.replace(KEY_SHAPE, MASKED_KEY);
}

/** What looks like a key, and what it is masked as (redactSecrets). */
export const KEY_SHAPE = /sk_(test|live)_[^\s"'`]+/g;
export const MASKED_KEY = 'sk_$1_***';
