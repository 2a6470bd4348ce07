{#-
  A base model: every landed record of one raw table, parsed once, typed from its field specs, judged
  (`_issues`, `_issue_count`) and ranked among the versions of its key in its landing (`_version_rank` 1 is
  the version kept; `_is_conflicting_duplicate`: a version that lost to the kept one with the same `version`
  and different content, i.e. bad data rather than a page shift, which repeats content byte for byte).

  - `fields`: field name (dotted for nested objects) -> spec (see field_spec). Typed columns are named after the
    field (`kpis.sales_month` -> `kpis__sales_month`).
  - `key`: the field identifying a record (None: one record per partition, e.g. a summary).
  - `lines`: {list name: its line field specs}; the list is kept as `_lines` and its lines are judged too. A
    record without the list is quarantined (`missing field`) unless `optional_lines` (an [assumed] list).
  - `version`: a typed column ordering versions of one key (newest kept), before the landing order.
  All versions of a key are in one landing (a partition is replaced whole), so ranking needs only the new
  landings: the model is a lineage_incremental one (see materializations/).
-#}
{% macro base_records(relation, fields, key=none, lines={}, version=none, optional_lines=false) -%}
{%- set source_name, endpoint = relation.identifier.split('__', 1) -%}
with _parsed as (
    select
        tenant, partition_key, window_start, window_end, snapshot_date, run_id, page, extracted_at,
        record_position, record, md5(record) as _content_hash,
        {{ pipeline.parse_record('record', fields, lines) }} as _rec
    from {{ pipeline.relation_or_empty(relation, pipeline.raw_record_columns()) }} as _raw
    {{ pipeline.new_lineage_only('_raw') }}
),

_typed as (
    select
        '{{ source_name }}' as source, '{{ endpoint }}' as endpoint,
        tenant, partition_key, window_start, window_end, snapshot_date, run_id, page, extracted_at,
        record_position, _content_hash,
        {% if key %}{{ pipeline.field_text([key]) }}{% else %}partition_key{% endif %} as record_key,
        {%- for name, spec in fields.items() %}
        {%- set field = pipeline.field_spec(name, spec) %}
        {{ pipeline.typed(field.kind, pipeline.field_text(field.path)) }} as {{ field.column }},
        {%- endfor %}
        {%- for list_name in lines %}
        {{ pipeline.lines_value(list_name) }} as _lines,
        {%- endfor %}
        {%- set checks = pipeline.field_checks(fields) %}
        {%- for list_name in lines if not optional_lines %}
        {%- do checks.append("case when " ~ pipeline.lines_value(list_name) ~ " is null and not "
                             ~ pipeline.field_present([list_name]) ~ " then "
                             ~ pipeline.issue("'" ~ list_name ~ "'", 'null', "'missing field'") ~ " end") %}
        {%- endfor %}
        {%- set issues = namespace(sql=pipeline.issue_list(checks)) %}
        {%- for list_name, line_fields in lines.items() %}
        {%- set issues.sql = pipeline.concat_issues(issues.sql, pipeline.line_issues(list_name, line_fields)) %}
        {%- endfor %}
        {{ issues.sql }} as _issues
    from _parsed
)

select
    _typed.*,
    {{ pipeline.issue_count('_issues') }} as _issue_count,
    cast(count(*) over _page as bigint) as _records_on_page,
    cast({% if lines %}sum({{ pipeline.lines_count('_lines') }}) over _page{% else %}0{% endif %} as bigint) as _lines_on_page,
    row_number() over _versions as _version_rank,
    (
        row_number() over _versions > 1
        and first_value(_content_hash) over _versions <> _content_hash
        {%- if version %}
        and first_value({{ version }}) over _versions is not distinct from {{ version }}
        {%- endif %}
    ) as _is_conflicting_duplicate
from _typed
window _page as (partition by tenant, partition_key, run_id, page),
    _versions as (
    partition by tenant, partition_key, record_key
    order by {% if version %}{{ version }} desc nulls last, {% endif %}page desc, record_position desc
)
{%- endmacro %}


{#- The raw table's columns, for a relation the loader has not created yet (relation_or_empty). -#}
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


{#-
  The relation, or an empty relation with the same columns when the loader has not created it yet (an endpoint
  that never landed a page, e.g. a module a tenant has not contracted), so one missing raw table does not
  fail the whole build.
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
        (select {% for name, type in columns.items() %}cast(null as {{ pipeline.sql_type(type) }}) as {{ name }}{{ ", " if not loop.last }}{% endfor %} where 1 = 0)
    {%- endif -%}
{%- endmacro %}
