-- %% [markdown]
-- # Clerk analytics with SQL
--
-- The setup cells are clerk_fdw's documented DDL, unchanged. The `api_key` placeholder is not
-- sent anywhere: the key comes from the secret store (VS Code: "Clerk SQL: Set API Key";
-- CLI: the `CLERK_API_KEY` environment variable).
-- %% Create the foreign data wrapper
create foreign data wrapper clerk_wrapper
  handler clerk_fdw_handler
  validator clerk_fdw_validator;
-- %% Connect to Clerk
create server my_clerk_server
  foreign data wrapper clerk_wrapper
  options (
    api_key '<clerk secret Key>')
-- %% The documented tables
create foreign table clerk_users (
  user_id text,
  first_name text,
  last_name text,
  email text,
  gender text,
  created_at bigint,
  updated_at bigint,
  last_sign_in_at bigint,
  phone_numbers bigint,
  username text
  )
  server my_clerk_server
  options (
      object 'users'
  );

create foreign table clerk_organizations (
  organization_id text,
  name text,
  slug text,
  created_at bigint,
  updated_at bigint,
  created_by text
)
server my_clerk_server
options (
  object 'organizations'
);

create foreign table clerk_organization_memberships (
  user_id text,
  organization_id text,
  role text
)
server my_clerk_server
options (
  object 'organization_memberships'
);
-- %% [markdown]
-- ## Beyond the documented columns
-- Any field of the Clerk object is a column, by its JSON name; `timestamptz` columns are
-- converted from Clerk's milliseconds.
-- %% Users with activity and security fields
create foreign table clerk_user_activity (
  user_id text,
  email text,
  created_at timestamptz,
  last_sign_in_at timestamptz,
  last_active_at timestamptz,
  two_factor_enabled boolean,
  banned boolean,
  locked boolean,
  external_accounts jsonb
)
server my_clerk_server
options (object 'users');
-- %% Every user, far past clerk_fdw's 500
select count(*) as users, min(to_timestamp(created_at / 1000))::date as first_sign_up
from clerk_users;
-- %% A point lookup: the filter is sent to Clerk (one request)
select user_id, email, username
from clerk_users
where email = (select email from clerk_users where email is not null order by created_at limit 1);
-- %% [markdown]
-- ## The Clerk Dashboard's reports
-- The Backend API gives snapshots, not event history: sign-ups come from `created_at`, activity
-- from `last_active_at` (day precision). "Active" below means active in the period ending at the
-- latest activity seen. True retention cohorts need event history, which the API does not have.
-- %% Sign-ups per month (last 12 months)
select date_trunc('month', created_at)::date as month, count(*) as sign_ups
from clerk_user_activity
group by 1
order by 1 desc
limit 12;
-- %% Active users: last day, week and month
with as_of as (select max(last_active_at) as t from clerk_user_activity)
select
  count(*) filter (where last_active_at > t - interval '1 day')   as daily_active,
  count(*) filter (where last_active_at > t - interval '7 days')  as weekly_active,
  count(*) filter (where last_active_at > t - interval '30 days') as monthly_active,
  count(*) filter (where last_active_at is null or last_active_at <= t - interval '90 days') as dormant_90_days
from clerk_user_activity, as_of;
-- %% Weekly sign-ups and the share still active
with as_of as (select max(last_active_at) as t from clerk_user_activity)
select date_trunc('week', created_at)::date as week,
       count(*) as sign_ups,
       round(100.0 * count(*) filter (where last_active_at > t - interval '30 days') / count(*), 1) as pct_active_30d
from clerk_user_activity, as_of
group by 1
order by 1 desc
limit 8;
-- %% Organizations by size
select o.name, count(m.user_id) as members,
       count(*) filter (where m.role = 'org:admin') as admins,
       to_timestamp(o.created_at / 1000)::date as created
from clerk_organizations o
join clerk_organization_memberships m on m.organization_id = o.organization_id
group by o.organization_id, o.name, o.created_at
order by members desc
limit 10;
-- %% Organizations created per quarter
select date_trunc('quarter', to_timestamp(created_at / 1000))::date as quarter, count(*) as organizations
from clerk_organizations
group by 1
order by 1;
-- %% Members of one organization (the seed's query; pushed down to one endpoint)
select m.user_id, u.email, m.role
from clerk_organization_memberships m
left join clerk_users u on u.user_id = m.user_id
where m.organization_id = (select organization_id from clerk_organizations order by created_at limit 1)
order by m.role, u.email;
-- %% Users in no organization
select count(*) as users_without_organization
from clerk_users u
where not exists (select 1 from clerk_organization_memberships m where m.user_id = u.user_id);
-- %% Email domains (company sign-ups)
select split_part(email, '@', 2) as domain, count(*) as users
from clerk_users
where email is not null
group by 1
order by users desc
limit 10;
-- %% MFA adoption, banned and locked users
select round(100.0 * avg(two_factor_enabled::int), 1) as pct_mfa,
       count(*) filter (where banned) as banned,
       count(*) filter (where locked) as locked
from clerk_user_activity;
-- %% Sign-in methods
select coalesce(provider, 'email / password only') as method, count(*) as users
from clerk_user_activity
left join lateral (select jsonb_array_elements(external_accounts) ->> 'provider' as provider) p on true
group by 1
order by users desc;
-- %% [markdown]
-- ## A local table
-- Copy the rows once, then query them without calling Clerk again (the seed's own advice).
-- %% Keep a local copy
create table local_users as select * from clerk_users;
-- %% Query the local copy
select count(*) as local_users, count(distinct split_part(email, '@', 2)) as domains from local_users;
