"""The warehouse, on either engine: DuckDB (a file, the embedded default) or PostgreSQL (a server).

Everything that touches the warehouse goes through a `Warehouse`: one writer at a time (a file lock beside
the DuckDB file, an advisory lock on PostgreSQL), short-lived sessions for the loader and the bookkeeping,
the environment dbt needs, and publishing: a read-only serving copy for BI (DuckDB) or the built marts
swapped in in one transaction (PostgreSQL). The SQL the callers write runs on both engines (`?` parameters).
"""

from __future__ import annotations

from pathlib import Path

from pipeline.config import WarehouseLocation
from pipeline.warehouse.base import Session, Warehouse, WarehouseUnavailable
from pipeline.warehouse.duckdb_file import DuckDBWarehouse
from pipeline.warehouse.postgres_server import PostgresWarehouse


def open_warehouse(location: WarehouseLocation, serving: Path) -> Warehouse:
    """The warehouse PIPELINE_WAREHOUSE names; `serving` (PIPELINE_SERVING) applies to DuckDB only."""
    if location.engine == "duckdb":
        return DuckDBWarehouse(location, serving)
    if location.engine == "postgres":
        return PostgresWarehouse(location)
    # Refused before the first API request (preflight) until raw loading and dbt run on Spark too.
    raise WarehouseUnavailable(f"PIPELINE_WAREHOUSE: {location.describe()}: the Spark warehouse is not finished "
                               "yet (loading and the dbt models do not run on Spark); use DuckDB or PostgreSQL")


__all__ = ["Session", "Warehouse", "WarehouseUnavailable", "open_warehouse"]
