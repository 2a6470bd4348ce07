{#- Open receivables as of as_of_date by tenant, customer (id and name; SmartPyme by name) and bucket. -#}
select
    tenant,
    currency,
    customer_id,
    customer_name,
    as_of_date,
    aging_bucket,
    cast(count(*) as bigint)                         as documents,
    cast(sum(balance_due) as decimal(38, 4))         as balance_due
from {{ ref('fct_receivables') }}
group by tenant, currency, customer_id, customer_name, as_of_date, aging_bucket
