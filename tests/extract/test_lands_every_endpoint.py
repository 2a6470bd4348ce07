"""Every endpoint of every demo tenant lands exactly the simulator's records for a window."""

import json
from dataclasses import replace

import pytest

from pipeline.extract.engine import extract_partition
from pipeline.sources import SOURCES, extract

from .helpers import MARCH, SNAPSHOT, landed_keys, landed_records, manifest, truth_ids

LISTS = [
    ("acme_ec", "troyansys", "sales", "sales", MARCH),
    ("acme_ec", "troyansys", "purchases", "purchases", MARCH),
    ("acme_ec", "troyansys", "accounting", "accounting", MARCH),
    ("acme_ec", "troyansys", "inventory", "inventory", SNAPSHOT),
    ("andina_ec", "troyansys", "sales", "sales", MARCH),
    ("andina_ec", "troyansys", "inventory", "inventory", SNAPSHOT),
    ("tienda_sv", "smartpyme", "sales", "sales", MARCH),
    ("ferreteria_sv", "smartpyme", "sales", "sales", MARCH),
    ("contable_co", "serpi", "documents", "documents", MARCH),
    ("constructora_co", "serpi", "documents", "documents", MARCH),
    ("inmobiliaria_co", "arrendasoft", "invoices", "invoices", SNAPSHOT),
    ("arriendos_co", "arrendasoft", "invoices", "invoices", SNAPSHOT),
]


@pytest.mark.parametrize(("tenant", "source", "endpoint", "entity", "partition"), LISTS,
                         ids=[f"{t}-{e}" for t, _, e, _, _ in LISTS])
def test_list_endpoint_lands_exactly_the_simulator_records(make_settings, tenant, source, endpoint, entity,
                                                          partition):
    settings = make_settings()
    result = extract(settings, settings.connection(tenant), endpoint, partition, "run1")
    keys = landed_keys(result.run_dir, source, endpoint)
    expected = truth_ids(make_settings.sim, source, tenant, entity, partition)
    assert sorted(set(keys)) == sorted(expected)
    assert len(keys) == len(expected) == result.records == result.unique_records
    assert result.mismatch is None
    saved = manifest(result.run_dir)
    assert saved["complete"] is True and saved["records"] == len(expected)
    assert [page["page"] for page in saved["pages"]] == list(range(1, result.pages + 1))


def test_troyansys_reports_total_and_summary_exactly(make_settings):
    settings = make_settings(["acme_ec"])
    result = extract(settings, settings.connection("acme_ec"), "sales", MARCH, "run1")
    page = (result.run_dir / "page-00001.json").read_bytes()
    summary_text = json.dumps(json.loads(page)["summary"])
    assert result.reported["total"] == result.unique_records
    assert json.loads(summary_text)["docs"] == result.unique_records
    assert '"summary"' in (result.run_dir / "_manifest.json").read_text()


def test_troyansys_without_meta_pages_until_a_short_page(make_settings):
    """Purchases state no page count: pages are read in order until one holds fewer records than were asked
    for (pages of 4 here, so that the month spans several)."""
    troyansys = SOURCES["troyansys"]
    purchases = troyansys.endpoints["purchases"]
    small_pages = replace(troyansys, endpoints={**troyansys.endpoints, "purchases": replace(
        purchases, paginator=replace(purchases.paginator, size_value=4))})
    settings = make_settings(["acme_ec"])
    result = extract_partition(settings, small_pages, settings.connection("acme_ec"), "purchases", MARCH, "run1")
    full, rest = divmod(len(truth_ids(make_settings.sim, "troyansys", "acme_ec", "purchases", MARCH)), 4)
    pages = manifest(result.run_dir)["pages"]
    assert full >= 2 and rest > 0
    assert [page["params"]["page"] for page in pages] == list(range(1, full + 2)) and result.pages == full + 1
    assert [page["records"] for page in pages] == [4] * full + [rest]
    assert result.reported["total"] is None
    assert result.reported["summary"]["docs"] == result.unique_records


def test_snapshot_and_whole_window_endpoints_land_one_page(make_settings):
    settings = make_settings(["acme_ec", "tienda_sv"])
    dashboard = extract(settings, settings.connection("acme_ec"), "dashboard", SNAPSHOT, "run1")
    assert dashboard.pages == 1 and "kpis" in json.loads((dashboard.run_dir / "page-00001.json").read_bytes())
    summary = extract(settings, settings.connection("tienda_sv"), "sales_summary", MARCH, "run1")
    body = json.loads((summary.run_dir / "page-00001.json").read_bytes())
    truth = make_settings.sim.control.truth(source="smartpyme", tenant="tienda_sv", entity="sales",
                                            date_from="2025-03-01", date_to="2025-03-31")
    assert summary.pages == 1 and body["data"]["cantidad_ventas"] == truth["count"]


def test_serpi_document_types_page_by_limite_and_pagina(make_settings):
    settings = make_settings(["contable_co"])
    result = extract(settings, settings.connection("contable_co"), "document_types", SNAPSHOT, "run1")
    records = landed_records(result.run_dir, "serpi", "document_types")
    assert result.records == len(records) > 0 and result.reported == {"count": len(records)}


def test_every_source_and_endpoint_is_described():
    assert {name: list(source.endpoints) for name, source in SOURCES.items()} == {
        "troyansys": ["dashboard", "sales", "inventory", "purchases", "accounting"],
        "smartpyme": ["sales", "sales_summary"],
        "serpi": ["document_types", "documents"],
        "arrendasoft": ["invoices"],
    }


def test_progress_is_reported_page_by_page(make_settings, monkeypatch):
    from dataclasses import replace

    sales = SOURCES["smartpyme"].endpoints["sales"]
    monkeypatch.setitem(SOURCES["smartpyme"].endpoints, "sales",
                        replace(sales, paginator=replace(sales.paginator, size_value=10)))
    settings = make_settings(["tienda_sv"])
    seen = []
    result = extract(settings, settings.connection("tienda_sv"), "sales", MARCH, "run1",
                               on_page=lambda pages, records: seen.append((pages, records)))
    assert len(seen) == result.pages > 1 and seen[-1] == (result.pages, result.records)
    assert [p for p, _ in seen] == list(range(1, result.pages + 1))


def test_serpi_asks_for_the_configured_document_types_only(make_settings):
    settings = make_settings(["contable_co"], contable_co={"document_types": [1, 2]})
    result = extract(settings, settings.connection("contable_co"), "documents", MARCH, "run1")
    assert [w["tipos"] for w in result.reported["windows"]] == [[1, 2]]
    assert manifest(result.run_dir)["pages"][0]["params"]["tiposDocumentos"] == [1, 2]
