{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook="{{ reparse_when_logic_changed() }}",
    post_hook="{{ finish_base_model(source('smartpyme', 'sales')) }}",
) }}
{#- Every landed SmartPyme sale version (lines nested), typed once, with its quality issues.
    Ranked by updated_at (then extraction time, page, position) in ranked_versions, lines included;
    a bad line quarantines the whole sale. -#}
{%- set line = {
    'nombre_producto': 'VARCHAR', 'codigo_producto': 'VARCHAR', 'marca_producto': 'VARCHAR',
    'cantidad': 'DECIMAL(38,10)', 'precio': 'DECIMAL(38,10)', 'costo': 'DECIMAL(38,10)',
    'descuento': 'DECIMAL(38,10)', 'total_costo': 'DECIMAL(38,10)', 'total': 'DECIMAL(38,10)',
    'iva': 'DECIMAL(38,10)'
} -%}
{%- set structure = {
    'id': 'VARCHAR', 'fecha': 'VARCHAR', 'fecha_expiracion': 'VARCHAR', 'correlativo': 'VARCHAR',
    'estado': 'VARCHAR', 'forma_pago': 'VARCHAR', 'cotizacion': 'VARCHAR', 'nombre_documento': 'VARCHAR',
    'nombre_cliente': 'VARCHAR', 'nombre_vendedor': 'VARCHAR', 'nombre_sucursal': 'VARCHAR',
    'nombre_canal': 'VARCHAR',
    'iva': 'DECIMAL(38,10)', 'iva_retenido': 'DECIMAL(38,10)', 'iva_percibido': 'DECIMAL(38,10)',
    'renta_retenida': 'DECIMAL(38,10)', 'total_costo': 'DECIMAL(38,10)', 'descuento': 'DECIMAL(38,10)',
    'sub_total': 'DECIMAL(38,10)', 'propina': 'DECIMAL(38,10)', 'total': 'DECIMAL(38,10)',
    'saldo': 'DECIMAL(38,10)', 'monto_pago': 'DECIMAL(38,10)',
    'created_at': 'VARCHAR', 'updated_at': 'VARCHAR',
    'detalles': [line]
} -%}
{%- set p = "'detalles[' || (i + 1) || '].'" -%}
{%- set max_q = var('max_sale_line_quantity') -%}

with records as (
    {{ typed_records(source('smartpyme', 'sales'), structure, new_pages_only=is_incremental()) }}
),

checked as (
    select
        *,
        rec.id as record_key,
        try_cast(rec.updated_at as timestamptz) as _updated_at,
        list_concat(
            {{ issues([
                check_required('txt.id', 'id'),
                check_date('txt.fecha', 'fecha', required=true),
                check_date('txt.fecha_expiracion', 'fecha_expiracion'),
                check_timestamp('txt.updated_at', 'updated_at'),
                check_amount('rec.iva', 'txt.iva', 'iva'),
                check_amount('rec.iva_retenido', 'txt.iva_retenido', 'iva_retenido'),
                check_amount('rec.total_costo', 'txt.total_costo', 'total_costo'),
                check_amount('rec.descuento', 'txt.descuento', 'descuento'),
                check_amount('rec.sub_total', 'txt.sub_total', 'sub_total'),
                check_amount('rec.propina', 'txt.propina', 'propina'),
                check_amount('rec.total', 'txt.total', 'total', required=true),
                check_amount('rec.saldo', 'txt.saldo', 'saldo'),
            ]) }},
            {{ line_issues('detalles', [
                check_quantity('rec.detalles[i + 1].cantidad', 'txt.detalles[i + 1].cantidad', 'cantidad', max_q, required=true, prefix=p),
                check_amount('rec.detalles[i + 1].precio', 'txt.detalles[i + 1].precio', 'precio', prefix=p),
                check_amount('rec.detalles[i + 1].costo', 'txt.detalles[i + 1].costo', 'costo', prefix=p),
                check_amount('rec.detalles[i + 1].descuento', 'txt.detalles[i + 1].descuento', 'descuento', prefix=p),
                check_amount('rec.detalles[i + 1].total_costo', 'txt.detalles[i + 1].total_costo', 'total_costo', prefix=p),
                check_amount('rec.detalles[i + 1].total', 'txt.detalles[i + 1].total', 'total', required=true, prefix=p),
                check_amount('rec.detalles[i + 1].iva', 'txt.detalles[i + 1].iva', 'iva', prefix=p),
            ]) }}
        ) as _issues
    from records
)

select * exclude (txt) from checked
