"""Shops sell while the nightly run pages through them: pages shift under inserts and updates. What the API
said there was when paging started is what must land; a shortfall is paged again; a gap no further pass can
close is the API's count disagreeing with its own pages (a finding), never a failed run."""

from dataclasses import replace

from pipeline.sources import SOURCES, extract

from .helpers import MARCH, SNAPSHOT, landed_keys, manifest, truth_ids


def small_pages(monkeypatch, source: str, endpoint: str) -> None:
    described = SOURCES[source].endpoints[endpoint]
    monkeypatch.setitem(SOURCES[source].endpoints, endpoint,
                        replace(described, paginator=replace(described.paginator, size_value=10)))


def test_sales_created_while_paging_are_paged_again_until_every_earlier_sale_landed(make_settings, monkeypatch):
    """A sale recorded during the run on an earlier date shifts the pages after it: the count moved, so the
    partition is paged again; every sale that existed when paging started lands."""
    small_pages(monkeypatch, "smartpyme", "sales")
    sim = make_settings.sim
    sim.control.reset()
    before = set(truth_ids(sim, "smartpyme", "tienda_sv", "sales", MARCH))
    sim.control.set_faults({"shift_inserts": 1, "source": "smartpyme"})
    settings = make_settings(["tienda_sv"])
    result = extract(settings, settings.connection("tienda_sv"), "sales", MARCH, "run1")
    sim.control.clear_faults()
    assert before <= set(landed_keys(result.run_dir, "smartpyme", "sales"))
    assert result.mismatch is None and result.passes > 1
    assert result.reported["total"] > len(before)  # the API counted the sales created during the run
    sim.control.reset()


def test_invoices_created_while_paging_shift_pages_and_are_paged_again(make_settings, monkeypatch):
    """Arrendasoft lists the newest invoice first: every insert pushes records onto later pages."""
    small_pages(monkeypatch, "arrendasoft", "invoices")
    sim = make_settings.sim
    sim.control.reset()
    before = set(truth_ids(sim, "arrendasoft", "arriendos_co", "invoices", SNAPSHOT))
    sim.control.set_faults({"shift_inserts": 1, "source": "arrendasoft"})
    settings = make_settings(["arriendos_co"])
    result = extract(settings, settings.connection("arriendos_co"), "invoices", SNAPSHOT, "run1")
    sim.control.clear_faults()
    assert before <= set(landed_keys(result.run_dir, "arrendasoft", "invoices"))
    assert result.mismatch is None and result.passes > 1
    passes = manifest(result.run_dir)["passes"]
    assert "paging again" in passes[0]["reason"] and passes[-1]["unique_after"] >= len(before)
    sim.control.reset()


def test_updates_while_paging_still_land_every_record_once(make_settings, monkeypatch):
    small_pages(monkeypatch, "smartpyme", "sales")
    sim = make_settings.sim
    sim.control.reset()
    sim.control.set_faults({"shift_updates": 2, "source": "smartpyme"})
    settings = make_settings(["tienda_sv"])
    result = extract(settings, settings.connection("tienda_sv"), "sales", MARCH, "run1")
    sim.control.clear_faults()
    keys = landed_keys(result.run_dir, "smartpyme", "sales")
    assert sorted(set(keys)) == sorted(truth_ids(sim, "smartpyme", "tienda_sv", "sales", MARCH))
    assert result.mismatch is None
    sim.control.reset()


def test_a_duplicated_id_is_a_count_disagreement_not_a_failure(make_settings):
    sim = make_settings.sim
    sim.control.reset()
    sim.control.inject(source="arrendasoft", tenant="arriendos_co", kind="duplicate_id")
    settings = make_settings(["arriendos_co"])
    result = extract(settings, settings.connection("arriendos_co"), "invoices", SNAPSHOT, "run1")
    assert result.reported["total_records"] == result.unique_records + 1
    assert result.passes == 2 and "a further pass found no record" in result.mismatch
    assert manifest(result.run_dir)["mismatch"] == result.mismatch
    sim.control.reset()
