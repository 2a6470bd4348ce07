{#-
  The marts' `not_null` constraints on Spark. dbt-spark enforces constraints on Delta tables only; on Parquet
  it skips them, and a NULL would be published where the contract promises a value. Here the built table is
  checked instead, and a NULL in such a column fails the model (so the build is not published). DuckDB and
  PostgreSQL enforce the constraints themselves.
-#}
{% macro check_not_null(relation, model) -%}
    {{ return(adapter.dispatch('check_not_null', 'pipeline')(relation, model)) }}
{%- endmacro %}

{% macro default__check_not_null(relation, model) -%}{%- endmacro %}

{#- dbt-spark's table materialization calls this after creating the table. -#}
{% macro spark__persist_constraints(relation, model) -%}
    {%- do pipeline.check_not_null(relation, model) -%}
{%- endmacro %}

{% macro spark__check_not_null(relation, model) -%}
    {%- set required = [] -%}
    {%- for column in model.columns.values() -%}
        {%- if column.constraints | selectattr('type', 'equalto', 'not_null') | list -%}
            {%- do required.append(column.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if config.get('contract').enforced and required -%}
        {%- set counts = [] -%}
        {%- for name in required -%}{%- do counts.append('count_if(' ~ name ~ ' is null)') -%}{%- endfor -%}
        {%- set found = run_query('select ' ~ counts | join(', ') ~ ' from ' ~ relation) -%}
        {%- set nulls = [] -%}
        {%- for name in required -%}
            {%- if found.rows[0][loop.index0] > 0 -%}{%- do nulls.append(name) -%}{%- endif -%}
        {%- endfor -%}
        {%- if nulls -%}
            {{ exceptions.raise_compiler_error(relation ~ ': NULL in not-null column(s) ' ~ nulls | join(', ')) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
