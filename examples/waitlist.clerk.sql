-- %% [markdown]
-- # The waitlist
--
-- Clerk's waitlist (`GET /waitlist_entries`) as a table: who is waiting, who was invited, and
-- whether they used the invitation. clerk_fdw has no such table; the setup is the same.
-- %% Create the foreign data wrapper
create foreign data wrapper clerk_wrapper
  handler clerk_fdw_handler
  validator clerk_fdw_validator;
-- %% Connect to Clerk
create server my_clerk_server
  foreign data wrapper clerk_wrapper
  options (
    api_key '<clerk secret Key>')
-- %% The waitlist
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
