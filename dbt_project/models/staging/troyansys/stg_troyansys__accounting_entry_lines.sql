{#- Lines of the kept, valid Troyansys accounting entries, in the entry's order. -#}
{{ config(meta={'supersede': ['tenant', 'entry_id']}) }}
with entries as (
    select * from {{ ref('base_troyansys__accounting') }} as _base
    where _version_rank = 1 and _issue_count = 0
    {{ pipeline.new_lineage_only('_base', 'and') }}
),

lines as (
    {{ pipeline.each_line('entries', ['tenant', 'record_key', 'number', 'entry_date', 'status', 'partition_key',
                                      'run_id', 'extracted_at'],
                          {'account_code': 'text', 'account_name': 'text', 'debit': 'amount', 'credit': 'amount'}) }}
),

renamed as (
    select
        tenant,
        record_key                                   as entry_id,
        coalesce(number, record_key)                 as document_number,
        entry_date,
        status,
        line_number,
        account_code                                 as account,
        account_name,
        cast(debit as decimal(18, 4))                as debit,
        cast(credit as decimal(18, 4))               as credit,
        partition_key,
        run_id,
        extracted_at
    from lines
)

select * from renamed
