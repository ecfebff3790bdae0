// Every request the simulator received, for tests that assert how a client used the API.
import type { KeyType } from './auth.js';

export interface LoggedRequest {
  method: string;
  path: string;
  /** Method and route template, e.g. `GET /v1/users/{user_id}`; the raw path when unrouted. */
  endpoint: string;
  /** Parsed query: one value as a string, repeated ones as an array. Keys as sent (`user_id[]`). */
  query: Record<string, string | string[]>;
  /** Response status; 0 while in flight or when the connection was reset instead. */
  status: number;
  /** Arrival time, ms since the epoch. */
  timestamp: number;
  keyType: KeyType | 'invalid' | 'missing';
  fault?: string;
}

export class RequestLog {
  readonly entries: LoggedRequest[] = [];

  add(entry: LoggedRequest): void {
    this.entries.push(entry);
  }

  /** Requests to `endpoint` (all when omitted), optionally only those answered with `status`. */
  count(endpoint?: string, status?: number): number {
    return this.entries.filter((e) => (endpoint === undefined || e.endpoint === endpoint) && (status === undefined || e.status === status)).length;
  }

  /** Number of requests per endpoint. */
  countByEndpoint(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const e of this.entries) counts[e.endpoint] = (counts[e.endpoint] ?? 0) + 1;
    return counts;
  }

  reset(): void {
    this.entries.length = 0;
  }
}

export function queryRecord(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    out[key] = values.length === 1 ? (values[0] as string) : values;
  }
  return out;
}
