{{ config(contract={'enforced': true}) }}
{#- One row per tenant, snapshot date, warehouse and product (zero quantities kept). -#}
with inventory as (
    select * from {{ ref('stg_troyansys__inventory') }}
),

connections as (
    select * from {{ ref('stg_pipeline__connections') }}
)

select
    i.tenant,
    'troyansys'                                  as source,
    c.currency,
    i.snapshot_date,
    i.warehouse_id,
    i.product_id,
    i.sku,
    i.product_name,
    cast(i.quantity as decimal(18, 4))           as quantity,
    cast(i.unit_cost as decimal(18, 4))          as unit_cost,
    cast(coalesce(i.total_value, round(i.quantity * i.unit_cost, 2)) as decimal(18, 4)) as inventory_value,
    i.stock_alert_code,
    i.extracted_at
from inventory as i
inner join connections as c  -- a connection removed from the file leaves the marts, its raw pages stay
    on c.tenant = i.tenant and c.source = 'troyansys'
