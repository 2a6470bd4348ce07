{#- SmartPyme sales: the kept version of each sale, valid records only. -#}
{{ config(meta={'supersede': ['tenant', 'document_id']}) }}
with versions as (
    select * from {{ ref('base_smartpyme__sales') }} as _base
    where _version_rank = 1 and _issue_count = 0
    {{ pipeline.new_lineage_only('_base', 'and') }}
),

renamed as (
    select
        tenant,
        record_key                                   as document_id,
        correlativo                                  as document_number,
        nombre_documento                             as document_type,
        estado                                       as status,
        coalesce(cotizacion, false)                  as is_quotation_flag,
        fecha                                        as issue_date,
        fecha_expiracion                             as expiry_date,
        nombre_cliente                               as customer_name,
        forma_pago                                   as payment_method,
        cast(sub_total as decimal(18, 4))            as subtotal,
        cast(iva as decimal(18, 4))                  as tax,
        cast(descuento as decimal(18, 4))            as discount,
        cast(propina as decimal(18, 4))              as tip,
        cast(iva_retenido as decimal(18, 4))         as withheld_tax,
        cast(total_costo as decimal(18, 4))          as cost_total,
        cast(total as decimal(18, 4))                as total,
        cast(saldo as decimal(18, 4))                as balance_due,
        updated_at,
        cast({{ pipeline.lines_count('_lines') }} as integer) as line_count,
        partition_key,
        run_id,
        extracted_at
    from versions
)

select * from renamed
