// How result columns are described and their values decoded (see QueryResult in protocol.ts).

import type { ParserOptions } from '@electric-sql/pglite';

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

/** The names of the type OIDs in $1, as format_type() spells them, as [oid, name] rows. */
export const TYPE_NAMES_SQL = 'select oid::int4, format_type(oid, null) from pg_type where oid = any($1::oid[])';

/** Type OID -> format_type() name, asked of the database the first time each OID is seen. */
export class TypeNames {
  private readonly names = new Map<number, string>();

  /** `lookup` asks the database for the names of the OIDs not seen yet: `format_type(oid, null)` from pg_type. */
  async resolve(lookup: (oids: number[]) => Promise<Iterable<readonly [number, string]>>, oids: readonly number[]): Promise<void> {
    const missing = [...new Set(oids)].filter((oid) => !this.names.has(oid));
    if (missing.length === 0) return;
    for (const [oid, name] of await lookup(missing)) this.names.set(oid, name);
  }

  /** Needs resolve() first; an OID without a pg_type row (never expected) is shown as its number. */
  name(oid: number): string {
    return this.names.get(oid) ?? String(oid);
  }
}
