from decimal import Decimal

import pytest
from simulator_contract_helpers import SPY_TIENDA, exact

BASE = "/smartpyme/api/external/v1"


def _pages(http, **params):
    rows, page = [], 1
    while True:
        body = exact(http.get(f"{BASE}/sales", headers=SPY_TIENDA, params={**params, "page": page, "per_page": 200,
                                                                           "order_by": "created_at",
                                                                           "order_direction": "asc"}))
        rows += body["data"]
        if not body["pagination"]["has_next"]:
            return rows, body
        page += 1


def test_smartpyme_pages_match_summary_and_truth(http, simulator):
    window = {"fecha_inicio": "2025-03-01", "fecha_fin": "2025-04-15"}
    rows, body = _pages(http, **window)
    assert body["pagination"]["total"] == len(rows) == len({r["id"] for r in rows})
    summary = exact(http.get(f"{BASE}/sales/summary", headers=SPY_TIENDA, params=window))["data"]
    assert summary["cantidad_ventas"] == len(rows)
    assert summary["total_ventas"] == sum(r["total"] for r in rows)
    assert summary["total_iva"] == sum(r["iva"] for r in rows)
    assert sum(e["cantidad"] for e in summary["ventas_por_estado"]) == len(rows)
    truth = simulator.control.truth("smartpyme", "tienda_sv", "sales", "2025-03-01", "2025-04-15")
    assert truth["count"] == len(rows) and Decimal(truth["sums"]["total"]) == summary["total_ventas"]
    assert truth["lines"] == sum(len(r["detalles"]) for r in rows)
    assert [r["created_at"] for r in rows] == sorted(r["created_at"] for r in rows)


def test_smartpyme_line_and_sale_arithmetic(http):
    rows, _ = _pages(http, fecha_inicio="2025-05-01", fecha_fin="2025-05-31")
    for sale in rows:
        for line in sale["detalles"]:
            assert line["total"] == (line["cantidad"] * line["precio"] - line["descuento"]).quantize(Decimal("0.01"))
        assert sale["sub_total"] == sum(ln["total"] for ln in sale["detalles"])
        assert sale["iva"] == sum(ln["iva"] for ln in sale["detalles"])
        assert sale["total"] == sale["sub_total"] + sale["iva"] + sale["propina"]
        assert "fecha_expiracion" in sale
    estados = {r["estado"] for r in rows}
    assert {"Completada", "Pendiente"} <= estados
    assert all(r["cotizacion"] for r in rows if r["estado"] == "Cotizacion")


def test_smartpyme_estado_filter_and_sale_by_id(http):
    body = exact(http.get(f"{BASE}/sales", headers=SPY_TIENDA, params={"estado": "Anulada", "per_page": 200}))
    assert body["data"] and all(r["estado"] == "Anulada" for r in body["data"])
    assert body["meta"]["filters_applied"] == {"estado": "Anulada"}
    one = exact(http.get(f"{BASE}/sales/{body['data'][0]['id']}", headers=SPY_TIENDA))
    assert one["data"] == body["data"][0]
    assert http.get(f"{BASE}/sales/999999999", headers=SPY_TIENDA).status_code == 404


def test_smartpyme_order_by_total_desc(http):
    body = exact(http.get(f"{BASE}/sales", headers=SPY_TIENDA,
                          params={"order_by": "total", "order_direction": "desc", "per_page": 50}))
    totals = [r["total"] for r in body["data"]]
    assert totals == sorted(totals, reverse=True)


@pytest.mark.parametrize("params", [{"per_page": 0}, {"per_page": 201}, {"estado": "Pagada"},
                                    {"fecha_inicio": "2025-02-30"}, {"order_by": "id"}])
def test_smartpyme_invalid_parameters_get_422_envelope(http, params):
    response = http.get(f"{BASE}/sales", headers=SPY_TIENDA, params=params)
    assert response.status_code == 422
    body = response.json()
    assert body["success"] is False and set(body["error"]["details"]) == set(params)


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nope"}])
def test_smartpyme_bad_key_gets_401(http, headers):
    response = http.get(f"{BASE}/sales", headers=headers)
    assert response.status_code == 401 and response.json()["success"] is False


def test_smartpyme_key_names_the_company(http):
    body = http.get(f"{BASE}/sales", headers={"Authorization": "Bearer spy-ferre-0a4c77e1b3"}).json()
    assert body["meta"]["empresa"].startswith("Ferretería")
