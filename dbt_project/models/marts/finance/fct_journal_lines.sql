{#- One row per journal line: SERPI document lines and the lines of Troyansys entries that carry them. -#}
{{ config(materialized='lineage_incremental', meta={
    'lineage': ['tenant', 'source', 'partition_key', 'run_id'],
    'supersede': ['tenant', 'source', 'entry_id'],
    'configured_connections': true}) }}
with lines as (
    select * from {{ ref('int_journal_lines_unioned') }} as _lines
    {{ pipeline.new_lineage_only('_lines') }}
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
    cast(l.debit as decimal(18, 4))                  as debit,
    cast(l.credit as decimal(18, 4))                 as credit,
    l.partition_key,
    l.run_id,
    l.extracted_at
from lines as l
inner join {{ ref('stg_pipeline__connections') }} as c
    on c.tenant = l.tenant and c.source = l.source
