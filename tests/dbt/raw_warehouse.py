"""A DuckDB warehouse whose `raw` schema is filled with hand-written page bodies, split into records exactly as the
loader lays them out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb

from pipeline.landing.load import MANIFEST_COLUMNS, RECORD_COLUMNS
from pipeline.landing.records import record_texts
from pipeline.sources import SOURCES

PAGE_TABLES = (
    "troyansys__dashboard",
    "troyansys__sales",
    "troyansys__inventory",
    "troyansys__purchases",
    "troyansys__accounting",
    "smartpyme__sales",
    "smartpyme__sales_summary",
    "serpi__document_types",
    "serpi__documents",
    "arrendasoft__invoices",
)


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


def write_raw(path: Path, connections: list[tuple[str, str, str]], partitions: list[Partition]) -> None:
    """Create the raw schema in `path` with every page table, `_manifests` and `_connections`."""
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema if not exists raw")
        for table in PAGE_TABLES:
            con.execute(f"create or replace table raw.{table} ({RECORD_COLUMNS})")
        con.execute(f"create or replace table raw._manifests ({MANIFEST_COLUMNS})")
        con.execute("create or replace table raw._connections (tenant VARCHAR, source VARCHAR, currency VARCHAR)")
        con.executemany("insert into raw._connections values (?, ?, ?)", connections)
        for part in partitions:
            _insert_partition(con, part)
    finally:
        con.close()


def replace_partition(path: Path, part: Partition) -> None:
    """Reload one partition the way the loader does: delete its rows, insert the new run's pages."""
    con = duckdb.connect(str(path))
    try:
        table = f"raw.{part.source}__{part.endpoint}"
        con.execute(f"delete from {table} where tenant = ? and partition_key = ?", [part.tenant, part.partition_key])
        con.execute(
            "delete from raw._manifests where source = ? and endpoint = ? and tenant = ? and partition_key = ?",
            [part.source, part.endpoint, part.tenant, part.partition_key],
        )
        _insert_partition(con, part)
    finally:
        con.close()


def _insert_partition(con: duckdb.DuckDBPyConnection, part: Partition) -> None:
    start, end = part.window if part.window else (None, None)
    record_path = SOURCES[part.source].endpoints[part.endpoint].records
    records = 0
    for number, body in enumerate(part.bodies, start=1):
        texts = record_texts(body.encode(), record_path)
        records += len(texts)
        con.executemany(
            f"insert into raw.{part.source}__{part.endpoint} values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [[part.tenant, part.partition_key, start, end, part.snapshot_date, part.run_id, number,
              part.extracted_at, position, text] for position, text in enumerate(texts, start=1)],
        )
    con.execute(
        "insert into raw._manifests values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [part.source, part.endpoint, part.tenant, part.partition_key, start, end, part.snapshot_date,
         part.run_id, part.extracted_at, len(part.bodies), records, records, part.reported, None],
    )
