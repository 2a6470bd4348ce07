{#-
  A session setting every model's session needs on Spark, sent as a pre-hook (the Thrift server ignores
  settings passed when a session opens, and dbt-spark asks for non-ANSI mode there: docs/spark-notes.md (f)):
  - spark.sql.ansi.enabled=true: an overflowing amount is an error, never a silent NULL;
  - spark.sql.session.timeZone=UTC: timestamps are read and shown in UTC, as on the other engines;
  - spark.sql.mapKeyDedupPolicy=LAST_WIN: a record with a key twice is read, not a failed build.
  Nothing on DuckDB and PostgreSQL (an empty hook is not run).
-#}
{% macro session_setting(name, value) -%}
    {{ return(adapter.dispatch('session_setting', 'pipeline')(name, value)) }}
{%- endmacro %}

{% macro default__session_setting(name, value) -%}{%- endmacro %}

{% macro spark__session_setting(name, value) -%}set {{ name }}={{ value }}{%- endmacro %}
