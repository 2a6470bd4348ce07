{#- SERPI accounting document lines of the kept documents, one row per line in the document's order. -#}
with source as (
    select * from {{ ranked_versions('base_serpi__documents') }}
    where _version_rank = 1 and len(_issues) = 0 and len(rec.detalles) > 0
),

lines as (
    select
        tenant,
        rec.id                                   as document_id,
        rec.prefijo                              as prefix,
        rec.prefijo || '-' || rec.numeroDoc      as document_number,
        try_cast(rec.fechaDocumento as date)         as document_date,
        rec.nitTerceroEnc                        as header_third_party_id,
        unnest(list_transform(range(len(rec.detalles)), lambda i: {'n': i + 1, 'l': rec.detalles[i + 1]})) as _line
    from source
),

renamed as (
    select
        tenant,
        document_id,
        cast(_line.n as integer)                             as line_number,
        prefix,
        document_number,
        document_date,
        _line.l.cuenta                                       as account,
        coalesce(_line.l.nitTerceroDet, header_third_party_id) as third_party_id,
        _line.l.nombreTerceroDet                             as third_party_name,
        _line.l.naturaleza                                   as nature,
        try_cast(_line.l.valor as decimal(18, 4))                as amount,
        try_cast(_line.l.baseImpuesto as decimal(18, 4))         as tax_base,
        _line.l.detalle                                      as detail,
        try_cast(_line.l.fechaVencimiento as date)               as due_date
    from lines
)

select * from renamed
