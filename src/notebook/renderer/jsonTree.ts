// JSON text as a tree for the value viewer to fold, keeping each number's digits and each key as
// written: JSON.parse would round a 64-bit id and keep one of a json value's duplicate keys. Pure.

export type JsonNode =
  | { kind: 'object'; entries: [key: string, value: JsonNode][] }
  | { kind: 'array'; items: JsonNode[] }
  /** A string (its JSON text, quoted), number, true, false or null, as written. */
  | { kind: 'scalar'; text: string };

// A string's escapes and control characters are checked by JSON.parse (scalar()).
const SCALAR = /"(?:[^"\\]|\\.)*"|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
const SPACE = /[ \t\n\r]*/y;

/** The tree of a JSON text; undefined when it is not JSON. */
export function parseJson(text: string): JsonNode | undefined {
  let at = 0;
  const space = () => {
    SPACE.lastIndex = at;
    SPACE.exec(text);
    at = SPACE.lastIndex;
  };
  const expect = (char: string) => {
    space();
    if (text[at] !== char) throw new SyntaxError(`expected ${char} at ${at}`);
    at++;
  };
  const scalar = (): string => {
    space();
    SCALAR.lastIndex = at;
    const m = SCALAR.exec(text);
    if (!m) throw new SyntaxError(`unexpected ${text[at] ?? 'end'} at ${at}`);
    at = SCALAR.lastIndex;
    if (m[0].startsWith('"')) JSON.parse(m[0]);
    return m[0];
  };
  // Elements of an object or array up to its closing character, each read by `item`.
  const list = (close: string, item: () => void) => {
    space();
    if (text[at] === close) {
      at++;
      return;
    }
    for (;;) {
      item();
      space();
      if (text[at] === close) break;
      expect(',');
    }
    at++;
  };
  const value = (): JsonNode => {
    space();
    if (text[at] === '{') {
      at++;
      const entries: [string, JsonNode][] = [];
      list('}', () => {
        const key = scalar();
        if (!key.startsWith('"')) throw new SyntaxError(`a key is a string, at ${at}`);
        expect(':');
        entries.push([JSON.parse(key) as string, value()]);
      });
      return { kind: 'object', entries };
    }
    if (text[at] === '[') {
      at++;
      const items: JsonNode[] = [];
      list(']', () => items.push(value()));
      return { kind: 'array', items };
    }
    return { kind: 'scalar', text: scalar() };
  };
  try {
    const tree = value();
    space();
    return at === text.length ? tree : undefined;
  } catch {
    return undefined;
  }
}
