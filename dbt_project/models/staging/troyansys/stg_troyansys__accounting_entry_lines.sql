{#- Troyansys accounting entry lines of the kept entries: one row per line, in the entry's order. -#}
with source as (
    select * from {{ ranked_versions('base_troyansys__accounting_entries') }}
    where _version_rank = 1 and len(_issues) = 0 and len(rec.lines) > 0
),

lines as (
    select
        tenant,
        rec.id                               as entry_id,
        coalesce(rec.number, rec.id)         as document_number,
        try_cast(rec.entry_date as date)         as entry_date,
        rec.status                           as status,
        unnest(list_transform(range(len(rec.lines)), lambda i: {'n': i + 1, 'l': rec.lines[i + 1]})) as _line
    from source
),

renamed as (
    select
        tenant,
        entry_id,
        document_number,
        entry_date,
        status,
        cast(_line.n as integer)                     as line_number,
        _line.l.account_code                         as account,
        _line.l.account_name                         as account_name,
        try_cast(_line.l.debit as decimal(18, 4))        as debit,
        try_cast(_line.l.credit as decimal(18, 4))       as credit
    from lines
)

select * from renamed
