{#- The run's as-of date as a SQL DATE expression: var as_of_date, else current_date. -#}
{% macro as_of_date() -%}
    {%- set value = var('as_of_date', none) -%}
    {%- if value -%}cast('{{ value }}' as date){%- else -%}current_date{%- endif -%}
{%- endmacro %}
