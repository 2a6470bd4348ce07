{#- Arrendasoft invoices, one row per invoice per snapshot (valid records only). -#}
with versions as (
    select * from {{ ref('base_arrendasoft__invoices') }} as _base
    where _version_rank = 1 and _issue_count = 0
    {{ pipeline.new_lineage_only('_base', 'and') }}
),

renamed as (
    select
        tenant,
        coalesce(snapshot_date, cast(partition_key as date)) as snapshot_date,
        record_key                                   as document_id,
        factura_numero                               as document_number,
        resolucion                                   as resolution,
        fecha_factura                                as issue_date,
        fecha_vencimiento                            as due_date,
        cast(valor_total as decimal(18, 4))          as total,
        cast(saldo as decimal(18, 4))                as balance_due,
        documento_tercero                            as customer_id,
        nombre_tercero                               as customer_name,
        estado                                       as status,
        estado_dian                                  as dian_status,
        creado_por                                   as created_by,
        fecha_creacion                               as created_at_local,
        partition_key,
        run_id,
        extracted_at
    from versions
)

select * from renamed
