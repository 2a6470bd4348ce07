{{ config(contract={'enforced': true}) }}
{#- One row per Arrendasoft invoice per snapshot: the balance history a past aging can be rebuilt from. -#}
with invoices as (
    select * from {{ ref('stg_arrendasoft__invoices') }}
),

connections as (
    select * from {{ ref('stg_pipeline__connections') }}
)

select
    i.tenant,
    'arrendasoft'                            as source,
    c.currency,
    i.document_id,
    i.snapshot_date,
    i.status,
    cast(i.total as decimal(18, 4))          as total,
    cast(i.balance_due as decimal(18, 4))    as balance_due,
    i.document_number,
    i.issue_date,
    coalesce(i.due_date, i.issue_date)       as due_date,
    i.customer_id,
    i.customer_name,
    i.extracted_at
from invoices as i
inner join connections as c  -- a connection removed from the file leaves the marts, its raw pages stay
    on c.tenant = i.tenant and c.source = 'arrendasoft'
