{#- Source freshness (`dbt source freshness`): when the stalest configured connection of a source table was
    last extracted, from the loader's raw._landings. A connection whose extraction keeps failing goes stale. -#}
{% macro landed_at_query() %}
select min(last_extracted_at) from {{ source('pipeline', 'landings') }}
where source = '{{ source_node.source_name }}' and endpoint = '{{ source_node.name }}'
{% endmacro %}
