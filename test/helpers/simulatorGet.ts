// A GET of the simulator's API with its key, as the tests of its endpoints make it.
import type { Simulator } from '../../src/fdw/simulator/index.js';

export interface Reply<T> {
  status: number;
  body: T;
}

export async function simulatorGet<T = unknown>(sim: Simulator, path: string): Promise<Reply<T>> {
  const res = await fetch(sim.url + path, { headers: { Authorization: `Bearer ${sim.secretKey}` } });
  return { status: res.status, body: (await res.json()) as T };
}
