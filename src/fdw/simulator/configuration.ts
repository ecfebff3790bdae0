// The instance's configuration as the Backend API lists it: organization roles, permissions and
// role sets, the app's domains, the sign-up allowlist and blocklist, OAuth applications, and
// the organizations' domains and SSO connections. Clerk created the system permissions, the
// admin and member roles and the initial role set with the instance; the app's developers
// added custom ones later. Organizations register their company's email domain (always when
// the company has SSO, whose domain then enrolls through it). Each company with SSO has one
// SAML connection, the enterprise connection its users' enterprise accounts point to, linked
// to its organization; a few other organizations are still setting one up (inactive, no IdP
// yet). Everything is generated once; what may change (organizations deleted, members and
// users coming and going) is read when a list is asked for.
import type {
  AllowlistIdentifier,
  BlocklistIdentifier,
  Domain,
  EnterpriseConnection,
  OAuthApplication,
  OrganizationDomain,
  OrganizationPermission,
  OrganizationRole,
  RoleSet,
  SamlConnection,
} from '../clerk/schemas.js';
import type { CompanyPool } from './companies.js';
import { paramValueInvalid } from './errors.js';
import { BASE62, clerkId } from './ids.js';
import type { Instance } from './instance.js';
import type { InvitationTable } from './invitations.js';
import { contains, every, NEWEST_FIRST, type Page, pageOf, type Predicate, selectionFilter, type SortKey, sortRows } from './listing.js';
import type { MembershipTable } from './memberships.js';
import { consumerDomain, personalEmail } from './naming.js';
import { buildOrganization, type OrganizationTable } from './organizations.js';
import { boolean, list, order, paging, selection, text } from './params.js';
import { Rng, Stream } from './prng.js';
import { ADMIN, BILLING_MANAGER, memberRole, PERMISSIONS, ROLE_SETS, ROLES } from './roles.js';
import { DAY_MS, HISTORY_MS, MINUTE_MS } from './timeline.js';
import { buildUser } from './userObject.js';
import type { UserTable } from './users.js';
import { SSO_PROVIDERS } from './vocabulary.js';
import { Weights } from './weights.js';

interface List<T> {
  data: T[];
  total_count: number;
}

/** Sub-streams of Stream.Configuration: the instance's settings (index 0), and per company. */
const PART = { Roles: 0, Domains: 1, Allowlist: 2, Blocklist: 3, OAuth: 4, OrganizationDomain: 5, Connection: 6, Drafts: 7 } as const;

/** The app's domain: the invitations' links go to its Account Portal too. */
const APP_DOMAIN = 'example.com';
const FRONTEND_API = `https://clerk.${APP_DOMAIN}`;
const SATELLITE_DOMAIN = 'example-docs.com';

const ENROLLMENT_MODES = ['manual_invitation', 'automatic_invitation', 'automatic_suggestion', 'enterprise_sso'] as const;
type EnrollmentMode = (typeof ENROLLMENT_MODES)[number];
/** Modes of verified domains without SSO (an unverified domain only allows manual invitations). */
const VERIFIED_MODES = ['manual_invitation', 'automatic_invitation', 'automatic_suggestion'] as const;
const VERIFIED_MODE_PICK = new Weights([40, 25, 35]);
/** Share of organizations without SSO that registered their domain, and of those that verified it. */
const DOMAIN_SHARE = 0.45;
const VERIFIED_SHARE = 0.8;
/** Share of organizations without SSO setting up a SAML connection (at least one does). */
const DRAFT_CONNECTION_SHARE = 0.04;
/** Clerk's email verification codes expire after 10 minutes. */
const CODE_LIFETIME_MS = 10 * MINUTE_MS;

/** `own`: the app's own clients skip the consent screen. `public`: no client secret (a CLI, an MCP client), so PKCE is required. */
const OAUTH_APPS = [
  {
    name: 'Zapier',
    uri: 'https://zapier.com',
    redirects: ['https://zapier.com/dashboard/auth/oauth/return/App183204CLIAPI/'],
    own: false,
    public: false,
    dynamic: false,
  },
  {
    name: 'Support desk',
    uri: `https://support.${APP_DOMAIN}`,
    redirects: [`https://support.${APP_DOMAIN}/auth/clerk/callback`],
    own: true,
    public: false,
    dynamic: false,
  },
  { name: 'Admin CLI', uri: null, redirects: ['http://127.0.0.1:8976/callback', 'http://localhost:8976/callback'], own: true, public: true, dynamic: false },
  { name: 'Claude', uri: 'https://claude.ai', redirects: ['https://claude.ai/api/mcp/auth_callback'], own: false, public: true, dynamic: true },
] as const;

const DISPOSABLE_DOMAINS = ['mailinator.com', 'guerrillamail.com', 'yopmail.com', '10minutemail.com', 'sharklasers.com'] as const;
const HEX = '0123456789abcdef';
const BASE64 = BASE62 + '+/';

