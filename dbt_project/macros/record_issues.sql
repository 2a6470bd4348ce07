{#-
  Every quality issue of every landed record version of a source's base models, one row per issue, plus one
  row per conflicting duplicate: what the quarantine and schema-drift reports read. Each staging folder has one
  such model (`stg_<source>__record_issues`) naming its own base models; the reports union them over
  var('sources'), so no list of sources is kept here.
  `kept`: the issue belongs to the version the staging model would have kept (or to a record without a key):
  that record is quarantined. Other versions' issues only feed the drift report.
-#}
{% macro record_issues(base_models) -%}
{{ config(meta={'lineage': ['source', 'endpoint', 'tenant', 'partition_key', 'run_id']}) }}
{%- set columns = ['source', 'endpoint', 'tenant', 'partition_key', 'run_id', 'page', 'record_position',
                   'record_key', '_records_on_page', '_lines_on_page'] -%}
{%- for name in base_models %}
{{ 'union all' if not loop.first }}
select {{ columns | join(', ') }}, field, raw_value, reason, _version_rank = 1 or record_key is null as kept
from ({{ pipeline.each_issue(ref(name), columns + ['_version_rank'], '_issue_count > 0') }}) as _issues
{{ pipeline.new_lineage_only('_issues') }}
union all
select {{ columns | join(', ') }}, 'record', cast(null as {{ pipeline.sql_type('varchar') }}), 'conflicting duplicate', true
from {{ ref(name) }} as _duplicates
where _is_conflicting_duplicate
{{ pipeline.new_lineage_only('_duplicates', 'and') }}
{%- endfor %}
{%- endmacro %}
