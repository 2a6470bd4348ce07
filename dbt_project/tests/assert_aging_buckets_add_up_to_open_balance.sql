{#- Per tenant, the aging buckets add up to the open balance and document count of fct_receivables. -#}
{{ config(meta={'dagster': {'ref': {'name': 'rpt_receivables_aging'}}}) }}
with aging as (
    select tenant, sum(balance_due) as balance_due, sum(documents) as documents
    from {{ ref('rpt_receivables_aging') }}
    group by tenant
),

receivables as (
    select tenant, sum(balance_due) as balance_due, count(*) as documents
    from {{ ref('fct_receivables') }}
    group by tenant
)

select *
from receivables as r
full outer join aging as a using (tenant)
where r.balance_due is distinct from a.balance_due
    or r.documents is distinct from a.documents
