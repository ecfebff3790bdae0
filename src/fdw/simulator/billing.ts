// Clerk Billing (`GET /billing/plans`, `/billing/subscription_items`, `/billing/statements`).
// Billing was switched on BILLING_DAYS before "now" with the plans of PLANS. Payers: about a third
// of the users who signed in since then, and most organizations. A payer's history is a chain of
// subscription items, each ending where the next begins: often a free plan first, then an upgrade
// (with a free trial, for some, the first time they pay), now and then a switch between paid
// plans. The last item is current: active and renewing; canceled (it runs to its period's end);
// ended after a cancellation (the payer is back on the free plan, as Clerk does); past due (its
// latest renewal failed, within PAST_DUE_DAYS); or canceled for a downgrade that is `upcoming` at
// the period's end. Each paid period (a month, or a year for annual items) is charged once when
// it begins, without proration, and has its statement: open while the period runs, closed after.
// Event times lie between the payer's first subscription and "now"; period ends, next payment
// dates and an upcoming item's start may be later.
import type { BillingPlan, BillingStatement, BillingSubscriptionItem, Money } from '../clerk/schemas.js';
import { paramValueInvalid } from './errors.js';
import { BASE62, clerkId } from './ids.js';
import type { Instance } from './instance.js';
import type { OrganizationTable } from './organizations.js';
import { boolean, paging, text } from './params.js';
import { Rng, Stream } from './prng.js';
import { DAY_MS } from './timeline.js';
import type { UserTable } from './users.js';
import { Weights } from './weights.js';

type Json = Record<string, unknown>;
type Payer = NonNullable<BillingSubscriptionItem['payer']>;
type PayerType = 'user' | 'org';
interface List<T> {
  data: T[];
  total_count: number;
}

const BILLING_DAYS = 540;
const PAST_DUE_DAYS = 14;
/** Share of the users active since billing began who have subscription items (free ones included), and of organizations. */
const USER_PAYERS = 0.35;
const ORG_PAYERS = 0.8;
/** Plans a payer went through, at most (the current one's outcome may add a free fallback or an upcoming item). */
const MAX_CHAIN = 3;

const FEATURES = [
  ['dashboard', 'Dashboard', 'The analytics dashboard.'],
  ['unlimited_projects', 'Unlimited projects', 'No limit on the number of projects.'],
  ['priority_support', 'Priority support', 'Answers within one business day.'],
  ['team_members', 'Team members', 'Invite colleagues to your workspace.'],
  ['sso', 'SAML SSO', 'Sign in through your identity provider.'],
  ['audit_logs', 'Audit logs', 'Every change, who made it and when.'],
] as const;
type FeatureSlug = (typeof FEATURES)[number][0];

/** Fees in cents; no annual price: null. The first plan of each payer type is its free default. */
const PLANS: readonly {
  slug: string;
  name: string;
  payerType: PayerType;
  monthly: number;
  annualMonthly: number | null;
  trialDays: number | null;
  description: string;
  features: readonly FeatureSlug[];
}[] = [
  {
    slug: 'free',
    name: 'Free',
    payerType: 'user',
    monthly: 0,
    annualMonthly: 0,
    trialDays: null,
    description: 'For personal projects.',
    features: ['dashboard'],
  },
  {
    slug: 'pro',
    name: 'Pro',
    payerType: 'user',
    monthly: 2000,
    annualMonthly: 1600,
    trialDays: 14,
    description: 'For professionals.',
    features: ['dashboard', 'unlimited_projects', 'priority_support'],
  },
  {
    slug: 'free_org',
    name: 'Free',
    payerType: 'org',
    monthly: 0,
    annualMonthly: 0,
    trialDays: null,
    description: 'For small teams getting started.',
    features: ['dashboard', 'team_members'],
  },
  {
    slug: 'business',
    name: 'Business',
    payerType: 'org',
    monthly: 9900,
    annualMonthly: 7900,
    trialDays: 14,
    description: 'For growing teams.',
    features: ['dashboard', 'team_members', 'unlimited_projects', 'priority_support'],
  },
  {
    slug: 'enterprise',
    name: 'Enterprise',
    payerType: 'org',
    monthly: 49900,
    annualMonthly: null,
    trialDays: null,
    description: 'For organizations with security and compliance needs.',
    features: ['dashboard', 'team_members', 'unlimited_projects', 'priority_support', 'sso', 'audit_logs'],
  },
];
const PAYER_TYPES: readonly PayerType[] = ['user', 'org'];
/** Plan indexes of each payer type: its free default, then its paid plans from the cheapest. */
const OFFERS = Object.fromEntries(PAYER_TYPES.map((type) => [type, PLANS.flatMap((spec, p) => (spec.payerType === type ? [p] : []))])) as Record<
  PayerType,
  [number, ...number[]]
