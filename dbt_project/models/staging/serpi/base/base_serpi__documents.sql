{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook="{{ reparse_when_logic_changed() }}",
    post_hook="{{ finish_base_model(source('serpi', 'documents')) }}",
) }}
{#- Every landed SERPI accounting document (lines nested), typed once, with its quality issues.
    A bad line quarantines the whole document, so a document is never half loaded. -#}
{%- set line = {
    'cuenta': 'VARCHAR', 'nitTerceroDet': 'VARCHAR', 'nombreTerceroDet': 'VARCHAR', 'naturaleza': 'VARCHAR',
    'crucePrefijo': 'VARCHAR', 'cruceNumero': 'VARCHAR', 'fechaVencimiento': 'VARCHAR',
    'valor': 'DECIMAL(38,10)', 'baseImpuesto': 'DECIMAL(38,10)', 'cuota': 'VARCHAR', 'detalle': 'VARCHAR',
    'idSubcentroCosto': 'VARCHAR', 'idCentroOperacion': 'VARCHAR', 'idProyecto': 'VARCHAR',
    'idActividad': 'VARCHAR', 'idSucursal': 'VARCHAR'
} -%}
{%- set structure = {
    'id': 'VARCHAR', 'categoriaDocumento': 'VARCHAR', 'prefijo': 'VARCHAR', 'numeroDoc': 'VARCHAR',
    'nitTerceroEnc': 'VARCHAR', 'nombreTerceroEnc': 'VARCHAR', 'fechaDocumento': 'VARCHAR',
    'detalles': [line]
} -%}
{%- set p = "'detalles[' || (i + 1) || '].'" -%}

with records as (
    {{ typed_records(source('serpi', 'documents'), structure, new_pages_only=is_incremental()) }}
),

checked as (
    select
        *,
        rec.id as record_key,
        list_concat(
            {{ issues([
                check_required('txt.id', 'id'),
                check_date('txt.fechaDocumento', 'fechaDocumento', required=true),
            ]) }},
            {{ line_issues('detalles', [
                check_required('txt.detalles[i + 1].cuenta', 'cuenta', prefix=p),
                check_accepted('txt.detalles[i + 1].naturaleza', 'naturaleza', ['D', 'C'], prefix=p),
                check_required('txt.detalles[i + 1].naturaleza', 'naturaleza', prefix=p),
                check_amount('rec.detalles[i + 1].valor', 'txt.detalles[i + 1].valor', 'valor', required=true, prefix=p),
                check_amount('rec.detalles[i + 1].baseImpuesto', 'txt.detalles[i + 1].baseImpuesto', 'baseImpuesto', prefix=p),
                check_date('txt.detalles[i + 1].fechaVencimiento', 'fechaVencimiento', prefix=p),
            ]) }}
        ) as _issues
    from records
)

select * exclude (txt) from checked
