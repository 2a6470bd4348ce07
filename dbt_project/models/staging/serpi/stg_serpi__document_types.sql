{#- SERPI document types, one row per tenant, snapshot and type id. -#}
with versions as (
    select * from {{ ref('base_serpi__document_types') }} as _base
    where _version_rank = 1 and _issue_count = 0
    {{ pipeline.new_lineage_only('_base', 'and') }}
),

renamed as (
    select
        tenant,
        record_key                                   as document_type_id,
        categoriaDocumento                           as document_category,
        prefijo                                      as prefix,
        descripcion                                  as description,
        partition_key,
        run_id,
        extracted_at
    from versions
)

select * from renamed
