{#-
  Records kept out of the marts, one row per problem: the latest version of a record that failed typing
  (impossible date, amount that is not a number or has more than 4 decimals, negative or absurd quantity,
  missing key), and every duplicate that conflicts with the kept version in the same run.
  A bad line quarantines its whole document; `field` names the line (`detalles[2].cantidad`).
-#}
{%- set bases = [
    ('troyansys', 'sales', 'base_troyansys__sales'),
    ('troyansys', 'purchases', 'base_troyansys__purchases'),
    ('troyansys', 'inventory', 'base_troyansys__inventory'),
    ('troyansys', 'accounting', 'base_troyansys__accounting_entries'),
    ('troyansys', 'dashboard', 'base_troyansys__dashboard'),
    ('smartpyme', 'sales', 'base_smartpyme__sales'),
    ('smartpyme', 'sales_summary', 'base_smartpyme__sales_summaries'),
    ('serpi', 'document_types', 'base_serpi__document_types'),
    ('serpi', 'documents', 'base_serpi__documents'),
    ('arrendasoft', 'invoices', 'base_arrendasoft__invoices'),
] -%}

with
{% for source_name, entity, model in bases %}
{{ entity }}_{{ source_name }} as (
    select
        tenant,
        '{{ source_name }}' as source,
        '{{ entity }}' as entity,
        record_key,
        _issue.field as field,
        _issue.raw_value as raw_value,
        _issue.reason as reason,
        partition_key,
        run_id,
        page,
        record_position
    from (
        select *, unnest(_issues) as _issue
        from {{ ranked_versions(model) }}
        where len(_issues) > 0 and (_version_rank = 1 or record_key is null)
    )

    union all

    select
        tenant,
        '{{ source_name }}',
        '{{ entity }}',
        record_key,
        'record',
        null,
        'conflicting duplicate',
        partition_key,
        run_id,
        page,
        record_position
    from {{ ranked_versions(model) }}
    where _is_conflicting_duplicate
),
{% endfor %}

unioned as (
{% for source_name, entity, model in bases %}
    select * from {{ entity }}_{{ source_name }}
    {% if not loop.last %}union all{% endif %}
{% endfor %}
)

select * from unioned
