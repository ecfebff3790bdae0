// A foreign server's options (api_key, api_url, cache_ttl): what each accepts, and ADD / SET /
// DROP of one option with Postgres's errors. An inline key is kept apart from the options.
import type { DefElem } from 'libpg-query';
import { closestMatch } from '../catalog/suggest.js';
import { optionString } from '../sql/ast.js';
import { apiTarget } from './apiTarget.js';
import type { DdlError, StatementCheck } from './ddlCheck.js';
import type { Server } from './fdwCatalog.js';
import { SQLSTATE } from './sqlError.js';

export const SERVER_OPTIONS = ['api_key', 'api_url', 'cache_ttl'] as const;
export const TABLE_OPTIONS = ['object'] as const;

/** A Clerk secret key: anything else written as api_key is a placeholder. */
export const SECRET_KEY = /^sk_(test|live)_\S+$/;

/** Written in place of a key the extension moved to its secret store (inlineKeys.ts). */
export const KEY_PLACEHOLDER = '<clerk secret key in VS Code SecretStorage>';

export type OptionAction = 'add' | 'set' | 'drop';

/** ADD / SET / DROP of one server option; a problem is reported to `check` and leaves `server` as it was. */
export function applyServerOption(server: Server, option: DefElem, action: OptionAction, check: StatementCheck): void {
  const name = option.defname ?? '';
  if (!(SERVER_OPTIONS as readonly string[]).includes(name)) return check.error(invalidOption(option, SERVER_OPTIONS, check));
  const span = check.token(option.location);
  const present = name === 'api_key' ? server.inlineKey !== undefined || server.options.api_key !== undefined : server.options[name] !== undefined;
  if (action === 'add' && present) return check.error({ code: SQLSTATE.duplicateObject, message: `option "${name}" provided more than once`, span });
  if (action !== 'add' && !present) return check.error({ code: SQLSTATE.undefinedObject, message: `option "${name}" not found`, span });
  if (action === 'drop') {
    if (name === 'api_key') delete server.inlineKey;
    delete server.options[name];
    return;
  }
  const value = stringOption(option, check);
  if (value === undefined) return;
  const valueSpan = check.optionValue(option);
  if (name === 'api_key') return setKey(server, value, valueSpan, check);
  const invalid = name === 'api_url' ? apiUrlProblem(value) : cacheTtlProblem(value);
  if (invalid) return check.error({ code: SQLSTATE.fdwInvalidAttributeValue, ...invalid, span: valueSpan });
  server.options[name] = value;
}

// Documentation writes `api_key '<clerk secret Key>'`: such a value is not sent anywhere; the key
// is looked up in the secret store, as when no api_key is given. The extension's own placeholder
// says so itself.
function setKey(server: Server, value: string, span: DdlError['span'], check: StatementCheck): void {
  if (SECRET_KEY.test(value)) {
    server.inlineKey = value;
    return;
  }
  if (value === KEY_PLACEHOLDER || !span) return;
  const message = `api_key of server "${server.name}" is not a Clerk secret key (sk_test_... or sk_live_...): the key is taken from the secret store`;
  check.notice({ kind: 'api-key-placeholder', message, span });
}

function apiUrlProblem(value: string): { message: string } | undefined {
  try {
    apiTarget(value);
    return undefined;
  } catch (err) {
    return { message: `invalid value for option "api_url": ${(err as Error).message}` };
  }
}

function cacheTtlProblem(value: string): { message: string; hint: string } | undefined {
  if (/^\d+$/.test(value)) return undefined;
  return { message: `invalid value for option "cache_ttl": "${value}"`, hint: "cache_ttl is a number of seconds, e.g. '300'; '0' refetches every time." };
}

/** An option's value, which must be a string literal. */
export function stringOption(option: DefElem, check: StatementCheck): string | undefined {
  const value = optionString(option);
  if (value === undefined) {
    check.error({
      code: SQLSTATE.syntaxError,
      message: `option "${option.defname}" needs a value in quotes`,
      span: check.optionValue(option) ?? check.token(option.location),
    });
  }
  return value;
}

/** An option not valid here, with the likely name when there is one. */
export function invalidOption(option: DefElem, valid: readonly string[], check: StatementCheck): DdlError {
  const suggestion = closestMatch(option.defname ?? '', [...valid]);
  return {
    code: SQLSTATE.fdwInvalidOptionName,
    message: `invalid option "${option.defname}"`,
    hint: `${suggestion ? `Did you mean "${suggestion}"? ` : ''}Valid options in this context are: ${valid.join(', ')}`,
    span: check.token(option.location),
    replacement: suggestion,
  };
}
