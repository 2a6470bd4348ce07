"""The warehouse file: one writer at a time, and the read-only serving copy BI tools open."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
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


# The inputs of the last complete, successful dbt build: raw's loaded runs, the connections, the as-of date and
# the dbt project's files. Kept in the warehouse itself, so it travels with the data it describes.
BUILT_STATE = "raw._built_state"


def build_inputs(warehouse: Path, as_of: date, project_digest: str) -> str:
    """A digest of everything a dbt build of the whole project reads: equal digests, equal marts."""
    digest = hashlib.sha256(f"{as_of.isoformat()}|{project_digest}".encode())
    if not warehouse.exists():
        return digest.hexdigest()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for query in ("select source, endpoint, tenant, partition_key, run_id, finished_at from raw._manifests",
                      "select tenant, source, currency from raw._connections"):
            with contextlib.suppress(duckdb.CatalogException):  # nothing loaded yet
                for row in con.execute(f"{query} order by all").fetchall():
                    digest.update(repr(row).encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class BuiltState:
    inputs: str  # build_inputs() of the build
    published: bool  # the serving copy holds its marts


def last_built_state(warehouse: Path) -> BuiltState | None:
    if not warehouse.exists():
        return None
    with duckdb.connect(str(warehouse), read_only=True) as con:
        try:
            row = con.execute(f"select inputs, published from {BUILT_STATE}").fetchone()
        except duckdb.CatalogException:
            return None
    return BuiltState(*row) if row else None


def record_built_state(warehouse: Path, inputs: str | None) -> None:
    """Remember the inputs of a build that just succeeded; None forgets them before a build starts, so a build
    that fails halfway is never mistaken for one that finished."""
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema if not exists raw")
        con.execute(f"create table if not exists {BUILT_STATE} (inputs VARCHAR, built_at TIMESTAMP, published BOOLEAN)")
        con.execute(f"delete from {BUILT_STATE}")
        if inputs is not None:
            con.execute(f"insert into {BUILT_STATE} values (?, current_timestamp, false)", [inputs])


def record_published(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse)) as con, contextlib.suppress(duckdb.CatalogException):
        con.execute(f"update {BUILT_STATE} set published = true")


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
