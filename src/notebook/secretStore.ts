// The runtime's SecretStore over VS Code's SecretStorage. Keys are named by secretName() only;
// the list of stored names (not the keys) is kept in globalState so "forget all" can find them.
import * as vscode from 'vscode';
import { secretName, type SecretStore } from '../fdw/runtime/secrets.js';
import { DEFAULT_API_URL } from '../fdw/clerk/apiUrl.js';
import { SECRET_KEY } from '../fdw/runtime/fdwCatalog.js';

const INDEX_KEY = 'clerkSql.storedKeyNames';

export interface StoredKey {
  server: string;
  origin: string;
}

export class VsCodeSecretStore implements SecretStore {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
  ) {}

  get(server: string, origin: string): Promise<string | undefined> {
    return Promise.resolve(this.secrets.get(secretName(server, origin)));
  }

  async set(server: string, origin: string, key: string): Promise<void> {
    await this.secrets.store(secretName(server, origin), key);
    const list = this.list().filter((k) => !(k.server === server && k.origin === origin));
    await this.state.update(INDEX_KEY, [...list, { server, origin }]);
  }

  async forget(server: string, origin: string): Promise<boolean> {
    const had = (await this.get(server, origin)) !== undefined;
    await this.secrets.delete(secretName(server, origin));
    await this.state.update(INDEX_KEY, this.list().filter((k) => !(k.server === server && k.origin === origin)));
    return had;
  }

  async forgetAll(): Promise<number> {
    const list = this.list();
    for (const k of list) await this.secrets.delete(secretName(k.server, k.origin));
    await this.state.update(INDEX_KEY, []);
    return list.length;
  }

  list(): StoredKey[] {
    return this.state.get<StoredKey[]>(INDEX_KEY, []);
  }
}

/** The origin of an api_url as written by a user, or of Clerk's default. */
export function originOf(apiUrl: string | undefined): string {
  return new URL(apiUrl && apiUrl.trim() !== '' ? apiUrl : DEFAULT_API_URL).origin;
}

/** server and origin of the runtime's "no api_key for server "X" (ORIGIN)" error. */
export function missingKeyOf(message: string): StoredKey | undefined {
  const m = /^no api_key for server "(.*)" \((https?:\/\/[^)\s]+)\)$/.exec(message);
  return m ? { server: m[1]!, origin: m[2]! } : undefined;
}

/** A Clerk secret key as the prompt accepts it. */
export function checkKeyInput(value: string): string | undefined {
  return SECRET_KEY.test(value.trim()) ? undefined : 'A Clerk secret key starts with sk_test_ or sk_live_.';
}
