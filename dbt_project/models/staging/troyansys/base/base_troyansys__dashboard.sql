{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook="{{ reparse_when_logic_changed() }}",
    post_hook="{{ finish_base_model(source('troyansys', 'dashboard')) }}",
) }}
{#- Every landed Troyansys dashboard (one object per snapshot), typed once. -#}
{%- set structure = {
    'kpis': {
        'sales_month': 'DECIMAL(38,10)', 'collections_month': 'DECIMAL(38,10)',
        'purchases_month': 'DECIMAL(38,10)', 'active_products': 'BIGINT', 'stock_value': 'DECIMAL(38,10)',
        'draft_entries': 'BIGINT', 'available_advances': 'DECIMAL(38,10)',
        'pending_receivables': 'DECIMAL(38,10)'
    },
    'charts': 'JSON'
} -%}

with records as (
    {{ typed_records(source('troyansys', 'dashboard'), structure, new_pages_only=is_incremental()) }}
),

checked as (
    select
        *,
        cast(coalesce(snapshot_date, try_cast(partition_key as date)) as varchar) as record_key,
        coalesce(snapshot_date, try_cast(partition_key as date)) as _snapshot,
        {{ issues([
            check_amount('rec.kpis.sales_month', 'txt.kpis.sales_month', 'kpis.sales_month'),
            check_amount('rec.kpis.collections_month', 'txt.kpis.collections_month', 'kpis.collections_month'),
            check_amount('rec.kpis.purchases_month', 'txt.kpis.purchases_month', 'kpis.purchases_month'),
            check_amount('rec.kpis.stock_value', 'txt.kpis.stock_value', 'kpis.stock_value'),
            check_amount('rec.kpis.available_advances', 'txt.kpis.available_advances', 'kpis.available_advances'),
            check_amount('rec.kpis.pending_receivables', 'txt.kpis.pending_receivables', 'kpis.pending_receivables'),
        ]) }} as _issues
    from records
)

select * exclude (txt) from checked
