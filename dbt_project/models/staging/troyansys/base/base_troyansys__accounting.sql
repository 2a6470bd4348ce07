{#- Every landed Troyansys accounting entry (documented: id, entry_date, status; the totals and `lines` are
    [assumed]). A bad line quarantines its whole entry. -#}
{{ pipeline.base_records(
    source('troyansys', 'accounting'),
    key='id',
    fields={
        'id': 'text required',
        'entry_date': 'date required',
        'status': 'text required',
        'number': 'text optional',
        'description': 'text optional',
        'debit_total': 'amount optional',
        'credit_total': 'amount optional',
    },
    optional_lines=true,
    lines={'lines': {
        'account_code': 'text required optional',
        'account_name': 'text optional',
        'debit': 'amount required optional',
        'credit': 'amount required optional',
    }},
) }}
