from decimal import Decimal

import httpx
from simulator_contract_helpers import ARR_FIXED, exact

BASE = "/arrendasoft/{}/service/v2/public"
INMO = BASE.format("miinmobiliaria")
ARR = BASE.format("arriendos")


def _login(http):
    body = http.post(f"{INMO}/login", json={"username": "api_inmo", "password": "inmo-pass-8812fe"}).json()
    assert body["status"] == 200 and body["message"] is None and body["body"]["expires_in"] == 3600
    return {"Authorization": f"Bearer {body['body']['token']}"}


def test_arrendasoft_paging_covers_every_invoice_once_and_matches_truth(http, simulator):
    headers, rows, page = _login(http), [], 1
    while True:
        body = exact(http.get(f"{INMO}/invoices/list", headers=headers, params={"page": page, "page_size": 50}))
        rows += body["body"]
        if not body["pagination"]["has_next_page"]:
            break
        page += 1
    pagination = body["pagination"]
    assert pagination["total_records"] == len(rows) == len({r["factura_id"] for r in rows})
    assert pagination["total_pages"] == page and pagination["current_page_records"] == len(body["body"])
    ids = [r["factura_id"] for r in rows]
    assert ids == sorted(ids, reverse=True)
    truth = simulator.control.truth("arrendasoft", "inmobiliaria_co")
    assert truth["count"] == len(rows) and Decimal(truth["sums"]["saldo"]) == sum(Decimal(r["saldo"]) for r in rows)
    assert {"Facturada", "Pagada", "Anulada"} <= {r["estado"] for r in rows}
    partial = [r for r in rows if 0 < Decimal(r["saldo"]) < Decimal(r["valor_total"])]
    assert partial and all(len(r["valor_total"].split(".")[1]) == 2 for r in rows)


def test_arrendasoft_default_page_size_is_10(http):
    body = http.get(f"{ARR}/invoices/list", headers=ARR_FIXED).json()
    assert body["pagination"]["page_size"] == 10 and len(body["body"]) == 10


def test_arrendasoft_page_size_above_1000_is_envelope_500(http):
    response = http.get(f"{ARR}/invoices/list", headers=ARR_FIXED, params={"page_size": 1001})
    assert response.status_code == 200 and response.json()["status"] == 500 and response.json()["body"] == []


def test_arrendasoft_bad_login_and_bad_token_get_401(http):
    assert http.post(f"{INMO}/login", json={"username": "api_inmo", "password": "x"}).status_code == 401
    assert http.get(f"{ARR}/invoices/list", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert http.get(f"{INMO}/invoices/list", headers=ARR_FIXED).status_code == 401


def test_arrendasoft_login_token_expires_after_max_uses(fresh_simulator):
    sim = fresh_simulator(faults={"arrendasoft_token_max_uses": 2})
    with httpx.Client(base_url=sim.url) as http:
        headers = _login(http)
        assert [http.get(f"{INMO}/invoices/list", headers=headers).status_code for _ in range(3)] == [200, 200, 401]
        assert http.get(f"{INMO}/invoices/list", headers=_login(http)).status_code == 200


def test_arrendasoft_envelope_error_is_http_200_status_500(fresh_simulator):
    sim = fresh_simulator(faults={"arrendasoft_envelope_error_next": 1})
    with httpx.Client(base_url=sim.url) as http:
        first = http.get(f"{ARR}/invoices/list", headers=ARR_FIXED)
        assert first.status_code == 200 and first.json()["status"] == 500 and first.json()["body"] == []
        assert http.get(f"{ARR}/invoices/list", headers=ARR_FIXED).json()["status"] == 200