>;

/** The statuses generated (the spec allows expired, incomplete and abandoned too). */
type ItemStatus = 'active' | 'canceled' | 'ended' | 'past_due' | 'upcoming';
/**
 * The `status` filter (the spec's enum) over the items: `active` is every item in service, a
 * canceled one included (it runs to its period's end); `free_trial` every item that is, or ended
 * as, a free trial (`is_free_trial`), whatever its status; the others are the status itself.
 */
const STATUS_FILTERS = {
  active: (status: ItemStatus) => status === 'active' || status === 'canceled',
  ended: (status: ItemStatus) => status === 'ended',
  past_due: (status: ItemStatus) => status === 'past_due',
  upcoming: (status: ItemStatus) => status === 'upcoming',
  free_trial: (_: ItemStatus, freeTrial: boolean) => freeTrial,
} as const;

const OUTCOMES = ['renews', 'canceled', 'lapsed', 'past_due', 'downgrade'] as const;
const OUTCOME_PICK = new Weights([56, 10, 12, 14, 8]);
const CARD_TYPES = ['visa', 'visa', 'mastercard', 'amex'] as const;

function money(cents: number): Money {
  return { amount: cents, amount_formatted: (cents / 100).toFixed(2), currency: 'USD', currency_symbol: '$' };
}

/** Rows by time, newest first (a later row first on a tie). */
function newestFirst(times: readonly number[]): Int32Array {
  return Int32Array.from(times.keys()).sort((a, b) => times[b]! - times[a]! || b - a);
}

interface Periods {
  /** Charges: when each paid period began. */
  starts: number[];
  /** The last period (the trial when none is paid yet). */
  periodStart: number;
  periodEnd: number;
  inTrial: boolean;
}

/** The periods of a paid item that begin before `until`: its trial (`start` to `trialEnd`, not charged), then months or years. */
function periodsOf(start: number, trialEnd: number, annual: boolean, until: number): Periods {
  const step = annual ? 12 : 1;
  // Calendar periods: each begins on the anchor's day of the month (the month's last when it has no such day), at its time of day.
  const anchor = new Date(trialEnd);
  const [year, month, day] = [anchor.getUTCFullYear(), anchor.getUTCMonth(), anchor.getUTCDate()];
  const periodStart = (k: number): number => {
    const m = month + k * step;
    const last = day > 28 ? new Date(Date.UTC(year, m + 1, 0)).getUTCDate() : day;
    return Date.UTC(year, m, Math.min(day, last)) + (trialEnd % DAY_MS);
  };
  const starts: number[] = [];
  for (let t = trialEnd; t < until; t = periodStart(starts.length)) starts.push(t);
  const inTrial = starts.length === 0;
  return { starts, inTrial, periodStart: inTrial ? start : starts[starts.length - 1]!, periodEnd: inTrial ? trialEnd : periodStart(starts.length) };
}

interface Item {
  plan: number;
  annual: boolean;
  status: ItemStatus;
  freeTrial: boolean;
  createdAt: number;
  updatedAt: number;
  periodStart: number;
  /** NaN: none (a free item, an upcoming one). */
  periodEnd: number;
  canceledAt: number;
  pastDueAt: number;
  endedAt: number;
}

/** An item of `plan` from `createdAt` (also its last update), its other fields empty. */
function newItem(plan: number, status: ItemStatus, createdAt: number, periodStart: number, periodEnd = NaN): Item {
  return {
    plan,
    annual: false,
    status,
    freeTrial: false,
    createdAt,
    updatedAt: createdAt,
    periodStart,
    periodEnd,
    canceledAt: NaN,
    pastDueAt: NaN,
    endedAt: NaN,
  };
}

