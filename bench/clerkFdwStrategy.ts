// clerk_fdw's fetching strategy, reproduced for comparison (../shared/clerk-api/README.md §2
// and the seed document): sequential pages of 500 until a short page, memberships as one
// request per organization (no offset, so at most 500 per organization), and the documented
// 0.5 s sleep after each request. No retries, no Retry-After.
import { request } from 'undici';

export interface StrategyResult {
  rows: number;
  requests: number;
  ms: number;
}

const SLEEP_MS = 500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function get(apiUrl: string, key: string, path: string): Promise<unknown> {
  const res = await request(`${apiUrl}/${path}`, { headers: { authorization: `Bearer ${key}` } });
  const body = await res.body.json();
  if (res.statusCode !== 200) throw new Error(`clerk_fdw strategy: HTTP ${res.statusCode} for ${path}`);
  return body;
}

function items(body: unknown): { id: string }[] {
  return (Array.isArray(body) ? body : (body as { data: { id: string }[] }).data) as { id: string }[];
}

/** Users or organizations: `limit=500&offset=N` until a short page. */
export async function clerkFdwScan(apiUrl: string, key: string, object: 'users' | 'organizations'): Promise<StrategyResult & { ids: string[] }> {
  const start = performance.now();
  const ids: string[] = [];
  let requests = 0;
  for (let offset = 0; ; offset += 500) {
    const page = items(await get(apiUrl, key, `${object}?limit=500&offset=${offset}`));
    requests++;
    for (const row of page) ids.push(row.id);
    await sleep(SLEEP_MS);
    if (page.length < 500) break;
  }
  return { rows: ids.length, requests, ms: performance.now() - start, ids };
}

/**
 * Memberships: the organization scan, then one request per organization. `maxOrganizations`
 * caps the per-organization part so a benchmark can measure it on a sample and extrapolate.
 */
export async function clerkFdwMemberships(apiUrl: string, key: string, maxOrganizations = Infinity) {
  const orgs = await clerkFdwScan(apiUrl, key, 'organizations');
  const sample = orgs.ids.slice(0, maxOrganizations);
  const start = performance.now();
  let rows = 0;
  for (const id of sample) {
    rows += items(await get(apiUrl, key, `organizations/${id}/memberships?limit=500`)).length;
    await sleep(SLEEP_MS);
  }
  const perOrgMs = (performance.now() - start) / Math.max(1, sample.length);
  return {
    organizations: orgs.ids.length,
    sampled: sample.length,
    sampledRows: rows,
    requests: orgs.requests + orgs.ids.length,
    /** Measured on the sample, extrapolated to every organization. */
    ms: orgs.ms + perOrgMs * orgs.ids.length,
  };
}
