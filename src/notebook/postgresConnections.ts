// The PostgreSQL servers notebooks can run on: each saved connection's URL, without its password,
// in the extension's global state, and the password in VS Code's SecretStorage, never in settings,
// the notebook or an output. The runtime gets the URL with the password when it starts.
import * as vscode from 'vscode';
import { createHash } from 'node:crypto';
import { POSTGRES_CONNECTIONS } from '../ids.js';

export interface PostgresConnection {
  /** Stable for the URL: the kernel's id is made from it. */
  id: string;
  /** postgres://user@host:port/database, without the password. */
  url: string;
}

/** A postgres:// URL as the connection is saved: the password taken out. Throws on anything else. */
export function parseConnectionUrl(text: string): { url: string; password?: string } {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new Error('not a URL: write it as postgres://user@host:5432/database');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new Error(`a PostgreSQL URL starts with postgres://, not ${url.protocol}//`);
  // libpq (and node-postgres) also take the password as a query parameter.
  const password = url.password ? decodeURIComponent(url.password) : (url.searchParams.get('password') ?? undefined);
  url.password = '';
  url.searchParams.delete('password');
  return { url: url.toString(), ...(password === undefined ? {} : { password }) };
}

export class PostgresConnections implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a connection is added or removed. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly state: vscode.Memento,
    private readonly secrets: vscode.SecretStorage,
  ) {}

  list(): PostgresConnection[] {
    return this.state.get<PostgresConnection[]>(POSTGRES_CONNECTIONS, []);
  }

  get(id: string): PostgresConnection | undefined {
    return this.list().find((c) => c.id === id);
  }

  /** Saves a connection (replacing one with the same URL); no password leaves it to ~/.pgpass, PG* variables or trust. */
  async add(url: string, password: string | undefined): Promise<PostgresConnection> {
    const saved = parseConnectionUrl(url);
    const connection = { id: createHash('sha256').update(saved.url).digest('hex').slice(0, 12), url: saved.url };
    await this.state.update(POSTGRES_CONNECTIONS, [...this.list().filter((c) => c.id !== connection.id), connection]);
    if (password) await this.secrets.store(secretName(connection.id), password);
    else await this.secrets.delete(secretName(connection.id));
    this.changed.fire();
    return connection;
  }

  async remove(id: string): Promise<void> {
    await this.state.update(
      POSTGRES_CONNECTIONS,
      this.list().filter((c) => c.id !== id),
    );
    await this.secrets.delete(secretName(id));
    this.changed.fire();
  }

  /** The URL with its password, for the runtime only (never shown, logged or saved). */
  async runtimeUrl(id: string): Promise<string> {
    const connection = this.get(id);
    if (!connection) throw new Error('this Postgres connection was removed: pick another kernel');
    const password = await this.secrets.get(secretName(id));
    if (!password) return connection.url;
    const url = new URL(connection.url);
    url.password = encodeURIComponent(password);
    return url.toString();
  }

  dispose(): void {
    this.changed.dispose();
  }
}

const secretName = (id: string) => `clerkSql.postgres.${id}`;
