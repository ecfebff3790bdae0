// Secret keys: the instance has a development key (sk_test_) and a production key (sk_live_),
// both derived from the seed so a restarted simulator accepts the same keys.
import { headerFormatInvalid, keyInvalid } from './errors.js';
import { BASE62 } from './ids.js';
import { Rng, Stream } from './prng.js';

export type KeyType = 'test' | 'live';

export interface SecretKeys {
  test: string;
  live: string;
}

export function secretKeysFor(seed: number): SecretKeys {
  return {
    test: 'sk_test_' + new Rng(seed, Stream.Keys, 0).chars(BASE62, 40),
    live: 'sk_live_' + new Rng(seed, Stream.Keys, 1).chars(BASE62, 40),
  };
}

/** The kind of key a request authenticates with; throws Clerk's 401 otherwise. */
export function authenticate(authorization: string | undefined, keys: SecretKeys): KeyType {
  const match = /^Bearer +(\S+) *$/i.exec(authorization ?? '');
  if (!match) throw headerFormatInvalid();
  if (match[1] === keys.test) return 'test';
  if (match[1] === keys.live) return 'live';
  throw keyInvalid();
}
