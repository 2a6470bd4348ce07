{{ config(contract={'enforced': true}) }}
{#- One row per SmartPyme sale line of the latest version of each sale in fct_sales, whatever its status. -#}
with lines as (
    select * from {{ ref('stg_smartpyme__sale_lines') }}
),

connections as (
    select * from {{ ref('stg_pipeline__connections') }}
)

select
    l.tenant,
    'smartpyme'                                          as source,
    c.currency,
    l.document_id,
    l.line_number,
    l.issue_date,
    l.product_code,
    l.product_name,
    cast(l.quantity as decimal(18, 4))                   as quantity,
    cast(l.unit_price as decimal(18, 4))                 as unit_price,
    cast(l.discount as decimal(18, 4))                   as discount,
    cast(l.line_total as decimal(18, 4))                 as line_total,
    cast(l.tax as decimal(18, 4))                        as tax,
    cast(l.unit_cost as decimal(18, 4))                  as unit_cost,
    cast(l.cost_total as decimal(18, 4))                 as cost_total,
    cast(l.line_total - l.cost_total as decimal(18, 4))  as gross_margin
from lines as l
inner join connections as c  -- a connection removed from the file leaves the marts, its raw pages stay
    on c.tenant = l.tenant and c.source = 'smartpyme'
