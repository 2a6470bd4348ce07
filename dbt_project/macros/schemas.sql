{#- Schemas are exactly raw, staging, intermediate and marts: no target-schema prefix. On PostgreSQL the marts
    are built aside, in `marts_build`, and swapped in as `marts` by the pipeline once the build and its tests
    succeeded (pipeline/warehouse/postgres_server.py); on DuckDB the serving copy plays that part. On Spark they
    are built in `marts_build_a` or `marts_build_b`, the one the views in `marts` do not read (the pipeline
    names it in PIPELINE_SPARK_MARTS_BUILD), and the views are repointed (pipeline/warehouse/spark_server.py). -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}
    {%- elif custom_schema_name | trim == 'marts' -%}{{ adapter.dispatch('marts_build_schema', 'pipeline')() }}
    {%- else -%}{{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__marts_build_schema() -%}marts{%- endmacro %}

{% macro postgres__marts_build_schema() -%}marts_build{%- endmacro %}

{% macro spark__marts_build_schema() -%}{{ env_var('PIPELINE_SPARK_MARTS_BUILD', 'marts_build_a') }}{%- endmacro %}
