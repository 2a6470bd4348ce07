{#-
  The balance sheet's difference is exactly what rpt_unbalanced_entries explains: per tenant and month, the
  cumulative debit - credit of the listed entries' posted lines in classes 1 to 7 (an entry without lines, or
  unbalanced only in memorandum classes 8 and 9, moves no statement). So it is zero through every month whose
  posted entries all balance, and it changes only in a month holding an unbalanced entry.
-#}
{{ config(meta={'dagster': {'ref': {'name': 'rpt_balance_sheet'}}}) }}
with listed as (
    select
        l.tenant, l.source,
        cast(date_trunc('month', l.entry_date) as date) as period,
        sum(l.debit - l.credit) as imbalance
    from {{ ref('rpt_unbalanced_entries') }} as u
    inner join {{ ref('fct_journal_lines') }} as l
        on l.tenant = u.tenant and l.source = u.source and l.entry_id = u.entry_id
    where l.status = 'posted' and l.account_class in ('1', '2', '3', '4', '5', '6', '7')
    group by l.tenant, l.source, cast(date_trunc('month', l.entry_date) as date)
),

explained as (
    select
        b.tenant, b.source, b.period, b.difference,
        sum(coalesce(x.imbalance, 0)) over (
            partition by b.tenant, b.source order by b.period rows between unbounded preceding and current row
        ) as listed_imbalance
    from {{ ref('rpt_balance_sheet') }} as b
    left join listed as x on x.tenant = b.tenant and x.source = b.source and x.period = b.period
)

select *
from explained
where difference <> listed_imbalance
