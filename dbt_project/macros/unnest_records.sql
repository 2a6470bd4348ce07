{#-
  Unnest the records of raw page rows (one row per landed page, `body` = exact text).

  `structure` maps each field to a DuckDB type, as json_transform takes it (a nested list of records is
  a one-element list holding its structure). Money and quantities must be DECIMAL(38,10): json_transform
  with a DECIMAL target on the original text is exact, while the JSON type and ->> go through doubles.

  Every row carries the page columns, `record_position` (1-based place within the page), `rec` (the record
  typed by `structure`) and `txt` (the same record with every leaf as VARCHAR: "present in the text" for the
  quality checks; numbers in `txt` went through a double, so they serve only as raw values to show).
  `path` is the key holding the records (a list), or none when `body` itself is the record; with
  `is_list=false` the key holds one object. With `new_pages_only` (incremental base models), only pages of
  runs not yet in `this` are read: the loader replaces a partition by a new run, never adds to one.
-#}
{% macro unnest_records(relation, path, structure, is_list=true, new_pages_only=false) -%}
    {%- set text_structure = text_structure_of(structure) -%}
    {%- if path is none -%}
        {%- set typed_spec, text_spec = structure, text_structure -%}
    {%- elif is_list -%}
        {%- set typed_spec, text_spec = {path: [structure]}, {path: [text_structure]} -%}
    {%- else -%}
        {%- set typed_spec, text_spec = {path: structure}, {path: text_structure} -%}
    {%- endif -%}
    {%- set typed_sql = "json_transform(body, '" ~ tojson(typed_spec) ~ "')" -%}
    {%- set text_sql = "json_transform(body, '" ~ tojson(text_spec) ~ "')" -%}
    {%- if path is none -%}
        {%- set typed_list, text_list = "[_typed]", "[_text]" -%}
    {%- elif is_list -%}
        {%- set typed_list, text_list = '_typed."' ~ path ~ '"', '_text."' ~ path ~ '"' -%}
    {%- else -%}
        {%- set typed_list, text_list = '[_typed."' ~ path ~ '"]', '[_text."' ~ path ~ '"]' -%}
    {%- endif -%}
    select
        tenant, partition_key, window_start, window_end, snapshot_date, run_id, page, extracted_at,
        _item.record_position, _item.rec, _item.txt
    from (
        select
            tenant, partition_key, window_start, window_end, snapshot_date, run_id, page, extracted_at,
            unnest(list_transform(
                range(coalesce(len({{ typed_list }}), 0)),
                lambda i: {'record_position': i + 1, 'rec': {{ typed_list }}[i + 1], 'txt': {{ text_list }}[i + 1]}
            )) as _item
        from (
            select *, {{ typed_sql }} as _typed, {{ text_sql }} as _text
            from {{ relation_or_empty(relation, raw_page_columns()) }} as _raw
            {%- if new_pages_only %}
            /* new pages only */
            where not exists (
                select 1 from {{ this }} as _done
                where _done.tenant = _raw.tenant and _done.partition_key = _raw.partition_key
                    and _done.run_id = _raw.run_id
            )
            /* end new pages only */
            {%- endif %}
        ) as _pages
    ) as _records
    where _item.rec is not null
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
