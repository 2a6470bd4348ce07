{{ config(contract={'enforced': true}) }}
{#- Posted journal entries whose debits and credits differ (kept everywhere else as they are). -#}
select
    tenant,
    source,
    entry_id,
    document_number,
    entry_date,
    cast(debit as decimal(38, 4))            as debit,
    cast(credit as decimal(38, 4))           as credit,
    cast(debit - credit as decimal(38, 4))   as difference
from {{ ref('int_journal_entries_unioned') }}
where status = 'posted'
    and debit <> credit
