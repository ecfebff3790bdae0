// The example notebook as "Try with the Built-in Simulator" writes it: the same notebook, its
// server reading `api_url 'simulator:...'` instead of asking for a key, so the copy the user keeps
// works after save, reload and on another machine.

/** The placeholder the example's one CREATE SERVER carries (the seed's DDL, unchanged). */
const KEY_OPTION = "api_key '<clerk secret Key>'";
const INTRO_END = '-- %% Create the foreign data wrapper\n';

export function simulatorExample(example: string, apiUrl: string): string {
  if (example.split(KEY_OPTION).length !== 2 || example.split(INTRO_END).length !== 2) {
    throw new Error(`the example notebook no longer has one ${KEY_OPTION} and one "${INTRO_END.trim()}" cell`);
  }
  const note = [
    '-- %% [markdown]',
    `-- This copy reads the **built-in Clerk simulator** (\`api_url '${apiUrl}'\`): generated users,`,
    '-- organizations and memberships, no Clerk account and no key. To query your own instance, write',
    `-- \`${KEY_OPTION}\` in place of the api_url option: the key is then asked for once and kept in`,
    "-- VS Code's secret storage.",
    '',
  ].join('\n');
  return example.replace(KEY_OPTION, `api_url '${apiUrl}'`).replace(INTRO_END, note + INTRO_END);
}

/** `simulator:?users=10000&seed=1` */
export function simulatorUrl(options: { users?: number; seed?: number; latencyMs?: number }): string {
  const params = new URLSearchParams({ users: String(options.users ?? 10_000), seed: String(options.seed ?? 1) });
  if (options.latencyMs) params.set('latency_ms', String(options.latencyMs));
  return `simulator:?${params}`;
}