/** An organization domain: organization o's company's (o is the company's index too). */
interface DomainRow {
  readonly organization: number;
  readonly id: string;
  readonly name: string;
  readonly mode: EnrollmentMode;
  readonly verified: boolean;
  readonly attempts: number;
  readonly affiliationEmail: string | null;
  /** When the DNS ownership proof succeeded, null when not attempted. */
  readonly ownershipVerifiedAt: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

interface IdentityProvider {
  readonly entityId: string;
  readonly ssoUrl: string;
  readonly metadataUrl: string | null;
  readonly certificate: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

/** A SAML connection and its enterprise connection, of company `company` (and its organization, when it has one). */
interface ConnectionRow {
  readonly company: number;
  readonly id: string;
  readonly enterpriseId: string;
  readonly name: string;
  readonly domain: string;
  readonly provider: string;
  /** Null while the connection is set up (inactive). */
  readonly idp: IdentityProvider | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** A list's rows and the orderings `order_by` may ask for, sorted once when first asked for (their keys never change). */
class Listed<T extends { readonly id: string }> {
  private readonly orderings = new Map<string, Int32Array>();

  constructor(
    readonly rows: readonly T[],
    /** The sort key of each `order_by` field the endpoint takes; `created_at` among them (the default, newest first). */
    private readonly keys: Readonly<Record<string, (row: T) => SortKey>>,
  ) {}

  /**
   * The rows `keep` accepts, in the order `order_by` asks for (when `sortable`, else newest
   * first), the page `limit` and `offset` ask for (when `paged`, else all of them).
   */
  page(query: URLSearchParams, keep: Predicate, { sortable = true, paged = true } = {}): Page {
    const sort = sortable ? order(query, Object.keys(this.keys), NEWEST_FIRST) : NEWEST_FIRST;
    let ordering = this.orderings.get(sort.field);
    if (!ordering) {
      const key = this.keys[sort.field]!;
      ordering = sortRows(
        this.rows.length,
        (r) => key(this.rows[r]!),
        (r) => this.rows[r]!.id,
      );
      this.orderings.set(sort.field, ordering);
    }
    return pageOf(ordering, sort.descending, keep, paged ? paging(query) : { limit: this.rows.length, offset: 0 });
  }
}

/** The sort keys of the lists of JSON objects. */
const BY_CREATION = { created_at: (o: { created_at?: number }) => o.created_at ?? null };
const BY_NAME_OR_KEY = { ...BY_CREATION, name: (o: { name?: string }) => o.name ?? null, key: (o: { key?: string }) => o.key ?? null };

/** `query` of the role, permission and role set lists: the id exactly, or part of the name or key. */
function idNameOrKey(query: URLSearchParams, rows: readonly { id: string; name?: string; key?: string }[]): Predicate {
  const q = text(query, 'query');
  if (q === undefined) return () => true;
  const partial = contains(q.toLowerCase());
  return (r) => rows[r]!.id === q || partial(rows[r]!.name) || partial(rows[r]!.key);
}

/** Row indexes by key (an organization's row); rows whose key is -1 are left out. */
function rowsBy<T>(rows: readonly T[], keyOf: (row: T) => number): Map<number, number[]> {
  const out = new Map<number, number[]>();
  rows.forEach((row, r) => {
    const key = keyOf(row);
    if (key >= 0) out.set(key, [...(out.get(key) ?? []), r]);
  });
  return out;
}

function envelope<T>(page: Page, build: (row: number) => T): List<T> {
  return { data: page.rows.map(build), total_count: page.total };
}

function uuid(rng: Rng): string {
  return [8, 4, 4, 4, 12].map((n) => rng.chars(HEX, n)).join('-');
}

/** The IdP side of a configured connection, as each provider's setup fills it in. */
function identityProvider(rng: Rng, provider: string, slug: string, domain: string, createdAt: number): IdentityProvider {
  // Certificates were issued shortly before the connection was made, valid for years.
  const issuedAt = createdAt - rng.int(30) * DAY_MS - rng.int(DAY_MS);
  const certificate = 'MIIC' + rng.chars(BASE64, 600);
  const years = (n: number) => issuedAt + n * 365 * DAY_MS;
  switch (provider) {
    case 'saml_okta': {
      const app = 'exk' + rng.chars(BASE62, 17);
      const base = `https://${slug}.okta.com/app`;
      return {
        entityId: `http://www.okta.com/${app}`,
        ssoUrl: `${base}/${slug}_clerk_1/${app}/sso/saml`,
        metadataUrl: `${base}/${app}/sso/saml/metadata`,
        certificate,
        issuedAt,
        expiresAt: years(10),
      };
    }
    case 'saml_microsoft': {
      const tenant = uuid(rng);
      const base = `https://login.microsoftonline.com/${tenant}`;
      const metadataUrl = `${base}/federationmetadata/2007-06/federationmetadata.xml?appid=${uuid(rng)}`;
      return { entityId: `https://sts.windows.net/${tenant}/`, ssoUrl: `${base}/saml2`, metadataUrl, certificate, issuedAt, expiresAt: years(3) };
    }
    case 'saml_google': {
      const idp = 'C0' + rng.chars(BASE62, 7).toLowerCase();
      const entityId = `https://accounts.google.com/o/saml2?idpid=${idp}`;
      return { entityId, ssoUrl: `https://accounts.google.com/o/saml2/idp?idpid=${idp}`, metadataUrl: null, certificate, issuedAt, expiresAt: years(5) };
    }
    default:
      return {
        entityId: `https://idp.${domain}/saml/metadata`,
        ssoUrl: `https://idp.${domain}/saml/sso`,
        metadataUrl: `https://idp.${domain}/saml/metadata`,
        certificate,
        issuedAt,
        expiresAt: years(3),
      };
  }
}

export class ConfigurationTables {
  private readonly permissionList: Listed<OrganizationPermission>;
  private readonly roleList: Listed<OrganizationRole>;
  /** The role sets without their items' member counts, which change with the memberships. */
  private readonly roleSetList: Listed<RoleSet>;
  private readonly domainList: Domain[];
  private readonly allowlist: Listed<AllowlistIdentifier>;
  private readonly blocklist: Listed<BlocklistIdentifier>;
  private readonly oauthApps: Listed<OAuthApplication>;
  private readonly organizationDomainRows: Listed<DomainRow>;
  private readonly connections: Listed<ConnectionRow>;
  /** Rows of organizationDomainRows and of connections, by organization row. */
  private readonly domainsByOrganization: ReadonlyMap<number, number[]>;
  private readonly connectionsByOrganization: ReadonlyMap<number, number[]>;
  /** Organizations past this row were created through the API: they are no company's. */
  private readonly generatedOrganizations: number;
  /** Of each configured connection (by company), the users who sign in through it; found when first needed. */
  private ssoUsers: Map<number, number[]> | undefined;

