{{ config(contract={'enforced': true}) }}
{#-
  One row per check and window: what a source reported about itself (raw._manifests.reported, or the
  SmartPyme summary pages) against what the warehouse holds. difference = actual - expected; `match` only
  when it is exactly zero. Checks whose expected figure the source did not report are left out.
-#}
with manifests as (
    select * from {{ ref('stg_pipeline__manifests') }}
),

sales as (
    select * from {{ ref('fct_sales') }}
),

troyansys_sales as (
    select
        m.tenant,
        m.window_start,
        m.window_end,
        any_value(m.reported.summary.total)                  as expected_total,
        any_value(m.reported.summary.docs)                   as expected_docs,
        any_value(m.reported.summary.payment.pending_total)  as expected_pending,
        coalesce(sum(s.total), 0)                            as actual_total,
        count(s.document_id)                                 as actual_docs,
        coalesce(sum(case when s.document_type = 'invoice' and s.status = 'issued' then s.balance_due end), 0)
                                                             as actual_pending
    from manifests as m
    left join sales as s
        on s.tenant = m.tenant and s.source = 'troyansys'
        and s.issue_date between m.window_start and m.window_end
    where m.source = 'troyansys' and m.endpoint = 'sales'
    group by m.tenant, m.partition_key, m.window_start, m.window_end
),

troyansys_purchases as (
    select
        m.tenant,
        m.window_start,
        m.window_end,
        any_value(m.reported.summary.total)  as expected_total,
        coalesce(sum(p.total), 0)            as actual_total
    from manifests as m
    left join {{ ref('fct_purchases') }} as p
        on p.tenant = m.tenant and p.issue_date between m.window_start and m.window_end
    where m.source = 'troyansys' and m.endpoint = 'purchases'
    group by m.tenant, m.partition_key, m.window_start, m.window_end
),

troyansys_entries as (
    select
        e.tenant,
        e.entry_date,
        coalesce(e.debit_total, l.debit)     as debit,
        coalesce(e.credit_total, l.credit)   as credit
    from {{ ref('stg_troyansys__accounting_entries') }} as e
    left join (
        select tenant, entry_id, sum(debit) as debit, sum(credit) as credit
        from {{ ref('stg_troyansys__accounting_entry_lines') }}
        group by all
    ) as l
        on l.tenant = e.tenant and l.entry_id = e.entry_id
),

troyansys_accounting as (
    select
        m.tenant,
        m.window_start,
        m.window_end,
        any_value(m.reported.summary.debit_total)    as expected_debit,
        any_value(m.reported.summary.credit_total)   as expected_credit,
        coalesce(sum(e.debit), 0)                    as actual_debit,
        coalesce(sum(e.credit), 0)                   as actual_credit
    from manifests as m
    left join troyansys_entries as e
        on e.tenant = m.tenant and e.entry_date between m.window_start and m.window_end
    where m.source = 'troyansys' and m.endpoint = 'accounting'
    group by m.tenant, m.partition_key, m.window_start, m.window_end
),

troyansys_inventory as (
    select
        m.tenant,
        coalesce(any_value(m.snapshot_date), try_cast(m.partition_key as date)) as snapshot_date,
        any_value(m.reported.summary.total_value)    as expected_value,
        coalesce(sum(i.inventory_value), 0)          as actual_value
    from manifests as m
    left join {{ ref('fct_inventory_valuation') }} as i
        on i.tenant = m.tenant
        and i.snapshot_date = coalesce(m.snapshot_date, try_cast(m.partition_key as date))
    where m.source = 'troyansys' and m.endpoint = 'inventory'
    group by m.tenant, m.partition_key
),

smartpyme_sales as (
    select
        r.tenant,
        r.window_start,
        r.window_end,
        any_value(r.sales_total)             as expected_total,
        any_value(r.sales_count)             as expected_count,
        any_value(r.tax_total)               as expected_tax,
        coalesce(sum(s.total), 0)            as actual_total,
        count(s.document_id)                 as actual_count,
        coalesce(sum(s.tax), 0)              as actual_tax
    from {{ ref('stg_smartpyme__sales_summaries') }} as r
    left join sales as s
        on s.tenant = r.tenant and s.source = 'smartpyme'
        and s.issue_date between r.window_start and r.window_end
    group by r.tenant, r.partition_key, r.window_start, r.window_end
),

serpi_windows as (
    select
        tenant,
        partition_key,
        coalesce(try_cast(w.fecha_desde as date), window_start)  as window_start,
        coalesce(try_cast(w.fecha_hasta as date), window_end)    as window_end,
        coalesce(w.count, try_cast(regexp_extract(w.message, '^\s*(\d+)', 1) as bigint)) as expected_count
    from (
        select *, unnest(reported.windows) as w
        from manifests
        where source = 'serpi' and endpoint = 'documents' and len(reported.windows) > 0
    )
    union all
    select tenant, partition_key, window_start, window_end, reported.count
    from manifests
    where source = 'serpi' and endpoint = 'documents' and coalesce(len(reported.windows), 0) = 0
),

serpi_landed as (
    select distinct tenant, record_key, try_cast(rec.fechaDocumento as date) as document_date
    from {{ ref('base_serpi__documents') }}
    where record_key is not null
),

serpi_documents as (
    select
        w.tenant,
        w.window_start,
        w.window_end,
        any_value(w.expected_count)          as expected_count,
        count(distinct d.record_key)         as actual_count
    from serpi_windows as w
    left join serpi_landed as d
        on d.tenant = w.tenant and d.document_date between w.window_start and w.window_end
    group by w.tenant, w.partition_key, w.window_start, w.window_end
),

serpi_journal as (
    select
        tenant,
        cast(date_trunc('month', entry_date) as date)                        as window_start,
        cast(last_day(entry_date) as date)                                   as window_end,
        sum(debit)                                                           as expected_debit,
        sum(credit)                                                          as actual_credit
    from {{ ref('fct_journal_lines') }}
    where source = 'serpi'
    group by all
),

arrendasoft_invoices as (
    select
        m.tenant,
        coalesce(any_value(m.snapshot_date), try_cast(m.partition_key as date)) as snapshot_date,
        any_value(m.reported.total_records)  as expected_records,
        count(i.document_id)                 as actual_records
    from manifests as m
    left join {{ ref('fct_invoice_balance_snapshots') }} as i
        on i.tenant = m.tenant
        and i.snapshot_date = coalesce(m.snapshot_date, try_cast(m.partition_key as date))
    where m.source = 'arrendasoft' and m.endpoint = 'invoices'
    group by m.tenant, m.partition_key
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
] -%}
{%- set snapshot_ctes = ['troyansys_inventory', 'arrendasoft_invoices'] %}

checks as (
{%- for source_name, check_name, cte, expected, actual in checks %}
    select
        tenant,
        '{{ source_name }}'                          as source,
        '{{ check_name }}'                           as check_name,
        {%- if cte in snapshot_ctes %}
        cast(null as date)                           as window_start,
        cast(null as date)                           as window_end,
        cast(snapshot_date as date)                  as snapshot_date,
        {%- else %}
        cast(window_start as date)                   as window_start,
        cast(window_end as date)                     as window_end,
        cast(null as date)                           as snapshot_date,
        {%- endif %}
        cast({{ expected }} as decimal(38, 10))      as expected,
        cast({{ actual }} as decimal(38, 10))        as actual
    from {{ cte }}
    {% if not loop.last %}union all{% endif %}
{%- endfor %}
),

typed as (
    select
        tenant,
        source,
        check_name,
        window_start,
        window_end,
        snapshot_date,
        expected,
        actual
    from checks
    where expected is not null
)

select
    tenant,
    source,
    check_name,
    window_start,
    window_end,
    expected,
    actual,
    cast(actual - expected as decimal(38, 10))                        as difference,
    case when actual - expected = 0 then 'match' else 'mismatch' end as status,
    snapshot_date
from typed
