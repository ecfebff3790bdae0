// Where a server's api_key comes from when the statement does not carry one: VS Code's
// SecretStorage in the extension, the CLERK_API_KEY environment variable in the CLI (as
// clerk_fdw falls back to it). A key is stored for one API origin and handed out only for it,
// so a notebook that points a server elsewhere cannot make the runtime send the key there.

export interface SecretStore {
  /** The key stored for `server` and the API `origin` (e.g. `https://api.clerk.com`), if any. */
  get(server: string, origin: string): Promise<string | undefined>;
}

/** The one way a secret is named: by server and API origin. */
export function secretName(server: string, origin: string): string {
  return `clerk-sql-notebook.api_key/${origin}/${server}`;
}

/** The CLI's store: one key from the environment, for one origin, whatever the server's name. */
export class EnvironmentSecretStore implements SecretStore {
  constructor(
    private readonly key: string | undefined,
    private readonly origin: string,
  ) {}

  async get(_server: string, origin: string): Promise<string | undefined> {
    return origin === this.origin ? this.key : undefined;
  }
}

/** In-memory store (tests, and the simulator demo). */
export class MemorySecretStore implements SecretStore {
  private readonly keys = new Map<string, string>();

  set(server: string, origin: string, key: string): void {
    this.keys.set(secretName(server, origin), key);
  }

  async get(server: string, origin: string): Promise<string | undefined> {
    return this.keys.get(secretName(server, origin));
  }
}
