// The companies behind work email domains and organizations. Organization i is company i,
// so an organization's members are often people with an address at its domain, and "sign-ups
// by email domain" shows a meaningful share of company domains shared by several users.
import { clerkId } from './ids.js';
import { slugify, uniqueName } from './naming.js';
import { organizationCreatedAt } from './organizations.js';
import { Rng, Stream } from './prng.js';
import { DAY_MS } from './timeline.js';
import { COMPANY_NOUNS, COMPANY_TLDS, COMPANY_WORDS, SSO_PROVIDERS } from './vocabulary.js';
import { Weights } from './weights.js';

export interface Company {
  readonly name: string;
  /** Unique across the pool: organizations use it as their slug. */
  readonly slug: string;
  /** Unique across the pool. */
  readonly domain: string;
  /** The company's enterprise SSO connection, if it has one: its members sign in through it. */
  readonly sso: { readonly id: string; readonly provider: string; readonly createdAt: number } | null;
}

/** Share of companies with an enterprise SSO (SAML) connection. */
const SSO_SHARE = 0.25;

/** Average number of users at each company domain (Zipf-skewed around it). */
const USERS_PER_COMPANY = 8;
/** Share of users whose first address is at a company domain. */
export const WORK_EMAIL_SHARE = 0.3;

export class CompanyPool {
  private readonly companies: Company[] = [];
  /** For picking the company of a user's work email. */
  private readonly popularity: Weights;

  constructor(seed: number, now: number, organizations: number, users: number) {
    const count = Math.max(organizations, Math.ceil((users * WORK_EMAIL_SHARE) / USERS_PER_COMPANY), 20);
    const slugs = new Set<string>();
    const domains = new Set<string>();
    for (let c = 0; c < count; c++) {
      const rng = new Rng(seed, Stream.Company, c);
      const first = rng.pick(COMPANY_WORDS);
      const second = rng.chance(0.35) ? rng.pick(COMPANY_WORDS) : '';
      const noun = rng.pick(COMPANY_NOUNS);
      const name = [first, second === first ? '' : second, noun].filter(Boolean).join(' ');
      const base = slugify(name);
      const slug = uniqueName(base, slugs, (n) => `${base}-${n}`);
      slugs.add(slug);
      const stem = slug.replace(/-/g, '');
      const tld = rng.pick(COMPANY_TLDS);
      const domain = uniqueName(`${stem}.${tld}`, domains, (n) => `${stem}${n}.${tld}`);
      domains.add(domain);
      // Set up on a day of the last two years, not before the company's organization (company c's is organization c).
      const orgCreatedAt = c < organizations ? organizationCreatedAt(new Rng(seed, Stream.Organization, c), c, organizations, now) : -Infinity;
      const ssoCreatedAt = now - rng.int(Math.min(2 * 365, Math.floor((now - orgCreatedAt) / DAY_MS) + 1)) * DAY_MS;
      const sso = rng.chance(SSO_SHARE) ? { id: clerkId('ent_', ssoCreatedAt, rng), provider: rng.pick(SSO_PROVIDERS), createdAt: ssoCreatedAt } : null;
      this.companies.push({ name, slug, domain, sso });
    }
    // Zipf popularity over a seeded permutation, so the big company domains are spread over
    // the organizations' creation dates instead of all being the oldest ones.
    const rank = new Rng(seed, Stream.Company, -1).permutation(count);
    this.popularity = new Weights(Array.from(rank, (r) => 1 / (r + 1) ** 0.9));
  }

  get size(): number {
    return this.companies.length;
  }

  company(c: number): Company {
    const company = this.companies[c];
    if (!company) throw new RangeError(`no company ${c}`);
    return company;
  }

  /** A company drawn by popularity. */
  pick(rng: Rng): number {
    return this.popularity.pick(rng);
  }
}
