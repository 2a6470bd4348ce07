{#-
  Sales documents of the three sales sources in one shape (the columns of fct_sales, without currency),
  with conformed flags. Arrendasoft contributes its latest snapshot only; its history is in
  fct_invoice_balance_snapshots. `is_receivable_kind` says whether the document's type and status make it
  something owed (fct_receivables then also needs balance_due > 0 and issue_date <= as_of_date).
-#}
with troyansys as (
    select
        tenant,
        'troyansys'                              as source,
        document_id,
        document_number,
        document_type,
        status,
        issue_date,
        coalesce(due_date, issue_date)           as due_date,
        customer_id,
        customer_name,
        subtotal,
        tax,
        cast(null as decimal(18, 4))             as discount,
        total,
        paid_amount,
        pending_balance                          as balance_due,
        document_type = 'quotation'              as is_quotation,
        status = 'cancelled'                     as is_void,
        document_type = 'invoice' and status = 'issued' as is_receivable_kind
    from {{ ref('stg_troyansys__sales') }}
),

smartpyme as (
    select
        tenant,
        'smartpyme'                              as source,
        document_id,
        document_number,
        document_type,
        status,
        issue_date,
        coalesce(expiry_date, issue_date)        as due_date,
        cast(null as varchar)                    as customer_id,
        customer_name,
        subtotal,
        tax,
        discount,
        total,
        cast(total - balance_due as decimal(18, 4)) as paid_amount,
        balance_due,
        status = 'Cotizacion' or is_quotation_flag  as is_quotation,
        status = 'Anulada'                       as is_void,
        status not in ('Anulada', 'Pre-venta', 'Cotizacion') and not is_quotation_flag as is_receivable_kind
    from {{ ref('stg_smartpyme__sales') }}
),

arrendasoft_latest as (
    select *
    from {{ ref('stg_arrendasoft__invoices') }}
    qualify snapshot_date = max(snapshot_date) over (partition by tenant)
),

arrendasoft as (
    select
        tenant,
        'arrendasoft'                            as source,
        document_id,
        document_number,
        'invoice'                                as document_type,
        status,
        issue_date,
        coalesce(due_date, issue_date)           as due_date,
        customer_id,
        customer_name,
        cast(null as decimal(18, 4))             as subtotal,
        cast(null as decimal(18, 4))             as tax,
        cast(null as decimal(18, 4))             as discount,
        total,
        cast(total - balance_due as decimal(18, 4)) as paid_amount,
        balance_due,
        false                                    as is_quotation,
        status = 'Anulada'                       as is_void,
        status is distinct from 'Anulada'        as is_receivable_kind
    from arrendasoft_latest
)

select * from troyansys
union all by name
select * from smartpyme
union all by name
select * from arrendasoft
