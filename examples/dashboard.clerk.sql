-- %% [markdown]
-- # The Clerk Dashboard's reports, in SQL
--
-- Sign-ups, active users, retention and organization growth, as the Dashboard's Overview shows
-- them, on any instance (the Dashboard reports on production instances only, updated daily).
--
-- What the Backend API can and cannot show: it keeps each user's `created_at` (the sign-up),
-- `last_sign_in_at` and `last_active_at` (the day of the latest activity), a snapshot, not a
-- history of events. So sign-ups per period are exact; "active in the last N days" is exact
-- as of now; but who was active in an earlier period is not kept anywhere, and retention
-- below is "still seen at least N months after signing up", a lower bound.
--
-- Every report is as of the latest activity the instance has seen (on a live instance, about
-- now), so the current period is marked incomplete.
-- %% Connect to Clerk
create foreign data wrapper clerk_wrapper
  handler clerk_fdw_handler
  validator clerk_fdw_validator;

create server clerk_server
  foreign data wrapper clerk_wrapper
  options (api_key '<clerk secret Key>');
-- %% Users, organizations and memberships, with real timestamps
create foreign table users (
  id text,
  email_addresses text[],
  created_at timestamptz,
  last_sign_in_at timestamptz,
  last_active_at timestamptz
)
server clerk_server
options (object 'users');

create foreign table organizations (
  id text,
  name text,
  created_at timestamptz
)
server clerk_server
options (object 'organizations');

create foreign table memberships (
  user_id text,
  organization_id text,
  created_at timestamptz
)
server clerk_server
options (object 'organization_memberships');
-- %% [markdown]
-- ## Hide test users
-- Sign-ups made by automated tests use Clerk's test addresses (`+clerk_test`). The Dashboard
-- can hide them; here the switch is the psql variable `hide_test_users`: replace `true` by
-- `false` and run the cells again to count them too, or give it on the command line
-- (`clerk-notebook run dashboard.clerk.sql --set hide_test_users=false`).
-- %% The switch
\set hide_test_users true
-- %% The users every report counts
create or replace view report_users as
select u.*
from users u
where not :hide_test_users
   or array_to_string(u.email_addresses, ' ') not like '%+clerk\_test@%';
-- %% How many test users were left out
select count(*) filter (where array_to_string(email_addresses, ' ') like '%+clerk\_test@%') as test_users,
       count(*) as all_users,
       (select count(*) from report_users) as counted
from users;
-- %% [markdown]
-- ## Sign-ups
-- %% Sign-ups per day, last 30 days
-- Every day of the 30, a day without sign-ups too.
with as_of as (select max(greatest(created_at, last_active_at)) as t from users),
days as (select generate_series(t::date - 29, t::date, interval '1 day')::date as day, t from as_of)
select d.day,
       count(u.id) as sign_ups,
       d.day = d.t::date as incomplete
from days d
left join report_users u on u.created_at::date = d.day
group by d.day, d.t
order by 1;
-- %% Sign-ups per week, last 12 weeks
with as_of as (select max(greatest(created_at, last_active_at)) as t from users)
select date_trunc('week', created_at)::date as week,
       count(*) as sign_ups,
       date_trunc('week', created_at) = date_trunc('week', t) as incomplete
from report_users, as_of
where created_at >= date_trunc('week', t) - interval '11 weeks'
group by 1, 3
order by 1;
-- %% Sign-ups per month, last 12 months
with as_of as (select max(greatest(created_at, last_active_at)) as t from users)
select date_trunc('month', created_at)::date as month,
       count(*) as sign_ups,
       date_trunc('month', created_at) = date_trunc('month', t) as incomplete
from report_users, as_of
where created_at >= date_trunc('month', t) - interval '11 months'
group by 1, 3
order by 1;
-- %% [markdown]
-- ## Active users
-- A user is active in a period when their latest activity falls in it. That is exact for the
-- periods ending now; for earlier periods the API keeps no record.
-- %% Active in the last day, week and month
with as_of as (select max(greatest(created_at, last_active_at)) as t from users)
select count(*) filter (where last_active_at > t - interval '1 day') as active_1_day,
       count(*) filter (where last_active_at > t - interval '7 days') as active_7_days,
       count(*) filter (where last_active_at > t - interval '30 days') as active_30_days,
       count(*) as users,
       round(100.0 * count(*) filter (where last_active_at > t - interval '30 days') / nullif(count(*), 0), 1) as pct_active_30_days
from report_users, as_of;
-- %% [markdown]
-- ## Retention by sign-up month
-- The share of each month's sign-ups whose latest activity is at least 1, 2, 3 and 6 months
-- after their sign-up: they surely came back then (a lower bound: someone active in month 2
-- who has not been back since counts for month 1 and 2, not 3). A cohort too young for a
-- column shows NULL there.
-- %% Retention cohorts
with as_of as (select max(greatest(created_at, last_active_at)) as t from users),
cohorts as (
  select date_trunc('month', created_at) as cohort, created_at, last_active_at, t
  from report_users, as_of
  where created_at >= date_trunc('month', t) - interval '12 months'
)
select cohort::date as sign_up_month,
       count(*) as users,
       case when max(t) >= cohort + interval '2 months' then round(100.0 * avg((last_active_at >= created_at + interval '1 month')::int), 1) end as pct_month_1,
       case when max(t) >= cohort + interval '3 months' then round(100.0 * avg((last_active_at >= created_at + interval '2 months')::int), 1) end as pct_month_2,
       case when max(t) >= cohort + interval '4 months' then round(100.0 * avg((last_active_at >= created_at + interval '3 months')::int), 1) end as pct_month_3,
       case when max(t) >= cohort + interval '7 months' then round(100.0 * avg((last_active_at >= created_at + interval '6 months')::int), 1) end as pct_month_6
from cohorts
group by cohort
order by cohort;
-- %% [markdown]
-- ## Organization growth
-- Organizations have no activity date of their own in the API: an organization is active when
-- one of its members is. New: created in the month. Retained: active in the last 30 days.
-- Churned: no member active for 30 days or more.
-- %% Organization growth by creation month
with as_of as (select max(greatest(created_at, last_active_at)) as t from users),
activity as (
  select o.id, o.created_at, max(u.last_active_at) as last_active_at
  from organizations o
  left join memberships m on m.organization_id = o.id
  left join users u on u.id = m.user_id
  group by o.id, o.created_at
)
select date_trunc('month', created_at)::date as month,
       count(*) as new,
       count(*) filter (where last_active_at > t - interval '30 days') as retained,
       count(*) filter (where last_active_at is null or last_active_at <= t - interval '30 days') as churned
from activity, as_of
where created_at >= date_trunc('month', t) - interval '11 months'
group by 1
order by 1;
