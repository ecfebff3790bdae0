// Where a server's requests go: Clerk's API (or another https origin, or a local one), or the
// built-in simulator (`simulator:?users=...`). One reading of api_url for the runtime, the DDL
// checks, the language server and the extension's key commands.
import { checkApiUrl, DEFAULT_API_URL } from '../clerk/apiUrl.js';
import { isSimulatorUrl, parseSimulatorUrl, type SimulatorSpec } from '../simulator/url.js';

export type ApiTarget =
  | { kind: 'http'; apiUrl: string; origin: string }
  /** No key is needed: the simulator's are derived from its seed. */
  | { kind: 'simulator'; spec: SimulatorSpec };

/** The target of an api_url (Clerk's when none is given); throws an Error fit for a user, naming where it was written (`name`). */
export function apiTarget(apiUrl: string | undefined, name = 'api_url'): ApiTarget {
  const raw = apiUrl ?? DEFAULT_API_URL;
  if (isSimulatorUrl(raw)) return { kind: 'simulator', spec: parseSimulatorUrl(raw) };
  const url = checkApiUrl(raw, name);
  return { kind: 'http', apiUrl: url, origin: new URL(url).origin };
}
