{#- Connections whose last extraction of an endpoint failed: their rows stay as of their last good data. -#}
select tenant, source, endpoint, run_id, failed_at, partitions, reason
from {{ pipeline.relation_or_empty(source('pipeline', 'extraction_failures'), {
    'tenant': 'varchar', 'source': 'varchar', 'endpoint': 'varchar', 'run_id': 'varchar',
    'failed_at': 'timestamp', 'partitions': 'varchar', 'reason': 'varchar'}) }} as _failures
