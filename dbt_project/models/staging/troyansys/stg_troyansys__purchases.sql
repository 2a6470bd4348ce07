{#- Troyansys purchase documents: the kept version of each, valid records only. -#}
{{ config(meta={'supersede': ['tenant', 'document_id']}) }}
with versions as (
    select * from {{ ref('base_troyansys__purchases') }} as _base
    where _version_rank = 1 and _issue_count = 0
    {{ pipeline.new_lineage_only('_base', 'and') }}
),

renamed as (
    select
        tenant,
        record_key                                   as document_id,
        series || '-' || number                      as document_number,
        type                                         as document_type,
        status,
        issue_date,
        supplier_id,
        supplier_name,
        cast(subtotal as decimal(18, 4))             as subtotal,
        cast(tax as decimal(18, 4))                  as tax,
        cast(total as decimal(18, 4))                as total,
        partition_key,
        run_id,
        extracted_at
    from versions
)

select * from renamed
