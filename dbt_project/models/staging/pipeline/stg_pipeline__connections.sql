{#- Configured connections and their currency (a connection removed from the file leaves the marts). -#}
select distinct tenant, source, currency
from {{ pipeline.relation_or_empty(source('pipeline', 'connections'),
                                   {'tenant': 'varchar', 'source': 'varchar', 'currency': 'varchar'}) }} as _connections
