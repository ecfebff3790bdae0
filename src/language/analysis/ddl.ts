// Checks of clerk_fdw's DDL with a range for every problem, not only the first one. The runtime's
// FdwCatalog.plan() then runs on the same statement (see analyze.ts), so whatever it rejects that
// these checks do not cover is reported too, with its message and position.
import type { CreateFdwStmt, CreateForeignServerStmt, CreateForeignTableStmt, DefElem, Node, TypeName } from 'libpg-query';
import {
  closestMatch,
  columnsOf,
  documentedColumns,
  findColumn,
  formatType,
  lookupObject,
  normalizeType,
  validateForeignTable,
  type DeclaredColumn,
} from '../../fdw/catalog/index.ts';
import { apiTarget } from '../../fdw/runtime/apiTarget.ts';
import { isSimulatorUrl } from '../../fdw/simulator/url.ts';
import { HANDLER, SECRET_KEY, SERVER_OPTIONS, TABLE_OPTIONS, VALIDATOR } from '../../fdw/runtime/fdwCatalog.ts';
import type { CellContext } from './context.ts';
import { OPTION_DOCS, columnDoc, objectDoc, serverMarkdown, wrapperMarkdown } from './docs.ts';
import { Severity, type FixData } from './model.ts';
import { findGroup, lastNameOfReference, skipTrivia, tokenAfter, tokenAt, typeSpan, type Span } from './tokens.ts';

export interface StatementSpan {
  start: number;
  end: number;
}

const NAME = String.raw`("(?:[^"]|"")*"|[^\s;(),]+)`;

export function defElems(list: Node[] | undefined): DefElem[] {
  return (list ?? []).flatMap((n) => {
    const def = (n as { DefElem?: DefElem }).DefElem;
    return def ? [def] : [];
  });
}

function stringValue(option: DefElem): string | undefined {
  return (option.arg as { String?: { sval?: string } } | undefined)?.String?.sval;
}

function functionName(option: DefElem): string {
  const items = (option.arg as { List?: { items?: Node[] } } | undefined)?.List?.items ?? [];
  return items.map((i) => (i as { String?: { sval?: string } }).String?.sval ?? '').join('.');
}

function nameSpan(ctx: CellContext, at: StatementSpan, pattern: RegExp): Span | undefined {
  const start = findGroup(ctx.text, at.start, at.end, pattern);
  return start === undefined ? undefined : tokenAt(ctx.text, start);
}

/** An option not valid here: the runtime's message and hint, and a fix when there is a likely name. */
function invalidOption(ctx: CellContext, option: DefElem, valid: readonly string[]): void {
  const name = option.defname ?? '';
  const suggestion = closestMatch(name, [...valid]);
  const fixes: FixData[] = suggestion ? [{ kind: 'replace', text: suggestion, title: `Change to "${suggestion}"` }] : [];
  ctx.report(
    tokenAt(ctx.text, ctx.offset(option.location)),
    Severity.Error,
    'HV00D',
    `invalid option "${name}"`,
    `${suggestion ? `Did you mean "${suggestion}"? ` : ''}Valid options in this context are: ${valid.join(', ')}`,
    fixes,
  );
}

