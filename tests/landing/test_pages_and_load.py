"""Landing layout and loading into raw, with bodies shaped like the vendor documents' examples, on both
warehouse engines."""

import json
from pathlib import Path

import pytest
from support import load

from pipeline.landing.exactjson import dumps_exact
from pipeline.landing.pages import MANIFEST, RunWriter, complete_runs
from pipeline.sources import load_settings
from pipeline.warehouse import open_warehouse

ALL_COLUMNS = "tenant, partition_key, page, record_position"
SALES_PAGE = (b'{"meta":{"current_page":1,"last_page":1,"per_page":20,"total":2},'
              b'"summary":{"docs":2,"total":12345678901234.5678},'
              b'"data":[{"id":120,"total":"46.0000"},{"id":121, "total": 12345678901234.5678}]}')


@pytest.fixture
def settings(tmp_path, warehouse_url):
    return load_settings(environ={"PIPELINE_RAW_DIR": str(tmp_path / "raw"), "PIPELINE_WAREHOUSE": warehouse_url})


def land(settings, tenant="acme_ec", key="2025-01", run_id="r1", bodies=(SALES_PAGE,), finish=True) -> Path:
    writer = RunWriter(settings.raw_dir, "troyansys", "sales", tenant, key, run_id)
    pages = []
    for body in bodies:
        landed = writer.land_page(body)
        pages.append({"page": landed.page, "file": landed.file, "url_path": "/x", "params": {"page": landed.page},
                      "status": 200, "bytes": landed.bytes, "sha256": landed.sha256, "records": 2,
                      "elapsed_ms": 1, "attempts": 1})
    if not finish:
        return writer.run_dir
    reported = json.loads(b'{"total": 2, "summary": {"docs": 2, "total": 12345678901234.5678}}',
                          parse_float=__import__("decimal").Decimal)
    manifest = {"source": "troyansys", "endpoint": "sales", "tenant": tenant, "partition_key": key,
                "window_start": f"{key}-01", "window_end": f"{key}-28", "snapshot_date": None, "run_id": run_id,
                "started_at": "2025-02-01T00:00:00Z", "finished_at": f"2025-02-01T00:00:0{run_id[-1]}.5Z",
                "pages": pages, "records": 2 * len(pages), "unique_records": 2, "reported": reported,
                "complete": True, "mismatch": None}
    return writer.finish(manifest)


def rows(settings, sql):
    with open_warehouse(settings.warehouse, settings.serving).session(read_only=True) as session:
        return session.rows(sql)


def test_pages_land_byte_for_byte_with_the_manifest_last(settings):
    run_dir = land(settings)
    assert run_dir == settings.raw_dir / "troyansys/sales/tenant=acme_ec/partition=2025-01/run=r1"
    assert (run_dir / "page-00001.json").read_bytes() == SALES_PAGE
    manifest = (run_dir / MANIFEST).read_text()
    assert '"total": 12345678901234.5678' in manifest
    assert not list(run_dir.glob(".*tmp*"))


def test_relanding_a_partition_replaces_the_older_run(settings):
    land(settings, run_id="r1")
    land(settings, run_id="r2")
    runs = sorted(p.name for p in (settings.raw_dir / "troyansys/sales/tenant=acme_ec/partition=2025-01").iterdir())
    assert runs == ["run=r2"]


def test_a_run_dir_without_manifest_is_ignored_and_cleaned_by_the_next_run(settings):
    land(settings, run_id="r1")
    orphan = land(settings, run_id="r9", finish=False)
    assert complete_runs(settings.raw_dir, "troyansys", "sales")[("acme_ec", "2025-01")].name == "run=r1"
    load(settings, "troyansys", "sales")
    assert rows(settings, "select distinct run_id from raw.troyansys__sales") == [("r1",)]
    land(settings, run_id="r2")
    assert not orphan.exists()


def test_load_writes_one_row_per_record_with_its_text_as_received(settings):
    land(settings, bodies=(SALES_PAGE, SALES_PAGE.replace(b"120", b"122")))
    land(settings, tenant="andina_ec", key="2025-02")
    result = load(settings, "troyansys", "sales")
    assert (result.pages, result.partitions, result.records) == (3, 2, 6)
    got = rows(settings, "select tenant, partition_key, window_start, page, record_position, record, extracted_at "
                         "from raw.troyansys__sales order by tenant, page, record_position")
    jan, feb = __import__("datetime").date(2025, 1, 1), __import__("datetime").date(2025, 2, 1)
    assert [r[:5] for r in got] == [
        ("acme_ec", "2025-01", jan, 1, 1), ("acme_ec", "2025-01", jan, 1, 2),
        ("acme_ec", "2025-01", jan, 2, 1), ("acme_ec", "2025-01", jan, 2, 2),
        ("andina_ec", "2025-02", feb, 1, 1), ("andina_ec", "2025-02", feb, 1, 2),
    ]
    assert [r[5] for r in got[:3]] == ['{"id":120,"total":"46.0000"}', '{"id":121, "total": 12345678901234.5678}',
                                       '{"id":122,"total":"46.0000"}']
    reported = rows(settings, "select reported from raw._manifests where tenant = 'acme_ec'")[0][0]
    assert '"total": 12345678901234.5678' in reported
    assert rows(settings, "select count(*) from raw._connections")[0][0] == len(settings.connections)


