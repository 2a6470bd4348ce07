{#- SERPI accounting documents (headers): the latest landed version of each, valid documents only. -#}
with source as (
    select * from {{ ranked_versions('base_serpi__documents') }}
    where _version_rank = 1 and len(_issues) = 0
),

renamed as (
    select
        tenant,
        rec.id                                   as document_id,
        rec.categoriaDocumento                   as document_category,
        rec.prefijo                              as prefix,
        rec.numeroDoc                            as document_number_raw,
        rec.prefijo || '-' || rec.numeroDoc      as document_number,
        rec.nitTerceroEnc                        as third_party_id,
        rec.nombreTerceroEnc                     as third_party_name,
        try_cast(rec.fechaDocumento as date)         as document_date,
        coalesce(len(rec.detalles), 0)           as line_count,
        partition_key,
        run_id,
        extracted_at
    from source
)

select * from renamed
