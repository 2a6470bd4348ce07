"""The extraction engine: partitions, extract_partition and its errors."""

from pipeline.extract.engine import ExtractResult, extract_partition, extract_partition_async
from pipeline.extract.errors import (
    AuthFailed,
    ExtractionError,
    Forbidden,
    RequestRejected,
    RetriesExhausted,
    UnexpectedResponse,
    WindowTooLarge,
)
from pipeline.extract.partitions import Partition, partitions_for

__all__ = [
    "AuthFailed", "ExtractResult", "ExtractionError", "Forbidden", "Partition", "RequestRejected",
    "RetriesExhausted", "UnexpectedResponse", "WindowTooLarge", "extract_partition", "extract_partition_async",
    "partitions_for",
]
