{#- The quarantine, published with the marts (so BI on either engine reads it beside the figures it explains). -#}
select
    tenant, source, entity, record_key, field, raw_value, reason, partition_key, run_id, page, record_position
from {{ ref('stg_quarantined_records') }}