/** Canceled at `at`: the item runs to its period's end. */
function cancel(item: Item, at: number): void {
  item.status = 'canceled';
  item.canceledAt = item.updatedAt = at;
}

/** Ended at `at`, its period cut there. */
function end(item: Item, at: number): void {
  item.status = 'ended';
  item.endedAt = item.periodEnd = item.updatedAt = at;
}

/** Mostly the first paid plan (Pro, Business), some the top one (Enterprise). */
function pickPaid(rng: Rng, paid: readonly number[]): number {
  return rng.chance(0.7) ? paid[0]! : paid[paid.length - 1]!;
}

export class BillingTables {
  private readonly catalog: BillingPlan[];
  private readonly priceId: string[];
  private readonly payee: Json;
  private readonly planOrder: Int32Array;
  /** Payers: a user's or an organization's row. */
  private readonly payers = { id: [] as string[], isOrg: [] as boolean[], row: [] as number[], createdAt: [] as number[] };
  /** Subscription items, as Item (of their columns) plus the id, payer and paid periods (for lifetime_paid). */
  private readonly items = {
    id: [] as string[],
    payer: [] as number[],
    plan: [] as number[],
    annual: [] as boolean[],
    status: [] as ItemStatus[],
    freeTrial: [] as boolean[],
    createdAt: [] as number[],
    updatedAt: [] as number[],
    periodStart: [] as number[],
    periodEnd: [] as number[],
    canceledAt: [] as number[],
    pastDueAt: [] as number[],
    endedAt: [] as number[],
    paidPeriods: [] as number[],
  };
  private readonly itemOrder: Int32Array;
  /** Statements: one per charged period of an item; ids and payment details come from the statement's own stream. */
  private readonly statementRows = { item: [] as number[], start: [] as number[], end: [] as number[], paid: [] as boolean[], first: [] as boolean[] };
  private readonly statementOrder: Int32Array;

  constructor(
    private readonly instance: Instance,
    private readonly users: UserTable,
    private readonly orgs: OrganizationTable,
  ) {
    const { seed, now } = instance;
    const billingStart = now - BILLING_DAYS * DAY_MS;
    const rng = new Rng(seed, Stream.Billing, -1);
    const productId = clerkId('prod_', billingStart, rng);
    const features = FEATURES.map(([slug, name, description]) => ({
      object: 'feature',
      id: clerkId('cfeat_', billingStart, rng),
      name,
      description,
      slug,
      avatar_url: null,
    }));
    // The plans were made one after the other as billing was set up; the list shows the newest first.
    const planCreatedAt = PLANS.map((_, p) => billingStart + p * 60_000);
    this.catalog = PLANS.map((spec, p) => ({
      object: 'commerce_plan',
      id: clerkId('cplan_', planCreatedAt[p]!, rng),
      name: spec.name,
      fee: money(spec.monthly),
      annual_monthly_fee: spec.annualMonthly === null ? null : money(spec.annualMonthly),
      annual_fee: spec.annualMonthly === null ? null : money(spec.annualMonthly * 12),
      description: spec.description,
      product_id: productId,
      is_default: spec.monthly === 0,
      is_recurring: true,
      publicly_visible: true,
      has_base_fee: spec.monthly > 0,
      for_payer_type: spec.payerType,
      slug: spec.slug,
      avatar_url: null,
      features: features.filter((f) => (spec.features as readonly string[]).includes(f.slug)),
      free_trial_enabled: spec.trialDays !== null,
      free_trial_days: spec.trialDays,
    }));
    this.priceId = planCreatedAt.map((t) => clerkId('cprice_', t, rng));
    this.planOrder = newestFirst(planCreatedAt);
    this.payee = {
      object: 'commerce_payee',
      id: clerkId('cpayee_', billingStart, rng),
      gateway_type: 'stripe',
      gateway_external_id: `acct_${rng.chars(BASE62, 16)}`,
    };

    for (let u = 0; u < users.size; u++) {
      const payerRng = new Rng(seed, Stream.Billing, u, 0);
      // Users subscribe while they use the app: between sign-up (or billing's start) and their last visit.
      const from = Math.max(users.createdAt[u]!, billingStart);
      const lastSeen = Math.min(now, Math.max(users.lastSignInAt[u]!, users.lastActiveAt[u]!));
      if (!(lastSeen > from) || !payerRng.chance(USER_PAYERS)) continue;
      this.addPayer(payerRng, false, u, Math.round(from + (lastSeen - from) * payerRng.next()));
    }
    for (let o = 0; o < orgs.size; o++) {
      const payerRng = new Rng(seed, Stream.Billing, o, 1);
      const first = Math.round(Math.max(orgs.createdAt[o]!, billingStart) + payerRng.exponential(20 * DAY_MS));
      if (first >= now || !payerRng.chance(ORG_PAYERS)) continue;
      this.addPayer(payerRng, true, o, first);
    }
    this.itemOrder = newestFirst(this.items.createdAt);
    this.statementOrder = newestFirst(this.statementRows.start);
  }

