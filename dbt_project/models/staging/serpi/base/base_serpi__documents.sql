{#- Every landed SERPI accounting document (lines nested). Fields a mart reads must be present; a bad line
    quarantines the whole document, so a document is never half loaded. -#}
{{ pipeline.base_records(
    source('serpi', 'documents'),
    key='id',
    fields={
        'id': 'text required',
        'categoriaDocumento': 'text optional',
        'prefijo': 'text',
        'numeroDoc': 'text',
        'nitTerceroEnc': 'text',
        'nombreTerceroEnc': 'text optional',
        'fechaDocumento': 'date required',
    },
    lines={'detalles': {
        'cuenta': 'text required',
        'nitTerceroDet': 'text',
        'nombreTerceroDet': 'text optional',
        'naturaleza': 'text required one_of=D|C',
        'valor': 'amount required',
        'baseImpuesto': 'amount optional',
        'fechaVencimiento': 'date optional',
        'detalle': 'text optional',
    }},
) }}
