// Keywords that fit where the cursor is, from the words of the statement before it (which need
// not parse): the next words of clerk_fdw's DDL, statement starts, and a query's next clauses.
// Only what can come next is offered; in the middle of an expression, nothing.
import { HANDLER, VALIDATOR } from '../../fdw/runtime/fdwCatalog.js';
import { lineEnd, skipBlockComment, skipQuoted } from '../../fdw/sql/lexical.js';

/** What completes a statement's first word (or nothing yet). */
const STATEMENT_STARTS = ['select', 'with', 'create', 'alter', 'drop', 'import foreign schema', 'insert into', 'update', 'delete from', 'explain'];

const NAME = String.raw`[^\s(),;']+`;

/**
 * The DDL's next words, by the words before the cursor. Patterns match the normalized text
 * (lower case, one space between words, a closed paren group as `()`, a string as `'`) up to
 * the cursor, which follows the trailing space.
 */
const DDL_RULES: readonly (readonly [RegExp, readonly string[]])[] = [
  [
    /^create $/,
    [
      'foreign data wrapper',
      'server',
      'foreign table',
      'table',
      'view',
      'materialized view',
      'temp table',
      'or replace view',
      'index',
      'schema',
      'user mapping for',
      'extension',
    ],
  ],
  [/^create foreign $/, ['data wrapper', 'table']],
  [/^create foreign data $/, ['wrapper']],
  [new RegExp(`^create foreign data wrapper ${NAME} $`), ['handler', 'validator']],
  [new RegExp(`^create foreign data wrapper ${NAME} handler $`), [HANDLER]],
  [new RegExp(`^create foreign data wrapper ${NAME} validator $`), [VALIDATOR]],
  [new RegExp(`^create foreign data wrapper ${NAME} handler ${NAME} $`), ['validator']],
  [new RegExp(`^create foreign data wrapper ${NAME} validator ${NAME} $`), ['handler']],
  [/^create server $/, ['if not exists']],
  [new RegExp(`^create server (?:if not exists )?${NAME} $`), ['foreign data wrapper']],
  [new RegExp(`^create server (?:if not exists )?${NAME} foreign $`), ['data wrapper']],
  [new RegExp(`^create server (?:if not exists )?${NAME} foreign data wrapper ${NAME} $`), ['options']],
  [/^create foreign table $/, ['if not exists']],
  [new RegExp(`^create foreign table (?:if not exists )?${NAME} \\(\\) $`), ['server']],
  [new RegExp(`^create foreign table (?:if not exists )?${NAME} \\(\\) server ${NAME} $`), ['options']],
  [/^create user $/, ['mapping for']],
  [new RegExp(`^create user mapping for ${NAME} $`), ['server']],
  [new RegExp(`^create user mapping for ${NAME} server ${NAME} $`), ['options']],
  [/^alter $/, ['server', 'foreign table', 'foreign data wrapper', 'table']],
  [/^alter foreign $/, ['table', 'data wrapper']],
  [new RegExp(`^alter (?:server|foreign table(?: if exists)?) ${NAME} $`), ['options']],
  [/^drop $/, ['foreign table', 'server', 'foreign data wrapper', 'table', 'view']],
  [/^drop foreign $/, ['table', 'data wrapper']],
  [/^drop (?:foreign table|server|foreign data wrapper|table|view) $/, ['if exists']],
  [new RegExp(`^drop (?:foreign table|server|foreign data wrapper|table|view) (?:if exists )?${NAME}(?: , ${NAME})* $`), ['cascade']],
  [/^import $/, ['foreign schema']],
  [new RegExp(`^import foreign schema ${NAME} $`), ['from server', 'limit to', 'except']],
  [new RegExp(`^import foreign schema ${NAME} (?:limit to|except) \\(\\) $`), ['from server']],
  [new RegExp(`^import foreign schema ${NAME} (?:(?:limit to|except) \\(\\) )?from server ${NAME} $`), ['into']],
];

const FROM_LIST_NEXT = ['where', 'join', 'left join', 'inner join', 'cross join', 'group by', 'order by', 'limit'];

/** After a complete item of each clause of a SELECT. */
const CLAUSE_NEXT: Readonly<Record<string, readonly string[]>> = {
  select: ['from'],
  from: FROM_LIST_NEXT,
  join: ['on', 'using'],
  on: ['and', 'or', ...FROM_LIST_NEXT],
  using: FROM_LIST_NEXT,
  where: ['and', 'or', 'group by', 'order by', 'limit'],
  'group by': ['having', 'order by', 'limit'],
  having: ['and', 'or', 'order by', 'limit'],
  'order by': ['asc', 'desc', 'limit'],
  limit: ['offset'],
};

