{#- Every landed SmartPyme sales summary (one object per partition window). -#}
{{ pipeline.base_records(
    source('smartpyme', 'sales_summary'),
    fields={
        'cantidad_ventas': 'integer required',
        'total_ventas': 'amount required',
        'total_iva': 'amount required',
        'total_descuentos': 'amount',
    },
) }}
