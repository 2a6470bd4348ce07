{#- Landed partitions with what each API reported about them (numbers typed exactly from the JSON text). -#}
{%- set reported = {
    'total': 'BIGINT', 'total_records': 'BIGINT', 'count': 'BIGINT',
    'summary': {
        'docs': 'BIGINT', 'entries': 'BIGINT',
        'subtotal': 'DECIMAL(38,10)', 'tax': 'DECIMAL(38,10)', 'total': 'DECIMAL(38,10)',
        'debit_total': 'DECIMAL(38,10)', 'credit_total': 'DECIMAL(38,10)',
        'total_qty': 'DECIMAL(38,10)', 'total_value': 'DECIMAL(38,10)',
        'payment': {'pending_total': 'DECIMAL(38,10)', 'payable_total': 'DECIMAL(38,10)', 'payable_docs': 'BIGINT'}
    },
    'windows': [{'fecha_desde': 'VARCHAR', 'fecha_hasta': 'VARCHAR', 'count': 'BIGINT', 'message': 'VARCHAR'}],
    'status': 'VARCHAR'
} -%}
with source as (
    select * from {{ relation_or_empty(source('pipeline', 'manifests'), raw_manifest_columns()) }}
),

typed as (
    select
        source,
        endpoint,
        tenant,
        partition_key,
        window_start,
        window_end,
        snapshot_date,
        run_id,
        finished_at,
        pages,
        records,
        unique_records,
        json_transform(reported, '{{ tojson(reported) }}') as reported,
        reported as reported_text,
        mismatch
    from source
)

select * from typed
