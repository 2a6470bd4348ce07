{#-
  The warehouse contract's conventions for one mart, in one query (one node instead of one per column):
  one row per `key`, `source` one of the project's sources, `currency` an ISO code (unless currency=false).
  Not-null columns are enforced by each model's contract when rows are written, not tested afterwards.
-#}
{% test mart_conventions(model, key, currency=true) %}
select 'duplicate key' as problem, count(*) as rows_found
from {{ model }}
group by {{ key | join(', ') }}
having count(*) > 1
union all
select 'source not one of {{ var("sources") | join(", ") }}', count(*)
from {{ model }}
where source not in ('{{ var("sources") | join("', '") }}')
having count(*) > 0
{%- if currency %}
union all
select 'currency not an ISO code', count(*)
from {{ model }}
where not {{ pipeline.matches('currency', pipeline.pattern('currency')) }}
having count(*) > 0
{%- endif %}
{% endtest %}
