-- %% [markdown]
-- # Sessions, roles, domains and SSO
--
-- Who is signed in where, what each organization role may do, which companies verified their
-- email domain, and which have single sign-on.
--
-- Clerk lists sessions only per user (or per client): a query on `sessions` needs a condition
-- on `user_id`, or a join that gives the users (their sessions are then read one user at a
-- time). A query with neither fails before calling Clerk, saying which condition to add.
-- %% Connect to Clerk
create foreign data wrapper clerk_wrapper
  handler clerk_fdw_handler
  validator clerk_fdw_validator;

create server clerk_server
  foreign data wrapper clerk_wrapper
  options (api_key '<clerk secret Key>');

import foreign schema clerk from server clerk_server into public;
-- %% Users, sessions and roles
create foreign table users (
  id text,
  email text,
  last_active_at timestamptz
)
server clerk_server
options (object 'users');

create foreign table sessions (
  id text,
  user_id text,
  client_id text,
  status text,
  last_active_at timestamptz,
  expire_at timestamptz,
  device_type text,
  browser_name text,
  is_mobile boolean,
  city text,
  country text,
  created_at timestamptz
)
server clerk_server
options (object 'sessions');

create foreign table roles (
  key text,
  name text,
  permission_keys text[]
)
server clerk_server
options (object 'organization_roles');
-- %% [markdown]
-- ## Sessions
-- %% The most recently active users
create or replace view recent_users as
select id, email, last_active_at
from users
order by last_active_at desc nulls last, id
limit 25;
-- %% Their sessions: one request per user (the join gives the user ids)
select u.email, s.status, s.device_type, s.browser_name, s.city, s.country, s.last_active_at
from recent_users u
join sessions s on s.user_id = u.id
order by u.last_active_at desc, u.email, s.last_active_at desc
limit 20;
-- %% Active sessions of the most recently active user (one user: one request)
create or replace view latest_user as
select id from recent_users order by last_active_at desc, id limit 1;

select s.id, s.device_type, s.browser_name, s.city, s.last_active_at, s.expire_at
from latest_user u
join sessions s on s.user_id = u.id
where s.status = 'active';
-- %% Devices of the recently active users' live sessions
select case when s.is_mobile then 'mobile' else 'desktop' end as kind, s.browser_name, count(*) as sessions
from recent_users u
join sessions s on s.user_id = u.id
where s.status = 'active'
group by 1, 2
order by sessions desc;
-- %% [markdown]
-- ## Roles and permissions
-- %% Roles, their permissions, and how many members hold each
select r.key, r.name, cardinality(r.permission_keys) as permissions, count(m.role) as members
from roles r
left join clerk_organization_memberships m on m.role = r.key
group by r.key, r.name, r.permission_keys
order by members desc, r.key;
-- %% Custom permissions (not Clerk's system ones)
select key, name, description
from clerk_organization_permissions
where type <> 'system'
order by key;
-- %% [markdown]
-- ## Verified domains and SSO
--
-- A domain's pending invitations are those it sent itself (automatic invitation): Clerk does
-- not list them among the organization invitations.
-- %% Organization domains by enrollment mode and verification
select enrollment_mode, verification_status, count(*) as domains,
       sum(total_pending_invitations) as pending_invitations,
       sum(total_pending_suggestions) as pending_suggestions
from clerk_organization_domains
group by 1, 2
order by domains desc;
-- %% SAML connections and the organizations they serve
select c.name, c.provider, c.active, c.user_count, o.name as organization
from clerk_saml_connections c
left join clerk_organizations o on o.organization_id = c.organization_id
order by c.user_count desc;
-- %% Organizations with a verified domain but no SSO
select d.organization_name, d.name as domain, d.enrollment_mode
from clerk_organization_domains d
where d.verification_status = 'verified'
  and not exists (select 1 from clerk_enterprise_connections e where e.organization_id = d.organization_id)
order by d.organization_name
limit 10;
-- %% Sign-up restrictions and OAuth applications
select 'allowlist' as list, identifier_type, count(*) as identifiers from clerk_allowlist_identifiers group by 1, 2
union all
select 'blocklist', identifier_type, count(*) from clerk_blocklist_identifiers group by 1, 2
order by 1, 2;
