{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook="{{ reparse_when_logic_changed() }}",
    post_hook="{{ finish_base_model(source('arrendasoft', 'invoices')) }}",
) }}
{#- Every landed Arrendasoft invoice, per snapshot, typed once, with its quality issues. -#}
{%- set structure = {
    'factura_id': 'VARCHAR', 'factura_numero': 'VARCHAR', 'resolucion': 'VARCHAR',
    'fecha_factura': 'VARCHAR', 'fecha_vencimiento': 'VARCHAR',
    'valor_total': 'DECIMAL(38,10)', 'saldo': 'DECIMAL(38,10)',
    'documento_tercero': 'VARCHAR', 'nombre_tercero': 'VARCHAR', 'estado': 'VARCHAR',
    'estado_dian': 'VARCHAR', 'estado_cliente_dian': 'VARCHAR', 'notas': 'VARCHAR', 'creado_por': 'VARCHAR',
    'fecha_envio_dian': 'VARCHAR', 'fecha_creacion': 'VARCHAR'
} -%}

with records as (
    {{ typed_records(source('arrendasoft', 'invoices'), structure, new_pages_only=is_incremental()) }}
),

checked as (
    select
        *,
        rec.factura_id as record_key,
        coalesce(snapshot_date, try_cast(partition_key as date)) as _snapshot,
        {{ issues([
            check_required('txt.factura_id', 'factura_id'),
            check_date('txt.fecha_factura', 'fecha_factura', required=true),
            check_date('txt.fecha_vencimiento', 'fecha_vencimiento'),
            check_amount('rec.valor_total', 'txt.valor_total', 'valor_total', required=true),
            check_amount('rec.saldo', 'txt.saldo', 'saldo', required=true),
        ]) }} as _issues
    from records
)

select * exclude (txt) from checked
