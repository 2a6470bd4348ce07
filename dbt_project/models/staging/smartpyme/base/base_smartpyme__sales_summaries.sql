{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook="{{ reparse_when_logic_changed() }}",
    post_hook="{{ finish_base_model(source('smartpyme', 'sales_summary')) }}",
) }}
{#- Every landed SmartPyme sales summary (one object per partition window), typed once. -#}
{%- set structure = {
    'cantidad_ventas': 'BIGINT', 'total_ventas': 'DECIMAL(38,10)', 'total_iva': 'DECIMAL(38,10)',
    'total_descuentos': 'DECIMAL(38,10)', 'promedio_venta': 'DECIMAL(38,10)',
    'ventas_por_estado': [{'estado': 'VARCHAR', 'cantidad': 'BIGINT', 'total': 'DECIMAL(38,10)'}]
} -%}

with records as (
    {{ typed_records(source('smartpyme', 'sales_summary'), structure, new_pages_only=is_incremental()) }}
),

checked as (
    select
        *,
        partition_key as record_key,
        {{ issues([
            check_required('txt.cantidad_ventas', 'cantidad_ventas'),
            check_amount('rec.total_ventas', 'txt.total_ventas', 'total_ventas', required=true),
            check_amount('rec.total_iva', 'txt.total_iva', 'total_iva'),
            check_amount('rec.total_descuentos', 'txt.total_descuentos', 'total_descuentos'),
        ]) }} as _issues
    from records
)

select * exclude (txt) from checked
