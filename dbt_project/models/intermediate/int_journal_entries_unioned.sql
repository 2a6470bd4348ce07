{#-
  Journal entries with their debit and credit totals: the sums of their lines, or Troyansys
  debit_total/credit_total for an entry without lines. One row per entry, every status.
-#}
with line_totals as (
    select tenant, source, entry_id, sum(debit) as debit, sum(credit) as credit
    from {{ ref('int_journal_lines_unioned') }}
    group by tenant, source, entry_id
),

serpi as (
    select
        d.tenant,
        'serpi'                                      as source,
        d.document_id                                as entry_id,
        d.document_number,
        d.document_date                              as entry_date,
        'posted'                                     as status,
        d.line_count,
        coalesce(t.debit, 0)                         as debit,
        coalesce(t.credit, 0)                        as credit
    from {{ ref('stg_serpi__documents') }} as d
    left join line_totals as t
        on t.tenant = d.tenant and t.source = 'serpi' and t.entry_id = d.document_id
),

troyansys as (
    select
        e.tenant,
        'troyansys'                                  as source,
        e.entry_id,
        e.document_number,
        e.entry_date,
        e.status,
        e.line_count,
        coalesce(t.debit, e.debit_total)             as debit,
        coalesce(t.credit, e.credit_total)           as credit
    from {{ ref('stg_troyansys__accounting_entries') }} as e
    left join line_totals as t
        on t.tenant = e.tenant and t.source = 'troyansys' and t.entry_id = e.entry_id
)

select
    tenant, source, entry_id, document_number, entry_date, status, line_count,
    cast(debit as decimal(38, 4))  as debit,
    cast(credit as decimal(38, 4)) as credit
from (
    select * from serpi
    union all
    select * from troyansys
) as entries