  constructor(
    private readonly instance: Instance,
    private readonly companies: CompanyPool,
    /** Users with a work address at each company. */
    private readonly companyUsers: readonly number[][],
    private readonly orgs: OrganizationTable,
    private readonly users: UserTable,
    private readonly memberships: MembershipTable,
    invitations: InvitationTable,
  ) {
    this.generatedOrganizations = orgs.size;
    const createdAt = instance.now - HISTORY_MS;
    const { permissions, roles, roleSets } = this.generateRoles(createdAt);
    this.permissionList = new Listed(permissions, BY_NAME_OR_KEY);
    this.roleList = new Listed(roles, BY_NAME_OR_KEY);
    this.roleSetList = new Listed(roleSets, BY_NAME_OR_KEY);
    this.domainList = this.generateDomains();
    this.organizationDomainRows = new Listed(this.generateOrganizationDomains(), { created_at: (d) => d.createdAt, name: (d) => d.name });
    this.connections = new Listed(this.generateConnections(), { created_at: (c) => c.createdAt, name: (c) => c.name });
    this.allowlist = new Listed(this.generateAllowlist(invitations), BY_CREATION);
    this.blocklist = new Listed(this.generateBlocklist(), BY_CREATION);
    this.oauthApps = new Listed(this.generateOAuthApplications(), { ...BY_CREATION, name: (a: OAuthApplication) => a.name ?? null });
    this.domainsByOrganization = rowsBy(this.organizationDomainRows.rows, (d) => d.organization);
    this.connectionsByOrganization = rowsBy(this.connections.rows, (c) => this.organizationOf(c.company));
  }

  /**
   * Clerk's permissions and roles, made with the instance, and the app's own, added some time
   * later (to the admin and member roles too, hence their update).
   */
  private generateRoles(createdAt: number): { permissions: OrganizationPermission[]; roles: OrganizationRole[]; roleSets: RoleSet[] } {
    const { now } = this.instance;
    const rng = new Rng(this.instance.seed, Stream.Configuration, 0, PART.Roles);
    const customizedAt = Math.round(createdAt + (now - createdAt) * (0.3 + 0.2 * rng.next()));
    const partnersAt = Math.round(customizedAt + (now - customizedAt) * (0.2 + 0.5 * rng.next()));
    const permissions = PERMISSIONS.map(([key, name, description], k): OrganizationPermission => {
      const system = key.startsWith('org:sys_');
      const at = system ? createdAt : customizedAt + k * MINUTE_MS;
      return { object: 'permission', id: clerkId('perm_', at, rng), name, key, description, type: system ? 'system' : 'user', created_at: at, updated_at: at };
    });
    const byKey = new Map(permissions.map((p) => [p.key, p]));
    const roleTimes = [
      [createdAt, customizedAt + 20 * MINUTE_MS],
      [createdAt, customizedAt + 21 * MINUTE_MS],
      [customizedAt + 30 * MINUTE_MS, customizedAt + 30 * MINUTE_MS],
      [partnersAt, partnersAt],
    ] as const;
    const roles = ROLES.map((role, k): OrganizationRole => {
      const [at, updatedAt] = roleTimes[k]!;
      return {
        object: 'role',
        id: clerkId('role_', at, rng),
        name: role.name,
        key: role.key,
        description: role.description,
        is_creator_eligible: k === ADMIN,
        permissions: role.permissions.map((key) => byKey.get(key)!),
        created_at: at,
        updated_at: updatedAt,
      };
    });
    const item = (k: number) => ({
      object: 'role_set_item',
      id: roles[k]!.id,
      name: roles[k]!.name,
      key: roles[k]!.key,
      description: roles[k]!.description,
      created_at: roles[k]!.created_at,
      updated_at: roles[k]!.updated_at,
    });
    // The initial set changed when the billing manager role joined it; the partners' came with the viewer role.
    const setTimes = [
      [createdAt, roles[BILLING_MANAGER]!.created_at!],
      [partnersAt + MINUTE_MS, partnersAt + MINUTE_MS],
    ] as const;
    const roleSets = ROLE_SETS.map((set, k): RoleSet => {
      const [at, updatedAt] = setTimes[k]!;
      return {
        object: 'role_set',
        id: clerkId('rs_', at, rng),
        name: set.name,
        key: set.key,
        description: set.description,
        roles: set.roles.map(item),
        default_role: item(set.defaultRole),
        creator_role: item(ADMIN),
        type: set.type,
        role_set_migration: null,
        created_at: at,
        updated_at: updatedAt,
      };
    });
    return { permissions, roles, roleSets };
  }

