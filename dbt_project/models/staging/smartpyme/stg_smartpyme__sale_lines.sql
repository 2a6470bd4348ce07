{#- Lines of the kept version of each valid SmartPyme sale: a newer version replaces all of its lines. -#}
{{ config(meta={'supersede': ['tenant', 'document_id']}) }}
with sales as (
    select * from {{ ref('base_smartpyme__sales') }} as _base
    where _version_rank = 1 and _issue_count = 0
    {{ pipeline.new_lineage_only('_base', 'and') }}
),

lines as (
    {{ pipeline.each_line('sales', ['tenant', 'record_key', 'fecha', 'partition_key', 'run_id', 'extracted_at'], {
        'codigo_producto': 'text', 'nombre_producto': 'text', 'marca_producto': 'text',
        'cantidad': 'quantity', 'precio': 'amount', 'descuento': 'amount', 'total': 'amount', 'iva': 'amount',
        'costo': 'amount', 'total_costo': 'amount'}) }}
),

renamed as (
    select
        tenant,
        record_key                                   as document_id,
        line_number,
        fecha                                        as issue_date,
        codigo_producto                              as product_code,
        nombre_producto                              as product_name,
        marca_producto                               as product_brand,
        cast(cantidad as decimal(18, 4))             as quantity,
        cast(precio as decimal(18, 4))               as unit_price,
        cast(descuento as decimal(18, 4))            as discount,
        cast(total as decimal(18, 4))                as line_total,
        cast(iva as decimal(18, 4))                  as tax,
        cast(costo as decimal(18, 4))                as unit_cost,
        cast(total_costo as decimal(18, 4))          as cost_total,
        partition_key,
        run_id,
        extracted_at
    from lines
)

select * from renamed
