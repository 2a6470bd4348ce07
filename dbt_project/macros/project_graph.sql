{#-
  Lists the project derives from its own graph instead of keeping by hand: the sources it reads (each staging
  folder's `_<source>__sources.yml`) and the base models whose records can be quarantined. A new source joins
  them by having its sources file and base models; no macro names a source.
-#}

{#- The API sources (every dbt source but the pipeline's own bookkeeping tables), sorted. -#}
{% macro known_sources() -%}
    {%- set names = [] -%}
    {%- if execute -%}
        {%- for node in graph.sources.values() -%}
            {%- if node.source_name != 'pipeline' and node.source_name not in names -%}
                {%- do names.append(node.source_name) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(names | sort) }}
{%- endmacro %}

{#- Every base model (models/staging/<source>/base/), as (model name, source, endpoint) sorted by name: what
    the quarantine and schema-drift reports union. -#}
{% macro base_models() -%}
    {%- set found = [] -%}
    {%- if execute -%}
        {%- for node in graph.nodes.values() | sort(attribute='name') -%}
            {%- if node.resource_type == 'model' and node.name.startswith('base_') -%}
                {%- for source_id in node.depends_on.nodes if source_id.startswith('source.') -%}
                    {%- set raw = graph.sources[source_id] -%}
                    {%- do found.append({'model': node.name, 'source': raw.source_name, 'endpoint': raw.name}) -%}
                {%- endfor -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(found) }}
{%- endmacro %}
