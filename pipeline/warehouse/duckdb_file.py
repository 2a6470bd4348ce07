"""The embedded warehouse: one DuckDB file, one writer at a time, and a read-only serving copy for BI.

DuckDB lets no other process open a file while one writes it, so BI never opens the warehouse: after each
successful build the marts are copied into a new file beside the serving copy, which is then renamed over it.
The copy is written in the storage format of the DuckDB 1.4 line (the long-term-support release BI connectors
ship), so those clients can open it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from pipeline.config import WarehouseLocation
from pipeline.filesystem import why_unwritable
from pipeline.warehouse.base import OnWait, Query, Session, Warehouse, WarehouseUnavailable

# What BI may read besides the extra relations; staging and raw stay in the warehouse.
SERVING_SCHEMAS = ("marts",)
SERVING_STORAGE_VERSION = "v1.4.0"
# DuckDB caches written blocks up to its memory_limit (80 % of RAM by default): capped, a load of any size
# stays within a few hundred MB. Set on the connection, not in connect(config=...): DuckDB refuses a second
# in-process connection to one file with a different configuration.
SESSION_MEMORY_LIMIT = "128MB"
_TEMP_COPY = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.tmp$")


class DuckDBSession(Session):
    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.con.execute(sql, list(params))

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return self.con.execute(sql, list(params)).fetchall()

    def insert_columns(self, table: str, data: Mapping[str, list]) -> None:
        self.con.register("_pipeline_rows", pd.DataFrame(data))
        try:
            columns = ", ".join(data)
            self.con.execute(f"insert into {table} ({columns}) select {columns} from _pipeline_rows")
        finally:
            self.con.unregister("_pipeline_rows")

    def begin(self) -> None:
        self.con.execute("begin transaction")

    def commit(self) -> None:
        self.con.execute("commit")

    def rollback(self) -> None:
        self.con.execute("rollback")


class DuckDBWarehouse(Warehouse):
    engine = "duckdb"

    def __init__(self, location: WarehouseLocation, serving: Path):
        assert location.path is not None
        self.location, self.path, self.serving = location, Path(location.path), Path(serving)

    def check(self) -> None:
        for variable, path in (("PIPELINE_WAREHOUSE", self.path), ("PIPELINE_SERVING", self.serving)):
            problem = why_unwritable(path)
            if problem:
                raise WarehouseUnavailable(f"{variable}: {path}: {problem}")

    def lock_key(self) -> str:
        return f"{self.engine}:{self.path.resolve()}"

    @contextlib.contextmanager
    def acquire_lock(self, on_wait: OnWait | None) -> Iterator[None]:
        """DuckDB refuses a second process at once (writer or reader) instead of waiting; this file lock beside
        the warehouse makes every other process that opens it (a second `pipeline run`, a step or an asset
        check beside `dagster dev` or the daemon) wait its turn. A killed holder's lock goes with its process."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_name(self.path.name + ".lock"), "w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if on_wait:
                    on_wait(f"waiting for the warehouse {self.path}: another run is writing it")
                fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    @contextlib.contextmanager
    def session(self, read_only: bool = False) -> Iterator[Session]:
        """A connection to the warehouse file, under the warehouse lock (re-entrant: callers that hold it
        already keep it). Always opened for writing: DuckDB lets a process open one file with one
        configuration only, and dbt (in this process) may hold it open for writing already."""
        if read_only and not self.path.exists():
            with duckdb.connect() as con:  # nothing written yet: an empty database answers every question
                yield DuckDBSession(con)
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.lock(), duckdb.connect(str(self.path)) as con:
            if not read_only:
                con.execute(f"set memory_limit = '{SESSION_MEMORY_LIMIT}'")
            yield DuckDBSession(con)

    def dbt_environment(self) -> dict[str, str]:
        return {"PIPELINE_DBT_TARGET": "duckdb", "PIPELINE_WAREHOUSE": str(self.path.resolve())}

    def close_dbt_connections(self) -> None:
        """dbt-duckdb keeps the database open in this process after dbt returns (measured: no other process
        could open the file until this one exited), so a process that ran dbt would still hold the file when
        the next lock holder opens it. Its cached environment is closed here."""
        connections = sys.modules.get("dbt.adapters.duckdb.connections")
        if connections is None:
            return
        manager = connections.DuckDBConnectionManager
        with manager._LOCK:
            if manager._ENV is not None:
                manager._ENV.close()
                manager._ENV = None

    def publish(self, extra_relations: Sequence[str]) -> dict[str, int]:
        """Copy every mart (and the extra relations) into a new file beside the serving copy, then rename it over
        the old one, so a dashboard never blocks a run and never sees a half-built state. The copy is attached
        to the warehouse's own connection: this process may hold the warehouse open already (dbt runs in it),
        and DuckDB lets one process open a file only once."""
        self.serving.parent.mkdir(parents=True, exist_ok=True)
        staging_file = self.serving.with_name(f".{self.serving.name}.{os.getpid()}.tmp")
        staging_file.unlink(missing_ok=True)
        rows: dict[str, int] = {}
        with self.lock(), duckdb.connect(str(self.path)) as con:
            con.execute(f"ATTACH '{_sql_text(str(staging_file.resolve()))}' AS serving_copy "
                        f"(STORAGE_VERSION '{SERVING_STORAGE_VERSION}')")
            try:
                relations = con.execute(
                    "select table_schema, table_name from information_schema.tables "
                    "where table_catalog = current_database() and table_schema in (select unnest(?::varchar[])) "
                    "order by 1, 2", [list(SERVING_SCHEMAS)]).fetchall()
                relations += [tuple(name.split(".", 1)) for name in extra_relations]
                for schema, table in relations:
                    con.execute(f'create schema if not exists serving_copy."{schema}"')
                    con.execute(_same_table_in(con, schema, table, "serving_copy"))
                    con.execute(f'insert into serving_copy."{schema}"."{table}" select * from "{schema}"."{table}"')
                    rows[f"{schema}.{table}"] = con.execute(
                        f'select count(*) from serving_copy."{schema}"."{table}"').fetchone()[0]
            finally:
                con.execute("DETACH serving_copy")
        os.replace(staging_file, self.serving)
        return rows

    @contextlib.contextmanager
    def published(self) -> Iterator[Query | None]:
        if not self.serving.exists():
            yield None
            return
        with duckdb.connect(str(self.serving), read_only=True) as con:
            yield lambda sql: con.execute(sql).fetchall()

    def remove_leftovers(self) -> list[str]:
        """Temporary serving copies of killed runs (`.serving.duckdb.<pid>.tmp` whose process is gone)."""
        removed = []
        for path in self.serving.parent.glob(f".{self.serving.name}.*.tmp"):
            match = _TEMP_COPY.match(path.name)
            if match and not _alive(int(match["pid"])):
                path.unlink(missing_ok=True)
                removed.append(str(path))
        return removed


def _same_table_in(con: duckdb.DuckDBPyConnection, schema: str, table: str, catalog: str) -> str:
    """The table's own CREATE statement, for the same table in another catalog: its column types and NOT NULL
    constraints travel with it (BI tools read them; `create table as` would drop the constraints)."""
    (ddl,) = con.execute("select sql from duckdb_tables() where database_name = current_database() "
                         "and schema_name = ? and table_name = ?", [schema, table]).fetchone()
    return re.sub(r"^CREATE TABLE [^(]+\(", f'CREATE TABLE {catalog}."{schema}"."{table}"(', ddl, count=1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _sql_text(value: str) -> str:
    return value.replace("'", "''")
