{#- One row per SmartPyme sale line of the kept version of each sale in fct_sales, whatever its status. -#}
{{ config(materialized='lineage_incremental', meta={
    'supersede': ['tenant', 'source', 'document_id'], 'configured_connections': true}) }}
with lines as (
    select * from {{ ref('stg_smartpyme__sale_lines') }} as _lines
    {{ pipeline.new_lineage_only('_lines') }}
)

select
    l.tenant,
    c.source,
    c.currency,
    l.document_id,
    l.line_number,
    l.issue_date,
    l.product_code,
    l.product_name,
    l.quantity,
    l.unit_price,
    l.discount,
    l.line_total,
    l.tax,
    l.unit_cost,
    l.cost_total,
    cast(l.line_total - l.cost_total as decimal(18, 4)) as gross_margin,
    l.partition_key,
    l.run_id,
    l.extracted_at
from lines as l
inner join {{ ref('stg_pipeline__connections') }} as c
    on c.tenant = l.tenant and c.source = 'smartpyme'
