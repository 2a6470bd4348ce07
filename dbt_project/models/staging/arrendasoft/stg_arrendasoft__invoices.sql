{#- Arrendasoft invoices, one row per invoice per snapshot (valid records only). -#}
with source as (
    select * from {{ ranked_versions('base_arrendasoft__invoices') }}
    where _version_rank = 1 and len(_issues) = 0
),

renamed as (
    select
        tenant,
        _snapshot                                    as snapshot_date,
        rec.factura_id                               as document_id,
        rec.factura_numero                           as document_number,
        rec.resolucion                               as resolution,
        try_cast(rec.fecha_factura as date)              as issue_date,
        try_cast(rec.fecha_vencimiento as date)          as due_date,
        try_cast(rec.valor_total as decimal(18, 4))      as total,
        try_cast(rec.saldo as decimal(18, 4))            as balance_due,
        rec.documento_tercero                        as customer_id,
        rec.nombre_tercero                           as customer_name,
        rec.estado                                   as status,
        rec.estado_dian                              as dian_status,
        rec.creado_por                               as created_by,
        try_strptime(rec.fecha_creacion, '%Y-%m-%d %H:%M:%S') as created_at_local,
        run_id,
        extracted_at
    from source
)

select * from renamed
