{#-
  Record quality checks, generated from a base model's field specs (see field_spec). One issue at most per
  field, the first that applies:
  - `missing field`: the key is absent, for a field the vendor documents (not `assumed`): the API renamed or
    removed it; the record is quarantined instead of becoming a NULL in a mart;
  - `missing required value`: a `required` field is null or blank;
  - by kind: `impossible or malformed date`, `malformed timestamp`, `not a number`, `not a whole number`,
    `more than 4 decimal places`, `out of range for DECIMAL(18,4)`, `negative quantity`, `absurd quantity`
    (above the spec's max), `unexpected value` (outside one_of).
  A record with any issue is quarantined (stg_quarantined_records) and kept out of every mart; a bad line
  quarantines its whole document.
-#}
{% macro field_checks(fields, scope='record', list_name=none, line_number=none) -%}
    {%- set checks = [] -%}
    {%- for name, spec in fields.items() -%}
        {%- set field = pipeline.field_spec(name, spec) -%}
        {%- set text = pipeline.field_text(field.path, scope, list_name) -%}
        {%- if scope == 'line' -%}
            {%- set label = "'" ~ list_name ~ "[' || cast(" ~ line_number ~ " as " ~ pipeline.sql_type('varchar') ~ ") || '].' || '" ~ name ~ "'" -%}
        {%- else -%}
            {%- set label = "'" ~ name ~ "'" -%}
        {%- endif -%}
        {%- if not field.optional or field.required or field.one_of or field.kind not in ('text', 'flag') -%}
            {%- do checks.append(pipeline._field_check(field, text, label, scope, list_name)) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(checks) }}
{%- endmacro %}

{% macro _field_check(field, text, label, scope, list_name) -%}
    {%- set typed = pipeline.typed(field.kind, text) -%}
    case
        {%- if not field.optional %}
        when {{ text }} is null and not {{ pipeline.field_present(field.path, scope, list_name) }}
            then {{ pipeline.issue(label, 'null', "'missing field'") }}
        {%- endif %}
        {%- if field.required %}
        when {{ text }} is null or trim({{ text }}) = ''
            then {{ pipeline.issue(label, text, "'missing required value'") }}
        {%- endif %}
        {%- if field.kind == 'date' %}
        when {{ text }} is not null and {{ typed }} is null
            then {{ pipeline.issue(label, text, "'impossible or malformed date'") }}
        {%- elif field.kind in ('timestamp', 'local_timestamp') %}
        when {{ text }} is not null and {{ typed }} is null
            then {{ pipeline.issue(label, text, "'malformed timestamp'") }}
        {%- elif field.kind == 'integer' %}
        when {{ text }} is not null and {{ typed }} is null
            then {{ pipeline.issue(label, text, "'not a whole number'") }}
        {%- elif field.kind in ('amount', 'quantity') %}
        when {{ text }} is not null and {{ typed }} is null
            then {{ pipeline.issue(label, text, "'not a number'") }}
        when {{ typed }} <> round({{ typed }}, 4)
            then {{ pipeline.issue(label, text, "'more than 4 decimal places'") }}
        when abs({{ typed }}) >= 100000000000000
            then {{ pipeline.issue(label, text, "'out of range for DECIMAL(18,4)'") }}
        {%- endif %}
        {%- if field.kind == 'quantity' %}
        when {{ typed }} < 0 then {{ pipeline.issue(label, text, "'negative quantity'") }}
        {%- if field.max is not none %}
        when {{ typed }} > {{ field.max }} then {{ pipeline.issue(label, text, "'absurd quantity'") }}
        {%- endif %}
        {%- endif %}
        {%- if field.one_of %}
        when {{ text }} is not null and {{ text }} not in ('{{ field.one_of | join("', '") }}')
            then {{ pipeline.issue(label, text, "'unexpected value'") }}
        {%- endif %}
    end
{%- endmacro %}
