"""Fixtures for the dbt tests: a warehouse built once from hand-written raw pages with a real `dbt build`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import fixture_pages
import pytest
from dbt_build import BuildResult, dbt_build
from raw_warehouse import write_raw


@dataclass(frozen=True)
class BuiltWarehouse:
    path: Path
    build: BuildResult

    def rows(self, sql: str, params: list | None = None) -> list[tuple]:
        con = duckdb.connect(str(self.path))
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()

    def one(self, sql: str, params: list | None = None):
        (row,) = self.rows(sql, params)
        return row[0] if len(row) == 1 else row


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltWarehouse]:
    """The fixture pages loaded into raw and built by `dbt build` once for the whole session."""
    work = tmp_path_factory.mktemp("dbt_fixture")
    path = work / "warehouse.duckdb"
    write_raw(path, fixture_pages.CONNECTIONS, fixture_pages.partitions())
    build = dbt_build(path, work, {"as_of_date": fixture_pages.AS_OF.isoformat()})
    yield BuiltWarehouse(path=path, build=build)