/** Words that are the first half of a clause's name. */
const FIRST_HALF: Readonly<Record<string, readonly string[]>> = {
  group: ['by'],
  order: ['by'],
  left: ['join', 'outer join'],
  right: ['join', 'outer join'],
  full: ['join', 'outer join'],
  inner: ['join'],
  cross: ['join'],
  natural: ['join'],
};

/** Clauses whose items are conditions: complete only once they compare something. */
const CONDITIONS = new Set(['on', 'where', 'having']);
const COMPARISON = /^(?:=|<>|!=|<|>|<=|>=|~~?\*?|like|ilike|in|is|between|@>|<@|\?)$/;
/** Words after which something else must come: never the end of an item. */
const OPEN = new Set([
  'select',
  'distinct',
  'from',
  'join',
  'left',
  'right',
  'full',
  'inner',
  'outer',
  'cross',
  'natural',
  'lateral',
  'on',
  'using',
  'where',
  'and',
  'or',
  'not',
  'group',
  'order',
  'by',
  'having',
  'limit',
  'offset',
  'as',
  'like',
  'ilike',
  'in',
  'is',
  'between',
  'case',
  'when',
  'then',
  'else',
  'with',
  'union',
  'all',
]);

/**
 * Keywords for the cursor at the end of `before`, the statement's text up to the cursor without
 * the word being typed. `ddl` says the statement is FDW or other DDL (not a query), where columns
 * make no sense.
 */
export function keywordsAt(before: string): { keywords: readonly string[]; ddl: boolean } {
  const { words, nested } = normalize(before);
  const select = words.lastIndexOf('select');
  if (select >= 0) return { keywords: queryKeywords(words.slice(select)), ddl: false };
  // Inside parentheses without a query: an expression, a column or option list.
  if (nested) return { keywords: [], ddl: false };
  if (words.length === 0) return { keywords: STATEMENT_STARTS, ddl: false };
  const text = `${words.join(' ')} `;
  const rule = DDL_RULES.find(([pattern]) => pattern.test(text));
  return { keywords: rule?.[1] ?? [], ddl: /^(?:create|alter|drop|import)$/.test(words[0]!) };
}

function queryKeywords(words: readonly string[]): readonly string[] {
  const last = words.at(-1)!;
  // `order by x desc`: the direction ends the item.
  if (last === 'asc' || last === 'desc') return ['limit'];
  if (Object.hasOwn(FIRST_HALF, last)) return FIRST_HALF[last]!;
  if (OPEN.has(last) || !/^(?:[\w$]+|'|"|\(\)|\*)$/.test(last)) return [];
  let clause: string | undefined;
  let start = 0;
  for (let i = words.length - 1; i >= 0 && clause === undefined; i--) {
    const word = words[i]!;
    if (word === 'by' && (words[i - 1] === 'group' || words[i - 1] === 'order')) clause = `${words[i - 1]} by`;
    else if (word === 'join') clause = words[i - 1] === 'cross' ? 'from' : 'join';
    else if (Object.hasOwn(CLAUSE_NEXT, word)) clause = word;
    start = i + 1;
  }
  if (clause === undefined) return [];
  const item = words.slice(start);
  if (CONDITIONS.has(clause)) {
    const condition = item.slice(Math.max(item.lastIndexOf('and'), item.lastIndexOf('or')) + 1);
    if (!condition.some((w) => COMPARISON.test(w))) return [];
  }
  // `limit` takes one value: a second word is not an item.
  if (clause === 'limit' && item.length !== 1) return [];
  return CLAUSE_NEXT[clause]!;
}

/**
 * The words before the cursor in the innermost open parenthesis: lower case, comments dropped,
 * a string as `'`, a quoted identifier as `"`, a closed paren group as `()`; operators and
 * commas are words of their own. `nested` says the cursor is inside an open parenthesis.
 */
function normalize(text: string): { words: string[]; nested: boolean } {
  const groups: string[][] = [[]];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const words = groups.at(-1)!;
    if (/\s/.test(c)) i++;
    else if (text.startsWith('--', i)) i = lineEnd(text, i);
    else if (text.startsWith('/*', i)) i = skipBlockComment(text, i);
    else if (c === "'" || c === '"') {
      words.push(c);
      i = skipQuoted(text, i);
    } else if (c === '(') {
      groups.push([]);
      i++;
    } else if (c === ')') {
      if (groups.length > 1) groups.pop();
      groups.at(-1)!.push('()');
      i++;
    } else {
      const word = /^(?:[A-Za-z_\u0080-\uFFFF][\w$\u0080-\uFFFF]*|[0-9][\w.]*|[<>=!~@?|&+\-*/%^#:]+|.)/.exec(text.slice(i, i + 64))![0];
      words.push(word.toLowerCase());
      i += word.length;
    }
  }
  return { words: groups.at(-1)!, nested: groups.length > 1 };
}
