{#-
  lineage_incremental: a table kept equal to a full rebuild while only the landings that changed are processed.

  Every row carries its lineage (meta `lineage`: by default tenant, partition_key, run_id: which landing it came
  from). The loader replaces a partition by a newer landing, never adds to one, so a build:
  1. inserts the rows of lineages not yet in the table: the model's SQL filters its input with
     `new_lineage_only(alias)` (stripped when the table is built whole);
  2. deletes the rows whose lineage is no longer upstream (every direct upstream relation that carries the
     lineage columns);
  3. with meta `supersede: [key columns]`, deletes the rows of a key that a newer landing of another partition
     holds (a record whose date moved it to another month), so keys stay unique;
  With meta `configured_connections`, rows of a connection no longer in the connections file (or whose
  currency changed) are deleted first, so they leave the marts (or come back with the new currency).
  4. remembers the model's logic (md5 of its SQL without the filter, macros included, and of the logic of the
     lineage tables it reads, through views) in the table's comment: a changed model is rebuilt whole, and so
     is everything downstream of it, a missing table, or `--full-refresh`.
  Its cost follows what changed, not the size of the history; the result equals a full rebuild.
  On Spark (tables without Delta: no DELETE) the table is rebuilt whole every time, for now.
-#}
{% materialization lineage_incremental, default %}
    {%- set target = this.incorporate(type='table') -%}
    {%- set existing = load_cached_relation(this) -%}
    {%- set full_sql = pipeline.without_lineage_filter(sql) -%}
    {%- set meta = config.get('meta') -%}
    {%- set logic = 'logic ' ~ local_md5(modules.re.sub('\\s+', ' ', full_sql) ~ pipeline.upstream_logic()) -%}
    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    {{ run_hooks(pre_hooks, inside_transaction=True) }}

    {%- set supersede = meta.get('supersede') if meta is mapping else none -%}
    {%- if supersede and not pipeline.deletes_rows() -%}
        {%- set full_sql = pipeline.without_superseded(full_sql, supersede) -%}
    {%- endif -%}
    {%- set rebuild = existing is none or should_full_refresh() or not pipeline.deletes_rows()
                      or pipeline.stored_comment(existing) != logic -%}
    {%- if rebuild %}
        {%- if existing is not none %}{% do adapter.drop_relation(existing) %}{% endif %}
        {%- call statement('main') -%}
            {{ get_create_table_as_sql(False, target, full_sql) }}
        {%- endcall -%}
    {%- else %}
        {%- if meta is mapping and meta.get('configured_connections') %}
            {%- call statement('drop_unconfigured_connections') -%}
                {{ pipeline.drop_unconfigured_connections(target) }}
            {%- endcall -%}
        {%- endif %}
        {%- set columns = [] -%}
        {%- for column in adapter.get_columns_in_relation(target) -%}
            {%- do columns.append(adapter.quote(column.name)) -%}
        {%- endfor -%}
        {%- call statement('main') -%}
            insert into {{ target }} ({{ columns | join(', ') }})
            select {{ columns | join(', ') }} from ({{ sql }}) as _new_lineage
        {%- endcall -%}
        {%- call statement('drop_stale_lineage') -%}
            {{ pipeline.drop_stale_lineage(target) }}
        {%- endcall -%}
    {%- endif %}
    {%- if supersede and pipeline.deletes_rows() %}
        {%- call statement('drop_superseded') -%}
            {{ pipeline.drop_superseded(target, supersede) }}
        {%- endcall -%}
    {%- endif %}
    {%- if config.get('contract').enforced %}{% do pipeline.check_not_null(target, model) %}{% endif %}
    {%- call statement('remember_logic') -%}
        comment on table {{ target }} is '{{ logic }}'
    {%- endcall -%}

    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {{ adapter.commit() }}
    {{ run_hooks(post_hooks, inside_transaction=False) }}
    {{ return({'relations': [target]}) }}
{% endmaterialization %}


{% macro lineage_columns() -%}
    {%- set meta = config.get('meta') -%}
    {{ return(meta.get('lineage') if meta is mapping and meta.get('lineage') else ['tenant', 'partition_key', 'run_id']) }}
{%- endmacro %}

