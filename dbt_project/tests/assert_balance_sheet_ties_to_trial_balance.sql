{#-
  Per tenant and month, the balance sheet is the trial balance's closing balances (cumulative net since each
  account's first loaded month): assets = class 1, liabilities and equity = minus classes 2 and 3,
  result_to_date = minus classes 4 to 7; and difference = the cumulative debit - credit of every posted line in
  classes 1 to 7 of fct_journal_lines through the end of the month.
-#}
{{ config(meta={'dagster': {'ref': {'name': 'rpt_balance_sheet'}}}) }}
with trial as (
    select
        tenant, source, period,
        sum(case when account_class = '1' then closing_balance else 0 end) as assets,
        sum(case when account_class = '2' then -closing_balance else 0 end) as liabilities,
        sum(case when account_class = '3' then -closing_balance else 0 end) as equity,
        sum(case when account_class in ('4', '5', '6', '7') then -closing_balance else 0 end) as result_to_date
    from {{ ref('fct_journal_balance') }}
    group by tenant, source, period
),

lines as (
    select
        tenant, source,
        cast(date_trunc('month', entry_date) as date) as period,
        sum(debit - credit) as imbalance
    from {{ ref('fct_journal_lines') }}
    where status = 'posted' and account_class in ('1', '2', '3', '4', '5', '6', '7')
    group by tenant, source, cast(date_trunc('month', entry_date) as date)
),

sheet as (
    select
        b.tenant, b.source, b.period, b.assets, b.liabilities, b.equity, b.result_to_date, b.difference,
        sum(coalesce(l.imbalance, 0)) over (
            partition by b.tenant, b.source order by b.period rows between unbounded preceding and current row
        ) as lines_imbalance
    from {{ ref('rpt_balance_sheet') }} as b
    left join lines as l on l.tenant = b.tenant and l.source = b.source and l.period = b.period
)

select *
from trial as t
full outer join sheet as s using (tenant, source, period)
where t.assets is distinct from s.assets
    or t.liabilities is distinct from s.liabilities
    or t.equity is distinct from s.equity
    or t.result_to_date is distinct from s.result_to_date
    or s.lines_imbalance is distinct from s.difference
