{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ reparse_when_logic_changed() }}",
    post_hook="{{ finish_base_model(source('serpi', 'document_types')) }}",
) }}
{#- Every landed SERPI document type, typed once. -#}
{%- set structure = {'id': 'VARCHAR', 'categoriaDocumento': 'VARCHAR', 'prefijo': 'VARCHAR', 'descripcion': 'VARCHAR'} -%}

with records as (
    {{ unnest_records(source('serpi', 'document_types'), 'result', structure, new_pages_only=is_incremental()) }}
),

checked as (
    select
        *,
        rec.id as record_key,
        {{ issues([check_required('txt.id', 'id')]) }} as _issues,
        md5(cast(rec as varchar)) as _content_hash
    from records
)

select * from checked
