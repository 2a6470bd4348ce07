{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook="{{ reparse_when_logic_changed() }}",
    post_hook="{{ finish_base_model(source('troyansys', 'accounting')) }}",
) }}
{#- Every landed Troyansys accounting entry (lines nested), typed once, with its quality issues.
    A bad line quarantines its whole entry, so an entry is never half loaded. -#}
{%- set line = {
    'account_code': 'VARCHAR', 'account_name': 'VARCHAR',
    'debit': 'DECIMAL(38,10)', 'credit': 'DECIMAL(38,10)'
} -%}
{%- set structure = {
    'id': 'VARCHAR', 'number': 'VARCHAR', 'entry_date': 'VARCHAR', 'status': 'VARCHAR',
    'description': 'VARCHAR', 'debit_total': 'DECIMAL(38,10)', 'credit_total': 'DECIMAL(38,10)',
    'lines': [line]
} -%}
{%- set prefix = "'lines[' || (i + 1) || '].'" -%}

with records as (
    {{ typed_records(source('troyansys', 'accounting'), structure, new_pages_only=is_incremental()) }}
),

checked as (
    select
        *,
        rec.id as record_key,
        list_concat(
            {{ issues([
                check_required('txt.id', 'id'),
                check_date('txt.entry_date', 'entry_date', required=true),
                check_required('txt.status', 'status'),
                check_amount('rec.debit_total', 'txt.debit_total', 'debit_total'),
                check_amount('rec.credit_total', 'txt.credit_total', 'credit_total'),
            ]) }},
            {{ line_issues('lines', [
                check_required('txt.lines[i + 1].account_code', 'account_code', prefix=prefix),
                check_amount('rec.lines[i + 1].debit', 'txt.lines[i + 1].debit', 'debit', required=true, prefix=prefix),
                check_amount('rec.lines[i + 1].credit', 'txt.lines[i + 1].credit', 'credit', required=true, prefix=prefix),
            ]) }}
        ) as _issues
    from records
)

select * exclude (txt) from checked
