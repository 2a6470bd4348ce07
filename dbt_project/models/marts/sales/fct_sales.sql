{#- One row per sales document of Troyansys, SmartPyme and Arrendasoft (latest snapshot), every type and status. -#}
{{ config(materialized='lineage_incremental', meta={
    'lineage': ['tenant', 'source', 'partition_key', 'run_id'],
    'supersede': ['tenant', 'source', 'document_id'],
    'configured_connections': true}) }}
with documents as (
    select * from {{ ref('int_sales_documents_unioned') }} as _documents
    {{ pipeline.new_lineage_only('_documents') }}
)

select
    d.tenant,
    d.source,
    c.currency,
    d.document_id,
    d.document_number,
    d.document_type,
    d.status,
    d.issue_date,
    d.due_date,
    d.customer_id,
    d.customer_name,
    cast(d.subtotal as decimal(18, 4))               as subtotal,
    cast(d.tax as decimal(18, 4))                    as tax,
    cast(d.discount as decimal(18, 4))               as discount,
    cast(d.total as decimal(18, 4))                  as total,
    cast(d.paid_amount as decimal(18, 4))            as paid_amount,
    cast(d.balance_due as decimal(18, 4))            as balance_due,
    d.is_quotation,
    d.is_void,
    d.is_receivable_kind,
    d.partition_key,
    d.run_id,
    d.extracted_at
from documents as d
inner join {{ ref('stg_pipeline__connections') }} as c  -- a connection removed from the file leaves the marts
    on c.tenant = d.tenant and c.source = d.source
