"""The warehouse file: one writer at a time, and the read-only serving copy BI tools open."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

import duckdb

# What BI may read; staging and raw stay in the warehouse. Quarantine is published so finance can see it.
SERVING_SCHEMAS = ("marts",)


@contextlib.contextmanager
def warehouse_lock(warehouse: Path) -> Iterator[None]:
    """Hold the warehouse for writing. DuckDB refuses a second writer at once instead of waiting; this lock
    makes a second `pipeline run` (or a load beside `dagster dev`) wait its turn instead of failing."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with open(warehouse.with_name(warehouse.name + ".lock"), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def publish_serving_copy(warehouse: Path, serving: Path, extra_relations: tuple[str, ...] = ()) -> dict[str, int]:
    """Copy every mart (and the named extra relations) into a new file beside `serving`, then rename it over
    the old one, so a dashboard never blocks a run and never sees a half-built state. Returns rows per table."""
    serving.parent.mkdir(parents=True, exist_ok=True)
    staging_file = serving.with_name(f".{serving.name}.{os.getpid()}.tmp")
    staging_file.unlink(missing_ok=True)
    rows: dict[str, int] = {}
    with duckdb.connect(str(staging_file)) as con:
        con.execute(f"ATTACH '{_sql_path(warehouse)}' AS wh (READ_ONLY)")
        relations = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = 'wh' and table_schema in (select unnest(?::varchar[])) order by 1, 2",
            [list(SERVING_SCHEMAS)],
        ).fetchall()
        relations += [tuple(name.split(".", 1)) for name in extra_relations]
        for schema, table in relations:
            con.execute(f'create schema if not exists "{schema}"')
            con.execute(f'create or replace table "{schema}"."{table}" as select * from wh."{schema}"."{table}"')
            rows[f"{schema}.{table}"] = con.execute(f'select count(*) from "{schema}"."{table}"').fetchone()[0]
        con.execute("DETACH wh")
    os.replace(staging_file, serving)
    return rows


def _sql_path(path: Path) -> str:
    return str(path.resolve()).replace("'", "''")
