// Every row of a read in one array: the tests' way to look at a whole (small) read. The product
// streams reads (ClerkClient.read) and never holds one whole.
import type { ClerkClient, ReadOptions } from '../../src/fdw/clerk/client.js';
import type { ReadRequest } from '../../src/fdw/clerk/reads.js';
import type { ClerkObject } from '../../src/fdw/clerk/schemas.js';

export async function readAll(client: ClerkClient, req: ReadRequest, opts: ReadOptions = {}): Promise<ClerkObject[]> {
  const out: ClerkObject[] = [];
  for await (const batch of client.read(req, opts)) out.push(...batch);
  return out;
}