  /** The app's domain, and for some instances a satellite (a docs site sharing the sign-in). */
  private generateDomains(): Domain[] {
    const { instance } = this;
    const rng = new Rng(instance.seed, Stream.Configuration, 0, PART.Domains);
    // Clerk's mail and DKIM records name the instance.
    const mail = instance.instanceId.slice(4, 16).toLowerCase();
    const primary: Domain = {
      object: 'domain',
      id: clerkId('dmn_', instance.now - HISTORY_MS, rng),
      name: APP_DOMAIN,
      is_satellite: false,
      frontend_api_url: FRONTEND_API,
      accounts_portal_url: `https://accounts.${APP_DOMAIN}`,
      proxy_url: null,
      development_origin: '',
      cname_targets: [
        { host: `clerk.${APP_DOMAIN}`, value: 'frontend-api.clerk.services', required: true },
        { host: `accounts.${APP_DOMAIN}`, value: 'accounts.clerk.services', required: true },
        { host: `clkmail.${APP_DOMAIN}`, value: `mail.${mail}.clerk.services`, required: true },
        { host: `clk._domainkey.${APP_DOMAIN}`, value: `dkim1.${mail}.clerk.services`, required: true },
        { host: `clk2._domainkey.${APP_DOMAIN}`, value: `dkim2.${mail}.clerk.services`, required: true },
      ],
    };
    if (!rng.chance(0.6)) return [primary];
    const satellite: Domain = {
      object: 'domain',
      id: clerkId('dmn_', instance.now - rng.int(365) * DAY_MS, rng),
      name: SATELLITE_DOMAIN,
      is_satellite: true,
      frontend_api_url: `https://clerk.${SATELLITE_DOMAIN}`,
      accounts_portal_url: null,
      proxy_url: null,
      development_origin: '',
      cname_targets: [{ host: `clerk.${SATELLITE_DOMAIN}`, value: 'frontend-api.clerk.services', required: true }],
    };
    return [primary, satellite];
  }

  /**
   * Some organizations' company domains, registered after the organization was created; those
   * of companies with SSO always, verified and enrolling through it. The affiliation is proven
   * with a code sent to a member's address at the domain; without one, only the app's admins
   * could verify it (in the Dashboard or through the Backend API).
   */
  private generateOrganizationDomains(): DomainRow[] {
    const { instance, orgs } = this;
    const rows: DomainRow[] = [];
    for (let o = 0; o < this.generatedOrganizations; o++) {
      const rng = new Rng(instance.seed, Stream.Configuration, o, PART.OrganizationDomain);
      const company = this.companies.company(o);
      const sso = company.sso !== null;
      if (!sso && !rng.chance(DOMAIN_SHARE)) continue;
      const createdAt = Math.min(instance.now - 1, orgs.createdAt[o]! + Math.round(rng.exponential(30 * DAY_MS)));
      const verified = sso || rng.chance(VERIFIED_SHARE);
      const affiliationEmail = this.affiliationEmail(o, company.domain, createdAt);
      const codeEnteredAt = Math.min(instance.now - 1, createdAt + rng.int(CODE_LIFETIME_MS));
      const ownershipVerifiedAt = verified && rng.chance(0.3) ? Math.min(instance.now - 1, createdAt + Math.round(rng.exponential(DAY_MS))) : null;
      rows.push({
        organization: o,
        id: clerkId('orgdmn_', createdAt, rng),
        name: company.domain,
        mode: sso ? 'enterprise_sso' : verified ? VERIFIED_MODES[VERIFIED_MODE_PICK.pick(rng)]! : 'manual_invitation',
        verified,
        attempts: affiliationEmail === null ? 0 : verified ? 1 : rng.int(3),
        affiliationEmail,
        ownershipVerifiedAt,
        createdAt,
        updatedAt: Math.max(verified ? codeEnteredAt : createdAt, ownershipVerifiedAt ?? 0),
      });
    }
    return rows;
  }

  /**
   * The address at `domain` of the creator of organization o, else of one of its admins, else
   * of a member (who joined before `at`); null when none has one.
   */
  private affiliationEmail(o: number, domain: string, at: number): string | null {
    const { orgs, users, memberships } = this;
    const members = memberships
      .ofOrganization(o)
      .filter((m) => memberships.createdAt[m]! < at)
      .sort((a, b) => memberships.admin[b]! - memberships.admin[a]!);
    const candidates = [orgs.createdBy[o]!, ...members.map((m) => memberships.user[m]!)];
    const emails = candidates.map((u) => (u >= 0 ? users.primaryEmailOf(u) : null));
    return emails.find((email) => email?.endsWith(`@${domain}`)) ?? null;
  }

