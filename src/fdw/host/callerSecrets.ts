// The runtime worker's SecretStore: keys stay in the caller's store (VS Code's SecretStorage lives
// on the extension host's thread), and the worker asks for one by message when a statement needs it.
import type { SecretStore } from '../runtime/secrets.js';
import { errorFrom, type FromWorker, type ToWorker } from './protocol.js';

interface Waiting {
  resolve(key: string | undefined): void;
  reject(error: Error): void;
}

export class CallerSecrets implements SecretStore {
  #nextId = 1;
  readonly #waiting = new Map<number, Waiting>();

  constructor(private readonly post: (message: FromWorker) => void) {}

  get(server: string, origin: string): Promise<string | undefined> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      this.post({ kind: 'secret', id, server, origin });
    });
  }

  /** The caller's answer to a request. */
  answer(message: Extract<ToWorker, { kind: 'secret' | 'secretFailed' }>): void {
    const waiting = this.#waiting.get(message.id);
    this.#waiting.delete(message.id);
    if (message.kind === 'secret') waiting?.resolve(message.key);
    else waiting?.reject(errorFrom(message.error));
  }
}
