"""Incremental by construction: a build processes only the landings that changed, yet its marts equal a full
rebuild's, exactly, on both engines: after a late change, after nothing changed, after a logic change."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import fixture_pages
import pytest
from conftest import build_and_publish, build_fixture
from raw_warehouse import replace_partition

pytestmark = pytest.mark.xdist_group("dbt")

MODEL = "base_smartpyme__sales"


def marts(built) -> dict[str, list[tuple]]:
    tables = [name for (name,) in built.rows(
        "select table_name from information_schema.tables where table_schema = 'marts' order by 1")]
    found = {}
    for table in tables:
        columns = [name for (name,) in built.rows(
            "select column_name from information_schema.columns where table_schema = 'marts' and table_name = ? "
            "order by ordinal_position", [table]) if name != "extracted_at"]
        found[table] = sorted((tuple(str(v) for v in row)
                               for row in built.rows(f"select {', '.join(columns)} from marts.{table}")), key=repr)
    return found


def late_change() -> fixture_pages.Partition:
    """A week later SmartPyme's March is re-extracted: 5002 was paid and 5004 annulled since the first run."""
    march = next(p for p in fixture_pages.partitions() if p.source == "smartpyme" and p.endpoint == "sales"
                 and p.partition_key == "2025-03")
    bodies = [body.replace('"saldo": 56.50, "nombre_cliente": "Pedro', '"saldo": 0.00, "nombre_cliente": "Pedro')
              .replace('"estado": "Pendiente",\n   "iva": 0.0000', '"estado": "Anulada",\n   "iva": 0.0000')
              .replace('"updated_at": "2025-03-20T10:00:00Z"', '"updated_at": "2025-04-05T10:00:00Z"')
              for body in march.bodies]
    return replace(march, bodies=bodies, run_id="run-2", extracted_at=datetime(2025, 5, 7, 12, 0, 0))


def test_a_late_change_rebuilds_what_it_touches_and_equals_a_full_rebuild(tmp_path, warehouse_url):
    built = build_fixture(warehouse_url, tmp_path)
    assert built.build.success
    replace_partition(built.warehouse, late_change())
    assert build_and_publish(built.warehouse, tmp_path).success
    assert built.rows("select status from marts.fct_sales where document_id = '5004'") == [("Anulada",)]
    assert built.rows("select distinct run_id from staging.base_smartpyme__sales where partition_key = '2025-03'"
                      ) == [("run-2",)]
    incremental = marts(built)
    assert build_and_publish(built.warehouse, tmp_path, full_refresh=True).success
    assert marts(built) == incremental


def test_a_build_with_nothing_new_parses_nothing_and_changes_no_mart(tmp_path, warehouse_url):
    built = build_fixture(warehouse_url, tmp_path)
    before = marts(built)
    marked = datetime(2030, 1, 1)
    with built.warehouse.session() as session:
        session.execute(f"update staging.{MODEL} set extracted_at = ?", [marked])
    assert build_and_publish(built.warehouse, tmp_path).success
    assert built.rows(f"select distinct extracted_at from staging.{MODEL}") == [(marked,)]
    assert marts(built) == before


def test_a_changed_model_is_rebuilt_whole(tmp_path):
    built = build_fixture(str(tmp_path / "warehouse.duckdb"), tmp_path)
    marked = datetime(2030, 1, 1)
    with built.warehouse.session() as session:
        session.execute(f"update staging.{MODEL} set extracted_at = ?", [marked])
    assert build_and_publish(built.warehouse, tmp_path, dbt_vars='{"max_sale_line_quantity": 2}').success
    assert built.rows(f"select distinct extracted_at from staging.{MODEL}") == [(datetime(2025, 4, 30, 12, 0),)]
    absurd = built.rows("select record_key, field from staging.stg_smartpyme__record_issues "
                        "where reason = 'absurd quantity' order by 1, 2")
    assert [key for key, _ in absurd] == ["5002", "5002", "5003"]


def test_a_record_that_is_not_an_object_is_quarantined_not_dropped(tmp_path, warehouse_url):
    built = build_fixture(warehouse_url, tmp_path)
    with built.warehouse.session() as session:
        session.execute("insert into raw.smartpyme__sales values ('tienda_sv', '2025-05', '2025-05-01', '2025-05-31', "
                        "null, 'run-null', 1, '2025-05-31 12:00:00', 1, 'null')")
    assert build_and_publish(built.warehouse, tmp_path).success
    issues = built.rows("select record_key, field, reason from staging.stg_smartpyme__record_issues "
                        "where partition_key = '2025-05' order by 2")
    assert ("id" in {field for _, field, _ in issues}) and {(key, reason) for key, _, reason in issues} == {
        (None, "missing field")}
