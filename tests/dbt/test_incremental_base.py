"""Incremental base models parse only new runs' pages, yet never keep rows parsed by other logic."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import fixture_pages
import pytest
from dbt_build import dbt_build
from raw_warehouse import write_raw

MODEL = "base_smartpyme__sales"
AS_OF = {"as_of_date": fixture_pages.AS_OF.isoformat()}


def _rows(path: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(path))
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def warehouse_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("dbt_incremental")
    path = work / "warehouse.duckdb"
    write_raw(path, fixture_pages.CONNECTIONS, fixture_pages.partitions())
    assert dbt_build(path, work, AS_OF, select=MODEL).success
    return path


def test_rerun_without_new_pages_keeps_parsed_rows_and_a_logic_change_reparses_them(
        warehouse_path: Path) -> None:
    work = warehouse_path.parent
    marked = datetime(2030, 1, 1)
    _rows(warehouse_path, f"update staging.{MODEL} set extracted_at = '{marked}'")

    assert dbt_build(warehouse_path, work, AS_OF, select=MODEL).success
    assert _rows(warehouse_path, f"select distinct extracted_at from staging.{MODEL}") == [(marked,)]

    assert dbt_build(warehouse_path, work, {**AS_OF, "max_sale_line_quantity": 2}, select=MODEL).success
    assert _rows(warehouse_path, f"select distinct extracted_at from staging.{MODEL}") == [
        (datetime(2025, 4, 30, 12, 0),)]
    absurd = _rows(warehouse_path, f"select record_key from staging.{MODEL}, unnest(_issues) as i "
                                   "where i.unnest.reason = 'absurd quantity' order by 1")
    assert absurd == [("5002",), ("5002",), ("5003",)]


def test_a_record_that_is_not_an_object_is_quarantined_not_dropped(tmp_path: Path) -> None:
    path = tmp_path / "warehouse.duckdb"
    write_raw(path, fixture_pages.CONNECTIONS, fixture_pages.partitions())
    _rows(path, "insert into raw.smartpyme__sales values ('tienda_sv', '2025-05', '2025-05-01', '2025-05-31', "
                "null, 'run-null', 1, '2025-05-31 12:00:00', 1, 'null')")
    assert dbt_build(path, tmp_path, AS_OF, select=MODEL).success
    issues = _rows(path, f"select record_key, i.unnest.field, i.unnest.reason from staging.{MODEL}, "
                         "unnest(_issues) as i where partition_key = '2025-05' order by 2")
    assert {(key, reason) for key, _, reason in issues} == {(None, "missing required value")}
    assert "id" in [field for _, field, _ in issues]
