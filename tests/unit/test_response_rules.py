"""The rule table: what each kind of reply means, and that a source's and an endpoint's own rules are checked
before the defaults."""

from __future__ import annotations

import email.utils
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from pipeline.extract import errors
from pipeline.extract.responses import Action, Reply, Rule, classify, status_is
from pipeline.sources import SOURCES


def answer(status: int, content: bytes = b'{"data": []}', headers: dict[str, str] | None = None) -> Reply:
    return Reply(status, httpx.Headers(headers or {}), content, "https://api.example.test/v1/items")


def rules_of(source: str, endpoint: str) -> tuple[Rule, ...]:
    """What the engine hands the Requester: the endpoint's rules, then the source's."""
    shipped = SOURCES[source]
    return (*shipped.endpoints[endpoint].rules, *shipped.rules)


def test_a_429_is_rate_limited_with_or_without_retry_after():
    limited = answer(429, b'{"message": "slow down"}', {"Retry-After": "7"})
    assert classify(limited, ()).action is Action.RATE_LIMITED and limited.retry_after == 7.0
    bare = answer(429, b"")
    assert classify(bare, ()).action is Action.RATE_LIMITED and bare.retry_after is None


def test_retry_after_as_an_http_date_is_the_time_left_until_it():
    soon = email.utils.format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 25 <= answer(429, headers={"Retry-After": soon}).retry_after <= 30
    assert answer(429, headers={"Retry-After": "Wed, 21 Oct 2025 07:28:00 GMT"}).retry_after == 0.0  # past


def test_retry_after_that_cannot_be_read_is_ignored():
    assert answer(429, headers={"Retry-After": "soon"}).retry_after is None
    assert answer(429, headers={"Retry-After": "-3"}).retry_after == 0.0


@pytest.mark.parametrize(("status", "action", "error"), [
    (401, Action.REAUTH, errors.AuthFailed),
    (403, Action.FAIL, errors.Forbidden),
    (400, Action.FAIL, errors.RequestRejected),
    (404, Action.FAIL, errors.RequestRejected),
    (422, Action.FAIL, errors.RequestRejected),
    (500, Action.RETRY, errors.RetriesExhausted),
    (502, Action.RETRY, errors.RetriesExhausted),
    (503, Action.RETRY, errors.RetriesExhausted),
    (504, Action.RETRY, errors.RetriesExhausted),
])
def test_an_error_status_gets_its_default_action(status, action, error):
    rule = classify(answer(status, b'{"message": "no"}'), ())
    assert (rule.action, rule.error) == (action, error)


def test_a_204_is_an_empty_answer_not_an_error():
    assert classify(answer(204, b""), ()).action is Action.EMPTY


@pytest.mark.parametrize("content", [b'{"data": [{"id": 1}', b"<html>Bad gateway</html>", b""])
def test_a_success_whose_body_is_not_json_is_retried(content):
    rule = classify(answer(200, content), ())
    assert rule.action is Action.RETRY and "not complete JSON" in rule.reason


def test_a_success_with_a_json_body_is_a_success():
    assert classify(answer(200), ()).action is Action.SUCCESS
    assert classify(answer(201, b"[]"), ()).action is Action.SUCCESS


def test_a_status_no_rule_expects_fails_as_unexpected():
    rule = classify(answer(302, b""), ())
    assert (rule.action, rule.error) == (Action.FAIL, errors.UnexpectedResponse)


@pytest.mark.parametrize(("envelope", "action"), [
    (b'{"status": 500, "message": "Error interno", "body": []}', Action.RETRY),
    (b'{"status": 401, "message": "Token vencido", "body": []}', Action.REAUTH),
    (b'{"status": 404, "message": "No existe", "body": []}', Action.FAIL),
    (b'{"status": 200, "message": null, "body": []}', Action.SUCCESS),
])
def test_an_envelope_error_inside_http_200_is_what_the_source_declares(envelope, action):
    """Arrendasoft: the envelope's `status` is the truth, even in an HTTP 200."""
    assert classify(answer(200, envelope), rules_of("arrendasoft", "invoices")).action is action


def test_a_source_rule_is_checked_before_the_defaults():
    """SERPI's documented no-records body is invalid JSON (a trailing comma): by default a retry, for SERPI
    an empty answer."""
    no_records = answer(200, b'{"success": true, "code": 204, "message": "No se encontraron registros",}')
    assert classify(no_records, ()).action is Action.RETRY
    assert classify(no_records, rules_of("serpi", "documents")).action is Action.EMPTY


def test_an_endpoint_rule_is_checked_before_its_source_rules():
    """SERPI documents: a 503 without Retry-After means the window is too large (split it); with Retry-After
    it is transient (wait, retry), as it is for every other endpoint."""
    documents, types = rules_of("serpi", "documents"), rules_of("serpi", "document_types")
    assert classify(answer(503, b""), documents).action is Action.SPLIT
    assert classify(answer(503, b"", {"Retry-After": "2"}), documents).action is Action.RETRY
    assert classify(answer(503, b""), types).action is Action.RETRY


def test_the_first_matching_rule_wins():
    endpoint = (Rule(status_is(409), Action.EMPTY),)
    source = (Rule(status_is(409), Action.FAIL, errors.RequestRejected, "conflict"),)
    assert classify(answer(409, b"{}"), (*endpoint, *source)).action is Action.EMPTY
    assert classify(answer(409, b"{}"), source).action is Action.FAIL
