{#-
  Type the records of a raw table (one row per landed record, `record` = its exact text, split from the page
  by the loader).

  `structure` maps each field to a DuckDB type, as json_transform takes it (a nested list of records is
  a one-element list holding its structure). Money and quantities must be DECIMAL(38,10): json_transform
  with a DECIMAL target on the original text is exact, while the JSON type and ->> go through doubles.

  Every row carries the page columns, `record_position` (1-based place within the page), `rec` (the record
  typed by `structure`) and `txt` (the same record with every leaf as VARCHAR: "present in the text" for the
  quality checks; numbers in `txt` went through a double, so they serve only as raw values to show) and
  `_content_hash` (md5 of the exact text: a page shift repeats a record byte for byte).
  With `new_pages_only` (incremental base models), only records of runs not yet in `this` are read: the
  loader replaces a partition by a new run, never adds to one. A record that is not an object (a `null` in the
  list) is kept with a null `rec`, so the checks quarantine it rather than drop it; a filter on `rec` here
  would also be pushed below the anti-join and parse every raw record on every run.
-#}
{% macro typed_records(relation, structure, new_pages_only=false) -%}
    select
        tenant, partition_key, window_start, window_end, snapshot_date, run_id, page, extracted_at,
        record_position,
        json_transform(record, '{{ tojson(structure) }}') as rec,
        json_transform(record, '{{ tojson(text_structure_of(structure)) }}') as txt,
        md5(record) as _content_hash
    from {{ relation_or_empty(relation, raw_record_columns()) }} as _raw
    {%- if new_pages_only %}
    /* new pages only */
    where not exists (
        select 1 from {{ this }} as _done
        where _done.tenant = _raw.tenant and _done.partition_key = _raw.partition_key
            and _done.run_id = _raw.run_id
    )
    /* end new pages only */
    {%- endif %}
{%- endmacro %}

{% macro text_structure_of(structure) -%}
    {%- if structure is mapping -%}
        {%- set out = {} -%}
        {%- for key, value in structure.items() -%}
            {%- do out.update({key: text_structure_of(value)}) -%}
        {%- endfor -%}
        {{ return(out) }}
    {%- elif structure is iterable and structure is not string -%}
        {{ return([text_structure_of(structure[0])]) }}
    {%- else -%}
        {{ return('VARCHAR') }}
    {%- endif -%}
{%- endmacro %}
