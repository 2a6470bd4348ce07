{#-
  Schema drift: a documented field missing from every record (or, for a line field, every line) of a landed
  page, per connection, endpoint and field: the API renamed or removed it. The records lacking it are
  quarantined as `missing field`; this says it is the API that changed, not one bad record.
-#}
with missing as (
    {%- for source_name in var('sources') %}
    {{ 'union all' if not loop.first }}
    select
        tenant, source, endpoint, partition_key, run_id, page, _records_on_page, _lines_on_page,
        {{ pipeline.replace_all('field', '\\[[0-9]+\\]', '[]') }} as field
    from {{ ref('stg_' ~ source_name ~ '__record_issues') }}
    where reason = 'missing field'
    {%- endfor %}
),

pages as (
    select
        tenant, source, endpoint, partition_key, run_id, page, field,
        cast(count(*) as bigint) as records,
        max(case when field like '%[]%' then _lines_on_page else _records_on_page end) as expected
    from missing
    group by tenant, source, endpoint, partition_key, run_id, page, field
)

select
    p.tenant,
    p.source,
    p.endpoint,
    p.field,
    min(p.partition_key)                             as first_partition,
    max(p.partition_key)                             as last_partition,
    cast(count(*) as bigint)                         as pages,
    cast(sum(p.records) as bigint)                   as records
from pages as p
inner join {{ ref('stg_pipeline__connections') }} as c
    on c.tenant = p.tenant and c.source = p.source
where p.records = p.expected
group by p.tenant, p.source, p.endpoint, p.field
