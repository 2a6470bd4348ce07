{#- Troyansys dashboard KPIs, one row per tenant and snapshot. -#}
with versions as (
    select * from {{ ref('base_troyansys__dashboard') }} as _base
    where _version_rank = 1 and _issue_count = 0
    {{ pipeline.new_lineage_only('_base', 'and') }}
),

renamed as (
    select
        tenant,
        coalesce(snapshot_date, cast(partition_key as date))  as snapshot_date,
        cast(kpis__sales_month as decimal(18, 4))         as sales_month,
        cast(kpis__collections_month as decimal(18, 4))   as collections_month,
        cast(kpis__purchases_month as decimal(18, 4))     as purchases_month,
        kpis__active_products                             as active_products,
        cast(kpis__stock_value as decimal(18, 4))         as stock_value,
        kpis__draft_entries                               as draft_entries,
        cast(kpis__available_advances as decimal(18, 4))  as available_advances,
        cast(kpis__pending_receivables as decimal(18, 4)) as pending_receivables,
        charts,
        partition_key,
        run_id,
        extracted_at
    from versions
)

select * from renamed
