// Postgres's text of an array (`{a,"b c",NULL,{1,2}}`) read back into its elements: the grid holds
// each value as Postgres's text, and a copy as JSON gives an array as a JSON array. Pure.

export type PgArray = (string | null | PgArray)[];

/** The elements of an array's text output; undefined when it is not one. Quoted `"NULL"` is text, bare NULL is NULL. */
export function parsePgArray(text: string): PgArray | undefined {
  // Lower bounds other than 1 are written first: `[0:1]={a,b}`.
  let i = text.startsWith('[') ? text.indexOf('=') + 1 : 0;
  if (text[i] !== '{') return undefined;
  const read = (): PgArray | undefined => {
    const items: PgArray = [];
    i++; // past '{'
    if (text[i] === '}') {
      i++;
      return items;
    }
    for (;;) {
      if (text[i] === '{') {
        const inner = read();
        if (!inner) return undefined;
        items.push(inner);
      } else if (text[i] === '"') {
        let value = '';
        for (i++; i < text.length && text[i] !== '"'; i++) {
          if (text[i] === '\\') i++;
          value += text[i] ?? '';
        }
        if (text[i++] !== '"') return undefined;
        items.push(value);
      } else {
        const start = i;
        while (i < text.length && text[i] !== ',' && text[i] !== '}') i++;
        const value = text.slice(start, i).trim();
        items.push(value.toUpperCase() === 'NULL' ? null : value);
      }
      const next = text[i++];
      if (next === '}') return items;
      if (next !== ',') return undefined;
    }
  };
  const items = read();
  return items && i === text.length ? items : undefined;
}
