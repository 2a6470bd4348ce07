{#- Quality issues and conflicting duplicates of every landed Arrendasoft record (see record_issues). -#}
{{ pipeline.record_issues(['base_arrendasoft__invoices']) }}
