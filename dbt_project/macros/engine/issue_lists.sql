{#-
  A record's quality issues, kept beside it in its base model as `_issues`: a list of {field, raw_value, reason}
  (DuckDB and Spark: a list of structs; PostgreSQL: a jsonb array). `issue` builds one (or NULL when the check passed),
  `issue_list` drops the NULLs, `line_issues` gathers the issues of every line of a list, `each_issue` turns
  the list back into rows.
-#}

{% macro issue(field, raw_value, reason) -%}
    {{ return(adapter.dispatch('issue', 'pipeline')(field, raw_value, reason)) }}
{%- endmacro %}

{% macro duckdb__issue(field, raw_value, reason) -%}
    {'field': {{ field }}, 'raw_value': cast({{ raw_value }} as varchar), 'reason': {{ reason }}}
{%- endmacro %}

{% macro postgres__issue(field, raw_value, reason) -%}
    jsonb_build_object('field', {{ field }}, 'raw_value', cast({{ raw_value }} as text), 'reason', {{ reason }})
{%- endmacro %}

{% macro spark__issue(field, raw_value, reason) -%}
    named_struct('field', {{ field }}, 'raw_value', cast({{ raw_value }} as string), 'reason', {{ reason }})
{%- endmacro %}


{% macro issue_list(checks) -%}
    {{ return(adapter.dispatch('issue_list', 'pipeline')(checks)) }}
{%- endmacro %}

{% macro duckdb__issue_list(checks) -%}
    list_filter([{{ checks | join(',\n        ') }}], lambda _x: _x is not null)
{%- endmacro %}

{% macro postgres__issue_list(checks) -%}
    jsonb_path_query_array(jsonb_build_array({{ checks | join(',\n        ') }}), '$[*] ? (@ != null)')
{%- endmacro %}

{% macro spark__issue_list(checks) -%}
    {%- if checks -%}
    filter(array({{ checks | join(',\n        ') }}), _x -> _x is not null)
    {%- else -%}
    cast(array() as array<struct<field: string, raw_value: string, reason: string>>)
    {%- endif -%}
{%- endmacro %}


{% macro concat_issues(first, second) -%}
    {{ return(adapter.dispatch('concat_issues', 'pipeline')(first, second)) }}
{%- endmacro %}

{% macro duckdb__concat_issues(first, second) -%}list_concat({{ first }}, {{ second }}){%- endmacro %}

{% macro postgres__concat_issues(first, second) -%}({{ first }} || {{ second }}){%- endmacro %}

{% macro spark__concat_issues(first, second) -%}concat({{ first }}, {{ second }}){%- endmacro %}


{% macro issue_count(issues) -%}
    {{ return(adapter.dispatch('issue_count', 'pipeline')(issues)) }}
{%- endmacro %}

{% macro duckdb__issue_count(issues) -%}cast(len({{ issues }}) as integer){%- endmacro %}

{% macro postgres__issue_count(issues) -%}cast(jsonb_array_length({{ issues }}) as integer){%- endmacro %}

{% macro spark__issue_count(issues) -%}cast(size({{ issues }}) as integer){%- endmacro %}


{#- The issues of every line of `list_name`; each check is rendered by `render(line_number_sql)`, reading the
    line with field_text/field_present in scope 'line'. -#}
{% macro line_issues(list_name, line_fields) -%}
    {{ return(adapter.dispatch('line_issues', 'pipeline')(list_name, line_fields)) }}
{%- endmacro %}

{% macro duckdb__line_issues(list_name, line_fields) -%}
    coalesce(flatten(list_transform(
        range(coalesce(len(struct_extract(_rec, '{{ list_name }}')), 0)),
        lambda _i: {{ pipeline.issue_list(pipeline.field_checks(line_fields, 'line', list_name, '(_i + 1)')) }}
    )), [])
{%- endmacro %}

{% macro postgres__line_issues(list_name, line_fields) -%}
    coalesce((
        select jsonb_agg(_check.issue order by _l.n)
        from jsonb_array_elements(
            case when jsonb_typeof(_rec -> '{{ list_name }}') = 'array' then _rec -> '{{ list_name }}' else '[]' end
        ) with ordinality as _l(_line, n)
        cross join lateral jsonb_array_elements(
            {{ pipeline.issue_list(pipeline.field_checks(line_fields, 'line', list_name, '_l.n')) }}
        ) as _check(issue)
    ), '[]'::jsonb)
{%- endmacro %}

{% macro spark__line_issues(list_name, line_fields) -%}
    coalesce(flatten(transform(
        {{ pipeline.lines_value(list_name) }},
        (_line, _i) -> {{ pipeline.issue_list(pipeline.field_checks(line_fields, 'line', list_name, '(_i + 1)')) }}
    )), {{ pipeline.issue_list([]) }})
{%- endmacro %}


{#- One row per issue of the rows of `relation` matching `where`, with the given `columns` and
    `field`, `raw_value`, `reason`. -#}
{% macro each_issue(relation, columns, where) -%}
    {{ return(adapter.dispatch('each_issue', 'pipeline')(relation, columns, where)) }}
{%- endmacro %}

{% macro duckdb__each_issue(relation, columns, where) -%}
    select {% for column in columns %}{{ column }}, {% endfor %}
        _issue.field as field, _issue.raw_value as raw_value, _issue.reason as reason
    from (select *, unnest(_issues) as _issue from {{ relation }} where {{ where }}) as _unnested
{%- endmacro %}

{% macro postgres__each_issue(relation, columns, where) -%}
    select {% for column in columns %}_row.{{ column }}, {% endfor %}
        _issue.value ->> 'field' as field, _issue.value ->> 'raw_value' as raw_value,
        _issue.value ->> 'reason' as reason
    from {{ relation }} as _row
    cross join lateral jsonb_array_elements(_row._issues) as _issue(value)
    where {{ where }}
{%- endmacro %}

{% macro spark__each_issue(relation, columns, where) -%}
    select {% for column in columns %}{{ column }}, {% endfor %}
        _issue.field as field, _issue.raw_value as raw_value, _issue.reason as reason
    from (select *, explode(_issues) as _issue from {{ relation }} where {{ where }}) as _unnested
{%- endmacro %}
