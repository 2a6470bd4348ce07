"""A warehouse (either engine) whose `raw` schema is filled with hand-written page bodies, split into records
exactly as the loader lays them out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from pipeline.landing.load import CONNECTION_COLUMNS, MANIFEST_COLUMNS, RECORD_COLUMNS, ensure_raw_tables
from pipeline.landing.records import record_texts
from pipeline.sources import SOURCES
from pipeline.warehouse import Session, Warehouse


@dataclass
class Partition:
    """One landed partition: its pages (exact body text) and what the API reported about it."""

    source: str
    endpoint: str
    tenant: str
    partition_key: str
    bodies: list[str]
    reported: str = "{}"
    window: tuple[date, date] | None = None
    snapshot_date: date | None = None
    run_id: str = "run-1"
    extracted_at: datetime = field(default_factory=lambda: datetime(2025, 4, 30, 12, 0, 0))


def write_raw(warehouse: Warehouse, connections: list[tuple[str, str, str]], partitions: list[Partition]) -> None:
    """The raw schema with every endpoint's table, `_manifests` and `_connections`, as the loader makes them."""
    with warehouse.session() as session:
        for source in SOURCES.values():
            for endpoint in source.endpoints:
                ensure_raw_tables(session, source.name, endpoint)
        session.insert_columns("raw._connections", dict(zip(CONNECTION_COLUMNS, map(list, zip(*connections, strict=True)),
                                                             strict=True)))
        for part in partitions:
            _insert_partition(session, part)


def replace_partition(warehouse: Warehouse, part: Partition) -> None:
    """Reload one partition the way the loader does: delete its rows, insert the new run's pages."""
    with warehouse.session() as session:
        table = f"raw.{part.source}__{part.endpoint}"
        session.execute(f"delete from {table} where tenant = ? and partition_key = ?", [part.tenant, part.partition_key])
        session.execute("delete from raw._manifests where source = ? and endpoint = ? and tenant = ? "
                        "and partition_key = ?", [part.source, part.endpoint, part.tenant, part.partition_key])
        _insert_partition(session, part)


def _insert_partition(session: Session, part: Partition) -> None:
    start, end = part.window if part.window else (None, None)
    record_path = SOURCES[part.source].endpoints[part.endpoint].records
    rows = []
    for number, body in enumerate(part.bodies, start=1):
        rows += [(part.tenant, part.partition_key, start, end, part.snapshot_date, part.run_id, number,
                  part.extracted_at, position, text)
                 for position, text in enumerate(record_texts(body.encode(), record_path), start=1)]
    if rows:
        session.insert_columns(f"raw.{part.source}__{part.endpoint}",
                               dict(zip(RECORD_COLUMNS, map(list, zip(*rows, strict=True)), strict=True)))
    manifest = (part.source, part.endpoint, part.tenant, part.partition_key, start, end, part.snapshot_date,
                part.run_id, part.extracted_at, len(part.bodies), len(rows), len(rows), part.reported, None)
    session.execute(f"insert into raw._manifests values ({', '.join('?' * len(MANIFEST_COLUMNS))})", manifest)


__all__ = ["Partition", "replace_partition", "write_raw"]
