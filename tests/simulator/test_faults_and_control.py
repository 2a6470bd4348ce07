from datetime import date

import httpx
import pytest
from simulator_contract_helpers import ARR_FIXED, SPY_TIENDA, exact

SALES = "/smartpyme/api/external/v1/sales"
INVOICES = "/arrendasoft/arriendos/service/v2/public/invoices/list"


@pytest.fixture
def sim(fresh_simulator):
    return fresh_simulator()


@pytest.fixture
def client(sim):
    with httpx.Client(base_url=sim.url, timeout=10) as c:
        yield c


def test_fail_next_5xx_then_recovers(sim, client):
    sim.control.set_faults({"fail_next_5xx": 2, "source": "smartpyme"})
    assert [client.get(SALES, headers=SPY_TIENDA).status_code for _ in range(3)][:2] in ([500, 500], [500, 502],
                                                                                       [502, 500], [502, 502])
    assert client.get(SALES, headers=SPY_TIENDA).status_code == 200
    assert client.get(INVOICES, headers=ARR_FIXED).status_code == 200
    assert sim.control.stats()["faults_fired"]["fail_next_5xx"] == 2


@pytest.mark.parametrize("name,status", [("burst_503", 503), ("rate_429", 429)])
def test_transient_faults_carry_retry_after(sim, client, name, status):
    sim.control.set_faults({name: 1})
    response = client.get(SALES, headers=SPY_TIENDA)
    assert response.status_code == status and response.headers["retry-after"] == "1"
    assert client.get(SALES, headers=SPY_TIENDA).status_code == 200


def test_drop_next_closes_without_response(sim, client):
    sim.control.set_faults(drop_next=1)
    with pytest.raises(httpx.RemoteProtocolError):
        client.get(SALES, headers=SPY_TIENDA)
    assert client.get(SALES, headers=SPY_TIENDA).status_code == 200


def test_truncate_next_cuts_the_body(sim, client):
    sim.control.set_faults(truncate_next=1)
    with pytest.raises(httpx.RemoteProtocolError):
        client.get(SALES, headers=SPY_TIENDA)


def test_invalid_json_next_is_200_with_non_json_body(sim, client):
    sim.control.set_faults(invalid_json_next=1)
    response = client.get(SALES, headers=SPY_TIENDA)
    assert response.status_code == 200
    with pytest.raises(ValueError):
        response.json()


def test_latency_ms_delays_responses(sim, client):
    sim.control.set_faults({"latency_ms": 150, "source": "arrendasoft"})
    assert client.get(INVOICES, headers=ARR_FIXED).elapsed.total_seconds() >= 0.14


def test_faults_scoped_by_path_only_hit_that_path(sim, client):
    sim.control.set_faults([{"name": "fail_next_5xx", "value": 1, "source": "smartpyme", "path": "/summary"}])
    assert client.get(SALES, headers=SPY_TIENDA).status_code == 200
    assert client.get(SALES + "/summary", headers=SPY_TIENDA).status_code >= 500


def test_shift_inserts_make_pages_shift(sim, client):
    total_before = client.get(INVOICES, headers=ARR_FIXED).json()["pagination"]["total_records"]
    sim.control.set_faults({"shift_inserts": 1, "source": "arrendasoft"})
    first = client.get(INVOICES, headers=ARR_FIXED, params={"page": 1}).json()
    second = client.get(INVOICES, headers=ARR_FIXED, params={"page": 2}).json()
    assert second["pagination"]["total_records"] == total_before + 1
    assert first["body"][-1]["factura_id"] == second["body"][0]["factura_id"]


def test_shift_updates_move_updated_at(sim, client):
    sim.control.set_faults({"shift_updates": 3, "source": "smartpyme"})
    client.get(SALES, headers=SPY_TIENDA, params={"fecha_inicio": "2025-06-01", "fecha_fin": "2025-06-30"})
    rows = exact(client.get(SALES, headers=SPY_TIENDA, params={"fecha_inicio": "2025-06-01",
                                                                "fecha_fin": "2025-06-30", "per_page": 200}))["data"]
    assert sum(r["updated_at"] > r["created_at"] for r in rows) >= 3


def test_reset_returns_to_seed_state_and_clears_faults(sim, client):
    before = client.get(INVOICES, headers=ARR_FIXED).content
    sim.control.set_faults(rate_429=5)
    sim.control.advance(3)
    sim.control.reset()
    assert sim.control.faults()["faults"] == []
    assert client.get(INVOICES, headers=ARR_FIXED).content == before


def test_advance_adds_days_and_changes_earlier_records(sim, client):
    before = sim.control.truth("smartpyme", "tienda_sv")
    result = sim.control.advance(5)
    assert result["today"] == "2025-07-05"
    new_ids = result["new"]["smartpyme"]["tienda_sv"]["sales"]
    changed = result["changed"]["smartpyme"]["tienda_sv"]["sales"]
    after = sim.control.truth("smartpyme", "tienda_sv")
    assert after["count"] == before["count"] + len(new_ids) and new_ids
    assert changed
    sale = exact(client.get(f"{SALES}/{changed[0]}", headers=SPY_TIENDA))["data"]
    assert sale["estado"] in ("Completada", "Anulada") and sale["updated_at"].startswith("2025-07-05")
    paid = result["changed"]["arrendasoft"]["arriendos_co"]["invoices"]
    assert paid


