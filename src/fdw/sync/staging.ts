// Rows of a Clerk read copied into a table as the pages arrive (COPY FROM STDIN): nothing but the
// pages in flight is held in memory, and Postgres loads while the next pages are fetched.
import type { ClerkObject } from '../clerk/schemas.js';
import type { Engine } from '../db/engine.js';
import { columnNames, copyRowFor, type SyncTable } from './tables.js';

/** A table of the sync's session, named as it is written into SQL. */
export interface Relation {
  schema: string;
  name: string;
}

async function* copyLines(
  pages: AsyncIterable<readonly ClerkObject[]> | Iterable<readonly ClerkObject[]>,
  line: (obj: ClerkObject) => string,
): AsyncGenerator<string> {
  for await (const page of pages) {
    let text = '';
    for (const obj of page) text += line(obj);
    yield text;
  }
}

/** Copies every row of `pages` into `into` (the table's columns, in order). Returns the rows copied. */
export function copyPages(
  engine: Engine,
  table: SyncTable,
  into: Relation,
  pages: AsyncIterable<readonly ClerkObject[]> | Iterable<readonly ClerkObject[]>,
): Promise<number> {
  return engine.copyText(into, columnNames(table), copyLines(pages, copyRowFor(table)));
}
