{#- One row per Troyansys purchase document, every type and status. -#}
{{ config(materialized='lineage_incremental', meta={
    'supersede': ['tenant', 'source', 'document_id'], 'configured_connections': true}) }}
with purchases as (
    select * from {{ ref('stg_troyansys__purchases') }} as _purchases
    {{ pipeline.new_lineage_only('_purchases') }}
)

select
    p.tenant,
    c.source,
    c.currency,
    p.document_id,
    p.document_number,
    p.document_type,
    p.status,
    p.issue_date,
    p.supplier_id,
    p.supplier_name,
    p.subtotal,
    p.tax,
    p.total,
    p.partition_key,
    p.run_id,
    p.extracted_at
from purchases as p
inner join {{ ref('stg_pipeline__connections') }} as c
    on c.tenant = p.tenant and c.source = 'troyansys'
