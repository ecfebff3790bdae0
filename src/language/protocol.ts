// The messages the extension and the language server exchange beyond LSP's own, in one place that
// both sides import (as vscode-eslint shares its protocol file), so that a change to one is a type
// error in the other.
import { NotificationType } from 'vscode-languageserver-protocol';
import type { SchemaSnapshot } from '../fdw/db/schemaSnapshot.js';

export interface DatabaseSchemaParams {
  /** The notebook's URI, as LSP notebook sync names it. */
  notebook: string;
  /** The database its kernel runs on; null when it runs on the embedded database (or the connection is gone). No password is in it. */
  snapshot: SchemaSnapshot | null;
}

/**
 * Client to server: the database a notebook runs on, sent when its kernel is chosen, after a cell
 * that changed the database's tables ran, and again to a restarted server.
 */
export const DatabaseSchemaNotification = new NotificationType<DatabaseSchemaParams>('clerkSql/databaseSchema');
