{#- Troyansys sales documents: the kept version of each, valid records only. -#}
{{ config(meta={'supersede': ['tenant', 'document_id']}) }}
with versions as (
    select * from {{ ref('base_troyansys__sales') }} as _base
    where _version_rank = 1 and _issue_count = 0
    {{ pipeline.new_lineage_only('_base', 'and') }}
),

renamed as (
    select
        tenant,
        record_key                                   as document_id,
        series,
        number,
        series || '-' || number                      as document_number,
        type                                         as document_type,
        status,
        issue_date,
        due_date,
        customer_id,
        customer_name,
        cast(subtotal as decimal(18, 4))             as subtotal,
        cast(tax as decimal(18, 4))                  as tax,
        cast(total as decimal(18, 4))                as total,
        cast(paid_amount as decimal(18, 4))          as paid_amount,
        cast(pending_balance as decimal(18, 4))      as pending_balance,
        partition_key,
        run_id,
        extracted_at
    from versions
)

select * from renamed
