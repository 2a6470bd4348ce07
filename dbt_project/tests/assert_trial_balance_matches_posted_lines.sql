{#- The trial balance carries exactly the posted journal lines' debits and credits, per tenant and account. -#}
{{ config(meta={'dagster': {'ref': {'name': 'fct_journal_balance'}}}) }}
with balance as (
    select tenant, source, account, sum(debit) as debit, sum(credit) as credit
    from {{ ref('fct_journal_balance') }}
    group by tenant, source, account
),

lines as (
    select tenant, source, account, sum(debit) as debit, sum(credit) as credit
    from {{ ref('fct_journal_lines') }}
    where status = 'posted'
    group by tenant, source, account
)

select *
from lines as l
full outer join balance as b using (tenant, source, account)
where l.debit is distinct from b.debit or l.credit is distinct from b.credit
