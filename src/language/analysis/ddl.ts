// What the editor adds to an FDW statement beyond the catalog's checks (which FdwCatalog.check
// makes, for the runtime and the editor alike; see analyze.ts): hover documentation for its names,
// the warning on a secret key written inline, the note on a server without a key, and the action
// that adds an object's documented columns.
import type { CreateFdwStmt, CreateForeignServerStmt, CreateForeignTableStmt, ColumnDef } from 'libpg-query';
import { documentedColumns, findColumn, formatType, lookupObject, type DeclaredColumn } from '../../fdw/catalog/index.js';
import type { ClerkObjectName } from '../../fdw/clerk/schemas.js';
import { HANDLER, VALIDATOR, declaredColumns } from '../../fdw/runtime/fdwCatalog.js';
import { SECRET_KEY } from '../../fdw/runtime/serverOptions.js';
import { isSimulatorUrl } from '../../fdw/simulator/url.js';
import { defElems, optionName, optionString } from '../../fdw/sql/ast.js';
import type { StatementText } from '../../fdw/sql/statementText.js';
import { skipTrivia, type Span } from '../../fdw/sql/tokens.js';
import type { CellContext } from './context.js';
import { OPTION_DOCS, columnDoc, objectDoc, serverMarkdown, wrapperMarkdown } from './docs.js';
import { Severity, type FixData } from './model.js';

export function describeWrapper(ctx: CellContext, at: StatementText, stmt: CreateFdwStmt): void {
  const name = at.nameAfter(['foreign', 'data', 'wrapper']);
  if (name && stmt.fdwname) ctx.symbol(name, wrapperMarkdown(stmt.fdwname));
  for (const option of defElems(stmt.func_options)) {
    const fn = optionName(option);
    const span = at.optionReference(option);
    if (span && fn === (option.defname === 'handler' ? HANDLER : VALIDATOR))
      ctx.symbol(span, `**${fn}** — clerk_fdw's ${option.defname} function, built into this notebook.`);
  }
}

export function describeServer(ctx: CellContext, at: StatementText, stmt: CreateForeignServerStmt): void {
  const fdwname = stmt.fdwname ?? '';
  const wrapper = at.nameAfter(['foreign', 'data', 'wrapper']);
  if (wrapper && ctx.state.catalog.wrapper(fdwname)) ctx.symbol(wrapper, wrapperMarkdown(fdwname));
  const options: Record<string, string> = {};
  for (const option of defElems(stmt.options)) {
    const name = option.defname ?? '';
    const doc = OPTION_DOCS[name];
    const nameSpan = at.token(option.location);
    if (doc && nameSpan) ctx.symbol(nameSpan, doc);
    const value = optionString(option);
    if (value === undefined) continue;
    if (name !== 'api_key') options[name] = value;
    const valueSpan = at.optionValue(option);
    if (name === 'api_key' && SECRET_KEY.test(value) && valueSpan) {
      ctx.report(
        valueSpan,
        Severity.Warning,
        'inline-secret',
        "A Clerk secret key is written in the notebook: it is moved to VS Code's SecretStorage when the notebook is saved or the cell runs, and never reaches the file.",
        "Remove the api_key option (or write a placeholder): the notebook asks for the key and keeps it in VS Code's SecretStorage.",
        [{ kind: 'moveInlineKeys', title: 'Move the key to SecretStorage' }],
      );
    }
  }
  const name = at.nameAfter(['server']);
  if (!name || !stmt.servername) return;
  ctx.symbol(name, serverMarkdown(stmt.servername, fdwname, options));
  // The simulator's keys come with it: nothing to ask for.
  const hasKey = defElems(stmt.options).some((o) => o.defname === 'api_key');
  if (!hasKey && !isSimulatorUrl(options.api_url ?? '')) {
    ctx.report(
      name,
      Severity.Information,
      'no-api-key',
      `server "${stmt.servername}" has no api_key: the key will be asked for and kept in VS Code's SecretStorage, never in the notebook`,
    );
  }
}

export function describeForeignTable(ctx: CellContext, at: StatementText, stmt: CreateForeignTableStmt): void {
  const servername = stmt.servername ?? '';
  const serverSpan = at.nameAfter([')', 'server']);
  const server = ctx.state.catalog.server(servername);
  if (serverSpan && server) ctx.symbol(serverSpan, serverMarkdown(servername, server.wrapper, server.options));
  const options = defElems(stmt.options);
  for (const option of options) {
    const doc = OPTION_DOCS[option.defname ?? ''];
    const span = at.token(option.location);
    if (doc && span) ctx.symbol(span, doc);
  }
  const objectOption = options.find((o) => o.defname === 'object');
  const value = objectOption && optionString(objectOption);
  const found = value === undefined ? undefined : lookupObject(value);
  const valueSpan = objectOption && at.optionValue(objectOption);
  if (!found?.ok || !valueSpan) return;
  const { object } = found;
  ctx.symbol(valueSpan, objectDoc(object));
  const { defs, columns } = declaredColumns(stmt);
  defs.forEach((def, i) => {
    const column = findColumn(object, columns[i]!.name);
    const span = at.token(def.location);
    if (column && span) ctx.symbol(span, columnDoc(column, columns[i]!.type));
  });
  const tableName = at.lastName(stmt.base?.relation?.location);
  if (tableName) addColumnsAction(ctx, at, object, defs, columns, tableName, valueSpan);
}

/** A code action on the object name: add the documented columns the table does not declare. */
function addColumnsAction(
  ctx: CellContext,
  at: StatementText,
  object: ClerkObjectName,
  defs: ColumnDef[],
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
  const lastType = at.type(last?.typeName?.location);
  const lastName = at.token(last?.location);
  let insertAt: number;
  let insert: string;
  if (lastType && lastName) {
    insertAt = lastType.end;
    const before = text.slice(0, lastName.start);
    const indent = /[ \t]*$/.exec(before)?.[0] ?? '  ';
    const onOwnLine = /\n[ \t]*$/.test(before);
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
