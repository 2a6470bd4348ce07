{#-
  The records of a base model with their version rank, computed over the whole table (base models are
  incremental, so ranks cannot live in them):
  `_version_rank` (1 = the version kept) and `_is_conflicting_duplicate`: a row that lost to the kept one
  although it came from the same run with the same version (`version_expr`, e.g. updated_at) and different
  content: injected bad data, not a page shift (a page shift repeats identical content). Such rows are
  quarantined as 'conflicting duplicate'; the kept row is chosen by `order_by` (the latest extraction, then
  the last page and position), deterministically. Keys and order come from version_spec.
-#}
{% macro ranked_versions(base_model) -%}
    {%- set spec = version_spec(base_model) -%}
    {%- set version_expr = spec.get('version_expr', 'null') -%}
    {#- The window runs over the narrow columns it needs (DuckDB's window keeps every column it is given, and
        `rec` is wide), then the ranks join back to the base rows by rowid. -#}
    (
        select _base.*, _ranks._version_rank, _ranks._is_conflicting_duplicate
        from {{ ref(base_model) }} as _base
        join (
            select
                rowid as _row,
                row_number() over _versions as _version_rank,
                (
                    row_number() over _versions > 1
                    and first_value(run_id) over _versions = run_id
                    and first_value(_content_hash) over _versions <> _content_hash
                    and first_value({{ version_expr }}) over _versions is not distinct from {{ version_expr }}
                ) as _is_conflicting_duplicate
            from {{ ref(base_model) }}
            window _versions as (partition by tenant, {{ spec['keys'] | join(', ') }} order by {{ spec['order_by'] }})
        ) as _ranks on _ranks._row = _base.rowid
    )
{%- endmacro %}