def test_loading_twice_gives_the_same_raw_rows(settings):
    land(settings)
    load(settings, "troyansys", "sales")
    first = rows(settings, f"select * from raw.troyansys__sales order by {ALL_COLUMNS}")
    load(settings, "troyansys", "sales")
    assert rows(settings, f"select * from raw.troyansys__sales order by {ALL_COLUMNS}") == first
    assert rows(settings, "select count(*) from raw._manifests")[0][0] == 1


def test_reloading_a_partition_replaces_its_rows_only(settings):
    land(settings, key="2025-01")
    land(settings, key="2025-02")
    load(settings, "troyansys", "sales")
    land(settings, key="2025-01", run_id="r2", bodies=(SALES_PAGE,) * 3)
    load(settings, "troyansys", "sales", partition_keys=["2025-01"], tenants=["acme_ec"])
    assert rows(settings, "select partition_key, run_id, count(*) from raw.troyansys__sales "
                          "group by partition_key, run_id order by 1") == [("2025-01", "r2", 6), ("2025-02", "r1", 2)]


def test_decimals_round_trip_exactly():
    value = json.loads('{"a": 12345678901234.5678, "b": [1.10, 2], "c": "x"}', parse_float=__import__("decimal").Decimal)
    assert dumps_exact(value) == '{"a": 12345678901234.5678, "b": [1.10, 2], "c": "x"}'


SWAPPED_PAGE = SALES_PAGE.replace(b'{"id":120,"total":"46.0000"},{"id":121, "total": 12345678901234.5678}',
                                  b'{"id":121, "total": 12345678901234.5678},{"id":120,"total":"46.0000"}')


@pytest.mark.parametrize("body", [SALES_PAGE, SWAPPED_PAGE], ids=["as loaded", "in another order"])
def test_a_relanded_partition_with_the_same_records_keeps_its_loaded_rows(settings, body):
    land(settings, run_id="r1")
    load(settings, "troyansys", "sales")
    land(settings, run_id="r2", bodies=(body,))
    result = load(settings, "troyansys", "sales")
    assert (result.partitions, result.unchanged) == (0, 1)
    assert rows(settings, "select distinct run_id from raw.troyansys__sales") == [("r1",)]
    assert rows(settings, "select run_id from raw._manifests") == [("r1",)]


def test_a_relanded_partition_with_a_changed_record_replaces_the_loaded_rows(settings):
    land(settings, run_id="r1")
    load(settings, "troyansys", "sales")
    land(settings, run_id="r2", bodies=(SALES_PAGE.replace(b'"46.0000"', b'"46.0001"'),))
    result = load(settings, "troyansys", "sales")
    assert (result.partitions, result.unchanged) == (1, 0)
    assert rows(settings, "select distinct run_id from raw.troyansys__sales") == [("r2",)]


@pytest.mark.parametrize("field, value", [("window_end", "2025-01-31"), ("reported", {"total": 3}),
                                          ("mismatch", "landed 2 unique records, the API reported 3")])
def test_a_relanded_partition_with_the_same_records_but_another_manifest_replaces_the_loaded_rows(
        settings, field, value):
    land(settings, run_id="r1")
    load(settings, "troyansys", "sales")
    manifest_path = land(settings, run_id="r2") / MANIFEST
    manifest = json.loads(manifest_path.read_text())
    manifest_path.write_text(json.dumps({**manifest, field: value}))
    result = load(settings, "troyansys", "sales")
    assert (result.partitions, result.unchanged) == (1, 0)
    assert rows(settings, "select distinct run_id from raw.troyansys__sales") == [("r2",)]


def test_a_landing_replaced_while_it_is_loaded_loads_the_newer_one(settings, monkeypatch):
    """Two runs land the same partition at once: the one that finishes last removes the other's run folder,
    here while the loader reads it (between its two pages). The load starts again and loads the newer
    landing; nothing fails."""
    land(settings, run_id="r1", bodies=(SALES_PAGE, SALES_PAGE))
    import pipeline.landing.load as loader

    real_texts, replaced = loader.record_texts, []

    def texts_then_replace(body: bytes, path):
        if not replaced:  # r2 finishes now and removes r1's folder: r1's second page is gone
            replaced.append(land(settings, run_id="r2", bodies=(SALES_PAGE, SALES_PAGE, SALES_PAGE)))
        return real_texts(body, path)

    monkeypatch.setattr(loader, "record_texts", texts_then_replace)
    result = load(settings, "troyansys", "sales")
    assert replaced and result.records == 6
    assert rows(settings, "select distinct run_id from raw.troyansys__sales") == [("r2",)]