{#- In a lineage_incremental model: keep only input rows (of `alias`) whose lineage the table lacks. -#}
{% macro new_lineage_only(alias, keyword='where') -%}
    /* new lineage only */
    {{ keyword }} not exists (
        select 1 from {{ this }} as _done
        where {% for column in pipeline.lineage_columns() -%}
            _done.{{ column }} = {{ alias }}.{{ column }}{{ ' and ' if not loop.last }}
        {%- endfor %}
    )
    /* end new lineage only */
{%- endmacro %}

{% macro without_lineage_filter(sql) -%}
    {{ return(modules.re.sub('/\\* new lineage only \\*/.*?/\\* end new lineage only \\*/', '', sql,
                             flags=modules.re.S)) }}
{%- endmacro %}

{% macro drop_stale_lineage(target) -%}
    {%- set columns = pipeline.lineage_columns() -%}
    {%- set upstream = pipeline.upstream_with_columns(columns) -%}
    delete from {{ target }} as _row
    where not exists (
        select 1 from (
            {%- for relation in upstream %}
            select distinct {{ columns | join(', ') }} from {{ relation }}
            {{ 'union all' if not loop.last }}
            {%- endfor %}
            {%- if not upstream %}
            select {% for column in columns %}null as {{ column }}{{ ', ' if not loop.last }}{% endfor %} where 1 = 0
            {%- endif %}
        ) as _upstream
        where {% for column in columns -%}
            _upstream.{{ column }} = _row.{{ column }}{{ ' and ' if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}

{#- The logic fingerprints of the lineage tables the current model reads (directly, or through views). -#}
{% macro upstream_logic() -%}
    {%- set fingerprints = [] -%}
    {%- set pending = model.depends_on.nodes | list -%}
    {%- set seen = [] -%}
    {%- for _ in range(50) if pending -%}
        {%- set node_id = pending.pop(0) -%}
        {%- set node = graph.nodes.get(node_id) -%}
        {%- if node is not none and node_id not in seen -%}
            {%- do seen.append(node_id) -%}
            {%- if node.config.materialized == 'lineage_incremental' -%}
                {%- set relation = adapter.get_relation(database=node.database, schema=node.schema,
                                                        identifier=node.alias or node.name) -%}
                {%- do fingerprints.append(node.name ~ '=' ~ (pipeline.stored_comment(relation) if relation else '')) -%}
            {%- elif node.config.materialized in ('view', 'ephemeral') -%}
                {%- do pending.extend(node.depends_on.nodes) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(fingerprints | sort | join(';')) }}
{%- endmacro %}

{#- The existing direct upstream relations of the current model that carry every one of `columns`. -#}
{% macro upstream_with_columns(columns) -%}
    {%- set found = [] -%}
    {%- for node_id in model.depends_on.nodes -%}
        {%- set node = graph.nodes.get(node_id) or graph.sources.get(node_id) -%}
        {%- set relation = adapter.get_relation(database=node.database, schema=node.schema,
                                                identifier=node.identifier or node.alias or node.name) -%}
        {%- if relation is not none -%}
            {%- set names = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
            {%- if columns | map('lower') | reject('in', names) | list | length == 0 -%}
                {%- do found.append(relation) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(found) }}
{%- endmacro %}

{% macro drop_unconfigured_connections(target) -%}
    delete from {{ target }} as _row
    where not exists (
        select 1 from {{ ref('stg_pipeline__connections') }} as _c
        where _c.tenant = _row.tenant and _c.source = _row.source and _c.currency = _row.currency
    )
{%- endmacro %}

{% macro drop_superseded(target, keys) -%}
    delete from {{ target }} as _old
    where exists (select 1 from {{ target }} as _newer where {{ pipeline.newer_version_of_key(keys) }})
{%- endmacro %}


{#- drop_superseded as a filter of a whole build, where rows cannot be deleted. -#}
{% macro without_superseded(sql, keys) -%}
    select * from ({{ sql }}) as _old
    where not exists (select 1 from ({{ sql }}) as _newer where {{ pipeline.newer_version_of_key(keys) }})
{%- endmacro %}

{#- Row `_newer` holds the key of row `_old` from another partition, landed later. -#}
{% macro newer_version_of_key(keys) -%}
    {% for key in keys %}_newer.{{ key }} = _old.{{ key }} and {% endfor %}
        _newer.partition_key <> _old.partition_key
        and (_newer.extracted_at > _old.extracted_at
             or (_newer.extracted_at = _old.extracted_at and _newer.partition_key > _old.partition_key))
{%- endmacro %}


{#- Whether the engine's tables can delete rows (Spark's tables without Delta cannot). -#}
{% macro deletes_rows() -%}
    {{ return(adapter.dispatch('deletes_rows', 'pipeline')()) }}
{%- endmacro %}

{% macro default__deletes_rows() -%}{{ return(true) }}{%- endmacro %}

{% macro spark__deletes_rows() -%}{{ return(false) }}{%- endmacro %}


{#- The table's comment (where lineage_incremental keeps its logic fingerprint). -#}
{% macro stored_comment(relation) -%}
    {{ return(adapter.dispatch('stored_comment', 'pipeline')(relation)) }}
{%- endmacro %}

{% macro duckdb__stored_comment(relation) -%}
    {%- set found = run_query("select comment from duckdb_tables() where database_name = '" ~ relation.database
                              ~ "' and schema_name = '" ~ relation.schema ~ "' and table_name = '"
                              ~ relation.identifier ~ "'") -%}
    {{ return(found.columns[0].values()[0] if found and found.rows | length else none) }}
{%- endmacro %}

{% macro postgres__stored_comment(relation) -%}
    {%- set found = run_query("select obj_description(to_regclass('" ~ relation.schema ~ "."
                              ~ relation.identifier ~ "'), 'pg_class')") -%}
    {{ return(found.columns[0].values()[0] if found and found.rows | length else none) }}
{%- endmacro %}

{% macro spark__stored_comment(relation) -%}
    {%- set found = run_query('describe table extended ' ~ relation) -%}
    {%- for row in found.rows if row[0] == 'Comment' -%}{{ return(row[1]) }}{%- endfor -%}
    {{ return(none) }}
{%- endmacro %}
