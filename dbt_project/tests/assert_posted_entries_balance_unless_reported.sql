{#- Every posted journal entry balances, unless it is listed in rpt_unbalanced_entries. -#}
{{ config(meta={'dagster': {'ref': {'name': 'rpt_unbalanced_entries'}}}) }}
select e.*
from {{ ref('int_journal_entries_unioned') }} as e
left join {{ ref('rpt_unbalanced_entries') }} as u
    on u.tenant = e.tenant and u.source = e.source and u.entry_id = e.entry_id
where e.status = 'posted'
    and e.debit is distinct from e.credit
    and e.debit is not null
    and u.entry_id is null
