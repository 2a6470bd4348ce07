{#-
  Sales documents of the three sales sources in one shape (the columns of fct_sales, without currency), with
  conformed flags and their lineage. Arrendasoft contributes its latest snapshot only; its history is in
  fct_invoice_balance_snapshots. `is_receivable_kind` says whether the document's type and status make it
  something owed (fct_receivables then also needs balance_due > 0 and issue_date <= as_of_date).
-#}
with troyansys as (
    select
        tenant,
        'troyansys'                                  as source,
        document_id,
        document_number,
        document_type,
        status,
        issue_date,
        coalesce(due_date, issue_date)               as due_date,
        customer_id,
        customer_name,
        subtotal,
        tax,
        cast(null as decimal(18, 4))                 as discount,
        total,
        paid_amount,
        pending_balance                              as balance_due,
        coalesce(document_type = 'quotation', false) as is_quotation,
        coalesce(status = 'cancelled', false)        as is_void,
        coalesce(document_type = 'invoice' and status = 'issued', false) as is_receivable_kind,
        partition_key,
        run_id,
        extracted_at
    from {{ ref('stg_troyansys__sales') }}
),

smartpyme as (
    select
        tenant,
        'smartpyme'                                  as source,
        document_id,
        document_number,
        document_type,
        status,
        issue_date,
        coalesce(expiry_date, issue_date)            as due_date,
        cast(null as {{ pipeline.sql_type('varchar') }}) as customer_id,
        customer_name,
        subtotal,
        tax,
        discount,
        total,
        cast(total - balance_due as decimal(18, 4))  as paid_amount,
        balance_due,
        status = 'Cotizacion' or is_quotation_flag   as is_quotation,
        status = 'Anulada'                           as is_void,
        status not in ('Anulada', 'Pre-venta', 'Cotizacion') and not is_quotation_flag as is_receivable_kind,
        partition_key,
        run_id,
        extracted_at
    from {{ ref('stg_smartpyme__sales') }}
),

latest_snapshots as (
    select tenant, max(snapshot_date) as snapshot_date
    from {{ ref('stg_pipeline__manifests') }}
    where source = 'arrendasoft' and endpoint = 'invoices'
    group by tenant
),

arrendasoft as (
    select
        i.tenant,
        'arrendasoft'                                as source,
        i.document_id,
        i.document_number,
        'invoice'                                    as document_type,
        i.status,
        i.issue_date,
        coalesce(i.due_date, i.issue_date)           as due_date,
        i.customer_id,
        i.customer_name,
        cast(null as decimal(18, 4))                 as subtotal,
        cast(null as decimal(18, 4))                 as tax,
        cast(null as decimal(18, 4))                 as discount,
        i.total,
        cast(i.total - i.balance_due as decimal(18, 4)) as paid_amount,
        i.balance_due,
        false                                        as is_quotation,
        coalesce(i.status = 'Anulada', false)        as is_void,
        coalesce(i.status <> 'Anulada', true)        as is_receivable_kind,
        i.partition_key,
        i.run_id,
        i.extracted_at
    from {{ ref('stg_arrendasoft__invoices') }} as i
    inner join latest_snapshots as l
        on l.tenant = i.tenant and l.snapshot_date = i.snapshot_date
)

select * from troyansys
union all
select * from smartpyme
union all
select * from arrendasoft
