// A Clerk Backend API that breaks Clerk's contract on demand, to test what the client and the
// runtime do when the API (or something posing as it) misbehaves. Honest unless told otherwise:
// users, organizations and memberships paged by limit/offset in creation order, with Clerk's
// envelopes and counts. Each test switches on the hostility it needs with `configure`:
// duplicate pages, rows missing from pages, lying totals, offset ignored, bodies trickled,
// absurd Retry-After, replaced bodies (huge, deeply nested, out-of-range values).
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Hostility {
  /** The total a list reports (`total_count`, `/users/count`) given its true length. */
  total?: (list: string, real: number) => number;
  /** Every page starts at offset 0, whatever the request asks. */
  ignoreOffset?: boolean;
  /** Rows left out of the next `times` pages of their lists (Infinity: always) while the totals still count them: a row lost between pages. */
  hide?: { id: string; times: number }[];
  /** The page at this offset is served as the page before it, `times` times (a duplicate page). */
  repeatPage?: { list: string; offset: number; times: number };
  /** The response body goes out one byte every `trickleMs`. */
  trickleMs?: number;
  /** Every request is answered 429 with this Retry-After header. */
  retryAfter?: string;
  /** The text of a list page, instead of the honest one (undefined: honest). */
  pageBody?: (list: string, offset: number) => string | undefined;
}

export interface LoggedRequest {
  /** The list or endpoint, without `/v1/`, e.g. `organizations/org_a/memberships`. */
  path: string;
  status: number;
}

export interface HostileClerk {
  url: string;
  secretKey: string;
  requests: LoggedRequest[];
  /** Replaces the hostility of every later request (honest: `{}`). */
  configure(hostility: Hostility): void;
  close(): Promise<void>;
}

export interface HostileData {
  users?: number;
  /** Organizations by id, with how many members each has (users `user_0`, `user_1`, ...). */
  organizations?: Record<string, number>;
}

type Row = { id: string; created_at: number } & Record<string, unknown>;

const SECRET_KEY = 'sk_test_hostile0000000000000000';
const EPOCH = Date.UTC(2024, 0, 1);

export async function startHostileClerk(data: HostileData): Promise<HostileClerk> {
  const lists = buildLists(data);
  let hostility: Hostility = {};
  const requests: LoggedRequest[] = [];

  const server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://localhost');
    const path = url.pathname.replace(/^\/v1\//, '');
    const reply = (status: number, body: string, headers: Record<string, string> = {}) => {
      requests.push({ path, status });
      send(res, status, body, headers, hostility.trickleMs);
    };
    if (req.headers.authorization !== `Bearer ${SECRET_KEY}`) return reply(401, clerkError('authentication_invalid', 'Invalid key'));
    if (hostility.retryAfter !== undefined) {
      return reply(429, clerkError('too_many_requests', 'Too many requests, retry later'), { 'retry-after': hostility.retryAfter });
    }
    if (path === 'users/count') {
      const rows = lists.get('users')!;
      return reply(200, JSON.stringify({ object: 'total_count', total_count: hostility.total?.('users', rows.length) ?? rows.length }));
    }
    const rows = lists.get(path);
    if (!rows) return reply(404, clerkError('resource_not_found', `not found: ${path}`));
    const limit = Number(url.searchParams.get('limit') ?? 10);
    let offset = hostility.ignoreOffset ? 0 : Number(url.searchParams.get('offset') ?? 0);
    const repeat = hostility.repeatPage;
    if (repeat && repeat.list === path && repeat.offset === offset && repeat.times > 0) {
      repeat.times--;
      offset -= limit;
    }
    const replaced = hostility.pageBody?.(path, offset);
    if (replaced !== undefined) return reply(200, replaced);
    const hidden = (hostility.hide ?? []).filter((h) => h.times > 0 && rows.some((row) => row.id === h.id));
    for (const h of hidden) h.times--;
    const page = rows.filter((row) => !hidden.some((h) => h.id === row.id)).slice(offset, offset + limit);
    const total = hostility.total?.(path, rows.length) ?? rows.length;
    reply(200, JSON.stringify(path === 'users' ? page : { data: page, total_count: total }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    secretKey: SECRET_KEY,
    requests,
    configure: (h) => void (hostility = h),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function buildLists(data: HostileData): Map<string, Row[]> {
  const lists = new Map<string, Row[]>();
  const users: Row[] = Array.from({ length: data.users ?? 0 }, (_, i) => ({
    id: `user_${i}`,
    object: 'user',
    first_name: `User ${i}`,
    created_at: EPOCH + i * 1000,
  }));
  lists.set('users', users);
  const organizations: Row[] = [];
  const all: Row[] = [];
  let n = 0;
  for (const [orgId, members] of Object.entries(data.organizations ?? {})) {
    const organization = { id: orgId, object: 'organization', name: orgId, slug: orgId, members_count: members, created_at: EPOCH + organizations.length };
    organizations.push(organization);
    const memberships = Array.from({ length: members }, (_, i): Row => ({
      id: `orgmem_${orgId}_${i}`,
      object: 'organization_membership',
      role: 'org:member',
      organization: { id: orgId, object: 'organization', name: orgId },
      public_user_data: { user_id: `user_${i}`, identifier: `user${i}@example.com` },
      created_at: EPOCH + n++ * 1000,
    }));
    lists.set(`organizations/${orgId}/memberships`, memberships);
    all.push(...memberships);
  }
  lists.set('organizations', organizations);
  lists.set('organization_memberships', all);
  const byUser = new Map<string, Row[]>();
  for (const m of all) {
    const userId = (m.public_user_data as { user_id: string }).user_id;
    byUser.set(userId, [...(byUser.get(userId) ?? []), m]);
  }
  for (const [userId, memberships] of byUser) lists.set(`users/${userId}/organization_memberships`, memberships);
  return lists;
}

function clerkError(code: string, message: string): string {
  return JSON.stringify({ errors: [{ code, message, long_message: message }], clerk_trace_id: 'trace_hostile' });
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string>, trickleMs: number | undefined): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  if (trickleMs === undefined) return void res.end(body);
  let at = 0;
  const timer = setInterval(() => {
    if (at >= body.length || res.destroyed) {
      clearInterval(timer);
      return void res.end();
    }
    res.write(body[at++]);
  }, trickleMs);
  res.on('close', () => clearInterval(timer));
}
