{#-
  Trial balance: one row per tenant, account and month, posted lines only (unbalanced entries included), from
  the account's first posted month to the last month of journal entries extracted for the tenant (its journal
  endpoints' windows: a month whose entries were not extracted is not shown as a month without movement),
  zero-filled, with
  closing_balance = cumulative net since the account's first loaded period.
-#}
with recursive posted as (
    select
        tenant, source, currency, account, account_class,
        cast(date_trunc('month', entry_date) as date) as period,
        debit, credit
    from {{ ref('fct_journal_lines') }}
    where status = 'posted'
),

movements as (
    select tenant, source, currency, account, account_class, period, sum(debit) as debit, sum(credit) as credit
    from posted
    group by tenant, source, currency, account, account_class, period
),

last_extracted as (
    select tenant, source, max(last_period) as last_period
    from (
        select tenant, source, cast(date_trunc('month', window_end) as date) as last_period
        from {{ ref('stg_pipeline__manifests') }}
        where (source = 'serpi' and endpoint = 'documents') or (source = 'troyansys' and endpoint = 'accounting')
        union all
        select tenant, source, max(period) from movements group by tenant, source
    ) as periods
    group by tenant, source
),

accounts as (
    select tenant, source, currency, account, account_class, min(period) as first_period
    from movements
    group by tenant, source, currency, account, account_class
),

spine as (
    select a.tenant, a.source, a.currency, a.account, a.account_class, a.first_period as period, l.last_period
    from accounts as a
    inner join last_extracted as l on l.tenant = a.tenant and l.source = a.source
    union all
    select tenant, source, currency, account, account_class,
        cast(period + interval '1 month' as date), last_period
    from spine
    where period < last_period
),

filled as (
    select
        s.tenant, s.source, s.currency, s.period, s.account, s.account_class,
        cast(coalesce(m.debit, 0) as decimal(38, 4))  as debit,
        cast(coalesce(m.credit, 0) as decimal(38, 4)) as credit
    from spine as s
    left join movements as m
        on m.tenant = s.tenant and m.source = s.source and m.account = s.account and m.period = s.period
)

select
    tenant,
    source,
    currency,
    period,
    account,
    account_class,
    debit,
    credit,
    cast(debit - credit as decimal(38, 4)) as net,
    cast(sum(debit - credit) over (
        partition by tenant, source, account order by period rows between unbounded preceding and current row
    ) as decimal(38, 4)) as closing_balance
from filled
