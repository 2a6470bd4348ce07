{#- SmartPyme sales summaries: one row per tenant and partition window, as the API reported them. -#}
with source as (
    select * from {{ ranked_versions('base_smartpyme__sales_summaries') }}
    where _version_rank = 1 and len(_issues) = 0
),

renamed as (
    select
        tenant,
        partition_key,
        window_start,
        window_end,
        rec.cantidad_ventas                                  as sales_count,
        try_cast(rec.total_ventas as decimal(18, 4))             as sales_total,
        try_cast(rec.total_iva as decimal(18, 4))                as tax_total,
        try_cast(rec.total_descuentos as decimal(18, 4))         as discount_total,
        run_id,
        extracted_at
    from source
)

select * from renamed
