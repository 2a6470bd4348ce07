"""What both warehouse engines offer, and the bookkeeping written in SQL that runs on either."""

from __future__ import annotations

import contextlib
import hashlib
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pipeline import dbt_runner
from pipeline.config import WarehouseLocation

Query = Callable[[str], list[tuple]]
OnWait = Callable[[str], None]

# The inputs of the last complete, successful dbt build: raw's loaded runs, the connections, the as-of date and
# the dbt project's files. Kept in the warehouse itself, so it travels with the data it describes.
BUILT_STATE = "raw._built_state"


class ProcessLock:
    """A warehouse's writer lock as this process holds it: taken from the engine once, when the first caller
    here needs it, and re-entrant within a thread (a dbt step holds it, and its sessions and dbt invocation
    inside take it again), so every session and every dbt invocation can take it without a deadlock."""

    _by_key: dict[str, ProcessLock] = {}
    _registry = threading.Lock()

    def __init__(self) -> None:
        self._thread = threading.RLock()
        self._depth = 0

    @classmethod
    def of(cls, key: str) -> ProcessLock:
        with cls._registry:
            return cls._by_key.setdefault(key, cls())

    @contextlib.contextmanager
    def hold(self, acquire: Callable[[], contextlib.AbstractContextManager[None]]) -> Iterator[None]:
        with self._thread:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            with acquire():
                self._depth = 1
                try:
                    yield
                finally:
                    self._depth = 0


class WarehouseUnavailable(Exception):
    """The warehouse cannot be opened or written: one line naming where it is and why (never a password)."""


class Session(ABC):
    """A short-lived connection. SQL uses `?` placeholders on both engines."""

    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any] = ()) -> None: ...

    @abstractmethod
    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]: ...

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple | None:
        found = self.rows(sql, params)
        return found[0] if found else None

    @abstractmethod
    def insert_columns(self, table: str, data: Mapping[str, list]) -> None:
        """Bulk-insert columns of equal length (a bulk load, not a statement per row)."""

    def create_table(self, table: str, columns: Mapping[str, str]) -> None:
        """Create `table` unless it exists; `columns`: name -> type (VARCHAR, DATE, TIMESTAMP, INTEGER...)."""
        self.execute(f"create table if not exists {table} ({', '.join(f'{name} {kind}' for name, kind in columns.items())})")

    @abstractmethod
    def begin(self) -> None: ...

    @abstractmethod
    def commit(self) -> None: ...

    @abstractmethod
    def rollback(self) -> None: ...

    def table_exists(self, schema: str, table: str) -> bool:
        return bool(self.one("select count(*) from information_schema.tables where table_schema = ? "
                             "and table_name = ?", [schema, table])[0])

    def columns(self, schema: str, table: str) -> list[str]:
        return [name for (name,) in self.rows(
            "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
            "order by ordinal_position", [schema, table])]


@dataclass(frozen=True)
class BuiltState:
    inputs: str  # build_inputs() of the build
    published: bool  # the published marts hold its result


class Warehouse(ABC):
    engine: str
    location: WarehouseLocation

    def describe(self) -> str:
        return self.location.describe()

    @abstractmethod
    def check(self) -> None:
        """Reachable and writable, or WarehouseUnavailable. Called before the first API request."""

    def lock(self, on_wait: OnWait | None = None) -> contextlib.AbstractContextManager[None]:
        """Hold the warehouse for writing; a second writer waits (and is told why) instead of failing.
        Re-entrant within this process's thread (ProcessLock)."""
        return ProcessLock.of(self.lock_key()).hold(lambda: self.acquire_lock(on_wait))

    def lock_key(self) -> str:
        """What identifies this warehouse's lock within the process."""
        return f"{self.engine}:{self.describe()}"

    @abstractmethod
    def acquire_lock(self, on_wait: OnWait | None) -> contextlib.AbstractContextManager[None]:
        """The engine's own lock, held until the context ends (lock() decides when it is needed)."""

    @abstractmethod
    def session(self, read_only: bool = False) -> contextlib.AbstractContextManager[Session]: ...

    @abstractmethod
    def dbt_environment(self) -> dict[str, str]:
        """Environment variables the dbt profile reads (target, path or server, memory cap)."""

    @abstractmethod
    def publish(self, extra_relations: Sequence[str]) -> dict[str, int]:
        """Make the built marts (and the extra relations) what BI reads, all at once; rows per table."""

    @abstractmethod
    def published(self) -> contextlib.AbstractContextManager[Query | None]:
        """A query over what BI reads (None when nothing was published yet)."""

    def run_dbt(self, command: str, *args: str, data_dir: Path, env: Mapping[str, str] | None = None,
                on_wait: OnWait | None = None) -> dbt_runner.DbtResult:
        """`dbt <command>` against this warehouse (its own target folder under `data_dir`, logs in
        `data_dir/logs`), holding the warehouse lock, with dbt's connections closed before the lock is let go:
        every dbt invocation is one more writer or reader, never beside another process's."""
        target = dbt_runner.target_dir(data_dir, f"{self.engine}:{self.describe()}")
        with self.lock(on_wait):
            try:
                return dbt_runner.invoke(command, *args, env={**self.dbt_environment(), **(env or {})},
                                         target=target, log_dir=Path(data_dir) / "logs")
            finally:
                self.close_dbt_connections()

    def close_dbt_connections(self) -> None:  # noqa: B027 - only DuckDB's adapter keeps anything open
        """Whatever dbt's adapter keeps open in this process after dbt returned."""

    def remove_leftovers(self) -> list[str]:
        """Files or objects a killed run left behind; returns what it removed."""
        return []

    # ----------------------------------------------------------------------------------- the build state

    def build_inputs(self, as_of: date, project_digest: str) -> str:
        """A digest of everything a dbt build of the whole project reads: equal digests, equal marts."""
        digest = hashlib.sha256(f"{self.engine}|{as_of.isoformat()}|{project_digest}".encode())
        with self.session(read_only=True) as session:
            for table, query in (
                ("_manifests", "select source, endpoint, tenant, partition_key, run_id, finished_at from raw._manifests"),
                ("_connections", "select tenant, source, currency from raw._connections"),
                ("_extraction_failures", "select tenant, source, endpoint, run_id from raw._extraction_failures"),
            ):
                if session.table_exists("raw", table):
                    for row in sorted(tuple(str(value) for value in row) for row in session.rows(query)):
                        digest.update(repr(row).encode())
        return digest.hexdigest()

    def last_built_state(self) -> BuiltState | None:
        with self.session(read_only=True) as session:
            if not session.table_exists("raw", "_built_state"):
                return None
            row = session.one(f"select inputs, published from {BUILT_STATE}")
        return BuiltState(row[0], bool(row[1])) if row else None

    def record_built_state(self, inputs: str | None) -> None:
        """Remember the inputs of a build that just succeeded; None forgets them before a build starts, so a
        build that fails halfway is never mistaken for one that finished."""
        with self.session() as session:
            session.execute("create schema if not exists raw")
            session.create_table(BUILT_STATE, {"inputs": "VARCHAR", "built_at": "TIMESTAMP", "published": "BOOLEAN"})
            session.execute(f"delete from {BUILT_STATE}")
            if inputs is not None:
                session.execute(f"insert into {BUILT_STATE} values (?, current_timestamp, false)", [inputs])

    def record_published(self) -> None:
        with self.session() as session:
            if session.table_exists("raw", "_built_state"):
                session.execute(f"update {BUILT_STATE} set published = true")


@contextlib.contextmanager
def nothing() -> Iterator[None]:
    yield
