{#- Quality issues and conflicting duplicates of every landed Troyansys record (see record_issues). -#}
{{ pipeline.record_issues(['base_troyansys__accounting', 'base_troyansys__dashboard', 'base_troyansys__inventory',
                           'base_troyansys__purchases', 'base_troyansys__sales']) }}
