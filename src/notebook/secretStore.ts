// The runtime's SecretStore over VS Code's SecretStorage. Keys are named by secretName() only;
// the list of stored names (not the keys) is kept in globalState so "forget all" can find them.
//
// SecretStorage is the OS keyring. Linux without one (no gnome-keyring or KWallet, e.g. a bare
// desktop or a container) makes it throw: the key is then kept in memory until VS Code closes,
// and the user is told once why and what to install, instead of the run failing.
import type * as vscode from 'vscode';
import { secretName, type SecretStore } from '../fdw/runtime/secrets.js';
import type { KeyTarget } from '../fdw/runtime/sqlError.js';
import { STORED_KEY_NAMES } from '../ids.js';
import { DEFAULT_API_URL } from '../fdw/clerk/apiUrl.js';
import { SECRET_KEY } from '../fdw/runtime/serverOptions.js';

export function keyringMessage(error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  return (
    `VS Code could not use the OS keyring to store Clerk keys (${reason}). ` +
    'Keys are kept in memory until VS Code closes and will be asked for again next time. ' +
    'On Linux, install and unlock a keyring (gnome-keyring or KWallet) to keep them.'
  );
}

export class VsCodeSecretStore implements SecretStore {
  /** Keys the keyring could not take, by secretName(). */
  private readonly inMemory = new Map<string, string>();
  private warned = false;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
    private readonly warn: (message: string) => void,
  ) {}

  async get(server: string, origin: string): Promise<string | undefined> {
    const name = secretName(server, origin);
    const kept = this.inMemory.get(name);
    if (kept !== undefined) return kept;
    try {
      return await this.secrets.get(name);
    } catch (error) {
      this.keyringFailed(error);
      return undefined;
    }
  }

  async set(server: string, origin: string, key: string): Promise<void> {
    const name = secretName(server, origin);
    try {
      await this.secrets.store(name, key);
      this.inMemory.delete(name);
    } catch (error) {
      this.keyringFailed(error);
      this.inMemory.set(name, key);
    }
    const list = this.list().filter((k) => !(k.server === server && k.origin === origin));
    await this.state.update(STORED_KEY_NAMES, [...list, { server, origin }]);
  }

  async forget(server: string, origin: string): Promise<boolean> {
    const had = (await this.get(server, origin)) !== undefined;
    await this.remove(secretName(server, origin));
    await this.state.update(
      STORED_KEY_NAMES,
      this.list().filter((k) => !(k.server === server && k.origin === origin)),
    );
    return had;
  }

  async forgetAll(): Promise<number> {
    const list = this.list();
    for (const k of list) await this.remove(secretName(k.server, k.origin));
    await this.state.update(STORED_KEY_NAMES, []);
    return list.length;
  }

  list(): KeyTarget[] {
    return this.state.get<KeyTarget[]>(STORED_KEY_NAMES, []);
  }

  private async remove(name: string): Promise<void> {
    this.inMemory.delete(name);
    try {
      await this.secrets.delete(name);
    } catch (error) {
      this.keyringFailed(error);
    }
  }

  private keyringFailed(error: unknown): void {
    if (this.warned) return;
    this.warned = true;
    this.warn(keyringMessage(error));
  }
}

/** The origin of an api_url as written by a user, or of Clerk's default. */
export function originOf(apiUrl: string | undefined): string {
  return new URL(apiUrl && apiUrl.trim() !== '' ? apiUrl : DEFAULT_API_URL).origin;
}

/** A Clerk secret key as the prompt accepts it. */
export function checkKeyInput(value: string): string | undefined {
  return SECRET_KEY.test(value.trim()) ? undefined : 'A Clerk secret key starts with sk_test_ or sk_live_.';
}
