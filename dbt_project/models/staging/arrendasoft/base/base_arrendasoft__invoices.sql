{#- Every landed Arrendasoft invoice, per snapshot. Fields a mart reads must be present. -#}
{{ pipeline.base_records(
    source('arrendasoft', 'invoices'),
    key='factura_id',
    fields={
        'factura_id': 'text required',
        'factura_numero': 'text',
        'resolucion': 'text optional',
        'fecha_factura': 'date required',
        'fecha_vencimiento': 'date',
        'valor_total': 'amount required',
        'saldo': 'amount required',
        'documento_tercero': 'text',
        'nombre_tercero': 'text',
        'estado': 'text',
        'estado_dian': 'text optional',
        'creado_por': 'text optional',
        'fecha_creacion': 'local_timestamp optional',
    },
) }}
