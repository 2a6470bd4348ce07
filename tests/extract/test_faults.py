"""Each fault of the simulator is survived, or fails with the promised message."""

import re
import time
from dataclasses import replace
from datetime import date

import pytest

from pipeline.config import RetryPolicy
from pipeline.extract.engine import RunCache
from pipeline.extract.errors import AuthFailed, Forbidden, RequestRejected, RetriesExhausted, WindowTooLarge
from pipeline.extract.partitions import Partition
from pipeline.sources import SOURCES, extract

from .helpers import MARCH, SNAPSHOT, landed_keys, manifest, truth_ids

EMPTY_MONTH = Partition("2024-01", date(2024, 1, 1), date(2024, 1, 31))


def extract_and_check(make_settings, tenant, source, endpoint, entity, partition=MARCH, cache=None):
    settings = make_settings([tenant])
    result = extract(settings, settings.connection(tenant), endpoint, partition, "run1", cache=cache)
    assert sorted(set(landed_keys(result.run_dir, source, endpoint))) == sorted(
        truth_ids(make_settings.sim, source, tenant, entity, partition))
    return result


@pytest.mark.parametrize("fault", ["burst_503", "fail_next_5xx", "drop_next", "truncate_next", "invalid_json_next"])
def test_transient_faults_are_retried_and_land_everything(make_settings, fault):
    make_settings.sim.control.set_faults({fault: 3, "retry_after_s": 0, "source": "smartpyme"})
    result = extract_and_check(make_settings, "tienda_sv", "smartpyme", "sales", "sales")
    assert result.retries >= 3
    assert max(page["attempts"] for page in manifest(result.run_dir)["pages"]) >= 2


def test_429_waits_the_retry_after_seconds(make_settings):
    make_settings.sim.control.set_faults({"rate_429": 1, "retry_after_s": 1, "source": "troyansys"})
    started = time.monotonic()
    result = extract_and_check(make_settings, "acme_ec", "troyansys", "sales", "sales")
    assert result.retries == 1 and time.monotonic() - started >= 1.0


def test_transient_failures_that_outlast_the_retries_fail_loudly(make_settings):
    make_settings.sim.control.set_faults({"fail_next_5xx": 50, "source": "troyansys"})
    settings = make_settings(["acme_ec"], retry=RetryPolicy(attempts=3, initial_wait=0.01, max_wait=0.02))
    with pytest.raises(RetriesExhausted) as caught:
        extract(settings, settings.connection("acme_ec"), "sales", MARCH, "run1")
    text = str(caught.value)
    assert text.startswith("acme_ec troyansys/sales: HTTP 50")
    assert "/troyansys/api/v1/company/reports/sales?" in text and "after 3 attempts" in text
    assert not list((settings.raw_dir / "troyansys/sales").glob("*/*/run=*/_manifest.json"))


@pytest.mark.parametrize("form", ["http_204", "invalid_json_body"])
def test_serpi_no_records_forms_are_an_empty_result(make_settings, form):
    make_settings.sim.control.set_faults({"serpi_no_records_form": form, "source": "serpi"})
    settings = make_settings(["contable_co"])
    result = extract(settings, settings.connection("contable_co"), "documents", EMPTY_MONTH, "run1")
    assert (result.records, result.pages, result.mismatch) == (0, 0, None)
    assert result.reported["count"] == 0 and result.reported["windows"][0]["count"] == 0
    assert manifest(result.run_dir)["complete"] is True


def test_serpi_window_too_large_is_split_until_it_fits(make_settings):
    make_settings.sim.control.set_faults({"serpi_max_documents": 5, "source": "serpi"})
    result = extract_and_check(make_settings, "contable_co", "serpi", "documents", "documents")
    windows = result.reported["windows"]
    assert len(windows) > 1 and max(w["count"] for w in windows) <= 5
    assert result.reported["count"] == result.unique_records and result.mismatch is None


def test_serpi_503_with_retry_after_is_transient_not_a_split(make_settings):
    make_settings.sim.control.set_faults({"burst_503": 2, "retry_after_s": 0, "source": "serpi"})
    result = extract_and_check(make_settings, "contable_co", "serpi", "documents", "documents")
    assert result.retries >= 2 and len(result.reported["windows"]) == 1


def test_arrendasoft_envelope_error_is_retried(make_settings):
    make_settings.sim.control.set_faults({"arrendasoft_envelope_error_next": 2, "source": "arrendasoft"})
    result = extract_and_check(make_settings, "inmobiliaria_co", "arrendasoft", "invoices", "invoices", SNAPSHOT)
    assert result.retries == 2


def test_arrendasoft_expired_token_means_one_fresh_login(make_settings):
    make_settings.sim.control.set_faults({"arrendasoft_token_max_uses": 1, "source": "arrendasoft"})
    run = RunCache()  # the second extraction of the run reuses the first one's token, expired by then
    extract_and_check(make_settings, "inmobiliaria_co", "arrendasoft", "invoices", "invoices", SNAPSHOT, run)
    again = extract_and_check(make_settings, "inmobiliaria_co", "arrendasoft", "invoices", "invoices", SNAPSHOT, run)
    assert again.retries >= 1


