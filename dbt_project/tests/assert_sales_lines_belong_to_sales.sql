{#- Every sales line belongs to a document of fct_sales. -#}
{{ config(meta={'dagster': {'ref': {'name': 'fct_sales_lines'}}}) }}
select l.*
from {{ ref('fct_sales_lines') }} as l
left join {{ ref('fct_sales') }} as s
    on s.tenant = l.tenant and s.source = l.source and s.document_id = l.document_id
where s.document_id is null
