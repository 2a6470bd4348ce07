{#- Troyansys dashboard KPIs, one row per tenant and snapshot. -#}
with source as (
    select * from {{ ranked_versions('base_troyansys__dashboard') }}
    where _version_rank = 1 and len(_issues) = 0
),

renamed as (
    select
        tenant,
        _snapshot                                                as snapshot_date,
        try_cast(rec.kpis.sales_month as decimal(18, 4))             as sales_month,
        try_cast(rec.kpis.collections_month as decimal(18, 4))       as collections_month,
        try_cast(rec.kpis.purchases_month as decimal(18, 4))         as purchases_month,
        rec.kpis.active_products                                 as active_products,
        try_cast(rec.kpis.stock_value as decimal(18, 4))             as stock_value,
        rec.kpis.draft_entries                                   as draft_entries,
        try_cast(rec.kpis.available_advances as decimal(18, 4))      as available_advances,
        try_cast(rec.kpis.pending_receivables as decimal(18, 4))     as pending_receivables,
        rec.charts                                               as charts,
        run_id,
        extracted_at
    from source
)

select * from renamed
