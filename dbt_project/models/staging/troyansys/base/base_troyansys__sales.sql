{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook="{{ reparse_when_logic_changed() }}",
    post_hook="{{ finish_base_model(source('troyansys', 'sales')) }}",
) }}
{#- Every landed Troyansys sales record, typed once, with its quality issues. -#}
{%- set structure = {
    'id': 'VARCHAR', 'series': 'VARCHAR', 'number': 'VARCHAR', 'type': 'VARCHAR', 'status': 'VARCHAR',
    'issue_date': 'VARCHAR', 'due_date': 'VARCHAR', 'customer_id': 'VARCHAR', 'customer_name': 'VARCHAR',
    'subtotal': 'DECIMAL(38,10)', 'tax': 'DECIMAL(38,10)', 'total': 'DECIMAL(38,10)',
    'paid_amount': 'DECIMAL(38,10)', 'pending_balance': 'DECIMAL(38,10)', 'payment_status': 'VARCHAR'
} -%}

with records as (
    {{ typed_records(source('troyansys', 'sales'), structure, new_pages_only=is_incremental()) }}
),

checked as (
    select
        *,
        rec.id as record_key,
        {{ issues([
            check_required('txt.id', 'id'),
            check_date('txt.issue_date', 'issue_date', required=true),
            check_date('txt.due_date', 'due_date'),
            check_amount('rec.subtotal', 'txt.subtotal', 'subtotal'),
            check_amount('rec.tax', 'txt.tax', 'tax'),
            check_amount('rec.total', 'txt.total', 'total', required=true),
            check_amount('rec.paid_amount', 'txt.paid_amount', 'paid_amount'),
            check_amount('rec.pending_balance', 'txt.pending_balance', 'pending_balance'),
        ]) }} as _issues
    from records
)

select * exclude (txt) from checked
