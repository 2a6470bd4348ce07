{#- SERPI accounting documents (headers): the kept version of each, valid documents only. -#}
{{ config(meta={'supersede': ['tenant', 'document_id']}) }}
with versions as (
    select * from {{ ref('base_serpi__documents') }} as _base
    where _version_rank = 1 and _issue_count = 0
    {{ pipeline.new_lineage_only('_base', 'and') }}
),

renamed as (
    select
        tenant,
        record_key                                   as document_id,
        categoriaDocumento                           as document_category,
        prefijo                                      as prefix,
        numeroDoc                                    as document_number_raw,
        prefijo || '-' || numeroDoc                  as document_number,
        nitTerceroEnc                                as third_party_id,
        nombreTerceroEnc                             as third_party_name,
        fechaDocumento                               as document_date,
        cast({{ pipeline.lines_count('_lines') }} as integer) as line_count,
        partition_key,
        run_id,
        extracted_at
    from versions
)

select * from renamed
