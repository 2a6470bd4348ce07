{#- Troyansys purchase documents: the latest version of each, valid records only. -#}
with source as (
    select * from {{ ranked_versions('base_troyansys__purchases') }}
    where _version_rank = 1 and len(_issues) = 0
),

renamed as (
    select
        tenant,
        rec.id                                   as document_id,
        rec.series || '-' || rec.number          as document_number,
        rec.type                                 as document_type,
        rec.status                               as status,
        try_cast(rec.issue_date as date)             as issue_date,
        rec.supplier_id                          as supplier_id,
        rec.supplier_name                        as supplier_name,
        try_cast(rec.subtotal as decimal(18, 4))     as subtotal,
        try_cast(rec.tax as decimal(18, 4))          as tax,
        try_cast(rec.total as decimal(18, 4))        as total,
        partition_key,
        run_id,
        extracted_at
    from source
)

select * from renamed
