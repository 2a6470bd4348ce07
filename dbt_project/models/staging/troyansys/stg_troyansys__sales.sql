{#- Troyansys sales documents: the latest version of each, valid records only. -#}
with source as (
    select * from {{ ranked_versions('base_troyansys__sales') }}
    where _version_rank = 1 and len(_issues) = 0
),

renamed as (
    select
        tenant,
        rec.id                                           as document_id,
        rec.series                                       as series,
        rec.number                                       as number,
        rec.series || '-' || rec.number                  as document_number,
        rec.type                                         as document_type,
        rec.status                                       as status,
        try_cast(rec.issue_date as date)                     as issue_date,
        try_cast(rec.due_date as date)                       as due_date,
        rec.customer_id                                  as customer_id,
        rec.customer_name                                as customer_name,
        try_cast(rec.subtotal as decimal(18, 4))             as subtotal,
        try_cast(rec.tax as decimal(18, 4))                  as tax,
        try_cast(rec.total as decimal(18, 4))                as total,
        try_cast(rec.paid_amount as decimal(18, 4))          as paid_amount,
        try_cast(rec.pending_balance as decimal(18, 4))      as pending_balance,
        rec.payment_status                               as payment_status,
        partition_key,
        run_id,
        extracted_at
    from source
)

select * from renamed
