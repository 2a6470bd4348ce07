{{ config(contract={'enforced': true}) }}
{#- One row per journal line: SERPI document lines and the lines of Troyansys entries that carry them. -#}
with lines as (
    select * from {{ ref('int_journal_lines_unioned') }}
),

connections as (
    select * from {{ ref('stg_pipeline__connections') }}
)

select
    l.tenant,
    l.source,
    c.currency,
    l.entry_id,
    l.line_number,
    l.document_type,
    l.document_number,
    l.entry_date,
    l.status,
    l.account,
    l.account_class,
    l.third_party_id,
    l.nature,
    cast(l.debit as decimal(18, 4))      as debit,
    cast(l.credit as decimal(18, 4))     as credit
from lines as l
inner join connections as c  -- a connection removed from the file leaves the marts, its raw pages stay
    on c.tenant = l.tenant and c.source = l.source
