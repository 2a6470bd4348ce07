{#- Every landed Troyansys sales record. Fields the vendor documents (id, series, number, total, paid_amount,
    pending_balance) must be present; the [assumed] ones may be missing, except issue_date, without which a
    document cannot be placed in time (aging, reconciliation windows). -#}
{{ pipeline.base_records(
    source('troyansys', 'sales'),
    key='id',
    fields={
        'id': 'text required',
        'series': 'text',
        'number': 'text',
        'type': 'text optional',
        'status': 'text optional',
        'issue_date': 'date required optional',
        'due_date': 'date optional',
        'customer_id': 'text optional',
        'customer_name': 'text optional',
        'subtotal': 'amount optional',
        'tax': 'amount optional',
        'total': 'amount required',
        'paid_amount': 'amount',
        'pending_balance': 'amount',
    },
) }}
