{#-
  The relation, or an empty relation with the same columns when the loader has not created it yet
  (an endpoint that has never landed a page, e.g. a module a tenant has not contracted), so one missing
  raw table does not fail the whole build.
-#}
{% macro relation_or_empty(relation, columns) -%}
    {%- set found = none -%}
    {%- if execute -%}
        {%- set found = adapter.get_relation(
            database=relation.database, schema=relation.schema, identifier=relation.identifier) -%}
    {%- endif -%}
    {%- if found is not none or not execute -%}
        {{ relation }}
    {%- else -%}
        (select {% for name, type in columns.items() %}cast(null as {{ type }}) as {{ name }}{{ ", " if not loop.last }}{% endfor %} where false)
    {%- endif -%}
{%- endmacro %}

{% macro raw_record_columns() -%}
    {{ return({
        'tenant': 'varchar', 'partition_key': 'varchar', 'window_start': 'date', 'window_end': 'date',
        'snapshot_date': 'date', 'run_id': 'varchar', 'page': 'integer', 'extracted_at': 'timestamp',
        'record_position': 'integer', 'record': 'varchar'
    }) }}
{%- endmacro %}

{% macro raw_manifest_columns() -%}
    {{ return({
        'source': 'varchar', 'endpoint': 'varchar', 'tenant': 'varchar', 'partition_key': 'varchar',
        'window_start': 'date', 'window_end': 'date', 'snapshot_date': 'date', 'run_id': 'varchar',
        'finished_at': 'timestamp', 'pages': 'integer', 'records': 'integer', 'unique_records': 'integer',
        'reported': 'varchar', 'mismatch': 'varchar'
    }) }}
{%- endmacro %}