  private addPayer(rng: Rng, isOrg: boolean, row: number, first: number): void {
    const { now } = this.instance;
    const payer = this.payers.id.length;
    this.payers.id.push(clerkId('cpayer_', first, rng));
    this.payers.isOrg.push(isOrg);
    this.payers.row.push(row);
    this.payers.createdAt.push(first);
    const [free, ...paid] = OFFERS[isOrg ? 'org' : 'user'];

    let plan = rng.chance(isOrg ? 0.35 : 0.6) ? free : pickPaid(rng, paid);
    let start = first;
    let trialUsed = false;
    for (let n = 1; ; n++) {
      const spec = PLANS[plan]!;
      const isPaid = spec.monthly > 0;
      const annual = isPaid && spec.annualMonthly !== null && rng.chance(0.3);
      // One free trial per payer, on its first paid plan.
      const trialEnd = isPaid && spec.trialDays !== null && !trialUsed && rng.chance(0.5) ? start + spec.trialDays * DAY_MS : start;
      trialUsed ||= isPaid;
      const others = paid.filter((p) => p !== plan);
      const switchAt = Math.round(start + (now - start) * rng.next());
      if (n < MAX_CHAIN && others.length > 0 && rng.chance(isPaid ? 0.15 : 0.45) && switchAt < now - DAY_MS) {
        // An upgrade or a switch, at once: this item ends as the next begins.
        const periods = isPaid ? periodsOf(start, trialEnd, annual, switchAt) : undefined;
        const switched = newItem(plan, 'ended', start, periods?.periodStart ?? start);
        switched.annual = annual;
        switched.freeTrial = periods?.inTrial ?? false;
        end(switched, switchAt);
        this.addItem(rng, payer, switched, periods?.starts ?? []);
        plan = isPaid ? others[rng.int(others.length)]! : pickPaid(rng, paid);
        start = switchAt;
        continue;
      }
      if (!isPaid) {
        this.addItem(rng, payer, newItem(free, 'active', start, start), []);
        return;
      }
      const periods = periodsOf(start, trialEnd, annual, now);
      const current = newItem(plan, 'active', start, periods.periodStart, periods.periodEnd);
      current.annual = annual;
      current.freeTrial = periods.inTrial;
      current.updatedAt = periods.starts[periods.starts.length - 1] ?? start;
      let charges = periods.starts;
      let lastFailed = false;
      let next: Item | undefined;
      const canceledAt = Math.round(periods.periodStart + (now - periods.periodStart) * rng.next());
      switch (OUTCOMES[OUTCOME_PICK.pick(rng)]!) {
        case 'renews':
          break;
        case 'canceled':
          cancel(current, canceledAt);
          break;
        case 'lapsed': {
          // Canceled at some point: the item ended with that period (the payer is back on the free plan), or ends with the current one.
          const at = Math.round(start + (now - start) * rng.next());
          const lapsed = periodsOf(start, trialEnd, annual, at + 1);
          cancel(current, at);
          if (lapsed.periodEnd < now) {
            current.freeTrial = lapsed.inTrial;
            current.periodStart = lapsed.periodStart;
            end(current, lapsed.periodEnd);
            charges = lapsed.starts;
            next = newItem(free, 'active', lapsed.periodEnd, lapsed.periodEnd);
          }
          break;
        }
        case 'past_due':
          // The latest renewal failed (the first charge, at checkout, went through), lately.
          if (periods.inTrial || periods.starts.length < 2 || periods.periodStart <= now - PAST_DUE_DAYS * DAY_MS) break;
          current.status = 'past_due';
          current.pastDueAt = current.updatedAt = periods.periodStart;
          lastFailed = true;
          break;
        case 'downgrade':
          // To the next plan down (the free one from the lowest paid), from the end of the period.
          cancel(current, canceledAt);
          next = newItem(plan === paid[0] ? free : paid[paid.indexOf(plan) - 1]!, 'upcoming', canceledAt, periods.periodEnd);
          break;
      }
      this.addItem(rng, payer, current, charges, lastFailed);
      if (next) this.addItem(rng, payer, next, []);
      return;
    }
  }

