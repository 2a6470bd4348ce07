{#- Landed partitions with what each API reported about them, typed exactly from the JSON text the loader
    kept (`reported`). -#}
{%- set reported = {
    'total': 'integer optional', 'total_records': 'integer optional', 'count': 'integer optional',
    'summary.docs': 'integer optional', 'summary.entries': 'integer optional',
    'summary.subtotal': 'amount optional', 'summary.tax': 'amount optional', 'summary.total': 'amount optional',
    'summary.debit_total': 'amount optional', 'summary.credit_total': 'amount optional',
    'summary.total_value': 'amount optional',
    'summary.payment.pending_total': 'amount optional',
} -%}
with manifests as (
    select *, {{ pipeline.parse_record('reported', reported) }} as _rec
    from {{ pipeline.relation_or_empty(source('pipeline', 'manifests'), pipeline.raw_manifest_columns()) }} as _m
),

typed as (
    select
        source,
        endpoint,
        tenant,
        partition_key,
        window_start,
        window_end,
        coalesce(snapshot_date, case when length(partition_key) = 10 then cast(partition_key as date) end)
                                                     as snapshot_date,
        run_id,
        finished_at,
        pages,
        records,
        unique_records,
        {%- for name, spec in reported.items() %}
        {%- set field = pipeline.field_spec(name, spec) %}
        {{ pipeline.typed(field.kind, pipeline.field_text(field.path)) }} as reported_{{ field.column | replace('__', '_') }},
        {%- endfor %}
        reported                                     as reported_text,
        mismatch
    from manifests
)

select * from typed
