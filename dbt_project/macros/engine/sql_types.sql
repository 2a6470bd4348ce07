{#-
  Type names the project writes (`varchar` in casts and in the marts' contracts) as each engine spells them:
  Spark has no VARCHAR without a length; its text type is STRING.
-#}
{% macro sql_type(name) -%}
    {{ return(adapter.dispatch('sql_type', 'pipeline')(name)) }}
{%- endmacro %}

{% macro default__sql_type(name) -%}{{ return(name) }}{%- endmacro %}

{% macro spark__sql_type(name) -%}
    {{ return('string' if name | trim | lower in ('varchar', 'text') else name) }}
{%- endmacro %}

{#- dbt's empty-schema query for contracts, with the contracts' type names spelled for Spark. -#}
{% macro spark__get_empty_schema_sql(columns) -%}
    {%- set spelled = {} -%}
    {%- for name in columns -%}
        {%- set column = {} -%}
        {%- do column.update(columns[name]) -%}
        {%- if column.get('data_type') -%}{%- do column.update({'data_type': pipeline.sql_type(column['data_type'])}) -%}{%- endif -%}
        {%- do spelled.update({name: column}) -%}
    {%- endfor -%}
    {{ return(dbt.default__get_empty_schema_sql(spelled)) }}
{%- endmacro %}
