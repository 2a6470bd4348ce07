{#-
  How the versions of each base model's records are ranked (see ranked_versions): the key within a tenant,
  the order that puts the version to keep first, and the version column whose equality makes two different
  contents from one run a conflict.
-#}
{% macro version_spec(base_model) -%}
    {%- set LATEST_PAGE = 'extracted_at desc, page desc, record_position desc' -%}
    {%- set specs = {
        'base_arrendasoft__invoices': {'keys': ['_snapshot', 'record_key'], 'order_by': LATEST_PAGE},
        'base_serpi__document_types': {'keys': ['record_key'], 'order_by': LATEST_PAGE},
        'base_serpi__documents': {'keys': ['record_key'], 'order_by': LATEST_PAGE},
        'base_smartpyme__sales': {'keys': ['record_key'],
            'order_by': '_updated_at desc nulls last, ' ~ LATEST_PAGE, 'version_expr': '_updated_at'},
        'base_smartpyme__sales_summaries': {'keys': ['record_key'], 'order_by': LATEST_PAGE},
        'base_troyansys__accounting_entries': {'keys': ['record_key'], 'order_by': LATEST_PAGE},
        'base_troyansys__dashboard': {'keys': ['_snapshot'], 'order_by': LATEST_PAGE},
        'base_troyansys__inventory': {'keys': ['_snapshot', 'record_key'], 'order_by': LATEST_PAGE},
        'base_troyansys__purchases': {'keys': ['record_key'], 'order_by': LATEST_PAGE},
        'base_troyansys__sales': {'keys': ['record_key'], 'order_by': LATEST_PAGE}
    } -%}
    {{ return(specs[base_model]) }}
{%- endmacro %}
