{#- Open receivables as of the run's as-of date: owed kinds of document with balance_due > 0 issued by then. -#}
with open_documents as (
    select
        *,
        {{ pipeline.as_of_date() }} as as_of_date
    from {{ ref('fct_sales') }}
    where is_receivable_kind
        and balance_due > 0
        and issue_date <= {{ pipeline.as_of_date() }}
),

aged as (
    select *, cast(as_of_date - due_date as integer) as days_past_due
    from open_documents
)

select
    tenant,
    source,
    currency,
    document_id,
    document_number,
    customer_id,
    customer_name,
    issue_date,
    due_date,
    as_of_date,
    total                                            as original_amount,
    balance_due,
    days_past_due,
    case
        when days_past_due <= 0 then 'current'
        when days_past_due <= 30 then '1-30'
        when days_past_due <= 60 then '31-60'
        when days_past_due <= 90 then '61-90'
        else '91+'
    end                                              as aging_bucket
from aged