  /**
   * The connection of each company with SSO (made when the company's SSO was: its users'
   * enterprise accounts point to it), and the inactive ones a few other organizations are
   * setting up, made recently.
   */
  private generateConnections(): ConnectionRow[] {
    const { instance, orgs } = this;
    const withoutSso: number[] = [];
    for (let o = 0; o < this.generatedOrganizations; o++) if (!this.companies.company(o).sso) withoutSso.push(o);
    const draftCount = withoutSso.length === 0 ? 0 : Math.max(1, Math.round(DRAFT_CONNECTION_SHARE * withoutSso.length));
    const picked = new Rng(instance.seed, Stream.Configuration, 0, PART.Drafts).permutation(withoutSso.length).slice(0, draftCount);
    const drafts = new Set(Array.from(picked, (k) => withoutSso[k]!));
    const rows: ConnectionRow[] = [];
    for (let c = 0; c < this.companies.size; c++) {
      const rng = new Rng(instance.seed, Stream.Configuration, c, PART.Connection);
      const company = this.companies.company(c);
      const { sso } = company;
      if (!sso && !drafts.has(c)) continue;
      let createdAt: number;
      let enterpriseId: string;
      if (sso) [createdAt, enterpriseId] = [sso.createdAt, sso.id];
      else {
        const from = orgs.createdAt[c]!;
        createdAt = Math.min(instance.now - 1, Math.round(from + (instance.now - from) * (0.7 + 0.3 * rng.next())));
        enterpriseId = clerkId('ent_', createdAt, rng);
      }
      const provider = sso ? sso.provider : rng.pick(SSO_PROVIDERS);
      rows.push({
        company: c,
        id: clerkId('samlc_', createdAt, rng),
        enterpriseId,
        // The name and dates users' enterprise accounts show (signInMethods.ts).
        name: `${company.name} SSO`,
        domain: company.domain,
        provider,
        idp: sso ? identityProvider(rng, provider, company.slug, company.domain, createdAt) : null,
        createdAt,
        updatedAt: sso ? createdAt : Math.min(instance.now - 1, createdAt + rng.int(DAY_MS)),
      });
    }
    return rows;
  }

  /**
   * A few whole company domains (of verified organization domains, allowed after they were
   * verified), a few addresses invited through the allowlist (the invitation is among
   * `GET /invitations`'s pending ones, made with the entry), a few addresses and a phone number.
   */
  private generateAllowlist(invitations: InvitationTable): AllowlistIdentifier[] {
    const { instance, users } = this;
    const rng = new Rng(instance.seed, Stream.Configuration, 0, PART.Allowlist);
    const entry = (identifier: string, type: 'email_address' | 'phone_number', at: number, invitationId?: string): AllowlistIdentifier => ({
      object: 'allowlist_identifier',
      id: clerkId('alid_', at, rng),
      ...(invitationId ? { invitation_id: invitationId } : {}),
      identifier,
      identifier_type: type,
      instance_id: instance.instanceId,
      created_at: at,
      updated_at: at,
    });
    const since = (from: number) => Math.min(instance.now - 1, Math.round(from + (instance.now - from) * rng.next()));
    const out: AllowlistIdentifier[] = [];
    const verified = this.organizationDomainRows.rows.filter((d) => d.verified);
    for (const k of rng.permutation(verified.length).slice(0, 3)) out.push(entry(`*@${verified[k]!.name}`, 'email_address', since(verified[k]!.updatedAt)));
    const pending: number[] = [];
    for (let r = 0; r < invitations.size; r++) if (invitations.status[r] === 'pending') pending.push(r);
    for (const k of rng.permutation(pending.length).slice(0, 4)) {
      const r = pending[k]!;
      out.push(entry(invitations.email[r]!, 'email_address', invitations.createdAt[r]!, invitations.id[r]));
    }
    const start = instance.now - 365 * DAY_MS;
    for (let k = 0; k < 2; k++) out.push(entry(personalEmail(rng, users.emailOwners), 'email_address', since(start)));
    out.push(entry(`+1415555${String(rng.int(10_000)).padStart(4, '0')}`, 'phone_number', since(start)));
    return out;
  }

  /** Disposable mail domains, spam addresses, the addresses of a few banned users, a phone number. */
  private generateBlocklist(): BlocklistIdentifier[] {
    const { instance, users } = this;
    const rng = new Rng(instance.seed, Stream.Configuration, 0, PART.Blocklist);
    const since = (from: number) => Math.min(instance.now - 1, Math.round(from + (instance.now - from) * rng.next()));
    const start = instance.now - 365 * DAY_MS;
    const entry = (identifier: string, type: 'email_address' | 'phone_number', at: number): BlocklistIdentifier => ({
      object: 'blocklist_identifier',
      id: clerkId('blid_', at, rng),
      identifier,
      identifier_type: type,
      instance_id: instance.instanceId,
      created_at: at,
      updated_at: at,
    });
    const out: BlocklistIdentifier[] = [];
    for (const k of rng.permutation(DISPOSABLE_DOMAINS.length).slice(0, 2 + rng.int(3)))
      out.push(entry(`*@${DISPOSABLE_DOMAINS[k]!}`, 'email_address', since(start)));
    for (let k = 0; k < 3; k++)
      out.push(entry(`${rng.chars('abcdefghijklmnopqrstuvwxyz0123456789', 10)}@${consumerDomain(rng)}`, 'email_address', since(start)));
    let banned = 0;
    for (let u = 0; u < users.size && banned < 2; u++) {
      const email = users.banned[u] ? users.primaryEmailOf(u) : null;
      if (!email) continue;
      out.push(entry(email, 'email_address', since(users.createdAt[u]!)));
      banned++;
    }
    out.push(entry(`+447700900${String(rng.int(1000)).padStart(3, '0')}`, 'phone_number', since(start)));
    return out;
  }

