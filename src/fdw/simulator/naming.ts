// How people's identifiers are derived from their names: email local parts, usernames and
// handles, in the shapes real sign-ups have (john.smith, jsmith84, sunnyotter).
import type { Rng } from './prng.js';
import { CONSUMER_DOMAINS, FIRST_NAMES, HANDLE_WORDS, LAST_NAMES } from './vocabulary.js';
import { Weights } from './weights.js';

/** `base`, or the first of `variant(2)`, `variant(3)`, ... that `taken` does not hold. */
export function uniqueName(base: string, taken: { has(name: string): boolean }, variant: (attempt: number) => string): string {
  let name = base;
  for (let attempt = 2; taken.has(name); attempt++) name = variant(attempt);
  return name;
}

const CONSUMER_DOMAIN_PICK = new Weights(CONSUMER_DOMAINS.map(([, weight]) => weight));

/** A consumer mail domain (gmail.com, ...), as often as people use it. */
export function consumerDomain(rng: Rng): string {
  return CONSUMER_DOMAINS[CONSUMER_DOMAIN_PICK.pick(rng)]![0];
}

/** The personal address of someone with a random name, not one `taken` holds (a number is added). */
export function personalEmail(rng: Rng, taken: { has(email: string): boolean }): string {
  const local = emailLocalPart(rng, rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES));
  const domain = consumerDomain(rng);
  return uniqueName(`${local}@${domain}`, taken, (n) => `${local}${n}@${domain}`);
}

const lowerCase = new Map<string, string>();

/** Names come from small word lists: lower-casing each once saves an allocation per use. */
function lower(name: string): string {
  let value = lowerCase.get(name);
  if (value === undefined) {
    value = name.toLowerCase();
    lowerCase.set(name, value);
  }
  return value;
}

export function handle(rng: Rng): string {
  return rng.pick(HANDLE_WORDS) + rng.pick(HANDLE_WORDS);
}

function twoDigits(rng: Rng): string {
  return String(rng.int(100)).padStart(2, '0');
}

export function emailLocalPart(rng: Rng, first: string | null, last: string | null): string {
  if (!first) return handle(rng) + (rng.chance(0.5) ? twoDigits(rng) : '');
  const f = lower(first);
  if (!last) return rng.chance(0.5) ? f + (1960 + rng.int(45)) : f + handle(rng);
  const l = lower(last);
  switch (rng.int(8)) {
    case 0:
    case 1:
      return `${f}.${l}`;
    case 2:
      return `${f}${l}`;
    case 3:
      return `${f[0]}${l}`;
    case 4:
      return `${f}_${l}`;
    case 5:
      return `${f}.${l}${twoDigits(rng)}`;
    case 6:
      return `${f}${1960 + rng.int(45)}`;
    default:
      return `${l}.${f}`;
  }
}

/** A work address: companies use fewer patterns than people choose for themselves. */
export function workLocalPart(rng: Rng, first: string | null, last: string | null): string {
  if (!first) return handle(rng);
  const f = lower(first);
  if (!last) return f;
  const l = lower(last);
  switch (rng.int(4)) {
    case 0:
      return `${f[0]}${l}`;
    case 1:
      return f;
    default:
      return `${f}.${l}`;
  }
}

export function usernameFor(rng: Rng, first: string | null, last: string | null): string {
  const f = first && lower(first);
  const l = last && lower(last);
  if (!f) return handle(rng) + twoDigits(rng);
  switch (rng.int(5)) {
    case 0:
      return l ? `${f}${l}` : `${f}${twoDigits(rng)}`;
    case 1:
      return l ? `${f}_${l}` : `${f}_${handle(rng)}`;
    case 2:
      return `${f}${twoDigits(rng)}`;
    case 3:
      return l ? `${f[0]}${l}${twoDigits(rng)}` : `${f}${rng.int(1000)}`;
    default:
      return `${handle(rng)}${twoDigits(rng)}`;
  }
}

export function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
