{#-
  Typing a field's text without ever failing a build and without ever rounding: a text that is not a valid
  value of its kind becomes NULL (and the quality checks say why). The same regular expressions guard every
  cast on both engines, so DuckDB and PostgreSQL accept and refuse exactly the same texts.
  Amounts are typed DECIMAL(38,18) (20 integer digits): the checks then refuse more than 4 decimals and
  anything beyond DECIMAL(18,4), so staging's cast to DECIMAL(18,4) never rounds.
-#}

{#- The shapes a text must have to be typed (full match; [0-9] rather than \d, which both engines read alike). -#}
{% macro pattern(name) -%}
    {%- set day = '[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])' -%}
    {%- set clock = '[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,6})?)?' -%}
    {%- set patterns = {
        'number': '\\s*[-+]?[0-9]{1,20}(\\.[0-9]+)?([eE][-+]?[0-9]{1,2})?\\s*',
        'whole': '\\s*[-+]?[0-9]{1,18}\\s*',
        'date': day,
        'timestamp': day ~ clock,
        'zoned_timestamp': day ~ clock ~ '(Z|[+-][0-9]{2}(:?[0-9]{2})?)',
        'currency': '[A-Z]{3}',
    } -%}
    {{ return(patterns[name]) }}
{%- endmacro %}

{#- A field spec: `'<kind> [required] [optional] [max=<var>] [one_of=A|B]'`. kind: text, flag, integer, date,
    timestamp, local_timestamp, amount, quantity. -#}
{% macro field_spec(name, spec) -%}
    {%- set words = spec.split() -%}
    {%- set parsed = {'name': name, 'path': name.split('.'), 'column': name | replace('.', '__'),
                      'kind': words[0], 'required': 'required' in words, 'optional': 'optional' in words,
                      'max': none, 'one_of': none} -%}
    {%- for word in words[1:] -%}
        {%- if word.startswith('max=') -%}{%- do parsed.update({'max': var(word[4:])}) -%}{%- endif -%}
        {%- if word.startswith('one_of=') -%}{%- do parsed.update({'one_of': word[7:].split('|')}) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(parsed) }}
{%- endmacro %}

{#- The typed value of a text of a given kind. -#}
{% macro typed(kind, text) -%}
    {%- if kind in ('amount', 'quantity') -%}{{ pipeline.to_decimal(text) }}
    {%- elif kind == 'integer' -%}{{ pipeline.to_whole(text) }}
    {%- elif kind == 'date' -%}{{ pipeline.to_date(text) }}
    {%- elif kind == 'timestamp' -%}{{ pipeline.to_utc_timestamp(text) }}
    {%- elif kind == 'local_timestamp' -%}{{ pipeline.to_local_timestamp(text) }}
    {%- elif kind == 'flag' -%}(lower(trim({{ text }})) in ('true', '1'))
    {%- else -%}{{ text }}
    {%- endif -%}
{%- endmacro %}

{% macro matches(text, pattern) -%}
    {{ return(adapter.dispatch('matches', 'pipeline')(text, pattern)) }}
{%- endmacro %}

{% macro duckdb__matches(text, pattern) -%}regexp_full_match({{ text }}, '{{ pattern }}'){%- endmacro %}

{% macro postgres__matches(text, pattern) -%}({{ text }} ~ '^(?:{{ pattern }})$'){%- endmacro %}

{#- Spark reads backslash escapes in string literals: the pattern's backslashes are doubled to reach the regex. -#}
{% macro spark__matches(text, pattern) -%}({{ text }} rlike '^(?:{{ pattern | replace('\\', '\\\\') }})$'){%- endmacro %}

{#- Every match of `pattern` in `text` replaced (a regular expression, as in `pattern`). -#}
{% macro replace_all(text, pattern, replacement) -%}
    {{ return(adapter.dispatch('replace_all', 'pipeline')(text, pattern, replacement)) }}
{%- endmacro %}

{% macro default__replace_all(text, pattern, replacement) -%}
    regexp_replace({{ text }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}

{% macro spark__replace_all(text, pattern, replacement) -%}
    regexp_replace({{ text }}, '{{ pattern | replace('\\', '\\\\') }}', '{{ replacement }}')
{%- endmacro %}

{#- DuckDB keeps an exponent form's text (1e3); PostgreSQL's jsonb already wrote it out (1000). -#}
{% macro to_decimal(text) -%}
    case when {{ pipeline.matches(text, pipeline.pattern('number')) }}
        then {{ pipeline.guarded_cast('trim(' ~ text ~ ')', 'decimal(38, 18)') }} end
{%- endmacro %}

{#- A cast the patterns above have already vouched for. DuckDB may evaluate a CASE branch for rows its
    condition excludes, so it casts with try_cast; PostgreSQL only evaluates a branch whose condition holds. -#}
{% macro guarded_cast(text, type) -%}
    {{ return(adapter.dispatch('guarded_cast', 'pipeline')(text, type)) }}
{%- endmacro %}

{% macro duckdb__guarded_cast(text, type) -%}try_cast({{ text }} as {{ type }}){%- endmacro %}

{% macro postgres__guarded_cast(text, type) -%}cast({{ text }} as {{ type }}){%- endmacro %}

{% macro spark__guarded_cast(text, type) -%}try_cast({{ text }} as {{ type }}){%- endmacro %}

{% macro to_whole(text) -%}
    case when {{ pipeline.matches(text, pipeline.pattern('whole')) }}
        then {{ pipeline.guarded_cast('trim(' ~ text ~ ')', 'bigint') }} end
{%- endmacro %}

{#- The regular expression admits only calendar days' shapes; the day is then checked against the month's
    length by arithmetic that cannot fail (PostgreSQL refuses 2025-02-30 with an error, not NULL). Nested CASEs:
    PostgreSQL may evaluate both sides of an AND, but a CASE branch only when its condition holds. -#}
{% macro to_date(text) -%}
    {{ pipeline._when_day(text, 'date', pipeline.guarded_cast(text, 'date')) }}
{%- endmacro %}

{% macro _when_day(text, shape, value) -%}
    case when {{ pipeline.matches(text, pipeline.pattern(shape)) }} then
        case when {{ pipeline.day_exists(text) }} then {{ value }} end
    end
{%- endmacro %}

{% macro day_exists(text) -%}
    ({{ pipeline.guarded_cast('substr(' ~ text ~ ', 9, 2)', 'integer') }} <= extract(day from
        (date_trunc('month', {{ pipeline.guarded_cast("substr(" ~ text ~ ", 1, 7) || '-01'", 'date') }})
         + interval '1 month') - interval '1 day'))
{%- endmacro %}

{#- An ISO 8601 timestamp as UTC (a text without a zone is taken as UTC). -#}
{% macro to_utc_timestamp(text) -%}
    coalesce(
        {{ pipeline._when_day(text, 'zoned_timestamp', pipeline.utc_of(text)) }},
        {{ pipeline.to_local_timestamp(text) }}
    )
{%- endmacro %}

{#- A local date and time, kept without a zone (Arrendasoft's `YYYY-MM-DD HH:MM:SS`, Colombia time). -#}
{% macro to_local_timestamp(text) -%}
    {{ pipeline._when_day(text, 'timestamp', pipeline.guarded_cast(text, 'timestamp')) }}
{%- endmacro %}

{% macro utc_of(text) -%}
    {{ return(adapter.dispatch('utc_of', 'pipeline')(text)) }}
{%- endmacro %}

{% macro duckdb__utc_of(text) -%}timezone('UTC', try_cast({{ text }} as timestamptz)){%- endmacro %}

{% macro postgres__utc_of(text) -%}(cast({{ text }} as timestamptz) at time zone 'UTC'){%- endmacro %}

{#- Spark reads the zone in the text and gives the instant; sessions run in UTC (pipeline.session_settings). -#}
{% macro spark__utc_of(text) -%}try_cast({{ text }} as timestamp){%- endmacro %}
