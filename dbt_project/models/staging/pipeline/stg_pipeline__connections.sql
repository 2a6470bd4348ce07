{#- Configured connections and their currency. -#}
select distinct tenant, source, currency
from {{ relation_or_empty(source('pipeline', 'connections'), {'tenant': 'varchar', 'source': 'varchar', 'currency': 'varchar'}) }}