  /** Item `item` of `payer`, charged at `charges` (the last one failed: `lastFailed`). */
  private addItem(rng: Rng, payer: number, item: Item, charges: readonly number[], lastFailed = false): void {
    const { items, statementRows: statements } = this;
    const r = items.id.length;
    items.id.push(clerkId('csubi_', item.createdAt, rng));
    items.payer.push(payer);
    items.plan.push(item.plan);
    items.annual.push(item.annual);
    items.status.push(item.status);
    items.freeTrial.push(item.freeTrial);
    items.createdAt.push(item.createdAt);
    items.updatedAt.push(item.updatedAt);
    items.periodStart.push(item.periodStart);
    items.periodEnd.push(item.periodEnd);
    items.canceledAt.push(item.canceledAt);
    items.pastDueAt.push(item.pastDueAt);
    items.endedAt.push(item.endedAt);
    items.paidPeriods.push(charges.length - (lastFailed ? 1 : 0));
    charges.forEach((start, k) => {
      statements.item.push(r);
      statements.start.push(start);
      // A period ends where the next begins; the last where the item's does.
      statements.end.push(charges[k + 1] ?? item.periodEnd);
      statements.paid.push(!(lastFailed && k === charges.length - 1));
      statements.first.push(k === 0);
    });
  }

  private live(payer: number): boolean {
    const row = this.payers.row[payer]!;
    return this.payers.isOrg[payer] ? !this.orgs.deleted[row] : !this.users.deleted[row];
  }

  /** A page of `ordering` (rows `keep` accepts) in Clerk's envelope. */
  private page<T>(ordering: Int32Array, keep: (row: number) => boolean, query: URLSearchParams, build: (row: number) => T): List<T> {
    // Checked only: these lists are paged either way.
    boolean(query, 'paginated');
    const { limit, offset } = paging(query);
    const data: T[] = [];
    let total = 0;
    for (const row of ordering) {
      if (!keep(row)) continue;
      if (total >= offset && total < offset + limit) data.push(build(row));
      total++;
    }
    return { data, total_count: total };
  }

  private payerType(query: URLSearchParams): PayerType | undefined {
    const value = text(query, 'payer_type');
    const type = PAYER_TYPES.find((t) => t === value);
    if (value !== undefined && type === undefined) throw paramValueInvalid('payer_type', value);
    return type;
  }

  /** `GET /billing/plans`, by `payer_type`. */
  plans(query: URLSearchParams): List<BillingPlan> {
    const type = this.payerType(query);
    return this.page(
      this.planOrder,
      (p) => type === undefined || PLANS[p]!.payerType === type,
      query,
      (p) => this.catalog[p]!,
    );
  }

