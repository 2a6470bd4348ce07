{#- Every landed Troyansys inventory row, per snapshot (documented: id, warehouse_id, product_id, quantity,
    stock_alert_code, stock_alert_label; sku, product_name, unit_cost and total_value are [assumed]). -#}
{{ pipeline.base_records(
    source('troyansys', 'inventory'),
    key='id',
    fields={
        'id': 'text required',
        'warehouse_id': 'text required',
        'product_id': 'text required',
        'quantity': 'quantity required max=max_inventory_quantity',
        'stock_alert_code': 'text',
        'stock_alert_label': 'text optional',
        'sku': 'text optional',
        'product_name': 'text optional',
        'category_id': 'text optional',
        'unit_cost': 'amount optional',
        'total_value': 'amount optional',
    },
) }}
