{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook="{{ reparse_when_logic_changed() }}",
    post_hook="{{ finish_base_model(source('serpi', 'document_types')) }}",
) }}
{#- Every landed SERPI document type, typed once. -#}
{%- set structure = {'id': 'VARCHAR', 'categoriaDocumento': 'VARCHAR', 'prefijo': 'VARCHAR', 'descripcion': 'VARCHAR'} -%}

with records as (
    {{ typed_records(source('serpi', 'document_types'), structure, new_pages_only=is_incremental()) }}
),

checked as (
    select
        *,
        rec.id as record_key,
        {{ issues([check_required('txt.id', 'id')]) }} as _issues
    from records
)

select * exclude (txt) from checked
