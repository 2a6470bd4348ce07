{#-
  Record quality checks. Each check renders a SQL expression that is NULL when the value is fine, else a
  struct {field, raw_value, reason}. `issues([...])` keeps the non-null ones as a list; a record with any
  issue is quarantined (stg_quarantined_records) and kept out of every mart.
  `field` is the field's name; `prefix` an optional SQL expression prepended to it (e.g. the line position).
  A value "present in the text but null after typing" is malformed.
-#}
{% macro issues(checks) -%}
    list_filter([{{ checks | join(',\n        ') }}], lambda x: x is not null)
{%- endmacro %}

{% macro _issue(field, raw_value, reason, prefix=none) -%}
    {'field': {% if prefix %}{{ prefix }} || {% endif %}'{{ field }}', 'raw_value': cast({{ raw_value }} as varchar), 'reason': {{ reason }}}
{%- endmacro %}

{% macro check_required(text_expr, field, prefix=none) -%}
    case when {{ text_expr }} is null or trim({{ text_expr }}) = ''
        then {{ _issue(field, text_expr, "'missing required value'", prefix) }} end
{%- endmacro %}

{% macro check_date(text_expr, field, required=false, prefix=none) -%}
    case
        {%- if required %}
        when {{ text_expr }} is null then {{ _issue(field, text_expr, "'missing required value'", prefix) }}
        {%- endif %}
        when {{ text_expr }} is not null and try_strptime({{ text_expr }}, '%Y-%m-%d') is null
            then {{ _issue(field, text_expr, "'impossible or malformed date'", prefix) }}
    end
{%- endmacro %}

{% macro check_timestamp(text_expr, field, prefix=none) -%}
    case when {{ text_expr }} is not null and try_cast({{ text_expr }} as timestamptz) is null
        then {{ _issue(field, text_expr, "'malformed timestamp'", prefix) }} end
{%- endmacro %}

{#- Amounts: exact decimals with at most 4 decimal places that fit DECIMAL(18,4). -#}
{% macro check_amount(typed_expr, text_expr, field, required=false, prefix=none) -%}
    case
        {%- if required %}
        when {{ text_expr }} is null then {{ _issue(field, text_expr, "'missing required value'", prefix) }}
        {%- endif %}
        when {{ text_expr }} is not null and {{ typed_expr }} is null
            then {{ _issue(field, text_expr, "'not a number'", prefix) }}
        when {{ typed_expr }} <> round({{ typed_expr }}, 4)
            then {{ _issue(field, typed_expr, "'more than 4 decimal places'", prefix) }}
        when abs({{ typed_expr }}) >= 100000000000000
            then {{ _issue(field, typed_expr, "'out of range for DECIMAL(18,4)'", prefix) }}
    end
{%- endmacro %}

{#- Quantities: amounts that must also be >= 0 and below `max_value`. -#}
{% macro check_quantity(typed_expr, text_expr, field, max_value, required=false, prefix=none) -%}
    coalesce(
        {{ check_amount(typed_expr, text_expr, field, required, prefix) }},
        case
            when {{ typed_expr }} < 0 then {{ _issue(field, typed_expr, "'negative quantity'", prefix) }}
            when {{ typed_expr }} > {{ max_value }} then {{ _issue(field, typed_expr, "'absurd quantity'", prefix) }}
        end
    )
{%- endmacro %}

{% macro check_accepted(text_expr, field, values, prefix=none) -%}
    case when {{ text_expr }} is not null and {{ text_expr }} not in ('{{ values | join("', '") }}')
        then {{ _issue(field, text_expr, "'unexpected value'", prefix) }} end
{%- endmacro %}

{#- Issues of a nested list of lines, flattened, each field prefixed with `list_name[n].`. -#}
{% macro line_issues(list_name, checks_for_line) -%}
    coalesce(flatten(list_transform(
        range(coalesce(len(rec.{{ list_name }}), 0)),
        lambda i: {{ issues(checks_for_line) }}
    )), [])
{%- endmacro %}
