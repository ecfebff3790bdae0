// The API base URL a server points at. The secret key goes in every request, so it may only
// travel encrypted: plain http is allowed to this machine alone (the built-in simulator).

export const DEFAULT_API_URL = 'https://api.clerk.com/v1';

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Returns the normalized URL (no trailing slash) or throws a message fit for a user, naming
 * where the URL came from (`name`: the server option, or the CLI's flag or variable).
 */
export function checkApiUrl(raw: string, name = 'api_url'): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${name} "${raw}" is not a URL (expected e.g. ${DEFAULT_API_URL})`);
  }
  if (url.username || url.password) throw new Error(`${name} must not contain credentials`);
  if (url.search || url.hash) throw new Error(`${name} "${raw}" must not have a query or fragment`);
  if (url.protocol === 'http:' && !isLoopback(url)) {
    throw new Error(`${name} "${raw}" uses plain http: only https is allowed, except to this machine (localhost, 127.0.0.1, [::1])`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`${name} "${raw}" must be an https URL`);
  return url.href.replace(/\/+$/, '');
}

export function isLoopback(url: URL): boolean {
  return LOOPBACK.test(url.hostname);
}
