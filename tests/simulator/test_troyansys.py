from decimal import ROUND_HALF_UP, Decimal

import pytest
from simulator_contract_helpers import TROY_ACME, TROY_ANDINA, TROY_LIMITADA, exact

BASE = "/troyansys/api/v1"


def _all_pages(http, report, headers, **params):
    rows, page = [], 1
    while True:
        body = exact(http.get(f"{BASE}/company/reports/{report}", headers=headers,
                              params={**params, "page": page, "per_page": 100}))
        rows += body["data"]
        if len(body["data"]) < 100:
            return rows, body
        page += 1


def test_troyansys_sales_pages_add_up_to_summary_and_truth(http, simulator):
    rows, body = _all_pages(http, "sales", TROY_ACME, date_from="2025-02-01", date_to="2025-04-30")
    summary = body["summary"]
    assert summary["docs"] == len(rows) == body["meta"]["total"] == len({r["id"] for r in rows})
    assert sum(Decimal(r["total"]) for r in rows) == summary["total"]
    assert all(Decimal(r["total"]) == r["subtotal"] + r["tax"] for r in rows)
    assert all(Decimal(r["total"]) - r["paid_amount"] == r["pending_balance"] for r in rows)
    payable = [r for r in rows if r["type"] == "invoice" and r["status"] == "issued"]
    assert summary["payment"]["payable_docs"] == len(payable)
    assert summary["payment"]["pending_total"] == sum(r["pending_balance"] for r in payable)
    truth = simulator.control.truth("troyansys", "acme_ec", "sales", "2025-02-01", "2025-04-30")
    assert truth["count"] == len(rows) and Decimal(truth["sums"]["total"]) == summary["total"]
    assert all("2025-02-01" <= r["issue_date"] <= "2025-04-30" for r in rows)


def test_troyansys_per_page_is_silently_capped_at_100(http):
    body = exact(http.get(f"{BASE}/company/reports/sales", headers=TROY_ACME, params={"per_page": 500}))
    assert body["meta"]["per_page"] == 100 and len(body["data"]) == 100
    entries = exact(http.get(f"{BASE}/company/reports/accounting", headers=TROY_ACME, params={"per_page": 500}))
    assert "meta" not in entries and entries["summary"]["entries"] > 100 and len(entries["data"]) == 100


@pytest.mark.parametrize("report", ["purchases", "accounting", "inventory"])
def test_troyansys_lists_without_meta_page_to_summary(http, report):
    rows, body = _all_pages(http, report, TROY_ACME)
    assert "meta" not in body
    key = {"purchases": "docs", "accounting": "entries"}.get(report)
    if key:
        assert body["summary"][key] == len(rows)
    else:
        assert body["summary"]["total_value"] == sum(r["total_value"] for r in rows)
        assert all(r["total_value"] == (Decimal(r["quantity"]) * r["unit_cost"]).quantize(Decimal("0.01"), ROUND_HALF_UP)
                   for r in rows)
        assert body["summary"]["zero_stock_items"] == sum(Decimal(r["quantity"]) == 0 for r in rows) > 0


def test_troyansys_posted_entries_balance_and_drafts_may_not(http):
    rows, body = _all_pages(http, "accounting", TROY_ACME)
    posted = [r for r in rows if r["status"] == "posted"]
    assert all(r["debit_total"] == r["credit_total"] for r in posted)
    assert all(sum(ln["debit"] for ln in r["lines"]) == r["debit_total"] for r in posted if "lines" in r)
    assert any(r["status"] == "draft" and r["debit_total"] != r["credit_total"] for r in rows)
    assert body["summary"]["debit_total"] == sum(r["debit_total"] for r in rows)


def test_troyansys_filters_filter(http):
    body = exact(http.get(f"{BASE}/company/reports/sales", headers=TROY_ACME,
                          params={"type": "invoice", "status": "issued", "per_page": 100}))
    assert body["data"] and all(r["type"] == "invoice" and r["status"] == "issued" for r in body["data"])
    inv = exact(http.get(f"{BASE}/company/reports/inventory", headers=TROY_ACME, params={"search": "lapiz"}))
    assert inv["data"] == [] or all("lapiz" in (r["sku"] + r["product_name"]).lower() for r in inv["data"])
    inv = exact(http.get(f"{BASE}/company/reports/inventory", headers=TROY_ACME, params={"warehouse_id": 2}))
    assert all(r["warehouse_id"] == 2 for r in inv["data"])


def test_troyansys_user_auth_with_company_id(http):
    assert http.get(f"{BASE}/reports/sales", headers=TROY_ANDINA).status_code == 200
    assert http.get(f"{BASE}/reports/sales", headers={**TROY_ANDINA, "X-Company-Id": "1"}).status_code == 403
    assert http.get(f"{BASE}/reports/sales", headers={"Authorization": TROY_ANDINA["Authorization"]}).status_code == 401


@pytest.mark.parametrize("headers", [{}, {"X-API-Key": "wrong"}, {"Authorization": "Bearer wrong", "X-Company-Id": "1"}])
def test_troyansys_wrong_or_missing_credentials_get_401(http, headers):
    assert http.get(f"{BASE}/company/reports/sales", headers=headers).status_code == 401


def test_troyansys_limitada_purchases_is_403_and_other_reports_work(http):
    response = http.get(f"{BASE}/company/reports/purchases", headers=TROY_LIMITADA)
    assert response.status_code == 403 and "message" in response.json()
    assert http.get(f"{BASE}/company/reports/sales", headers=TROY_LIMITADA).status_code == 200


@pytest.mark.parametrize("params", [{"date_to": "2026-02-29"}, {"type": "bogus"}, {"status": "open"},
                                    {"date_from": "2025-13-01"}])
def test_troyansys_validation_errors_are_422_with_error_body(http, params):
    response = http.get(f"{BASE}/company/reports/sales", headers=TROY_ACME, params=params)
    assert response.status_code == 422
    assert set(response.json()) == {"message", "errors"} and set(response.json()["errors"]) == set(params)


def test_troyansys_dashboard_has_kpis_and_charts(http):
    body = exact(http.get(f"{BASE}/company/reports/dashboard", headers=TROY_ACME))
    assert set(body["kpis"]) == {"sales_month", "collections_month", "purchases_month", "active_products",
                                 "stock_value", "draft_entries", "available_advances", "pending_receivables"}
    assert len(body["charts"]["labels"]) == len(body["charts"]["sales"]) == 6
