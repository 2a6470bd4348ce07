{#- SmartPyme sale lines of the latest version of each sale: a newer version replaces all its lines. -#}
with source as (
    select * from {{ ranked_versions('base_smartpyme__sales') }}
    where _version_rank = 1 and len(_issues) = 0 and len(rec.detalles) > 0
),

lines as (
    select
        tenant,
        rec.id                   as document_id,
        try_cast(rec.fecha as date)  as issue_date,
        unnest(list_transform(range(len(rec.detalles)), lambda i: {'n': i + 1, 'l': rec.detalles[i + 1]})) as _line
    from source
),

renamed as (
    select
        tenant,
        document_id,
        cast(_line.n as integer)                         as line_number,
        issue_date,
        _line.l.codigo_producto                          as product_code,
        _line.l.nombre_producto                          as product_name,
        _line.l.marca_producto                           as product_brand,
        try_cast(_line.l.cantidad as decimal(18, 4))         as quantity,
        try_cast(_line.l.precio as decimal(18, 4))           as unit_price,
        try_cast(_line.l.descuento as decimal(18, 4))        as discount,
        try_cast(_line.l.total as decimal(18, 4))            as line_total,
        try_cast(_line.l.iva as decimal(18, 4))              as tax,
        try_cast(_line.l.costo as decimal(18, 4))            as unit_cost,
        try_cast(_line.l.total_costo as decimal(18, 4))      as cost_total
    from lines
)

select * from renamed
