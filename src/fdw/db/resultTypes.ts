// How result columns are described and their values decoded (see QueryResult in protocol.ts).

import type { PGlite, ParserOptions } from '@electric-sql/pglite';

const keepText = (text: string) => text;

/**
 * PGlite's default parsers, except: bigint is always a bigint (PGlite gives a number when it fits,
 * so a column would mix types), and date/time types stay text (a JS Date drops microseconds and
 * the offset). PGlite applies these to array elements too.
 */
export const valueParsers: ParserOptions = {
  20: (text: string) => BigInt(text),
  1082: keepText, // date
  1083: keepText, // time
  1114: keepText, // timestamp
  1184: keepText, // timestamptz
  1186: keepText, // interval
  1266: keepText, // timetz
};

/** Type OID -> format_type() name, asked of the database the first time each OID is seen. */
export class TypeNames {
  private readonly names = new Map<number, string>();

  async resolve(pg: PGlite, oids: readonly number[]): Promise<void> {
    const missing = [...new Set(oids)].filter((oid) => !this.names.has(oid));
    if (missing.length === 0) return;
    const { rows } = await pg.query<{ oid: number; name: string }>(
      'select oid::int4 as oid, format_type(oid, null) as name from pg_type where oid = any($1::oid[])',
      [missing],
    );
    for (const { oid, name } of rows) this.names.set(oid, name);
  }

  /** Needs resolve() first; an OID without a pg_type row (never expected) is shown as its number. */
  name(oid: number): string {
    return this.names.get(oid) ?? String(oid);
  }
}
