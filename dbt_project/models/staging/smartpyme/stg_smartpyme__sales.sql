{#- SmartPyme sales: the latest version of each sale (by updated_at), valid records only. -#}
with source as (
    select * from {{ ranked_versions('base_smartpyme__sales') }}
    where _version_rank = 1 and len(_issues) = 0
),

renamed as (
    select
        tenant,
        rec.id                                           as document_id,
        rec.correlativo                                  as document_number,
        rec.nombre_documento                             as document_type,
        rec.estado                                       as status,
        coalesce(try_cast(rec.cotizacion as boolean), false) as is_quotation_flag,
        try_cast(rec.fecha as date)                          as issue_date,
        try_cast(rec.fecha_expiracion as date)               as expiry_date,
        rec.nombre_cliente                               as customer_name,
        rec.forma_pago                                   as payment_method,
        try_cast(rec.sub_total as decimal(18, 4))            as subtotal,
        try_cast(rec.iva as decimal(18, 4))                  as tax,
        try_cast(rec.descuento as decimal(18, 4))            as discount,
        try_cast(rec.propina as decimal(18, 4))              as tip,
        try_cast(rec.iva_retenido as decimal(18, 4))         as withheld_tax,
        try_cast(rec.total_costo as decimal(18, 4))          as cost_total,
        try_cast(rec.total as decimal(18, 4))                as total,
        try_cast(rec.saldo as decimal(18, 4))                as balance_due,
        cast(_updated_at as timestamp)                   as updated_at,
        coalesce(len(rec.detalles), 0)                   as line_count,
        partition_key,
        run_id,
        extracted_at
    from source
)

select * from renamed
