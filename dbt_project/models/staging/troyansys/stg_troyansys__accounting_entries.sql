{#- Troyansys accounting entries (headers): the latest version of each, valid entries only. -#}
with source as (
    select * from {{ ranked_versions('base_troyansys__accounting_entries') }}
    where _version_rank = 1 and len(_issues) = 0
),

renamed as (
    select
        tenant,
        rec.id                                       as entry_id,
        coalesce(rec.number, rec.id)                 as document_number,
        try_cast(rec.entry_date as date)                 as entry_date,
        rec.status                                   as status,
        rec.description                              as description,
        try_cast(rec.debit_total as decimal(18, 4))      as debit_total,
        try_cast(rec.credit_total as decimal(18, 4))     as credit_total,
        coalesce(len(rec.lines), 0)                  as line_count,
        partition_key,
        run_id,
        extracted_at
    from source
)

select * from renamed
