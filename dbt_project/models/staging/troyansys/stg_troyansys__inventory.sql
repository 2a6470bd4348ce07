{#- Troyansys inventory rows per snapshot (one row per snapshot and inventory row id), valid rows only. -#}
with versions as (
    select * from {{ ref('base_troyansys__inventory') }} as _base
    where _version_rank = 1 and _issue_count = 0
    {{ pipeline.new_lineage_only('_base', 'and') }}
),

renamed as (
    select
        tenant,
        coalesce(snapshot_date, cast(partition_key as date)) as snapshot_date,
        record_key                                   as inventory_row_id,
        warehouse_id,
        product_id,
        sku,
        product_name,
        category_id,
        cast(quantity as decimal(18, 4))             as quantity,
        cast(unit_cost as decimal(18, 4))            as unit_cost,
        cast(total_value as decimal(18, 4))          as total_value,
        stock_alert_code,
        stock_alert_label,
        partition_key,
        run_id,
        extracted_at
    from versions
)

select * from renamed
