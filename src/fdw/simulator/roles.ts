// The instance's organization permissions, roles and role sets: what `GET /organization_permissions`,
// `/organization_roles` and `/role_sets` list (configuration.ts dates them and gives them ids), and
// the one source of the role, role name and permissions that memberships and invitations carry.

export const PERMISSIONS = [
  ['org:sys_profile:manage', 'Manage organization', 'Permission to manage an organization.'],
  ['org:sys_profile:delete', 'Delete organization', 'Permission to delete an organization.'],
  ['org:sys_memberships:read', 'Read members', 'Permission to read the members of an organization.'],
  ['org:sys_memberships:manage', 'Manage members', 'Permission to manage the members of an organization.'],
  ['org:sys_domains:read', 'Read domains', 'Permission to read the domains of an organization.'],
  ['org:sys_domains:manage', 'Manage domains', 'Permission to manage the domains of an organization.'],
  ['org:sys_billing:read', 'Read billing', "Permission to read an organization's billing information."],
  ['org:sys_billing:manage', 'Manage billing', "Permission to manage an organization's billing."],
  ['org:reports:read', 'Read reports', "View the organization's usage and analytics reports."],
  ['org:invoices:manage', 'Manage invoices', "Download, pay and dispute the organization's invoices."],
] as const;
type PermissionKey = (typeof PERMISSIONS)[number][0];

/** The first two are Clerk's own, the roles members hold (memberRole); the others are the app's. */
export const ROLES: readonly { key: string; name: string; description: string; permissions: readonly PermissionKey[] }[] = [
  { key: 'org:admin', name: 'Admin', description: 'Role with elevated permissions.', permissions: PERMISSIONS.map(([key]) => key) },
  {
    key: 'org:member',
    name: 'Member',
    description: 'Role with non-privileged permissions.',
    permissions: ['org:sys_memberships:read', 'org:sys_domains:read', 'org:sys_billing:read', 'org:reports:read'],
  },
  {
    key: 'org:billing_manager',
    name: 'Billing manager',
    description: 'Manages the subscription and pays the invoices.',
    permissions: ['org:sys_memberships:read', 'org:sys_billing:read', 'org:sys_billing:manage', 'org:invoices:manage', 'org:reports:read'],
  },
  {
    key: 'org:viewer',
    name: 'Viewer',
    description: 'Read-only access for partners and auditors.',
    permissions: ['org:sys_memberships:read', 'org:reports:read'],
  },
];
export const [ADMIN, MEMBER, BILLING_MANAGER, VIEWER] = [0, 1, 2, 3];
/** Indexes in ROLES. Every organization has the initial set; the app made the other for partners later. */
export const ROLE_SETS = [
  {
    key: 'role_set:default',
    name: 'Default',
    description: 'The roles of every new organization.',
    type: 'initial',
    roles: [ADMIN, MEMBER, BILLING_MANAGER],
    defaultRole: MEMBER,
  },
  {
    key: 'role_set:partners',
    name: 'Partners',
    description: 'Read-only roles for partner organizations.',
    type: 'custom',
    roles: [ADMIN, VIEWER],
    defaultRole: VIEWER,
  },
] as const;

/** The role of a member or invitee: the simulator's members are admins or plain members. */
export function memberRole(admin: boolean): (typeof ROLES)[number] {
  return ROLES[admin ? ADMIN : MEMBER]!;
}
