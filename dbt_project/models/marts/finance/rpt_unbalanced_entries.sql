{#- Posted journal entries whose debits and credits differ (kept everywhere else as they are). -#}
select
    e.tenant,
    e.source,
    e.entry_id,
    e.document_number,
    e.entry_date,
    cast(e.debit as decimal(38, 4))                  as debit,
    cast(e.credit as decimal(38, 4))                 as credit,
    cast(e.debit - e.credit as decimal(38, 4))       as difference
from {{ ref('int_journal_entries_unioned') }} as e
inner join {{ ref('stg_pipeline__connections') }} as c
    on c.tenant = e.tenant and c.source = e.source
where e.status = 'posted'
    and e.debit <> e.credit
