{#- Journal lines of SERPI documents and Troyansys entries in one shape (fct_journal_lines without currency). -#}
with serpi as (
    select
        tenant,
        'serpi'                                      as source,
        document_id                                  as entry_id,
        line_number,
        prefix                                       as document_type,
        document_number,
        document_date                                as entry_date,
        'posted'                                     as status,
        account,
        left(account, 1)                             as account_class,
        third_party_id,
        nature,
        case when nature = 'D' then amount else cast(0 as decimal(18, 4)) end as debit,
        case when nature = 'C' then amount else cast(0 as decimal(18, 4)) end as credit,
        partition_key,
        run_id,
        extracted_at
    from {{ ref('stg_serpi__document_lines') }}
),

troyansys as (
    select
        tenant,
        'troyansys'                                  as source,
        entry_id,
        line_number,
        'journal_entry'                              as document_type,
        document_number,
        entry_date,
        status,
        account,
        left(account, 1)                             as account_class,
        cast(null as {{ pipeline.sql_type('varchar') }}) as third_party_id,
        case when debit > 0 then 'D' else 'C' end    as nature,
        debit,
        credit,
        partition_key,
        run_id,
        extracted_at
    from {{ ref('stg_troyansys__accounting_entry_lines') }}
)

select * from serpi
union all
select * from troyansys
