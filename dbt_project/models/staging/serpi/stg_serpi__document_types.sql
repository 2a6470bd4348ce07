{#- SERPI document types, one row per tenant and type id. -#}
with source as (
    select * from {{ ranked_versions('base_serpi__document_types') }}
    where _version_rank = 1 and len(_issues) = 0
),

renamed as (
    select
        tenant,
        rec.id                       as document_type_id,
        rec.categoriaDocumento       as document_category,
        rec.prefijo                  as prefix,
        rec.descripcion              as description,
        run_id,
        extracted_at
    from source
)

select * from renamed
