{#- Troyansys inventory rows per snapshot (one row per snapshot and inventory row id), valid rows only. -#}
with source as (
    select * from {{ ranked_versions('base_troyansys__inventory') }}
    where _version_rank = 1 and len(_issues) = 0
),

renamed as (
    select
        tenant,
        _snapshot                                    as snapshot_date,
        rec.id                                       as inventory_row_id,
        rec.warehouse_id                             as warehouse_id,
        rec.product_id                               as product_id,
        rec.sku                                      as sku,
        rec.product_name                             as product_name,
        rec.category_id                              as category_id,
        try_cast(rec.quantity as decimal(18, 4))         as quantity,
        try_cast(rec.unit_cost as decimal(18, 4))        as unit_cost,
        try_cast(rec.total_value as decimal(18, 4))      as total_value,
        rec.stock_alert_code                         as stock_alert_code,
        rec.stock_alert_label                        as stock_alert_label,
        run_id,
        extracted_at
    from source
)

select * from renamed
