{#-
  Balance sheet: one row per tenant and month, the income statement's months. Cumulative movements of posted
  lines from the tenant's first loaded month through the end of this one (no opening balances: the APIs give
  none): assets = class 1 debit - credit; liabilities, equity = classes 2, 3 credit - debit; result_to_date =
  the cumulative net_income of rpt_income_statement. difference = assets - liabilities - equity -
  result_to_date, the cumulative imbalance of the posted lines in classes 1 to 7 (zero while entries balance).
-#}
with movements as (
    select
        tenant, source, currency,
        cast(date_trunc('month', entry_date) as date) as period,
        sum(case when account_class = '1' then debit - credit else 0 end) as assets,
        sum(case when account_class = '2' then credit - debit else 0 end) as liabilities,
        sum(case when account_class = '3' then credit - debit else 0 end) as equity
    from {{ ref('fct_journal_lines') }}
    where status = 'posted'
    group by tenant, source, currency, cast(date_trunc('month', entry_date) as date)
),

{%- set to_date = 'over (partition by s.tenant, s.source, s.currency order by s.period '
                  ~ 'rows between unbounded preceding and current row)' %}

cumulative as (
    select
        s.tenant, s.source, s.currency, s.period,
        sum(coalesce(v.assets, 0)) {{ to_date }}      as assets,
        sum(coalesce(v.liabilities, 0)) {{ to_date }} as liabilities,
        sum(coalesce(v.equity, 0)) {{ to_date }}      as equity,
        sum(s.net_income) {{ to_date }}               as result_to_date
    from {{ ref('rpt_income_statement') }} as s
    left join movements as v
        on v.tenant = s.tenant and v.source = s.source and v.currency = s.currency and v.period = s.period
)

select
    tenant,
    source,
    currency,
    period,
    cast(assets as decimal(38, 4))                                        as assets,
    cast(liabilities as decimal(38, 4))                                   as liabilities,
    cast(equity as decimal(38, 4))                                        as equity,
    cast(result_to_date as decimal(38, 4))                                as result_to_date,
    cast(assets - liabilities - equity - result_to_date as decimal(38, 4)) as difference
from cumulative
