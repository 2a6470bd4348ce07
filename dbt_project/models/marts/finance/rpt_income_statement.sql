{#-
  Income statement: one row per tenant with posted journal lines and month, over the trial balance's months
  (taken from fct_journal_balance, so both always agree), zero in months without movement. Posted lines only;
  classes 8 and 9 (memorandum accounts) in neither figure.
  income = class 4 credit - debit; costs_and_expenses = classes 5 to 7 debit - credit; net_income_ytd = the
  sum of net_income from January (or the first loaded month, if later) through this month.
-#}
with months as (
    select distinct tenant, source, currency, period
    from {{ ref('fct_journal_balance') }}
),

movements as (
    select
        tenant, source, currency,
        cast(date_trunc('month', entry_date) as date) as period,
        sum(case when account_class = '4' then credit - debit else 0 end) as income,
        sum(case when account_class in ('5', '6', '7') then debit - credit else 0 end) as costs_and_expenses
    from {{ ref('fct_journal_lines') }}
    where status = 'posted'
    group by tenant, source, currency, cast(date_trunc('month', entry_date) as date)
),

filled as (
    select
        m.tenant, m.source, m.currency, m.period,
        cast(coalesce(v.income, 0) as decimal(38, 4))             as income,
        cast(coalesce(v.costs_and_expenses, 0) as decimal(38, 4)) as costs_and_expenses
    from months as m
    left join movements as v
        on v.tenant = m.tenant and v.source = m.source and v.currency = m.currency and v.period = m.period
)

select
    tenant,
    source,
    currency,
    period,
    income,
    costs_and_expenses,
    cast(income - costs_and_expenses as decimal(38, 4)) as net_income,
    cast(sum(income - costs_and_expenses) over (
        partition by tenant, source, currency, extract(year from period)
        order by period rows between unbounded preceding and current row
    ) as decimal(38, 4)) as net_income_ytd
from filled
