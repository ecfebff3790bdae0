-- %% [markdown]
-- # Invitations and the waitlist
--
-- Clerk's invitations (`GET /invitations`, `GET /organization_invitations`) and waitlist
-- (`GET /waitlist_entries`) as tables: who was invited and never accepted, who is waiting, who
-- got in. clerk_fdw has none of these tables; the setup is the same.
-- %% Create the foreign data wrapper
create foreign data wrapper clerk_wrapper
  handler clerk_fdw_handler
  validator clerk_fdw_validator;
-- %% Connect to Clerk
create server my_clerk_server
  foreign data wrapper clerk_wrapper
  options (
    api_key '<clerk secret Key>')
-- %% The invitations and the waitlist
create foreign table clerk_invitations (
  id text,
  email_address text,
  status text,
  expires_at timestamptz,
  created_at timestamptz,
  updated_at timestamptz,
  public_metadata jsonb
)
server my_clerk_server
options (object 'invitations');
create foreign table clerk_organization_invitations (
  id text,
  email_address text,
  role text,
  organization_id text,
  status text,
  created_at timestamptz,
  public_organization_data jsonb
)
server my_clerk_server
options (object 'organization_invitations');
create foreign table clerk_waitlist (
  id text,
  email_address text,
  status text,
  created_at timestamptz,
  updated_at timestamptz,
  invitation jsonb
)
server my_clerk_server
options (object 'waitlist_entries');
create foreign table clerk_users_by_email (
  user_id text,
  email text,
  created_at timestamptz
)
server my_clerk_server
options (object 'users');
-- %% The invitations funnel
select status, count(*) as invitations, round(100.0 * count(*) / sum(count(*)) over (), 1) as pct
from clerk_invitations
group by status
order by invitations desc;
-- %% Invited and never accepted: still open, expiring first
select email_address, created_at::date as invited, expires_at::date as expires
from clerk_invitations
where status = 'pending'
order by expires_at nulls last
limit 5;
-- %% Accepted invitations: how soon people signed up
select count(*) as accepted,
       round(avg(extract(epoch from u.created_at - i.created_at) / 3600)::numeric, 1) as hours_to_sign_up
from clerk_invitations i
join clerk_users_by_email u on u.email = i.email_address
where i.status = 'accepted';
-- %% Organizations with the most invitations still open
select public_organization_data ->> 'name' as organization, count(*) as open_invitations, min(created_at)::date as oldest
from clerk_organization_invitations
where status = 'pending'
group by 1
order by open_invitations desc, organization
limit 5;
-- %% How long is the waitlist?
select status, count(*) as entries, min(created_at)::date as since
from clerk_waitlist
group by status
order by entries desc;
-- %% Still waiting, oldest first (a `status` condition is sent to Clerk: one request per status)
select email_address, created_at::date as joined, (max(created_at) over () - created_at) as waiting_for
from clerk_waitlist
where status = 'pending'
order by created_at
limit 5;
-- %% What became of the invitations
select invitation ->> 'status' as invitation,
       count(*) as entries,
       round(avg(extract(epoch from to_timestamp((invitation ->> 'created_at')::bigint / 1000.0) - created_at) / 86400)::numeric, 1) as days_on_the_list
from clerk_waitlist
where invitation is not null
group by 1
order by entries desc;
-- %% Joined the waitlist per week, the last 8 weeks of the list
select date_trunc('week', created_at)::date as week, count(*) as joined
from clerk_waitlist
where created_at > (select max(created_at) from clerk_waitlist) - interval '8 weeks'
group by 1
order by 1;
