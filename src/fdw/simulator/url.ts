// `api_url 'simulator:?users=10000&seed=1'`: a server that reads the built-in simulator, started
// on demand by the runtime that reads it. A notebook saying so keeps working after save, reload
// and on another machine, with no key: the simulator's keys are derived from its seed.
import { closestMatch } from '../catalog/suggest.js';
import { DEFAULT_DATASET } from './dataset.js';

export const SIMULATOR_SCHEME = 'simulator:';

export interface SimulatorSpec {
  seed: number;
  users: number;
  /** Default: one per 25 users. */
  orgs?: number;
  /** Default: 0.4 per user. */
  memberships?: number;
  /** Added before every response. */
  latencyMs: number;
  /** Which of the instance's keys is used: a development key (100 requests / 10 s) or production (1000). */
  key: 'test' | 'live';
}

const PARAMETERS = {
  users: 'number of users (default 10000)',
  seed: 'any integer: the same seed gives the same instance (default 1)',
  orgs: 'number of organizations (default one per 25 users)',
  memberships: 'number of memberships (default 0.4 per user)',
  latency_ms: 'delay of each response in ms (default 0)',
  key: "'test' (development rate limit, the default) or 'live' (production)",
} as const;

/** Whether an api_url names the built-in simulator. */
export function isSimulatorUrl(raw: string): boolean {
  return raw.trim().toLowerCase().startsWith(SIMULATOR_SCHEME);
}

/** The simulator an api_url describes; throws an Error whose message says what is wrong. */
export function parseSimulatorUrl(raw: string): SimulatorSpec {
  const text = raw.trim();
  const rest = text.slice(SIMULATOR_SCHEME.length);
  if (rest !== '' && !rest.startsWith('?')) {
    throw new Error(`"${raw}": write the simulator's parameters after "simulator:?", e.g. simulator:?users=10000&seed=1`);
  }
  const params = new URLSearchParams(rest.slice(1));
  const spec: SimulatorSpec = { seed: DEFAULT_DATASET.seed, users: DEFAULT_DATASET.users, latencyMs: 0, key: 'test' };
  const seen = new Set<string>();
  for (const [name, value] of params) {
    if (!(name in PARAMETERS)) {
      const suggestion = closestMatch(name, Object.keys(PARAMETERS));
      throw new Error(
        `unknown simulator parameter "${name}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; parameters: ${Object.keys(PARAMETERS).join(', ')}`,
      );
    }
    if (seen.has(name)) throw new Error(`simulator parameter "${name}" is given twice`);
    seen.add(name);
    if (name === 'key') {
      if (value !== 'test' && value !== 'live') throw new Error(`simulator parameter "key" must be 'test' or 'live', not "${value}"`);
      spec.key = value;
      continue;
    }
    const n = Number(value);
    const max = name === 'latency_ms' ? 60_000 : name === 'seed' ? Number.MAX_SAFE_INTEGER : 2_000_000;
    const min = name === 'seed' ? -Number.MAX_SAFE_INTEGER : 0;
    if (value.trim() === '' || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new Error(`simulator parameter "${name}" must be an integer from ${min} to ${max}, not "${value}"`);
    }
    if (name === 'latency_ms') spec.latencyMs = n;
    else spec[name as 'seed' | 'users' | 'orgs' | 'memberships'] = n;
  }
  return spec;
}

/** The parameters and what they mean, for hover and completion. */
export function simulatorParameters(): readonly [name: string, doc: string][] {
  return Object.entries(PARAMETERS);
}
