{#- One row per tenant, snapshot date, warehouse and product (zero quantities kept). -#}
{{ config(materialized='lineage_incremental', meta={'configured_connections': true}) }}
with inventory as (
    select * from {{ ref('stg_troyansys__inventory') }} as _inventory
    {{ pipeline.new_lineage_only('_inventory') }}
)

select
    i.tenant,
    c.source,
    c.currency,
    i.snapshot_date,
    i.warehouse_id,
    i.product_id,
    i.sku,
    i.product_name,
    i.quantity,
    i.unit_cost,
    cast(coalesce(i.total_value, round(i.quantity * i.unit_cost, 2)) as decimal(18, 4)) as inventory_value,
    i.stock_alert_code,
    i.partition_key,
    i.run_id,
    i.extracted_at
from inventory as i
inner join {{ ref('stg_pipeline__connections') }} as c
    on c.tenant = i.tenant and c.source = 'troyansys'