export function checkWrapper(ctx: CellContext, stmt: CreateFdwStmt, at: StatementSpan): void {
  const name = nameSpan(ctx, at, new RegExp(String.raw`^create\s+foreign\s+data\s+wrapper\s+${NAME}`, 'i'));
  if (name && stmt.fdwname) ctx.symbol(name, wrapperMarkdown(stmt.fdwname));
  for (const option of defElems(stmt.func_options)) {
    const expected = option.defname === 'handler' ? HANDLER : option.defname === 'validator' ? VALIDATOR : undefined;
    const fn = functionName(option);
    const keyword = ctx.offset(option.location);
    const written = fn ? lastNameOfReference(ctx.text, tokenAfter(ctx.text, keyword).start) : tokenAt(ctx.text, keyword);
    const span = fn ? { start: tokenAfter(ctx.text, keyword).start, end: written.end } : written;
    if (fn === expected) {
      ctx.symbol(span, `**${fn}** — clerk_fdw's ${option.defname} function, built into this notebook.`);
      continue;
    }
    ctx.report(
      span,
      Severity.Error,
      '42883',
      `function ${fn}(${option.defname === 'validator' ? 'text[], oid' : ''}) does not exist`,
      `This notebook runs clerk_fdw: use handler ${HANDLER} and validator ${VALIDATOR}.`,
      expected && fn ? [{ kind: 'replace', text: expected, title: `Change to ${expected}` }] : [],
    );
  }
  for (const option of defElems(stmt.options)) {
    ctx.report(tokenAt(ctx.text, ctx.offset(option.location)), Severity.Error, 'HV00D', `invalid option "${option.defname}"`, 'clerk_fdw takes no wrapper options.');
  }
}

export function checkServer(ctx: CellContext, stmt: CreateForeignServerStmt, at: StatementSpan): void {
  const name = nameSpan(ctx, at, new RegExp(String.raw`^create\s+server\s+(?:if\s+not\s+exists\s+)?${NAME}`, 'i'));
  const wrapper = nameSpan(ctx, at, new RegExp(String.raw`\bforeign\s+data\s+wrapper\s+${NAME}`, 'i'));
  const fdwname = stmt.fdwname ?? '';
  if (wrapper) {
    if (ctx.state.catalog.wrapper(fdwname)) ctx.symbol(wrapper, wrapperMarkdown(fdwname));
    else {
      const known = ctx.state.scope().wrappers;
      const suggestion = closestMatch(fdwname, known);
      ctx.report(
        wrapper,
        Severity.Error,
        '42704',
        `foreign-data wrapper "${fdwname}" does not exist`,
        suggestion
          ? `Did you mean "${suggestion}"?`
          : `Create it first, in this cell or an earlier one: create foreign data wrapper ${fdwname} handler ${HANDLER} validator ${VALIDATOR};`,
        suggestion ? [{ kind: 'replace', text: suggestion, title: `Change to ${suggestion}` }] : [],
      );
    }
  }
  const seen = new Set<string>();
  const options: Record<string, string> = {};
  let simulator = false;
  for (const option of defElems(stmt.options)) {
    const optionName = option.defname ?? '';
    const location = ctx.offset(option.location);
    const nameToken = tokenAt(ctx.text, location);
    if (!(SERVER_OPTIONS as readonly string[]).includes(optionName)) {
      invalidOption(ctx, option, SERVER_OPTIONS);
      continue;
    }
    ctx.symbol(nameToken, OPTION_DOCS[optionName] ?? optionName);
    if (seen.has(optionName)) {
      ctx.report(nameToken, Severity.Error, '42710', `option "${optionName}" provided more than once`);
      continue;
    }
    seen.add(optionName);
    const value = stringValue(option);
    if (value === undefined) continue; // the runtime's plan reports it
    const valueToken = tokenAfter(ctx.text, location);
    if (optionName === 'api_key') {
      if (SECRET_KEY.test(value)) {
        ctx.report(
          valueToken,
          Severity.Warning,
          'inline-secret',
          "A Clerk secret key is written in the notebook: it is moved to VS Code's SecretStorage when the notebook is saved or the cell runs, and never reaches the file.",
          'Remove the api_key option (or write a placeholder): the notebook asks for the key and keeps it in VS Code\'s SecretStorage.',
          [{ kind: 'moveInlineKeys', title: 'Move the key to SecretStorage' }],
        );
      } else {
        ctx.report(
          valueToken,
          Severity.Information,
          'api-key-placeholder',
          `api_key of server "${stmt.servername}" is not a Clerk secret key (sk_test_... or sk_live_...): the key is taken from the secret store`,
          "The notebook asks for the key once and keeps it in VS Code's SecretStorage.",
        );
      }
    } else if (optionName === 'api_url') {
      simulator = isSimulatorUrl(value);
      try {
        apiTarget(value);
        options.api_url = value;
      } catch (error) {
        ctx.report(valueToken, Severity.Error, 'HV024', `invalid value for option "api_url": ${(error as Error).message}`);
      }
    } else if (optionName === 'cache_ttl') {
      if (/^\d+$/.test(value)) options.cache_ttl = value;
      else {
        ctx.report(
          valueToken,
          Severity.Error,
          'HV024',
          `invalid value for option "cache_ttl": "${value}"`,
          "cache_ttl is a number of seconds, e.g. '300'; '0' refetches every time.",
        );
      }
    }
  }
  if (name && stmt.servername) {
    ctx.symbol(name, serverMarkdown(stmt.servername, fdwname, options));
    // The simulator's keys come with it: nothing to ask for.
    if (!seen.has('api_key') && !simulator) {
      ctx.report(
        name,
        Severity.Information,
        'no-api-key',
        `server "${stmt.servername}" has no api_key: the key will be asked for and kept in VS Code's SecretStorage, never in the notebook`,
      );
    }
  }
}

