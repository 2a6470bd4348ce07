from decimal import Decimal

import httpx
from click.testing import CliRunner
from simulator_contract_helpers import ALL_TYPES, SERPI_CONTABLE, TROY_ACME, exact

from pipeline.simulator.command import simulate
from pipeline.simulator.faults import parse_cli_fault


def test_simulate_command_offers_the_documented_options():
    result = CliRunner().invoke(simulate, ["--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--seed", "--scale", "--today", "--history-start", "--faults"):
        assert option in result.output


def test_cli_fault_syntax_scopes_by_source_and_path():
    assert parse_cli_fault("latency_ms=20") == {"name": "latency_ms", "value": 20}
    assert parse_cli_fault("serpi:fail_next_5xx=2") == {"name": "fail_next_5xx", "value": 2, "source": "serpi"}
    assert parse_cli_fault("smartpyme:/summary:error_5xx_rate=0.5") == {
        "name": "error_5xx_rate", "value": 0.5, "source": "smartpyme", "path": "/summary"}


def test_inventory_truth_matches_the_report(simulator, http):
    body = exact(http.get("/troyansys/api/v1/company/reports/inventory", headers=TROY_ACME,
                          params={"per_page": 100}))
    truth = simulator.control.truth("troyansys", "acme_ec", "inventory")
    assert Decimal(truth["sums"]["total_value"]) == body["summary"]["total_value"]
    assert truth["count"] == len(body["data"]) or truth["count"] > 100


def test_troyansys_pay_mutation_moves_balance_and_status(fresh_simulator):
    sim = fresh_simulator()
    with httpx.Client(base_url=sim.url) as http:
        rows = exact(http.get("/troyansys/api/v1/company/reports/sales", headers=TROY_ACME,
                              params={"type": "invoice", "status": "issued", "per_page": 100}))["data"]
        doc = next(r for r in rows if r["payment_status"] == "pending")
        record = sim.control.mutate(source="troyansys", tenant="acme_ec", action="pay", id=doc["id"])["record"]
        assert record["payment_status"] == "paid" and Decimal(str(record["pending_balance"])) == 0
        again = exact(http.get("/troyansys/api/v1/company/reports/sales", headers=TROY_ACME,
                               params={"type": "invoice", "status": "issued", "per_page": 100}))
        assert next(r for r in again["data"] if r["id"] == doc["id"])["payment_status"] == "paid"
        assert again["summary"]["payment"]["pending_total"] == \
            sum(r["pending_balance"] for r in rows) - doc["pending_balance"] or len(rows) == 100


def test_advance_changes_inventory_and_troyansys_payments(fresh_simulator):
    sim = fresh_simulator()
    result = sim.control.advance(10)
    assert result["changed"]["troyansys"]["acme_ec"]["inventory"]
    assert result["new"]["troyansys"]["acme_ec"]["sales"]
    assert result["new"]["serpi"]["contable_co"]["documents"]


def test_serpi_too_large_window_with_a_type_subset_is_also_refused(fresh_simulator):
    sim = fresh_simulator(faults={"serpi_max_documents": 3})
    with httpx.Client(base_url=sim.url) as http:
        payload = {"tiposDocumentos": [4], "fechaDesde": "2025-01-01", "fechaHasta": "2025-06-30"}
        response = http.post("/serpi/api/v1/DocumentoContable/GetDocumentoContable", headers=SERPI_CONTABLE,
                             json=payload)
        assert response.status_code == 503 and "retry-after" not in response.headers
        payload["tiposDocumentos"] = ALL_TYPES
        assert http.post("/serpi/api/v1/DocumentoContable/GetDocumentoContable", headers=SERPI_CONTABLE,
                         json=payload).status_code == 503
