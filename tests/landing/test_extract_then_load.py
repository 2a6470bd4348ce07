"""Extract over real HTTP, then load: raw holds exactly the landed pages, idempotently."""

from dataclasses import replace
from datetime import date
from pathlib import Path

import duckdb
import pytest
from support import load, partitions

from pipeline.config import RetryPolicy
from pipeline.sources import extract, load_settings


@pytest.fixture(scope="module")
def sim():
    from pipeline.simulator.testing import start_simulator

    with start_simulator(seed=5, scale=1, today=date(2025, 6, 30)) as handle:
        yield handle


@pytest.fixture
def settings(sim, tmp_path):
    env = sim.write_connections(tmp_path / "c.yaml", tenants=["tienda_sv", "inmobiliaria_co"])
    env = {**env, "PIPELINE_RAW_DIR": str(tmp_path / "raw"), "PIPELINE_WAREHOUSE": str(tmp_path / "w.duckdb")}
    return replace(load_settings(Path(tmp_path / "c.yaml"), environ=env),
                   retry=RetryPolicy(attempts=3, initial_wait=0.01, max_wait=0.05))


def query(settings, sql):
    with duckdb.connect(str(settings.warehouse.path), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_extracted_months_load_into_raw_and_reload_idempotently(sim, settings):
    connection = settings.connection("tienda_sv")
    months = partitions(connection, "sales", date(2025, 1, 1), date(2025, 3, 31), date(2025, 3, 31))
    results = [extract(settings, connection, "sales", p, "r1") for p in months]
    loaded = load(settings, "smartpyme", "sales")
    assert loaded.partitions == 3 and loaded.pages == sum(r.pages for r in results)
    count = query(settings, "select count(*) from raw.smartpyme__sales")[0][0]
    truth = sim.control.truth(source="smartpyme", tenant="tienda_sv", entity="sales",
                              date_from="2025-01-01", date_to="2025-03-31")
    assert count == truth["count"] == sum(r.records for r in results)
    before = query(settings, "select * from raw.smartpyme__sales order by all")
    load(settings, "smartpyme", "sales")
    assert query(settings, "select * from raw.smartpyme__sales order by all") == before
    manifests = query(settings, "select tenant, partition_key, records, unique_records, mismatch from raw._manifests "
                                "order by 2")
    assert [m[1] for m in manifests] == ["2025-01", "2025-02", "2025-03"] and all(m[4] is None for m in manifests)
    assert query(settings, "select tenant, currency from raw._connections order by 1") == [
        ("inmobiliaria_co", "COP"), ("tienda_sv", "USD")]


def test_relanding_a_partition_replaces_it_in_raw_once_its_records_changed(sim, settings):
    connection = settings.connection("inmobiliaria_co")
    partition = partitions(connection, "invoices", date(2025, 1, 1), date(2025, 6, 30), date(2025, 6, 30))[0]
    first = extract(settings, connection, "invoices", partition, "r1")
    load(settings, "arrendasoft", "invoices")
    second = extract(settings, connection, "invoices", partition, "r2")
    assert not first.run_dir.exists() and second.run_dir.exists()
    assert load(settings, "arrendasoft", "invoices", partition_keys=[partition.key]).unchanged == 1
    assert query(settings, "select distinct run_id from raw.arrendasoft__invoices") == [("r1",)]
    sim.control.advance(days=3)  # payments against open invoices
    extract(settings, connection, "invoices", partition, "r3")
    assert load(settings, "arrendasoft", "invoices", partition_keys=[partition.key]).partitions == 1
    assert query(settings, "select distinct run_id from raw.arrendasoft__invoices") == [("r3",)]
