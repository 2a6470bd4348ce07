{#- Lines of the kept, valid SERPI documents, one row per line in the document's order. -#}
{{ config(meta={'supersede': ['tenant', 'document_id']}) }}
with documents as (
    select * from {{ ref('base_serpi__documents') }} as _base
    where _version_rank = 1 and _issue_count = 0
    {{ pipeline.new_lineage_only('_base', 'and') }}
),

lines as (
    {{ pipeline.each_line('documents', ['tenant', 'record_key', 'prefijo', 'numeroDoc', 'fechaDocumento',
                                        'nitTerceroEnc', 'partition_key', 'run_id', 'extracted_at'], {
        'cuenta': 'text', 'nitTerceroDet': 'text', 'nombreTerceroDet': 'text', 'naturaleza': 'text',
        'valor': 'amount', 'baseImpuesto': 'amount', 'detalle': 'text', 'fechaVencimiento': 'date'}) }}
),

renamed as (
    select
        tenant,
        record_key                                   as document_id,
        line_number,
        prefijo                                      as prefix,
        prefijo || '-' || numeroDoc                  as document_number,
        fechaDocumento                               as document_date,
        cuenta                                       as account,
        coalesce(nitTerceroDet, nitTerceroEnc)       as third_party_id,
        nombreTerceroDet                             as third_party_name,
        naturaleza                                   as nature,
        cast(valor as decimal(18, 4))                as amount,
        cast(baseImpuesto as decimal(18, 4))         as tax_base,
        detalle                                      as detail,
        fechaVencimiento                             as due_date,
        partition_key,
        run_id,
        extracted_at
    from lines
)

select * from renamed
