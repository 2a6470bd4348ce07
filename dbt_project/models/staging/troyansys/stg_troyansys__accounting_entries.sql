{#- Troyansys accounting entries (headers): the kept version of each, valid entries only. -#}
{{ config(meta={'supersede': ['tenant', 'entry_id']}) }}
with versions as (
    select * from {{ ref('base_troyansys__accounting') }} as _base
    where _version_rank = 1 and _issue_count = 0
    {{ pipeline.new_lineage_only('_base', 'and') }}
),

renamed as (
    select
        tenant,
        record_key                                   as entry_id,
        coalesce(number, record_key)                 as document_number,
        entry_date,
        status,
        description,
        cast(debit_total as decimal(18, 4))          as debit_total,
        cast(credit_total as decimal(18, 4))         as credit_total,
        cast({{ pipeline.lines_count('_lines') }} as integer) as line_count,
        partition_key,
        run_id,
        extracted_at
    from versions
)

select * from renamed
