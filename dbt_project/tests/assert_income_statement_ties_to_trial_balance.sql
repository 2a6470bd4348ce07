{#-
  Per tenant and month, the income statement is the trial balance's classes 4 to 7: income = class 4
  credit - debit, costs_and_expenses = classes 5 to 7 debit - credit, net_income = their credit - debit; the
  same months on both, and net_income_ytd sums net_income within the year.
-#}
{{ config(meta={'dagster': {'ref': {'name': 'rpt_income_statement'}}}) }}
with trial as (
    select
        tenant, source, period,
        sum(case when account_class = '4' then credit - debit else 0 end) as income,
        sum(case when account_class in ('5', '6', '7') then debit - credit else 0 end) as costs_and_expenses,
        sum(case when account_class in ('4', '5', '6', '7') then credit - debit else 0 end) as net_income
    from {{ ref('fct_journal_balance') }}
    group by tenant, source, period
),

statement as (
    select
        tenant, source, period, income, costs_and_expenses, net_income, net_income_ytd,
        sum(net_income) over (
            partition by tenant, source, extract(year from period)
            order by period rows between unbounded preceding and current row
        ) as year_to_date
    from {{ ref('rpt_income_statement') }}
)

select *
from trial as t
full outer join statement as s using (tenant, source, period)
where t.income is distinct from s.income
    or t.costs_and_expenses is distinct from s.costs_and_expenses
    or t.net_income is distinct from s.net_income
    or s.net_income_ytd is distinct from s.year_to_date
