{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook="{{ reparse_when_logic_changed() }}",
    post_hook="{{ finish_base_model(source('troyansys', 'purchases')) }}",
) }}
{#- Every landed Troyansys purchase record, typed once, with its quality issues. -#}
{%- set structure = {
    'id': 'VARCHAR', 'series': 'VARCHAR', 'number': 'VARCHAR', 'type': 'VARCHAR', 'status': 'VARCHAR',
    'issue_date': 'VARCHAR', 'supplier_id': 'VARCHAR', 'supplier_name': 'VARCHAR',
    'subtotal': 'DECIMAL(38,10)', 'tax': 'DECIMAL(38,10)', 'total': 'DECIMAL(38,10)'
} -%}

with records as (
    {{ typed_records(source('troyansys', 'purchases'), structure, new_pages_only=is_incremental()) }}
),

checked as (
    select
        *,
        rec.id as record_key,
        {{ issues([
            check_required('txt.id', 'id'),
            check_date('txt.issue_date', 'issue_date', required=true),
            check_amount('rec.subtotal', 'txt.subtotal', 'subtotal'),
            check_amount('rec.tax', 'txt.tax', 'tax'),
            check_amount('rec.total', 'txt.total', 'total', required=true),
        ]) }} as _issues
    from records
)

select * exclude (txt) from checked
