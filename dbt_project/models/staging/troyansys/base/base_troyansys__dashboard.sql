{#- Every landed Troyansys dashboard (one object per snapshot). No mart reads it: its KPIs are kept typed. -#}
{{ pipeline.base_records(
    source('troyansys', 'dashboard'),
    fields={
        'kpis.sales_month': 'amount optional',
        'kpis.collections_month': 'amount optional',
        'kpis.purchases_month': 'amount optional',
        'kpis.active_products': 'integer optional',
        'kpis.stock_value': 'amount optional',
        'kpis.draft_entries': 'integer optional',
        'kpis.available_advances': 'amount optional',
        'kpis.pending_receivables': 'amount optional',
        'charts': 'text optional',
    },
) }}