interface ColumnDefNode {
  colname?: string;
  typeName?: TypeName;
  location?: number;
}

export function declaredColumnsOf(stmt: CreateForeignTableStmt): { defs: ColumnDefNode[]; columns: DeclaredColumn[] } {
  const defs = (stmt.base?.tableElts ?? []).flatMap((elt) => {
    const def = (elt as { ColumnDef?: ColumnDefNode }).ColumnDef;
    return def ? [def] : [];
  });
  const columns = defs.map((def) => ({
    name: def.colname ?? '',
    type: normalizeType(
      (def.typeName?.names ?? []).map((n) => (n as { String?: { sval?: string } }).String?.sval ?? ''),
      (def.typeName?.arrayBounds?.length ?? 0) > 0,
    ),
  }));
  return { defs, columns };
}

export function checkForeignTable(ctx: CellContext, stmt: CreateForeignTableStmt, at: StatementSpan): void {
  const { text } = ctx;
  const relation = stmt.base?.relation;
  const tableName = relation ? lastNameOfReference(text, ctx.offset(relation.location)) : tokenAt(text, at.start);
  const serverName = nameSpan(ctx, at, new RegExp(String.raw`\)\s*server\s+${NAME}`, 'i'));
  const servername = stmt.servername ?? '';
  if (serverName) {
    const server = ctx.state.catalog.server(servername);
    if (server) ctx.symbol(serverName, serverMarkdown(servername, server.wrapper, server.options));
    else {
      const suggestion = closestMatch(servername, ctx.state.scope().servers);
      ctx.report(
        serverName,
        Severity.Error,
        '42704',
        `server "${servername}" does not exist`,
        suggestion ? `Did you mean "${suggestion}"?` : 'Create it first, in this cell or an earlier one, with CREATE SERVER.',
        suggestion ? [{ kind: 'replace', text: suggestion, title: `Change to ${suggestion}` }] : [],
      );
    }
  }

  const options = defElems(stmt.options);
  for (const option of options) {
    if (!(TABLE_OPTIONS as readonly string[]).includes(option.defname ?? '')) invalidOption(ctx, option, TABLE_OPTIONS);
    else ctx.symbol(tokenAt(text, ctx.offset(option.location)), OPTION_DOCS[option.defname!] ?? '');
  }
  const { defs, columns } = declaredColumnsOf(stmt);
  const objectOption = options.find((o) => o.defname === 'object');
  if (!objectOption) {
    ctx.report(
      tableName,
      Severity.Error,
      'HV00J',
      'required option "object" is not specified',
      "Add OPTIONS (object 'users'), 'organizations' or 'organization_memberships'.",
    );
    return;
  }
  const objectValue = stringValue(objectOption);
  if (objectValue === undefined) return; // the runtime's plan reports it
  const valueSpan = tokenAfter(text, ctx.offset(objectOption.location));
  const check = validateForeignTable(objectValue, columns);
  const object = check.object;
  for (const d of check.diagnostics) {
    const message = d.detail ? `${d.message}\n${d.detail}` : d.message;
    if (d.column === undefined) {
      if (d.severity === 'notice') {
        ctx.report(valueSpan, Severity.Hint, 'old-object-name', d.message, undefined, object ? [{ kind: 'replace', text: `'${object}'`, title: `Change to '${object}'` }] : []);
      } else {
        const lookup = lookupObject(objectValue);
        const suggestion = lookup.ok ? undefined : lookup.suggestion;
        ctx.report(valueSpan, Severity.Error, d.code, message, d.hint, suggestion ? [{ kind: 'replace', text: `'${suggestion}'`, title: `Change to '${suggestion}'` }] : []);
      }
      continue;
    }
    const def = defs[d.column];
    if (!def) continue;
    const columnSpan = tokenAt(text, ctx.offset(def.location));
    const declared = columns[d.column]!;
    if (d.severity === 'notice') {
      ctx.report(columnSpan, Severity.Information, 'column-notice', d.message);
    } else if (d.code === 'HV004' && def.typeName) {
      const column = object ? findColumn(object, declared.name) : undefined;
      const fixes: FixData[] = column ? [{ kind: 'replace', text: formatType(column.defaultType), title: `Declare as ${formatType(column.defaultType)}` }] : [];
      ctx.report(typeSpan(text, ctx.offset(def.typeName.location)), Severity.Error, d.code, message, d.hint, fixes);
    } else if (d.code === 'HV005' && object) {
      const suggestion = closestMatch(declared.name, columnsOf(object).map((c) => c.name));
      ctx.report(columnSpan, Severity.Error, d.code, message, d.hint, suggestion ? [{ kind: 'replace', text: suggestion, title: `Change to ${suggestion}` }] : []);
    } else {
      ctx.report(columnSpan, Severity.Error, d.code, message, d.hint);
    }
  }
  if (!object) return;
  ctx.symbol(valueSpan, objectDoc(object));
  defs.forEach((def, i) => {
    const column = findColumn(object, columns[i]!.name);
    if (column) ctx.symbol(tokenAt(text, ctx.offset(def.location)), columnDoc(column, columns[i]!.type));
  });
  addColumnsAction(ctx, object, defs, columns, tableName, valueSpan);
}