  /**
   * `GET /billing/subscription_items`: by `status` (STATUS_FILTERS), `payer_type`, `plan_id`,
   * `query` (the item's, payer's, user's or organization's id exactly; part of the payer's email,
   * name or organization name), and free-plan items only with `include_free=true` (Clerk's
   * default leaves them out), each filter narrowing the others.
   */
  subscriptionItems(query: URLSearchParams): List<BillingSubscriptionItem> {
    const { items } = this;
    const predicates: ((r: number) => boolean)[] = [(r) => this.live(items.payer[r]!)];
    const status = text(query, 'status');
    if (status !== undefined) {
      if (!Object.hasOwn(STATUS_FILTERS, status)) throw paramValueInvalid('status', status);
      const matches = STATUS_FILTERS[status as keyof typeof STATUS_FILTERS];
      predicates.push((r) => matches(items.status[r]!, items.freeTrial[r]!));
    }
    const type = this.payerType(query);
    if (type !== undefined) predicates.push((r) => this.payers.isOrg[items.payer[r]!] === (type === 'org'));
    const planId = text(query, 'plan_id');
    if (planId !== undefined) predicates.push((r) => this.catalog[items.plan[r]!]!.id === planId);
    if (!(boolean(query, 'include_free') ?? false)) predicates.push((r) => PLANS[items.plan[r]!]!.monthly > 0);
    const q = text(query, 'query');
    if (q !== undefined) {
      const needle = q.toLowerCase();
      predicates.push((r) => items.id[r] === q || this.payerMatches(items.payer[r]!, q, needle));
    }
    return this.page(
      this.itemOrder,
      (r) => predicates.every((p) => p(r)),
      query,
      (r) => this.buildItem(r),
    );
  }

  private payerMatches(payer: number, id: string, needle: string): boolean {
    const row = this.payers.row[payer]!;
    if (this.payers.id[payer] === id) return true;
    if (this.payers.isOrg[payer]) return this.orgs.id[row] === id || this.orgs.name[row]!.toLowerCase().includes(needle);
    const { users } = this;
    const name = [users.firstName[row], users.lastName[row]].filter((part) => part).join(' ');
    return users.id[row] === id || (users.primaryEmailOf(row) ?? '').includes(needle) || name.toLowerCase().includes(needle);
  }

  /** `GET /billing/statements`. */
  statements(query: URLSearchParams): List<BillingStatement> {
    const { items, statementRows } = this;
    return this.page(
      this.statementOrder,
      (s) => this.live(items.payer[statementRows.item[s]!]!),
      query,
      (s) => this.buildStatement(s),
    );
  }

  /** Every plan, newest first (the list's order). */
  allPlans(): BillingPlan[] {
    return Array.from(this.planOrder, (p) => this.catalog[p]!);
  }

  /** Every subscription item of a live payer, free ones included, newest first (the list's order). */
  allSubscriptionItems(): BillingSubscriptionItem[] {
    return Array.from(this.itemOrder)
      .filter((r) => this.live(this.items.payer[r]!))
      .map((r) => this.buildItem(r));
  }

  /** Every statement of a live payer, newest first (the list's order). */
  allStatements(): BillingStatement[] {
    return Array.from(this.statementOrder)
      .filter((s) => this.live(this.items.payer[this.statementRows.item[s]!]!))
      .map((s) => this.buildStatement(s));
  }

  /** What one period of item r costs. */
  private periodFee(r: number): number {
    const spec = PLANS[this.items.plan[r]!]!;
    return this.items.annual[r] ? spec.annualMonthly! * 12 : spec.monthly;
  }

  private payer(payer: number): Payer {
    const row = this.payers.row[payer]!;
    const createdAt = this.payers.createdAt[payer]!;
    const common = {
      object: 'commerce_payer',
      id: this.payers.id[payer]!,
      instance_id: this.instance.instanceId,
      created_at: createdAt,
      updated_at: createdAt,
    };
    if (this.payers.isOrg[payer]) {
      return {
        ...common,
        user_id: null,
        first_name: null,
        last_name: null,
        email: null,
        organization_id: this.orgs.id[row]!,
        organization_name: this.orgs.name[row]!,
      };
    }
    const { users } = this;
    return {
      ...common,
      user_id: users.id[row]!,
      first_name: users.firstName[row] ?? null,
      last_name: users.lastName[row] ?? null,
      email: users.primaryEmailOf(row),
      organization_id: null,
      organization_name: null,
    };
  }

