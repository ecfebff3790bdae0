// Names written into SQL the runtime generates: always quoted, so any name (upper case, a dot, a
// quote, a keyword) means exactly itself.

export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

export const qualified = (t: { schema: string; name: string }) => `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`;
