{#-
  Incremental base models (the JSON parsing, the costly step) stay equal to a full rebuild from raw:
  - only pages of runs not yet in the table are parsed (typed_records(new_pages_only=...));
  - after each run, rows of runs no longer in raw are deleted (a partition re-landed by a newer run);
  - when the model's logic changed (its compiled SQL, macros included, minus the incremental filter),
    every row is deleted before the run, so all pages are parsed again with the new logic.
  A change of columns follows the new logic (on_schema_change='sync_all_columns'): the pre-hook has already
  emptied the table, so an upgraded warehouse needs no --full-refresh.
-#}
{% macro base_logic_fingerprint() -%}
    {%- set code = modules.re.sub('/\\* new pages only \\*/.*?/\\* end new pages only \\*/', '',
                                  model.compiled_code, flags=modules.re.S) -%}
    {{- local_md5(modules.re.sub('\\s+', '', code)) -}}
{%- endmacro %}

{#- The fingerprint lives in the table's own comment: no shared bookkeeping table for parallel threads. -#}
{% macro _stored_fingerprint() -%}
    (select comment from duckdb_tables()
     where database_name = '{{ this.database }}' and schema_name = '{{ this.schema }}'
         and table_name = '{{ this.identifier }}')
{%- endmacro %}

{#- Pre-hook: forget every row parsed by other logic. -#}
{% macro reparse_when_logic_changed() -%}
    {%- if execute and is_incremental() -%}
        delete from {{ this }}
        where {{ _stored_fingerprint() }} is distinct from 'logic {{ base_logic_fingerprint() }}'
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}

{#- Post-hook: drop rows of runs no longer in raw, and remember the logic the table was built with. -#}
{% macro finish_base_model(raw_relation) -%}
    delete from {{ this }} as _done
    where not exists (
        select 1 from {{ relation_or_empty(raw_relation, raw_record_columns()) }} as _raw
        where _raw.tenant = _done.tenant and _raw.partition_key = _done.partition_key
            and _raw.run_id = _done.run_id
    );
    {%- if execute %}
    comment on table {{ this }} is 'logic {{ base_logic_fingerprint() }}'
    {%- endif %}
{%- endmacro %}
