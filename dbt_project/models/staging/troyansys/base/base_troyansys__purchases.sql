{#- Every landed Troyansys purchase record (documented: id, series, number, total). -#}
{{ pipeline.base_records(
    source('troyansys', 'purchases'),
    key='id',
    fields={
        'id': 'text required',
        'series': 'text',
        'number': 'text',
        'type': 'text optional',
        'status': 'text optional',
        'issue_date': 'date required optional',
        'supplier_id': 'text optional',
        'supplier_name': 'text optional',
        'subtotal': 'amount optional',
        'tax': 'amount optional',
        'total': 'amount required',
    },
) }}
