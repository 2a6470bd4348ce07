{#-
  One row per check and window: what a source reported about itself (its manifests, or the SmartPyme summary
  pages) against what the warehouse holds. difference = actual - expected; `match` only when it is exactly
  zero. Checks whose expected figure the source did not report are left out. A window the extractor split
  (SERPI refuses large ones) is still one window: its counts were summed over every request that covered it.
-#}
with manifests as (
    select * from {{ ref('stg_pipeline__manifests') }}
),

sales as (
    select * from {{ ref('fct_sales') }}
),

troyansys_sales as (
    select
        m.tenant, m.window_start, m.window_end, cast(null as date) as snapshot_date,
        max(m.reported_summary_total)                    as expected_total,
        max(m.reported_summary_docs)                     as expected_docs,
        max(m.reported_summary_payment_pending_total)    as expected_pending,
        coalesce(sum(s.total), 0)                        as actual_total,
        count(s.document_id)                             as actual_docs,
        coalesce(sum(case when s.document_type = 'invoice' and s.status = 'issued' then s.balance_due end), 0)
                                                         as actual_pending
    from manifests as m
    left join sales as s
        on s.tenant = m.tenant and s.source = 'troyansys' and s.issue_date between m.window_start and m.window_end
    where m.source = 'troyansys' and m.endpoint = 'sales'
    group by m.tenant, m.partition_key, m.window_start, m.window_end
),

troyansys_purchases as (
    select
        m.tenant, m.window_start, m.window_end, cast(null as date) as snapshot_date,
        max(m.reported_summary_total)                    as expected_total,
        coalesce(sum(p.total), 0)                        as actual_total
    from manifests as m
    left join {{ ref('fct_purchases') }} as p
        on p.tenant = m.tenant and p.issue_date between m.window_start and m.window_end
    where m.source = 'troyansys' and m.endpoint = 'purchases'
    group by m.tenant, m.partition_key, m.window_start, m.window_end
),

troyansys_entries as (
    select tenant, entry_date, debit, credit
    from {{ ref('int_journal_entries_unioned') }}
    where source = 'troyansys'
),

troyansys_accounting as (
    select
        m.tenant, m.window_start, m.window_end, cast(null as date) as snapshot_date,
        max(m.reported_summary_debit_total)              as expected_debit,
        max(m.reported_summary_credit_total)             as expected_credit,
        coalesce(sum(e.debit), 0)                        as actual_debit,
        coalesce(sum(e.credit), 0)                       as actual_credit
    from manifests as m
    left join troyansys_entries as e
        on e.tenant = m.tenant and e.entry_date between m.window_start and m.window_end
    where m.source = 'troyansys' and m.endpoint = 'accounting'
    group by m.tenant, m.partition_key, m.window_start, m.window_end
),

troyansys_inventory as (
    select
        m.tenant, cast(null as date) as window_start, cast(null as date) as window_end, m.snapshot_date,
        max(m.reported_summary_total_value)              as expected_value,
        coalesce(sum(i.inventory_value), 0)              as actual_value
    from manifests as m
    left join {{ ref('fct_inventory_valuation') }} as i
        on i.tenant = m.tenant and i.snapshot_date = m.snapshot_date
    where m.source = 'troyansys' and m.endpoint = 'inventory'
    group by m.tenant, m.partition_key, m.snapshot_date
),

smartpyme_sales as (
    select
        r.tenant, r.window_start, r.window_end, cast(null as date) as snapshot_date,
        max(r.sales_total)                               as expected_total,
        max(r.sales_count)                               as expected_count,
        max(r.tax_total)                                 as expected_tax,
        coalesce(sum(s.total), 0)                        as actual_total,
        count(s.document_id)                             as actual_count,
        coalesce(sum(s.tax), 0)                          as actual_tax
    from {{ ref('stg_smartpyme__sales_summaries') }} as r
    left join sales as s
        on s.tenant = r.tenant and s.source = 'smartpyme' and s.issue_date between r.window_start and r.window_end
    group by r.tenant, r.partition_key, r.window_start, r.window_end
),

serpi_landed as (
    select tenant, partition_key, count(distinct record_key) as documents
    from {{ ref('base_serpi__documents') }}
    where record_key is not null
    group by tenant, partition_key
),

serpi_documents as (
    select
        m.tenant, m.window_start, m.window_end, cast(null as date) as snapshot_date,
        m.reported_count                                 as expected_count,
        coalesce(l.documents, 0)                         as actual_count
    from manifests as m
    left join serpi_landed as l on l.tenant = m.tenant and l.partition_key = m.partition_key
    where m.source = 'serpi' and m.endpoint = 'documents'
),

serpi_journal as (
    select
        tenant,
        cast(date_trunc('month', entry_date) as date)    as window_start,
        cast((date_trunc('month', entry_date) + interval '1 month') - interval '1 day' as date) as window_end,
        cast(null as date)                               as snapshot_date,
        sum(debit)                                       as expected_debit,
        sum(credit)                                      as actual_credit
    from {{ ref('fct_journal_lines') }}
    where source = 'serpi'
    group by tenant, cast(date_trunc('month', entry_date) as date),
        cast((date_trunc('month', entry_date) + interval '1 month') - interval '1 day' as date)
),

arrendasoft_invoices as (
    select
        m.tenant, cast(null as date) as window_start, cast(null as date) as window_end, m.snapshot_date,
        max(m.reported_total_records)                    as expected_records,
        count(i.document_id)                             as actual_records
    from manifests as m
    left join {{ ref('fct_invoice_balance_snapshots') }} as i
        on i.tenant = m.tenant and i.snapshot_date = m.snapshot_date
    where m.source = 'arrendasoft' and m.endpoint = 'invoices'
    group by m.tenant, m.partition_key, m.snapshot_date
),

{%- set checks = [
    ('troyansys', 'troyansys.sales.total', 'troyansys_sales', 'expected_total', 'actual_total'),
    ('troyansys', 'troyansys.sales.docs', 'troyansys_sales', 'expected_docs', 'actual_docs'),
    ('troyansys', 'troyansys.sales.pending_total', 'troyansys_sales', 'expected_pending', 'actual_pending'),
    ('troyansys', 'troyansys.purchases.total', 'troyansys_purchases', 'expected_total', 'actual_total'),
    ('troyansys', 'troyansys.accounting.debit_total', 'troyansys_accounting', 'expected_debit', 'actual_debit'),
    ('troyansys', 'troyansys.accounting.credit_total', 'troyansys_accounting', 'expected_credit', 'actual_credit'),
    ('troyansys', 'troyansys.inventory.total_value', 'troyansys_inventory', 'expected_value', 'actual_value'),
    ('smartpyme', 'smartpyme.sales.total_ventas', 'smartpyme_sales', 'expected_total', 'actual_total'),
    ('smartpyme', 'smartpyme.sales.cantidad_ventas', 'smartpyme_sales', 'expected_count', 'actual_count'),
    ('smartpyme', 'smartpyme.sales.total_iva', 'smartpyme_sales', 'expected_tax', 'actual_tax'),
    ('serpi', 'serpi.documents.count', 'serpi_documents', 'expected_count', 'actual_count'),
    ('serpi', 'serpi.journal.debits_vs_credits', 'serpi_journal', 'expected_debit', 'actual_credit'),
    ('arrendasoft', 'arrendasoft.invoices.total_records', 'arrendasoft_invoices', 'expected_records', 'actual_records'),
] %}

checks as (
{%- for source_name, check_name, cte, expected, actual in checks %}
    select
        tenant,
        '{{ source_name }}'                              as source,
        '{{ check_name }}'                               as check_name,
        window_start,
        window_end,
        snapshot_date,
        cast({{ expected }} as decimal(38, 10))          as expected,
        cast({{ actual }} as decimal(38, 10))            as actual
    from {{ cte }}
    {{ 'union all' if not loop.last }}
{%- endfor %}
)

select
    c.tenant,
    c.source,
    c.check_name,
    c.window_start,
    c.window_end,
    c.expected,
    c.actual,
    cast(c.actual - c.expected as decimal(38, 10))           as difference,
    case when c.actual - c.expected = 0 then 'match' else 'mismatch' end as status,
    c.snapshot_date
from checks as c
inner join {{ ref('stg_pipeline__connections') }} as k  -- a connection removed from the file leaves the report
    on k.tenant = c.tenant and k.source = c.source
where c.expected is not null
