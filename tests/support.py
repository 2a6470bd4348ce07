"""Helpers every test folder shares (tests/ is on sys.path): the shipped sources' partitions and loads."""

from __future__ import annotations

from datetime import date

from pipeline.config import Connection, Settings
from pipeline.extract.partitions import Partition, month_keys, plan
from pipeline.landing.load import LoadResult, load_partitions
from pipeline.sources import SOURCES
from pipeline.warehouse import open_warehouse


def partitions(connection: Connection, endpoint: str, start: date, end: date, as_of: date) -> list[Partition]:
    """What a run from `start` to `end` extracts of one endpoint (pipeline.extract.partitions.plan)."""
    windowed = SOURCES[connection.source].endpoints[endpoint].window is not None
    return plan(month_keys(start, end) if windowed else None, start, end, as_of)


def load(settings: Settings, source: str, endpoint: str, **chosen) -> LoadResult:
    """Load the landed partitions of one endpoint into the settings' warehouse, as the load asset does."""
    warehouse = open_warehouse(settings.warehouse, settings.serving)
    record_path = SOURCES[source].endpoints[endpoint].records
    return load_partitions(settings, warehouse, source, endpoint, record_path, **chosen)
