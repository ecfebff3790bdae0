// The metadata apps keep on Clerk objects: plans and roles (public), billing and CRM ids
// (private), onboarding answers and preferences (unsafe, written by the frontend). Real apps
// store this much and more; it is a good part of a real user's JSON size.
import { BASE62 } from './ids.js';
import type { Rng } from './prng.js';
import { DAY_MS } from './timeline.js';
import {
  APP_ROLES,
  COUNTRIES,
  FEATURE_FLAGS,
  INDUSTRIES,
  PLANS,
  REFERRAL_SOURCES,
  SUBSCRIPTION_STATUSES,
  TEAM_SIZES,
  THEMES,
  USE_CASES,
} from './vocabulary.js';

type Json = Record<string, unknown>;

function someOf<T>(rng: Rng, items: readonly T[], max: number): T[] {
  const out: T[] = [];
  for (let n = rng.int(max + 1); n > 0; n--) {
    const item = rng.pick(items);
    if (!out.includes(item)) out.push(item);
  }
  return out;
}

function subscription(rng: Rng, plan: string, since: number, now: number): Json {
  const status = rng.pick(SUBSCRIPTION_STATUSES);
  return {
    id: 'sub_' + rng.chars(BASE62, 24),
    price_id: `price_${plan}_${rng.chance(0.7) ? 'monthly' : 'yearly'}`,
    status,
    current_period_end: now + rng.int(30) * DAY_MS,
    started_at: Math.round(since + (now - since) * rng.next()),
    cancel_at_period_end: status === 'canceled' || rng.chance(0.05),
  };
}

export function userMetadata(rng: Rng, createdAt: number, now: number): { public: Json; private: Json | null; unsafe: Json } {
  const plan = rng.pick(PLANS);
  const pub: Json = {};
  if (rng.chance(0.85)) {
    pub.plan = plan;
    pub.role = rng.pick(APP_ROLES);
    pub.onboarding = rng.chance(0.8)
      ? { completed: true, completed_at: Math.round(createdAt + rng.exponential(DAY_MS)), version: 2 + rng.int(3) }
      : { completed: false, step: 1 + rng.int(4), version: 2 + rng.int(3) };
    const flags = someOf(rng, FEATURE_FLAGS, 3);
    if (flags.length > 0) pub.feature_flags = flags;
    if (rng.chance(0.5)) pub.app_version = `${1 + rng.int(4)}.${rng.int(20)}.${rng.int(10)}`;
    if (rng.chance(0.7)) pub.workspace = { default_project_id: 'prj_' + rng.chars(BASE62, 16), seats_used: 1 + rng.int(40) };
  }
  let priv: Json | null = null;
  if (rng.chance(0.9)) {
    priv = {};
    if (plan !== 'free' && rng.chance(0.85)) {
      priv.stripe_customer_id = 'cus_' + rng.chars(BASE62, 14);
      priv.subscription = subscription(rng, plan, createdAt, now);
      priv.billing_country = rng.pick(COUNTRIES);
    }
    if (rng.chance(0.35)) priv.hubspot_contact_id = String(100_000_000 + rng.int(900_000_000));
    if (rng.chance(0.3)) priv.internal_user_id = rng.chars('0123456789abcdef', 24);
    if (rng.chance(0.1)) priv.support_notes = 'Asked about SSO and data export; follow up after renewal.';
  }
  const unsafe: Json = {};
  if (rng.chance(0.8)) {
    unsafe.preferences = { theme: rng.pick(THEMES), email_digest: rng.pick(['daily', 'weekly', 'never']), timezone_offset_minutes: 60 * (rng.int(25) - 12) };
    unsafe.signup = {
      referral_source: rng.pick(REFERRAL_SOURCES),
      team_size: rng.pick(TEAM_SIZES),
      use_cases: someOf(rng, USE_CASES, 3),
      utm_campaign: rng.chance(0.3) ? `spring_launch_${2022 + rng.int(4)}` : null,
      landing_page: rng.pick(['/', '/pricing', '/docs/getting-started', '/blog/announcing-teams', '/templates']),
    };
  }
  return { public: pub, private: priv, unsafe };
}

export function organizationMetadata(rng: Rng, createdAt: number, now: number): { public: Json; private: Json } {
  const plan = rng.pick(PLANS);
  const pub: Json = rng.chance(0.7) ? { plan, industry: rng.pick(INDUSTRIES) } : {};
  const priv: Json = {};
  if (plan !== 'free' && rng.chance(0.8)) {
    priv.stripe_customer_id = 'cus_' + rng.chars(BASE62, 14);
    priv.subscription = subscription(rng, plan, createdAt, now);
  }
  return { public: pub, private: priv };
}
