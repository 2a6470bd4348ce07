{#-
  Records kept out of the marts, one row per problem: the kept version of a record that failed its checks
  (missing field or required value, impossible date, amount that is not a number or has more than 4 decimals or
  exceeds DECIMAL(18,4), negative or absurd quantity, unexpected value), and every conflicting duplicate. A bad
  line quarantines its whole document; `field` names the line (`detalles[2].cantidad`).
-#}
{{ config(materialized='table') }}
{%- for source_name in var('sources') %}
{{ 'union all' if not loop.first }}
select
    tenant, source, endpoint as entity, record_key, field, raw_value, reason, partition_key, run_id, page,
    record_position
from {{ ref('stg_' ~ source_name ~ '__record_issues') }}
where kept
{%- endfor %}
