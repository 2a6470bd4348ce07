{#-
  Per configured connection and endpoint: when its data was last extracted, and whether its last extraction
  failed (`stale`: its rows are as of last_extracted_at; the reason says what the API answered).
-#}
with landed as (
    select tenant, source, endpoint, max(finished_at) as last_extracted_at
    from {{ ref('stg_pipeline__manifests') }}
    group by tenant, source, endpoint
),

failures as (
    select * from {{ ref('stg_pipeline__extraction_failures') }}
),

endpoints as (
    select tenant, source, endpoint from landed
    union
    select tenant, source, endpoint from failures
)

select
    e.tenant,
    e.source,
    e.endpoint,
    c.currency,
    l.last_extracted_at,
    case when f.tenant is null then 'fresh' else 'stale' end as status,
    f.reason                                         as stale_reason,
    f.failed_at,
    f.partitions                                     as failed_partitions
from endpoints as e
inner join {{ ref('stg_pipeline__connections') }} as c
    on c.tenant = e.tenant and c.source = e.source
left join landed as l
    on l.tenant = e.tenant and l.source = e.source and l.endpoint = e.endpoint
left join failures as f
    on f.tenant = e.tenant and f.source = e.source and f.endpoint = e.endpoint