  /** Two to four applications signing in with the instance's users, made over the last two years. */
  private generateOAuthApplications(): OAuthApplication[] {
    const { instance } = this;
    const rng = new Rng(instance.seed, Stream.Configuration, 0, PART.OAuth);
    const count = 2 + rng.int(OAUTH_APPS.length - 1);
    const span = 2 * 365 * DAY_MS;
    return OAUTH_APPS.slice(0, count).map((app, k): OAuthApplication => {
      const createdAt = Math.round(instance.now - span + ((k + rng.next()) / count) * span);
      return {
        object: 'oauth_application',
        id: clerkId('oa_', createdAt, rng),
        instance_id: instance.instanceId,
        name: app.name,
        client_id: rng.chars(BASE62, 16),
        client_uri: app.uri,
        client_image_url: null,
        dynamically_registered: app.dynamic,
        consent_screen_enabled: !app.own,
        pkce_required: app.public,
        public: app.public,
        scopes: 'profile email',
        redirect_uris: [...app.redirects],
        callback_url: app.redirects[0],
        authorize_url: `${FRONTEND_API}/oauth/authorize`,
        token_fetch_url: `${FRONTEND_API}/oauth/token`,
        user_info_url: `${FRONTEND_API}/oauth/userinfo`,
        discovery_url: `${FRONTEND_API}/.well-known/openid-configuration`,
        token_introspection_url: `${FRONTEND_API}/oauth/token_info`,
        created_at: createdAt,
        updated_at: Math.min(instance.now - 1, createdAt + rng.int(30) * DAY_MS),
      };
    });
  }

  /** The live organization row of company c, -1 when it has none (or it was deleted). */
  private organizationOf(c: number): number {
    return c < this.generatedOrganizations && !this.orgs.deleted[c] ? c : -1;
  }

  /** The rows of the live organization with this id (none for an unknown or deleted one). */
  private rowsOfOrganization(byOrganization: ReadonlyMap<number, number[]>): (id: string) => number[] {
    return (id) => {
      const o = this.orgs.indexOfId(id);
      return (o !== undefined && byOrganization.get(o)) || [];
    };
  }

  /** `GET /organization_permissions`: `query`, `order_by` (created_at, name, key), paging. */
  organizationPermissions(query: URLSearchParams): List<OrganizationPermission> {
    const { rows } = this.permissionList;
    return envelope(this.permissionList.page(query, idNameOrKey(query, rows)), (r) => rows[r]!);
  }

  /** `GET /organization_roles`: as the permissions. */
  organizationRoles(query: URLSearchParams): List<OrganizationRole> {
    const { rows } = this.roleList;
    return envelope(this.roleList.page(query, idNameOrKey(query, rows)), (r) => rows[r]!);
  }

  /** `GET /role_sets`: as the permissions; the initial set's roles count the members who hold them. */
  roleSets(query: URLSearchParams): List<RoleSet> {
    const { rows } = this.roleSetList;
    return envelope(this.roleSetList.page(query, idNameOrKey(query, rows)), (r) => this.buildRoleSet(r));
  }

