{#- Every landed SERPI document type (what the extractor asks documents for; no mart reads it). -#}
{{ pipeline.base_records(
    source('serpi', 'document_types'),
    key='id',
    fields={
        'id': 'text required',
        'categoriaDocumento': 'text optional',
        'prefijo': 'text optional',
        'descripcion': 'text optional',
    },
) }}