/** A code action on the object name: add the documented columns the table does not declare. */
function addColumnsAction(
  ctx: CellContext,
  object: NonNullable<ReturnType<typeof validateForeignTable>['object']>,
  defs: ColumnDefNode[],
  columns: DeclaredColumn[],
  tableName: Span,
  valueSpan: Span,
): void {
  const declared = new Set(columns.map((c) => c.name));
  const missing = documentedColumns(object).filter((c) => !declared.has(c.name));
  if (missing.length === 0) return;
  const { text } = ctx;
  const lines = missing.map((c) => `${c.name} ${formatType(c.type)}`);
  const last = defs.at(-1);
  let insertAt: number;
  let insert: string;
  if (last?.typeName) {
    insertAt = typeSpan(text, ctx.offset(last.typeName.location)).end;
    const indent = /[ \t]*$/.exec(text.slice(0, ctx.offset(last.location)))?.[0] ?? '  ';
    const onOwnLine = /\n[ \t]*$/.test(text.slice(0, ctx.offset(last.location)));
    insert = lines.map((l) => `,${onOwnLine ? `\n${indent}` : ' '}${l}`).join('');
  } else {
    const paren = skipTrivia(text, tableName.end);
    if (text[paren] !== '(') return;
    insertAt = paren + 1;
    insert = `\n${lines.map((l) => `  ${l}`).join(',\n')}\n`;
  }
  const position = ctx.source.positionAt(insertAt);
  const fix: FixData = {
    kind: 'addColumns',
    object,
    at: { line: position.line, character: position.character },
    text: insert,
    title: `Add the documented columns of '${object}' (${missing.map((c) => c.name).join(', ')})`,
  };
  ctx.actions.push({ range: ctx.range(valueSpan), fix });
}