  private buildRoleSet(r: number): RoleSet {
    const set = this.roleSetList.rows[r]!;
    const counts = new Map<string, number>();
    // Every organization has the initial set: its members hold its roles.
    if (set.type === 'initial') {
      const { memberships } = this;
      for (let m = 0; m < memberships.size; m++) {
        if (memberships.deleted[m]) continue;
        const { key } = memberRole(memberships.admin[m] === 1);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    const withCount = <T extends { key?: string }>(item: T) => ({ ...item, members_count: counts.get(item.key!) ?? 0, has_members: counts.has(item.key!) });
    return { ...set, roles: set.roles!.map(withCount) };
  }

  /** `GET /domains`: every domain, primary first (the spec takes no parameters). */
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- every list is given its query; the spec gives this one no parameters.
  domains(query: URLSearchParams): List<Domain> {
    return { data: this.domainList, total_count: this.domainList.length };
  }

  /** `GET /allowlist_identifiers`: a bare array, newest first; paged only with `paginated=true`. */
  allowlistIdentifiers(query: URLSearchParams): AllowlistIdentifier[] {
    const paged = boolean(query, 'paginated') ?? false;
    return this.allowlist.page(query, () => true, { sortable: false, paged }).rows.map((r) => this.allowlist.rows[r]!);
  }

  /** `GET /blocklist_identifiers`: every identifier, newest first. */
  blocklistIdentifiers(query: URLSearchParams): List<BlocklistIdentifier> {
    return envelope(
      this.blocklist.page(query, () => true, { sortable: false, paged: false }),
      (r) => this.blocklist.rows[r]!,
    );
  }

  /** `GET /oauth_applications`: `name_query` (part of the name, or the client id), `order_by` (created_at, name), paging. */
  oauthApplications(query: URLSearchParams): List<OAuthApplication> {
    const { rows } = this.oauthApps;
    const q = text(query, 'name_query');
    let keep: Predicate = () => true;
    if (q !== undefined) {
      const partial = contains(q.toLowerCase());
      keep = (r) => rows[r]!.client_id === q || partial(rows[r]!.name);
    }
    return envelope(this.oauthApps.page(query, keep), (r) => rows[r]!);
  }

  /**
   * `GET /organization_domains`, of live organizations: `organization_id` (ids, `-id`
   * excludes), `verified`, `enrollment_mode` (`-mode` excludes), `domains` (exact names),
   * `query` (the organization's id when it starts with `org_`, else part of the name),
   * `order_by` (created_at, name), paging.
   */
  organizationDomains(query: URLSearchParams): List<OrganizationDomain> {
    const { rows } = this.organizationDomainRows;
    const predicates: Predicate[] = [(r) => !this.orgs.deleted[rows[r]!.organization]];
    const byOrganization = selectionFilter(selection(query, 'organization_id'), this.rowsOfOrganization(this.domainsByOrganization));
    if (byOrganization) predicates.push(byOrganization);
    const verified = boolean(query, 'verified');
    if (verified !== undefined) predicates.push((r) => rows[r]!.verified === verified);
    predicates.push(...enrollmentModes(query, rows));
    const names = new Set(list(query, 'domains'));
    if (names.size > 0) predicates.push((r) => names.has(rows[r]!.name));
    const raw = query.get('query');
    if (raw !== null) {
      // The spec: an empty or blank query is a validation error, not "no filter".
      if (raw.trim() === '') throw paramValueInvalid('query', raw);
      const partial = contains(raw.toLowerCase());
      predicates.push(raw.startsWith('org_') ? (r) => this.orgs.id[rows[r]!.organization] === raw : (r) => partial(rows[r]!.name));
    }
    return envelope(this.organizationDomainRows.page(query, every(predicates)), (r) => this.buildOrganizationDomain(r));
  }

  private buildOrganizationDomain(r: number): OrganizationDomain {
    const { instance, orgs, users, memberships } = this;
    const d = this.organizationDomainRows.rows[r]!;
    const o = d.organization;
    const org = buildOrganization(instance, orgs, users, o, false);
    // Pending invitations or suggestions: colleagues (users at the domain) not yet members. Clerk
    // lists neither with the organization's invitations (organizationInvitations.ts).
    let waiting = 0;
    if (d.mode === 'automatic_invitation' || d.mode === 'automatic_suggestion') {
      const members = new Set(memberships.ofOrganization(o).map((m) => memberships.user[m]!));
      for (const u of this.companyUsers[o] ?? []) if (!users.deleted[u] && !members.has(u)) waiting++;
    }
    const byAdmin = d.verified && d.affiliationEmail === null;
    const affiliation = {
      status: d.verified ? 'verified' : 'unverified',
      strategy: byAdmin ? 'admin' : 'email_code',
      attempts: byAdmin ? null : d.attempts,
      // No code sent yet: nothing to expire.
      expire_at: d.attempts > 0 ? d.createdAt + CODE_LIFETIME_MS : null,
      verified_at: null,
    };
    const ownership =
      d.ownershipVerifiedAt === null ? null : { status: 'verified', strategy: 'dns_txt', attempts: 1, expire_at: null, verified_at: d.ownershipVerifiedAt };
    return {
      object: 'organization_domain',
      id: d.id,
      organization_id: org.id,
      name: d.name,
      enrollment_mode: d.mode,
      affiliation_email_address: d.affiliationEmail,
      affiliation_verification: affiliation,
      ownership_verification: ownership,
      verification: affiliation,
      total_pending_invitations: d.mode === 'automatic_invitation' ? waiting : 0,
      total_pending_suggestions: d.mode === 'automatic_suggestion' ? waiting : 0,
      public_organization_data: { id: org.id, name: org.name!, slug: org.slug ?? '', image_url: org.image_url ?? '', has_image: org.has_image ?? false },
      created_at: d.createdAt,
      updated_at: d.updatedAt,
    };
  }

  /** `GET /saml_connections`: `organization_id` (ids, `-id` excludes), `query` (part of the name), `order_by` (created_at, name), paging. */
  samlConnections(query: URLSearchParams): List<SamlConnection> {
    const { rows } = this.connections;
    const predicates: Predicate[] = [];
    const byOrganization = selectionFilter(selection(query, 'organization_id'), this.rowsOfOrganization(this.connectionsByOrganization));
    if (byOrganization) predicates.push(byOrganization);
    const q = text(query, 'query');
    if (q !== undefined) {
      const partial = contains(q.toLowerCase());
      predicates.push((r) => partial(rows[r]!.name));
    }
    return envelope(this.connections.page(query, every(predicates)), (r) => this.buildSamlConnection(r));
  }

  /** `GET /enterprise_connections`: `organization_id` (one), `active`, paging; newest first. */
  enterpriseConnections(query: URLSearchParams): List<EnterpriseConnection> {
    const { rows } = this.connections;
    const predicates: Predicate[] = [];
    const organization = text(query, 'organization_id');
    if (organization !== undefined) {
      const matching = new Set(this.rowsOfOrganization(this.connectionsByOrganization)(organization));
      predicates.push((r) => matching.has(r));
    }
    const active = boolean(query, 'active');
    if (active !== undefined) predicates.push((r) => (rows[r]!.idp !== null) === active);
    return envelope(this.connections.page(query, every(predicates), { sortable: false }), (r) => this.buildEnterpriseConnection(r));
  }

  /** Live users who sign in through connection row r (none while it is set up). */
  private userCount(r: number): number {
    const connection = this.connections.rows[r]!;
    if (!this.ssoUsers) {
      // Whether a user signs in through their company's SSO is drawn while building the user
      // (userObject.ts): build each user at a company with SSO once, when first needed.
      this.ssoUsers = new Map();
      for (const c of this.connections.rows) {
        const id = c.enterpriseId;
        const signsIn = (u: number) =>
          (buildUser(this.instance, this.users, u).enterprise_accounts ?? []).some(
            (a) => (a as { enterprise_connection_id?: string }).enterprise_connection_id === id,
          );
        this.ssoUsers.set(c.company, c.idp ? (this.companyUsers[c.company] ?? []).filter(signsIn) : []);
      }
    }
    return this.ssoUsers.get(connection.company)!.filter((u) => !this.users.deleted[u]).length;
  }

  private buildSamlConnection(r: number): SamlConnection {
    const c = this.connections.rows[r]!;
    const o = this.organizationOf(c.company);
    const active = c.idp !== null;
    return {
      object: 'saml_connection',
      id: c.id,
      name: c.name,
      domain: c.domain,
      domains: [c.domain],
      idp_entity_id: c.idp?.entityId ?? null,
      idp_sso_url: c.idp?.ssoUrl ?? null,
      idp_certificate: c.idp?.certificate ?? null,
      idp_certificate_issued_at: c.idp?.issuedAt ?? null,
      idp_certificate_expires_at: c.idp?.expiresAt ?? null,
      idp_metadata_url: c.idp?.metadataUrl ?? null,
      idp_metadata: null,
      acs_url: `${FRONTEND_API}/v1/saml/acs/${c.id}`,
      sp_entity_id: `${FRONTEND_API}/saml/${c.id}`,
      sp_metadata_url: `${FRONTEND_API}/v1/saml/metadata/${c.id}`,
      organization_id: o >= 0 ? this.orgs.id[o]! : null,
      active,
      provider: c.provider,
      user_count: this.userCount(r),
      // As users' enterprise accounts show the connection (signInMethods.ts).
      sync_user_attributes: true,
      allow_subdomains: false,
      allow_idp_initiated: false,
      disable_additional_identifications: false,
      allow_organization_account_linking: o >= 0,
      authenticatable: active,
      force_authn: false,
      login_hint: { mode: 'email_address' },
      disable_jit_provisioning: false,
      enterprise_connection_id: c.enterpriseId,
      created_at: c.createdAt,
      updated_at: c.updatedAt,
    };
  }

  private buildEnterpriseConnection(r: number): EnterpriseConnection {
    const saml = this.buildSamlConnection(r);
    return {
      object: 'enterprise_connection',
      id: saml.enterprise_connection_id!,
      name: saml.name,
      provider: saml.provider,
      logo_public_url: null,
      active: saml.active,
      domains: saml.domains,
      organization_id: saml.organization_id,
      sync_user_attributes: saml.sync_user_attributes,
      disable_additional_identifications: saml.disable_additional_identifications,
      allow_organization_account_linking: saml.allow_organization_account_linking,
      authenticatable: saml.authenticatable,
      disable_jit_provisioning: saml.disable_jit_provisioning,
      saml_connection: {
        id: saml.id,
        name: saml.name,
        idp_entity_id: saml.idp_entity_id,
        idp_sso_url: saml.idp_sso_url,
        idp_metadata_url: saml.idp_metadata_url,
        acs_url: saml.acs_url,
        sp_entity_id: saml.sp_entity_id,
        sp_metadata_url: saml.sp_metadata_url,
        active: saml.active,
        allow_idp_initiated: saml.allow_idp_initiated,
        allow_subdomains: saml.allow_subdomains,
        force_authn: saml.force_authn,
        login_hint: saml.login_hint,
      },
      oauth_config: null,
      created_at: saml.created_at,
      updated_at: saml.updated_at,
    };
  }

  allOrganizationPermissions(): OrganizationPermission[] {
    return structuredClone([...this.permissionList.rows]);
  }

  allOrganizationRoles(): OrganizationRole[] {
    return structuredClone([...this.roleList.rows]);
  }

  allRoleSets(): RoleSet[] {
    return this.roleSetList.rows.map((_, r) => this.buildRoleSet(r));
  }

  allDomains(): Domain[] {
    return structuredClone(this.domainList);
  }

  allAllowlistIdentifiers(): AllowlistIdentifier[] {
    return structuredClone([...this.allowlist.rows]);
  }

  allBlocklistIdentifiers(): BlocklistIdentifier[] {
    return structuredClone([...this.blocklist.rows]);
  }

  allOauthApplications(): OAuthApplication[] {
    return structuredClone([...this.oauthApps.rows]);
  }

  /** Of live organizations, organization by organization. */
  allOrganizationDomains(): OrganizationDomain[] {
    const { rows } = this.organizationDomainRows;
    return rows.flatMap((d, r) => (this.orgs.deleted[d.organization] ? [] : [this.buildOrganizationDomain(r)]));
  }

  allSamlConnections(): SamlConnection[] {
    return this.connections.rows.map((_, r) => this.buildSamlConnection(r));
  }

  allEnterpriseConnections(): EnterpriseConnection[] {
    return this.connections.rows.map((_, r) => this.buildEnterpriseConnection(r));
  }
}

/** `enrollment_mode`: comma-separated (the spec's `explode: false`) or repeated; `-mode` excludes. */
function enrollmentModes(query: URLSearchParams, rows: readonly DomainRow[]): Predicate[] {
  const include = new Set<string>();
  const exclude = new Set<string>();
  for (const value of list(query, 'enrollment_mode').flatMap((v) => v.split(','))) {
    const excluded = value.startsWith('-');
    const mode = excluded ? value.slice(1) : value;
    if (!(ENROLLMENT_MODES as readonly string[]).includes(mode)) throw paramValueInvalid('enrollment_mode', value);
    (excluded ? exclude : include).add(mode);
  }
  const predicates: Predicate[] = [];
  if (include.size > 0) predicates.push((r) => include.has(rows[r]!.mode));
  if (exclude.size > 0) predicates.push((r) => !exclude.has(rows[r]!.mode));
  return predicates;
}