def test_mutate_annul_and_pay(sim, client):
    sale = exact(client.get(SALES, headers=SPY_TIENDA, params={"estado": "Pendiente"}))["data"][0]
    sim.control.mutate(source="smartpyme", tenant="tienda_sv", action="annul", id=sale["id"])
    assert client.get(f"{SALES}/{sale['id']}", headers=SPY_TIENDA).json()["data"]["estado"] == "Anulada"
    invoice = next(r for r in client.get(INVOICES, headers=ARR_FIXED, params={"page_size": 1000}).json()["body"]
                   if r["estado"] == "Facturada" and r["saldo"] == r["valor_total"])
    result = sim.control.mutate(source="arrendasoft", tenant="arriendos_co", action="pay",
                                id=invoice["factura_id"], amount="1000.00")
    from decimal import Decimal
    assert Decimal(result["record"]["saldo"]) == Decimal(invoice["saldo"]) - 1000


@pytest.mark.parametrize("source,tenant,kind", [
    ("smartpyme", "tienda_sv", "impossible_date"), ("smartpyme", "tienda_sv", "malformed_amount"),
    ("smartpyme", "tienda_sv", "negative_quantity"), ("arrendasoft", "arriendos_co", "duplicate_id"),
    ("serpi", "contable_co", "unbalanced_document"), ("troyansys", "acme_ec", "unbalanced_entry"),
])
def test_inject_bad_records_are_served(sim, source, tenant, kind):
    result = sim.control.inject(source=source, tenant=tenant, kind=kind, date="2025-03-10")
    assert result["ids"]
    entity = "accounting" if kind == "unbalanced_entry" else None
    truth = sim.control.truth(source, tenant, entity, date_from=None if source == "arrendasoft" else "2025-03-10",
                              date_to=None if source == "arrendasoft" else "2025-03-10")
    if kind == "duplicate_id":
        assert truth["ids"].count(result["ids"][0]) == 2
    else:
        assert result["ids"][0] in truth["ids"]


def test_same_seed_same_bytes_and_other_seed_other_data(fresh_simulator):
    a, b, c = fresh_simulator(seed=42), fresh_simulator(seed=42), fresh_simulator(seed=7)
    params = {"fecha_inicio": "2025-02-01", "fecha_fin": "2025-02-28", "per_page": 200}

    def body(s):
        return httpx.get(s.url + SALES, headers=SPY_TIENDA, params=params).content

    assert body(a) == body(b) != body(c)


def test_write_connections_points_at_this_simulator(simulator, tmp_path):
    import yaml
    env = simulator.write_connections(tmp_path / "c.yaml", tenants=["tienda_sv", "inmobiliaria_co"],
                                      start_date=date(2025, 2, 1), tienda_sv={"lookback_days": 7})
    doc = yaml.safe_load((tmp_path / "c.yaml").read_text())
    assert doc["start_date"] == "2025-02-01" and [c["name"] for c in doc["connections"]] == ["tienda_sv",
                                                                                         "inmobiliaria_co"]
    assert doc["connections"][0]["base_url"] == simulator.url + "/smartpyme/api/external/v1"
    assert doc["connections"][0]["lookback_days"] == 7
    assert env == {"TIENDA_SMARTPYME_KEY": "spy-tienda-5e8d21c9f0", "INMO_USER": "api_inmo",
                   "INMO_PASSWORD": "inmo-pass-8812fe"}


def test_error_5xx_rate_one_fails_every_request_of_that_source(sim, client):
    sim.control.set_faults({"error_5xx_rate": 1.0, "source": "smartpyme"})
    assert all(client.get(SALES, headers=SPY_TIENDA).status_code in (500, 502) for _ in range(5))
    assert client.get(INVOICES, headers=ARR_FIXED).status_code == 200
    sim.control.clear_faults()
    assert client.get(SALES, headers=SPY_TIENDA).status_code == 200


def test_full_snapshot_grows_after_advance(sim, client):
    before = client.get(INVOICES, headers=ARR_FIXED).json()["pagination"]["total_records"]
    new = sim.control.advance(7)["new"]["arrendasoft"]["arriendos_co"]["invoices"]
    after = client.get(INVOICES, headers=ARR_FIXED).json()
    assert after["pagination"]["total_records"] == before + len(new) and new
    assert after["body"][0]["factura_id"] == max(new)


def test_control_rejects_bad_requests(sim):
    with pytest.raises(RuntimeError):
        sim.control.advance(0)
    with pytest.raises(RuntimeError):
        sim.control.inject(source="smartpyme", tenant="tienda_sv", kind="impossible_date", date="2030-01-01")
    with pytest.raises(RuntimeError):
        sim.control.set_faults(not_a_fault=1)
