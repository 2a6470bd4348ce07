"""Fixtures for the dbt tests: warehouses built from hand-written raw pages with a real `dbt build`, on DuckDB
(the known answers), on a real PostgreSQL server and on a real Spark Thrift Server (which must give the same
marts, row for row)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import fixture_pages
import pytest
from dbt_build import BuildResult, dbt_build
from raw_warehouse import write_raw

from pipeline.config import parse_warehouse
from pipeline.warehouse import Warehouse, open_warehouse
from pipeline.warehouse.spark_server import SparkWarehouse

AS_OF = fixture_pages.AS_OF.isoformat()


@dataclass(frozen=True)
class BuiltWarehouse:
    warehouse: Warehouse
    work: Path
    build: BuildResult

    def rows(self, sql: str, params: list | None = None) -> list[tuple]:
        with self.warehouse.session(read_only=True) as session:
            return session.rows(sql, params or [])

    def mart_rows(self, table: str) -> list[tuple]:
        """Every row of a published mart, its columns in contract order, sorted."""
        with self.warehouse.session(read_only=True) as session:
            columns = session.columns("marts", table)
            return sorted(session.rows(f"select {', '.join(columns)} from marts.{table}"), key=repr)

    def one(self, sql: str, params: list | None = None):
        (row,) = self.rows(sql, params)
        return row[0] if len(row) == 1 else row


MARTS_QUERY = "select table_name from information_schema.tables where table_schema = 'marts' order by 1"


def assert_same_marts(reference: BuiltWarehouse, other: BuiltWarehouse) -> None:
    """Every mart of `reference` (DuckDB) has the same rows in `other`, and each value the same text."""
    marts = [name for (name,) in reference.rows(MARTS_QUERY)]
    assert len(marts) == 16
    for table in marts:
        expected, found = reference.mart_rows(table), other.mart_rows(table)
        assert expected == found, table
        # Decimal('1.5') == Decimal('1.5000'): compare the scale each engine gives too
        assert [tuple(str(v) for v in row) for row in expected] == [tuple(str(v) for v in row) for row in found], table


def warehouse_at(url: str, work: Path) -> Warehouse:
    location = parse_warehouse(url, [])
    if location.engine == "spark":  # the pipeline does not hand Spark out yet: its loader is not written
        return SparkWarehouse(location)
    return open_warehouse(location, work / "serving.duckdb")


def build_and_publish(warehouse: Warehouse, work: Path, **options) -> BuildResult:
    """`dbt build`, then publish the marts as the pipeline does when the build succeeded."""
    build = dbt_build(warehouse, work, AS_OF, **options)
    if build.success:
        warehouse.publish(["staging.stg_quarantined_records"])
    return build


def build_fixture(url: str, work: Path) -> BuiltWarehouse:
    """The fixture pages loaded into raw, built by `dbt build` and published."""
    warehouse = warehouse_at(url, work)
    write_raw(warehouse, fixture_pages.CONNECTIONS, fixture_pages.partitions())
    return BuiltWarehouse(warehouse=warehouse, work=work, build=build_and_publish(warehouse, work))


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltWarehouse]:
    """The fixture warehouse on DuckDB, built once for the session."""
    work = tmp_path_factory.mktemp("dbt_fixture")
    yield build_fixture(str(work / "warehouse.duckdb"), work)


@pytest.fixture(scope="session")
def postgres_fixture(tmp_path_factory: pytest.TempPathFactory, postgres_server) -> Iterator[BuiltWarehouse]:
    """The same fixture pages, built on PostgreSQL and published (swapped in as schema marts)."""
    work = tmp_path_factory.mktemp("dbt_fixture_postgres")
    yield build_fixture(postgres_server.url(postgres_server.create_database()), work)


@pytest.fixture(scope="session")
def spark_fixture(tmp_path_factory: pytest.TempPathFactory, spark_server) -> Iterator[BuiltWarehouse]:
    """The same fixture pages, built on the project's Spark Thrift Server and published (views in marts)."""
    work = tmp_path_factory.mktemp("dbt_fixture_spark")
    yield build_fixture(spark_server.url(), work)
