{#- Every posted journal entry of a configured connection balances, unless it is listed in rpt_unbalanced_entries. -#}
{{ config(meta={'dagster': {'ref': {'name': 'rpt_unbalanced_entries'}}}) }}
select e.*
from {{ ref('int_journal_entries_unioned') }} as e
inner join {{ ref('stg_pipeline__connections') }} as c
    on c.tenant = e.tenant and c.source = e.source
left join {{ ref('rpt_unbalanced_entries') }} as u
    on u.tenant = e.tenant and u.source = e.source and u.entry_id = e.entry_id
where e.status = 'posted'
    and e.debit <> e.credit
    and u.entry_id is null
