{{ config(contract={'enforced': true}) }}
{#- One row per Troyansys purchase document, every type and status. -#}
with purchases as (
    select * from {{ ref('stg_troyansys__purchases') }}
),

connections as (
    select * from {{ ref('stg_pipeline__connections') }}
)

select
    p.tenant,
    'troyansys'                          as source,
    c.currency,
    p.document_id,
    p.document_number,
    p.document_type,
    p.status,
    p.issue_date,
    p.supplier_id,
    p.supplier_name,
    cast(p.subtotal as decimal(18, 4))   as subtotal,
    cast(p.tax as decimal(18, 4))        as tax,
    cast(p.total as decimal(18, 4))      as total
from purchases as p
inner join connections as c  -- a connection removed from the file leaves the marts, its raw pages stay
    on c.tenant = p.tenant and c.source = 'troyansys'