  /** The card the payer pays with, from the payer's own stream. */
  private paymentMethod(payer: number): Json {
    const rng = new Rng(this.instance.seed, Stream.Billing, payer, 3);
    const createdAt = this.payers.createdAt[payer]!;
    return {
      object: 'commerce_payment_method',
      id: clerkId('cpm_', createdAt, rng),
      payer_id: this.payers.id[payer]!,
      payment_type: 'card',
      is_default: true,
      gateway: 'stripe',
      gateway_external_id: `pm_${rng.chars(BASE62, 24)}`,
      gateway_external_account_id: null,
      last4: String(rng.int(10_000)).padStart(4, '0'),
      status: 'active',
      wallet_type: null,
      card_type: rng.pick(CARD_TYPES),
      expiry_year: new Date(createdAt).getUTCFullYear() + 2 + rng.int(4),
      expiry_month: 1 + rng.int(12),
      created_at: createdAt,
      updated_at: createdAt,
      is_removable: false,
    };
  }

  private buildItem(r: number): BillingSubscriptionItem {
    const { items } = this;
    const p = items.plan[r]!;
    const payer = items.payer[r]!;
    const isPaid = PLANS[p]!.monthly > 0;
    const status = items.status[r]!;
    const fee = this.periodFee(r);
    const periodEnd = items.periodEnd[r]!;
    const orNull = (t: number) => (Number.isNaN(t) ? null : t);
    return {
      object: 'commerce_subscription_item',
      id: items.id[r]!,
      instance_id: this.instance.instanceId,
      status,
      plan_id: this.catalog[p]!.id,
      price_id: this.priceId[p]!,
      plan: this.catalog[p]!,
      plan_period: items.annual[r] ? 'annual' : 'month',
      ...(isPaid && { payment_method: this.paymentMethod(payer) }),
      lifetime_paid: money(items.paidPeriods[r]! * fee),
      next_payment: isPaid && status === 'active' ? { amount: money(fee), date: periodEnd } : null,
      payer_id: this.payers.id[payer]!,
      payer: this.payer(payer),
      is_free_trial: items.freeTrial[r]!,
      period_start: items.periodStart[r]!,
      period_end: orNull(periodEnd),
      canceled_at: orNull(items.canceledAt[r]!),
      past_due_at: orNull(items.pastDueAt[r]!),
      ended_at: orNull(items.endedAt[r]!),
      created_at: items.createdAt[r]!,
      updated_at: items.updatedAt[r]!,
    };
  }

  private buildStatement(s: number): BillingStatement {
    const { instance, items, statementRows: statements } = this;
    const r = statements.item[s]!;
    const payerIndex = items.payer[r]!;
    const rng = new Rng(instance.seed, Stream.Billing, s, 2);
    const chargedAt = statements.start[s]!;
    const settledAt = Math.min(instance.now, chargedAt + 1_000 + rng.int(20_000));
    const paid = statements.paid[s]!;
    const amount = money(this.periodFee(r));
    const id = clerkId('cstmt_', chargedAt, rng);
    const payer = this.payer(payerIndex);
    const paymentMethod = this.paymentMethod(payerIndex);
    const intent = `pi_${rng.chars(BASE62, 24)}`;
    const attempt = {
      object: 'commerce_payment',
      id: clerkId('cpayatt_', chargedAt, rng),
      payment_id: clerkId('cpay_', chargedAt, rng),
      instance_id: instance.instanceId,
      charge_type: statements.first[s] ? 'checkout' : 'recurring',
      payee_id: this.payee.id,
      payee: this.payee,
      payer_id: payer.id,
      payer,
      subscription_item_id: items.id[r]!,
      amount,
      payment_method_id: paymentMethod.id,
      payment_method: paymentMethod,
      statement_id: id,
      gateway_external_id: intent,
      gateway_external_url: `https://dashboard.stripe.com/payments/${intent}`,
      status: paid ? 'paid' : 'failed',
      paid_at: paid ? settledAt : null,
      failed_at: paid ? null : settledAt,
      created_at: chargedAt,
      updated_at: settledAt,
    };
    return {
      object: 'commerce_statement',
      id,
      instance_id: instance.instanceId,
      timestamp: chargedAt,
      payer,
      status: statements.end[s]! <= instance.now ? 'closed' : 'open',
      totals: { grand_total: amount, subtotal: amount, base_fee: amount, tax_total: money(0) },
      groups: [{ object: 'commerce_statement_group', timestamp: chargedAt, items: [attempt] }],
    };
  }
}
