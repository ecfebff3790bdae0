-- %% [markdown]
-- # Clerk Billing: MRR, subscriptions and revenue
--
-- Plans, subscription items and statements from Clerk Billing's Backend API. Amounts are in
-- cents, as Clerk sends them. Free-plan items are read too (Clerk leaves them out unless
-- asked), so counts of subscribers include them.
-- %% Connect to Clerk
create foreign data wrapper clerk_wrapper
  handler clerk_fdw_handler
  validator clerk_fdw_validator;

create server clerk_server
  foreign data wrapper clerk_wrapper
  options (api_key '<clerk secret Key>');

import foreign schema clerk from server clerk_server into public;
-- %% Subscription items with real timestamps
create foreign table subscription_items (
  id text,
  status text,
  plan_slug text,
  plan_name text,
  plan_period text,
  is_free_trial boolean,
  payer_user_id text,
  payer_organization_id text,
  monthly_fee_amount bigint,
  period_start timestamptz,
  period_end timestamptz,
  canceled_at timestamptz,
  created_at timestamptz
)
server clerk_server
options (object 'billing_subscription_items');
-- %% The plans
select name, slug, for_payer_type as payer, round(fee_amount / 100.0, 2) as monthly_usd,
       round(annual_monthly_fee_amount / 100.0, 2) as monthly_usd_if_annual, free_trial_days
from clerk_billing_plans
order by for_payer_type desc, fee_amount;
-- %% [markdown]
-- ## MRR
-- Monthly recurring revenue: what the paying items cost a month (an annual item's fee by the
-- month), counting `active` and `past_due` items, not free trials, and not `canceled` ones
-- (they are paid to the end of their period but will not renew).
-- %% MRR by plan
select plan_name,
       count(*) as paying,
       round(sum(monthly_fee_amount) / 100.0, 2) as mrr_usd,
       round(100.0 * sum(monthly_fee_amount) / sum(sum(monthly_fee_amount)) over (), 1) as pct_of_mrr
from subscription_items
where status in ('active', 'past_due') and not is_free_trial and monthly_fee_amount > 0
group by plan_name
order by mrr_usd desc;
-- %% MRR from users and from organizations
select case when payer_organization_id is not null then 'organizations' else 'users' end as payer,
       count(*) as paying,
       round(sum(monthly_fee_amount) / 100.0, 2) as mrr_usd
from subscription_items
where status in ('active', 'past_due') and not is_free_trial and monthly_fee_amount > 0
group by 1
order by 1;
-- %% [markdown]
-- ## Subscriptions
-- %% Items by plan and status
select plan_slug, status, is_free_trial, count(*) as items
from subscription_items
group by 1, 2, 3
order by 1, 2, 3;
-- %% Free trials: how many, and ending within 7 days
with as_of as (select max(greatest(created_at, canceled_at)) as t from subscription_items)
select plan_name,
       count(*) as trials,
       count(*) filter (where period_end <= t + interval '7 days') as ending_within_7_days
from subscription_items, as_of
where is_free_trial and status = 'active'
group by plan_name
order by trials desc;
-- %% Cancellations per month (paid plans)
select date_trunc('month', canceled_at)::date as month, count(*) as canceled
from subscription_items
where canceled_at is not null and monthly_fee_amount > 0
group by 1
order by 1;
-- %% [markdown]
-- ## Revenue billed
-- Statements by the month they were issued; the latest month is still adding up.
-- %% Revenue per month
with statements as (
  select date_trunc('month', to_timestamp(timestamp / 1000)) as month, grand_total_amount from clerk_billing_statements
)
select month::date,
       count(*) as statements,
       round(sum(grand_total_amount) / 100.0, 2) as billed_usd,
       month = max(month) over () as incomplete
from statements
group by month
order by month;
