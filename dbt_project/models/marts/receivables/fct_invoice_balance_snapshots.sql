{#- One row per Arrendasoft invoice per snapshot: the balance history a past aging can be rebuilt from. -#}
{{ config(materialized='lineage_incremental', meta={'configured_connections': true}) }}
with invoices as (
    select * from {{ ref('stg_arrendasoft__invoices') }} as _invoices
    {{ pipeline.new_lineage_only('_invoices') }}
)

select
    i.tenant,
    c.source,
    c.currency,
    i.document_id,
    i.snapshot_date,
    i.status,
    i.total,
    i.balance_due,
    i.document_number,
    i.issue_date,
    coalesce(i.due_date, i.issue_date)               as due_date,
    i.customer_id,
    i.customer_name,
    i.partition_key,
    i.run_id,
    i.extracted_at
from invoices as i
inner join {{ ref('stg_pipeline__connections') }} as c
    on c.tenant = i.tenant and c.source = 'arrendasoft'
