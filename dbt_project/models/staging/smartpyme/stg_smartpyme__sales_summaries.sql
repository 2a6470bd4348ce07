{#- SmartPyme sales summaries: one row per tenant and partition window, as the API reported them. -#}
with summaries as (
    select * from {{ ref('base_smartpyme__sales_summary') }} as _base
    where _version_rank = 1 and _issue_count = 0
    {{ pipeline.new_lineage_only('_base', 'and') }}
),

renamed as (
    select
        tenant,
        partition_key,
        window_start,
        window_end,
        cantidad_ventas                              as sales_count,
        cast(total_ventas as decimal(18, 4))         as sales_total,
        cast(total_iva as decimal(18, 4))            as tax_total,
        cast(total_descuentos as decimal(18, 4))     as discount_total,
        run_id,
        extracted_at
    from summaries
)

select * from renamed
