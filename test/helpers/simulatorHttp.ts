// A request to the simulator's API as the tests of its endpoints make it: with its key unless
// told otherwise, a JSON body for a write, the reply's text and its JSON (undefined when it is none).
import type { Simulator } from '../../src/fdw/simulator/index.js';

export interface Reply<T = unknown> {
  status: number;
  headers: Headers;
  text: string;
  body: T;
}

export interface RequestInit {
  method?: string;
  /** Sent as JSON; a string as it is (a malformed body). */
  body?: unknown;
  /** The Authorization header: `Bearer <the simulator's key>` when not given, none when null. */
  authorization?: string | null;
}

export async function simulatorRequest<T = unknown>(sim: Simulator, path: string, init: RequestInit = {}): Promise<Reply<T>> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = method === 'GET' ? {} : { 'Content-Type': 'application/json' };
  const authorization = init.authorization === undefined ? `Bearer ${sim.secretKey}` : init.authorization;
  if (authorization !== null) headers.Authorization = authorization;
  const body = typeof init.body === 'string' ? init.body : init.body === undefined ? undefined : JSON.stringify(init.body);
  const res = await fetch(sim.url + path, { method, headers, body });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: parsed as T };
}

export function simulatorGet<T = unknown>(sim: Simulator, path: string): Promise<Reply<T>> {
  return simulatorRequest<T>(sim, path);
}
