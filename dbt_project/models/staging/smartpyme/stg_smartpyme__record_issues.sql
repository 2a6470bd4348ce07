{#- Quality issues and conflicting duplicates of every landed SmartPyme record (see record_issues). -#}
{{ pipeline.record_issues(['base_smartpyme__sales', 'base_smartpyme__sales_summary']) }}
