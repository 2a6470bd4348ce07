import threading
from decimal import Decimal

import httpx
from simulator_contract_helpers import ALL_TYPES, SERPI_CONTABLE, exact

from pipeline.simulator.serpi import NO_RECORDS_INVALID_JSON

BASE = "/serpi/api/v1/DocumentoContable"


def _documents(http, headers=SERPI_CONTABLE, **body):
    payload = {"tiposDocumentos": ALL_TYPES, "numeroDesde": None, "numeroHasta": None,
               "fechaDesde": "2025-03-01", "fechaHasta": "2025-03-31", **body}
    return http.post(f"{BASE}/GetDocumentoContable", headers=headers, json=payload)


def test_serpi_documents_message_count_equals_result_and_truth(http, simulator):
    response = _documents(http)
    body = exact(response)
    assert body["success"] is True and body["code"] == 200 and body["errors"] is None
    assert body["message"] == f"{len(body['result'])} registro(s) encontrados"
    truth = simulator.control.truth("serpi", "contable_co", "documents", "2025-03-01", "2025-03-31")
    assert truth["count"] == len(body["result"])
    lines = [ln for doc in body["result"] for ln in doc["detalles"]]
    assert Decimal(truth["sums"]["debit"]) == sum(ln["valor"] for ln in lines if ln["naturaleza"] == "D")
    assert b'"valor":' in response.content and b".00000" in response.content


def test_serpi_accounts_cover_every_puc_class_and_most_documents_balance(http):
    body = exact(_documents(http, fechaDesde="2025-01-01", fechaHasta="2025-06-30"))
    classes = {str(ln["cuenta"])[0] for doc in body["result"] for ln in doc["detalles"]}
    assert classes == set("123456789")
    assert all(len(str(ln["cuenta"])) <= 8 for doc in body["result"] for ln in doc["detalles"])
    balanced = [sum(ln["valor"] if ln["naturaleza"] == "D" else -ln["valor"] for ln in d["detalles"]) == 0
                for d in body["result"]]
    assert sum(balanced) / len(balanced) > 0.9


def test_serpi_filters_by_type_and_number(http):
    body = exact(_documents(http, tiposDocumentos=[4]))
    assert body["result"] and {d["prefijo"] for d in body["result"]} == {"FVE"}
    first = body["result"][0]["numeroDoc"]
    narrowed = exact(_documents(http, tiposDocumentos=[4], numeroDesde=first, numeroHasta=first))
    assert [d["numeroDoc"] for d in narrowed["result"]] == [first]


def test_serpi_missing_required_field_is_400_envelope(http):
    response = http.post(f"{BASE}/GetDocumentoContable", headers=SERPI_CONTABLE, json={"fechaDesde": "2025-01-01"})
    body = response.json()
    assert response.status_code == 400 and body["success"] is False and body["code"] == 400


def test_serpi_wrong_credentials_get_401(http):
    assert _documents(http, headers={"secretkey": "x", "Authorization": "Bearer y"}).status_code == 401
    assert http.get(f"{BASE}/GetTipoDocumento").status_code == 401


def test_serpi_document_types_page_with_accented_and_plain_names(http):
    accented = http.get(f"{BASE}/GetTipoDocumento?L%C3%ADmite=2&P%C3%A1gina=2", headers=SERPI_CONTABLE).json()
    plain = http.get(f"{BASE}/GetTipoDocumento", params={"Limite": 2, "Pagina": 2}, headers=SERPI_CONTABLE).json()
    assert accented == plain and [t["id"] for t in accented["result"]] == [3, 4]
    assert accented["message"] == "2 registro(s) encontrados"


def test_serpi_no_records_alternates_204_and_invalid_json_body(fresh_simulator):
    sim = fresh_simulator()
    with httpx.Client(base_url=sim.url) as http:
        empty = {"fechaDesde": "2024-01-01", "fechaHasta": "2024-01-31"}
        first, second = _documents(http, **empty), _documents(http, **empty)
        assert first.status_code == 204 and first.content == b""
        assert second.status_code == 200 and second.content == NO_RECORDS_INVALID_JSON
        assert second.content == b'{\n"success": true,\n"code": 204,\n"message": "No se encontraron registros",\n}'
        sim.control.set_faults(serpi_no_records_form="invalid_json_body")
        assert _documents(http, **empty).content == NO_RECORDS_INVALID_JSON
        sim.control.set_faults(serpi_no_records_form="http_204")
        assert _documents(http, **empty).status_code == 204


def test_serpi_too_large_window_is_503_without_retry_after(fresh_simulator):
    sim = fresh_simulator(faults={"serpi_max_documents": 5})
    with httpx.Client(base_url=sim.url) as http:
        response = _documents(http)
        assert response.status_code == 503 and "retry-after" not in response.headers
        assert _documents(http, fechaDesde="2025-03-03", fechaHasta="2025-03-03").status_code in (200, 204)


def test_serpi_overlapping_requests_on_one_token_get_429_token_en_uso(fresh_simulator):
    sim = fresh_simulator(faults={"serpi_latency_ms": 300})
    statuses = []

    def call():
        with httpx.Client(base_url=sim.url) as http:
            statuses.append(_documents(http))

    threads = [threading.Thread(target=call) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rejected = [r for r in statuses if r.status_code == 429]
    assert len(rejected) == 1
    assert rejected[0].json() == {"success": False, "code": 429, "message": "Token en uso"}
    stats = sim.control.stats()["serpi"]
    assert stats["token_in_use_rejections"] == 1 and stats["max_in_flight_per_token"]["contable_co"] == 2
