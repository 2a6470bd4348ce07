{#- The run's as-of date as a SQL DATE expression: var as_of_date, else env PIPELINE_AS_OF (how the pipeline
    passes it: an env var keeps dbt's partial parsing, a changed --vars re-parses the whole project), else
    current_date. -#}
{% macro as_of_date() -%}
    {%- set value = var('as_of_date', none) or env_var('PIPELINE_AS_OF', '') -%}
    {%- if value -%}cast('{{ value }}' as date){%- else -%}current_date{%- endif -%}
{%- endmacro %}
