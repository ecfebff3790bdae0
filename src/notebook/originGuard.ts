// A key is stored for one API origin and handed out only for it (secretName). This guards the
// other way in: a notebook (perhaps someone else's) whose server points at an API other than
// Clerk's sends no request there, and asks for no key for it, until the user has confirmed that
// origin. The runtime asks the store for a key right before its first request to an origin, so
// that is where the confirmation sits.
import { DEFAULT_API_URL } from '../fdw/clerk/apiUrl.js';
import type { SecretStore } from '../fdw/runtime/secrets.js';
import { SQLSTATE, SqlError } from '../fdw/runtime/sqlError.js';

export type OriginAnswer = 'once' | 'always' | undefined;

export interface OriginPolicy {
  /** Origins the user allowed for good (an application-scoped setting: a workspace cannot add to it). */
  allowed(): readonly string[];
  /** Asks the user; undefined = declined. */
  confirm(server: string, origin: string): Promise<OriginAnswer>;
  remember(origin: string): Promise<void>;
}

export const CLERK_ORIGIN = new URL(DEFAULT_API_URL).origin;

export class OriginGuard implements SecretStore {
  /** Origins allowed until VS Code closes, and confirmations in flight (one dialog per origin). */
  private readonly allowedNow = new Set<string>([CLERK_ORIGIN]);
  private readonly asking = new Map<string, Promise<OriginAnswer>>();

  constructor(
    private readonly inner: SecretStore,
    private readonly policy: OriginPolicy,
  ) {}

  async get(server: string, origin: string): Promise<string | undefined> {
    if (!this.allowedNow.has(origin) && !this.policy.allowed().includes(origin)) await this.confirm(server, origin);
    return this.inner.get(server, origin);
  }

  private async confirm(server: string, origin: string): Promise<void> {
    let pending = this.asking.get(origin);
    if (!pending) {
      pending = this.ask(server, origin);
      this.asking.set(origin, pending);
      void pending.finally(() => this.asking.delete(origin)).catch(() => undefined);
    }
    if ((await pending) === undefined) {
      throw new SqlError({
        code: SQLSTATE.fdwUnableToEstablishConnection,
        message: `requests of server "${server}" to ${origin} were not allowed`,
        hint: `Its api_url is not Clerk's API (${CLERK_ORIGIN}). Run the cell again and allow it if you trust that address.`,
      });
    }
  }

  private async ask(server: string, origin: string): Promise<OriginAnswer> {
    // A dialog that cannot be shown counts as declined: no request without a yes.
    const answer = await this.policy.confirm(server, origin).catch(() => undefined);
    if (answer !== undefined) this.allowedNow.add(origin);
    if (answer === 'always') await this.policy.remember(origin);
    return answer;
  }
}