def test_wrong_credentials_fail_with_the_url_status_and_body(make_settings):
    settings = make_settings(["acme_ec"])
    environ = {**make_settings.environ}
    variable = next(k for k, v in environ.items() if v == settings.connection("acme_ec").auth.secret("api_key"))
    from pipeline.sources import load_settings

    wrong = replace(load_settings(settings.path, environ={**environ, variable: "wrong-key"}), retry=settings.retry)
    with pytest.raises(AuthFailed) as caught:
        extract(wrong, wrong.connection("acme_ec"), "sales", MARCH, "run1")
    text = str(caught.value)
    assert text.startswith(f"acme_ec troyansys/sales: HTTP 401 at {wrong.connection('acme_ec').url}"
                           "/company/reports/sales?")
    assert "wrong-key" not in text and len(text) < 800


def test_arrendasoft_wrong_password_fails_the_login(make_settings):
    settings = make_settings(["inmobiliaria_co"])
    environ = {**make_settings.environ}
    variable = next(k for k, v in environ.items()
                    if v == settings.connection("inmobiliaria_co").auth.secret("password"))
    from pipeline.sources import load_settings

    wrong = replace(load_settings(settings.path, environ={**environ, variable: "bad-pass"}), retry=settings.retry)
    with pytest.raises(AuthFailed) as caught:
        extract(wrong, wrong.connection("inmobiliaria_co"), "invoices", SNAPSHOT, "run1")
    assert "inmobiliaria_co arrendasoft/invoices: HTTP 401" in str(caught.value)
    assert "bad-pass" not in str(caught.value)


def test_403_fails_that_report_and_leaves_the_others_working(make_settings):
    settings = make_settings(["limitada_ec"])
    connection = settings.connection("limitada_ec")
    with pytest.raises(Forbidden) as caught:
        extract(settings, connection, "purchases", MARCH, "run1")
    assert str(caught.value).startswith("limitada_ec troyansys/purchases: HTTP 403 at ")
    assert extract(settings, connection, "sales", MARCH, "run1").records > 0


def test_422_fails_at_once(make_settings, monkeypatch):
    sales = SOURCES["smartpyme"].endpoints["sales"]
    too_big = replace(sales, paginator=replace(sales.paginator, size_value=500))
    monkeypatch.setitem(SOURCES["smartpyme"].endpoints, "sales", too_big)
    settings = make_settings(["tienda_sv"])
    with pytest.raises(RequestRejected) as caught:
        extract(settings, settings.connection("tienda_sv"), "sales", MARCH, "run1")
    assert "HTTP 422" in str(caught.value) and "per_page=500" in str(caught.value)


ONE_DAY = Partition("2025-03", date(2025, 3, 3), date(2025, 3, 3))


def test_serpi_single_day_too_large_is_split_by_document_type(make_settings):
    truth = make_settings.sim.control.truth(source="serpi", tenant="contable_co", entity="documents",
                                            date_from="2025-03-03", date_to="2025-03-03")
    assert truth["count"] >= 2
    make_settings.sim.control.set_faults({"serpi_max_documents": 1, "serpi_latency_ms": 0, "source": "serpi"})
    settings = make_settings(["contable_co"])
    result = extract(settings, settings.connection("contable_co"), "documents", ONE_DAY, "run1")
    assert sorted(landed_keys(result.run_dir, "serpi", "documents")) == sorted(truth["ids"])
    windows = [w for w in result.reported["windows"] if w["count"]]
    assert all(w["count"] == 1 for w in windows)
    assert any(len(w["tipos"]) == 1 for w in windows)


def test_serpi_split_goes_down_to_one_document_number_then_fails_loudly(make_settings):
    make_settings.sim.control.set_faults({"serpi_max_documents": 0, "serpi_latency_ms": 0, "source": "serpi"})
    settings = make_settings(["contable_co"])
    with pytest.raises(WindowTooLarge) as caught:
        extract(settings, settings.connection("contable_co"), "documents", ONE_DAY, "run1")
    assert str(caught.value).startswith("contable_co serpi/documents: HTTP 503 (window {")
    assert "cannot be split further" in str(caught.value)
    assert "'tiposDocumentos': [" in str(caught.value)
    number = re.search(r"'numeroDesde': (\d+), 'numeroHasta': (\d+)", str(caught.value))
    assert number and number.group(1) == number.group(2)


def test_arrendasoft_second_401_in_a_row_fails(make_settings):
    expired = make_settings.sim.control.stats()["faults_fired"].get("arrendasoft_token_expired", 0)
    make_settings.sim.control.set_faults({"arrendasoft_token_max_uses": 0, "source": "arrendasoft"})
    settings = make_settings(["inmobiliaria_co"])
    with pytest.raises(AuthFailed) as caught:
        extract(settings, settings.connection("inmobiliaria_co"), "invoices", SNAPSHOT, "run1")
    assert str(caught.value).startswith("inmobiliaria_co arrendasoft/invoices: HTTP 401 at ")
    assert "Token expirado" in str(caught.value)
    assert make_settings.sim.control.stats()["faults_fired"].get("arrendasoft_token_expired") == expired + 2


def test_timeouts_are_transient_and_fail_loudly_when_they_persist(make_settings):
    make_settings.sim.control.set_faults({"latency_ms": 400, "source": "smartpyme"})
    settings = make_settings(["tienda_sv"], retry=RetryPolicy(attempts=2, initial_wait=0.01, max_wait=0.02,
                                                             timeout=0.1))
    with pytest.raises(RetriesExhausted) as caught:
        extract(settings, settings.connection("tienda_sv"), "sales", MARCH, "run1")
    assert str(caught.value).startswith("tienda_sv smartpyme/sales: ReadTimeout")
    assert "after 2 attempts" in str(caught.value) and "/smartpyme/api/external/v1/sales?" in str(caught.value)
