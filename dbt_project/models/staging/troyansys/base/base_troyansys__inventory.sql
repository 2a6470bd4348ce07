{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook="{{ reparse_when_logic_changed() }}",
    post_hook="{{ finish_base_model(source('troyansys', 'inventory')) }}",
) }}
{#- Every landed Troyansys inventory row, per snapshot, typed once, with its quality issues. -#}
{%- set structure = {
    'id': 'VARCHAR', 'warehouse_id': 'VARCHAR', 'product_id': 'VARCHAR', 'sku': 'VARCHAR',
    'product_name': 'VARCHAR', 'category_id': 'VARCHAR', 'quantity': 'DECIMAL(38,10)',
    'unit_cost': 'DECIMAL(38,10)', 'total_value': 'DECIMAL(38,10)',
    'stock_alert_code': 'VARCHAR', 'stock_alert_label': 'VARCHAR'
} -%}

with records as (
    {{ typed_records(source('troyansys', 'inventory'), structure, new_pages_only=is_incremental()) }}
),

checked as (
    select
        *,
        rec.id as record_key,
        coalesce(snapshot_date, try_cast(partition_key as date)) as _snapshot,
        {{ issues([
            check_required('txt.id', 'id'),
            check_required('txt.warehouse_id', 'warehouse_id'),
            check_required('txt.product_id', 'product_id'),
            check_quantity('rec.quantity', 'txt.quantity', 'quantity', var('max_inventory_quantity'), required=true),
            check_amount('rec.unit_cost', 'txt.unit_cost', 'unit_cost'),
            check_amount('rec.total_value', 'txt.total_value', 'total_value'),
        ]) }} as _issues
    from records
)

select * exclude (txt) from checked
