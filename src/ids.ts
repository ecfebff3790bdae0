// Every id the extension shares with VS Code (package.json's contributes), and its parts with each
// other: the extension, its notebooks, cell language, kernel, renderer, output MIME types, commands
// and settings. No vscode import: the extension, the language client and server and the renderer
// take them from here.

export const EXTENSION_ID = 'clerk-sql-notebook.clerk-sql-notebook';

/** `*.clerk.sql` files, and any other `.sql` file opened as a notebook through "Open With…". */
export const NOTEBOOK_TYPE = 'clerk-sql-notebook';
export const NOTEBOOK_TYPE_ANY_SQL = 'clerk-sql-notebook-any';
export const NOTEBOOK_TYPES = [NOTEBOOK_TYPE, NOTEBOOK_TYPE_ANY_SQL] as const;
export const NOTEBOOK_FILE_SUFFIX = '.clerk.sql';

/** The cells' language, and the language server's diagnostics source. */
export const CELL_LANGUAGE = 'clerk-sql';

/** The kernel of `*.clerk.sql` notebooks; another type's is `${CONTROLLER_ID}-${type}`. */
export const CONTROLLER_ID = 'clerk-sql-runtime';

/** The kernel of a notebook type, on the embedded database or on a saved PostgreSQL connection. */
export function controllerId(type: string, connection?: string): string {
  const base = connection === undefined ? CONTROLLER_ID : `${CONTROLLER_ID}-postgres-${connection}`;
  return type === NOTEBOOK_TYPE ? base : `${base}-${type}`;
}

export const RENDERER_ID = 'clerk-sql-result-renderer';
export const RESULT_MIME = 'application/vnd.clerk-sql.result+json';
export const ERROR_MIME = 'application/vnd.clerk-sql.error+json';

export const COMMANDS = {
  tryWithSimulator: 'clerkSql.tryWithSimulator',
  restartRuntime: 'clerkSql.restartRuntime',
  setApiKey: 'clerkSql.setApiKey',
  forgetApiKey: 'clerkSql.forgetApiKey',
  forgetAllApiKeys: 'clerkSql.forgetAllApiKeys',
  exportResult: 'clerkSql.exportResult',
  moveInlineKeys: 'clerkSql.moveInlineKeys',
  runtimeMenu: 'clerkSql.runtimeMenu',
  addPostgresConnection: 'clerkSql.addPostgresConnection',
  removePostgresConnection: 'clerkSql.removePostgresConnection',
} as const;

export const SETTINGS = {
  section: 'clerkSql',
  maxOutputRows: 'maxOutputRows',
  allowedApiOrigins: 'allowedApiOrigins',
  statementTimeout: 'statementTimeout',
  tempFileLimit: 'tempFileLimit',
} as const;

export const STATUS_BAR_ITEM_ID = 'clerkSql.runtime';
/** globalState key of the saved PostgreSQL connections (their URLs without passwords). */
export const POSTGRES_CONNECTIONS = 'clerkSql.postgresConnections';
/** globalState key of the list of stored key names (not the keys). */
export const STORED_KEY_NAMES = 'clerkSql.storedKeyNames';
