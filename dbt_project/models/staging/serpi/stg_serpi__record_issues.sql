{#- Quality issues and conflicting duplicates of every landed SERPI record (see record_issues). -#}
{{ pipeline.record_issues(['base_serpi__document_types', 'base_serpi__documents']) }}
