{#-
  Reading one record's JSON text, on each engine. A record is parsed once (`parse_record`), then its fields are
  read as text (`field_text`) and tested for presence (`field_present`: a key that is absent, not one that is
  null). Typing the texts is engine-neutral (safe_casts.sql), so both engines judge a value the same way.

  `path` is a list of keys (`['kpis', 'sales_month']`); `scope` is 'record', or 'line' inside `each_line`.
-#}

{#- The parsed record, as column `_rec`. DuckDB: json_transform into a struct whose leaves are all VARCHAR
    (lines: a list of such structs). A DECIMAL leaf anywhere in the structure makes DuckDB read every number
    as its raw text (without one, numbers go through doubles: 67900.00000 becomes "67900.0"), hence the unused
    `__exact_numbers__` leaf. PostgreSQL: jsonb, whose numbers are `numeric` (exact). Spark: a map of field
    texts; from_json reads numbers through doubles (docs/spark-notes.md (a)), so every number outside a string
    is first wrapped in quotes, its exact digits kept (a regular expression that skips quoted strings). -#}
{% macro parse_record(record, fields, lines={}) -%}
    {{ return(adapter.dispatch('parse_record', 'pipeline')(record, fields, lines)) }}
{%- endmacro %}

{% macro duckdb__parse_record(record, fields, lines) -%}
    {%- set structure = {'__exact_numbers__': 'DECIMAL(18,4)'} -%}
    {%- for name in fields -%}
        {%- do pipeline._nest(structure, name.split('.'), 'VARCHAR') -%}
    {%- endfor -%}
    {%- for list_name, line_fields in lines.items() -%}
        {%- set line = {} -%}
        {%- for name in line_fields -%}{%- do line.update({name: 'VARCHAR'}) -%}{%- endfor -%}
        {%- do structure.update({list_name: [line]}) -%}
    {%- endfor -%}
    json_transform({{ record }}, '{{ tojson(structure) }}')
{%- endmacro %}

{% macro postgres__parse_record(record, fields, lines) -%}
    cast({{ record }} as jsonb)
{%- endmacro %}

{% macro spark__parse_record(record, fields, lines) -%}
    from_json({{ pipeline.spark_numbers_as_text(record) }}, 'map<string,string>')
{%- endmacro %}

{#- Each JSON number of `json` as a string of its exact text: a quoted string matches group 1 and is kept (an
    empty group 2 adds nothing), a number matches group 2 and is marked; the marks then become quotes. -#}
{% macro spark_numbers_as_text(json) -%}
    regexp_replace(regexp_replace(regexp_replace({{ json }},
        '("(?:[^"\\\\]|\\\\.)*")|(-?[0-9][0-9.eE+-]*)', '$1\u0002$2\u0003'), '\u0002\u0003', ''), '[\u0002\u0003]', '"')
{%- endmacro %}

{% macro _nest(structure, path, leaf) -%}
    {%- if path | length == 1 -%}
        {%- do structure.update({path[0]: leaf}) -%}
    {%- else -%}
        {%- if path[0] not in structure -%}{%- do structure.update({path[0]: {}}) -%}{%- endif -%}
        {%- do pipeline._nest(structure[path[0]], path[1:], leaf) -%}
    {%- endif -%}
{%- endmacro %}


{#- The text of a field (a JSON string's content, a number's exact digits, `true`, an object's JSON text). -#}
{% macro field_text(path, scope='record', list_name=none) -%}
    {{ return(adapter.dispatch('field_text', 'pipeline')(path, scope, list_name)) }}
{%- endmacro %}

{% macro duckdb__field_text(path, scope, list_name) -%}
    {%- set ns = namespace(expr='_rec' if scope == 'record' else "struct_extract(_rec, '" ~ list_name ~ "')[_i + 1]") -%}
    {%- for key in path -%}{%- set ns.expr = "struct_extract(" ~ ns.expr ~ ", '" ~ key ~ "')" -%}{%- endfor -%}
    {{ ns.expr }}
{%- endmacro %}

{% macro postgres__field_text(path, scope, list_name) -%}
    ({{ '_rec' if scope == 'record' else '_line' }} #>> '{ {{- path | join(',') -}} }')
{%- endmacro %}

{% macro spark__field_text(path, scope, list_name) -%}
    {%- set parsed = '_rec' if scope == 'record' else '_line' -%}
    {%- if path | length == 1 -%}
        {{ parsed }}['{{ path[0] }}']
    {%- else -%}
        get_json_object({{ parsed }}['{{ path[0] }}'], '$.{{ path[1:] | join('.') }}')
    {%- endif -%}
{%- endmacro %}


{#- Whether the key is there at all (its value may be null). DuckDB reads the record text again, so callers
    ask only where the text is null (inside a CASE, evaluated for those rows alone). In scope 'line' the line is
    `_line` (PostgreSQL, Spark) or element `_i` (0-based) of `list_name` (DuckDB). -#}
{% macro field_present(path, scope='record', list_name=none) -%}
    {{ return(adapter.dispatch('field_present', 'pipeline')(path, scope, list_name)) }}
{%- endmacro %}

{% macro duckdb__field_present(path, scope, list_name) -%}
    {%- if scope == 'record' -%}
        json_exists(record, '$.{{ path | join('.') }}')
    {%- else -%}
        json_exists(record, '$.{{ list_name }}[' || _i || '].{{ path | join('.') }}')
    {%- endif -%}
{%- endmacro %}

{% macro postgres__field_present(path, scope, list_name) -%}
    {%- set parsed = '_rec' if scope == 'record' else '_line' -%}
    {%- if path | length == 1 -%}
        ({{ parsed }} ? '{{ path[0] }}')
    {%- else -%}
        coalesce(({{ parsed }} #> '{ {{- path[:-1] | join(',') -}} }') ? '{{ path[-1] }}', false)
    {%- endif -%}
{%- endmacro %}

{% macro spark__field_present(path, scope, list_name) -%}
    {%- set parsed = '_rec' if scope == 'record' else '_line' -%}
    {%- if path | length == 1 -%}
        coalesce(map_contains_key({{ parsed }}, '{{ path[0] }}'), false)
    {%- else -%}
        {%- set parent = parsed ~ "['" ~ path[0] ~ "']" -%}
        {%- if path | length > 2 -%}
            {%- set parent = "get_json_object(" ~ parent ~ ", '$." ~ path[1:-1] | join('.') ~ "')" -%}
        {%- endif -%}
        coalesce(map_contains_key(from_json({{ parent }}, 'map<string,string>'), '{{ path[-1] }}'), false)
    {%- endif -%}
{%- endmacro %}


{#- The record's list of lines, kept in the base model as column `_lines` (DuckDB: a list of structs of texts;
    PostgreSQL: a jsonb array; Spark: an array of maps of texts; null when the record has no list there). -#}
{% macro lines_value(list_name) -%}
    {{ return(adapter.dispatch('lines_value', 'pipeline')(list_name)) }}
{%- endmacro %}

{% macro duckdb__lines_value(list_name) -%}
    struct_extract(_rec, '{{ list_name }}')
{%- endmacro %}

{% macro postgres__lines_value(list_name) -%}
    case when jsonb_typeof(_rec -> '{{ list_name }}') = 'array' then _rec -> '{{ list_name }}' end
{%- endmacro %}

{% macro spark__lines_value(list_name) -%}
    from_json(_rec['{{ list_name }}'], 'array<map<string,string>>')
{%- endmacro %}

{% macro lines_count(lines) -%}
    {{ return(adapter.dispatch('lines_count', 'pipeline')(lines)) }}
{%- endmacro %}

{% macro duckdb__lines_count(lines) -%}coalesce(len({{ lines }}), 0){%- endmacro %}

{% macro postgres__lines_count(lines) -%}coalesce(jsonb_array_length({{ lines }}), 0){%- endmacro %}

{#- size() of NULL is -1 outside ANSI mode, NULL inside it. -#}
{% macro spark__lines_count(lines) -%}(case when {{ lines }} is null then 0 else size({{ lines }}) end){%- endmacro %}


{#- One row per line of `relation` (its `_lines` column), with the parent's `columns`, the 1-based
    `line_number` and the line's typed `fields` (kind as in field specs). -#}
{% macro each_line(relation, columns, fields, where='true') -%}
    {{ return(adapter.dispatch('each_line', 'pipeline')(relation, columns, fields, where)) }}
{%- endmacro %}

{% macro duckdb__each_line(relation, columns, fields, where) -%}
    select
        {% for column in columns %}{{ column }},{% endfor %}
        cast(_pair.n as integer) as line_number,
        {%- for name, spec in fields.items() %}
        {{ pipeline.typed(pipeline.field_spec(name, spec).kind, "struct_extract(_pair.l, '" ~ name ~ "')") }} as {{ name }}{{ ',' if not loop.last }}
        {%- endfor %}
    from (
        select *, unnest(list_transform(range(len(_lines)), lambda i: {'n': i + 1, 'l': _lines[i + 1]})) as _pair
        from {{ relation }}
        where {{ where }}
    ) as _unnested
{%- endmacro %}

{% macro postgres__each_line(relation, columns, fields, where) -%}
    select
        {% for column in columns %}_parent.{{ column }},{% endfor %}
        cast(_l.n as integer) as line_number,
        {%- for name, spec in fields.items() %}
        {{ pipeline.typed(pipeline.field_spec(name, spec).kind, "(_l.line ->> '" ~ name ~ "')") }} as {{ name }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ relation }} as _parent
    cross join lateral jsonb_array_elements(_parent._lines) with ordinality as _l(line, n)
    where {{ where }}
{%- endmacro %}

{% macro spark__each_line(relation, columns, fields, where) -%}
    select
        {% for column in columns %}{{ column }},{% endfor %}
        cast(_pos + 1 as integer) as line_number,
        {%- for name, spec in fields.items() %}
        {{ pipeline.typed(pipeline.field_spec(name, spec).kind, "_line['" ~ name ~ "']") }} as {{ name }}{{ ',' if not loop.last }}
        {%- endfor %}
    from (
        select *, posexplode(_lines) as (_pos, _line)
        from {{ relation }}
        where {{ where }}
    ) as _unnested
{%- endmacro %}
