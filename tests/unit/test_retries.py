"""Retries through the real Requester: transient answers are retried within `attempts`, Retry-After is
honoured (capped), permanent answers fail at once, a login is renewed once on a 401, and no credential value
ever reaches an error message."""

from __future__ import annotations

import json

import httpx
import pytest

from pipeline.extract import errors
from pipeline.extract.auth import LoginForToken
from pipeline.extract.engine import RunCache
from pipeline.extract.http import Requester
from pipeline.extract.model import Endpoint
from pipeline.extract.paginators import WholeWindow

from .fakes import (
    API_KEY,
    FEBRUARY,
    SNAPSHOT,
    TINY_WAITS,
    extract,
    fake_source,
    landed,
    manifest,
    reply,
    settings_for,
)

OK = {"data": [{"id": 1, "amount": "10.00"}]}


def one_request_source(**fields):
    return fake_source(Endpoint("items", path="/items", records="data", key="id", paginator=WholeWindow()), **fields)


def in_turn(*answers):
    """Answers in the given order (an exception instance is raised), then OK forever."""
    queue = list(answers)

    def answer(request: httpx.Request) -> httpx.Response:
        if not queue:
            return reply(OK)
        item = queue.pop(0)
        if isinstance(item, Exception):
            raise item
        return item

    return answer


@pytest.fixture
def waits(monkeypatch) -> list[float]:
    """Every wait the Requester chose between attempts, in seconds."""
    chosen: list[float] = []
    original = Requester._wait

    def spy(self, state):
        value = original(self, state)
        chosen.append(value)
        return value

    monkeypatch.setattr(Requester, "_wait", spy)
    return chosen


def test_transient_answers_are_retried_until_success_within_the_attempts(tmp_path, serve, waits):
    api = serve(in_turn(reply({"message": "boom"}, status=500), httpx.ConnectError("connection refused"),
                        reply(content=b'{"data": [{"id": 1, "amo')))  # a body cut short
    source = one_request_source()
    result = extract(settings_for(tmp_path, source), source, "items")
    assert len(api.requests) == TINY_WAITS.attempts == 4
    assert result.retries == 3 and manifest(result)["pages"][0]["attempts"] == 4
    assert landed(result) == OK["data"]  # only the whole page landed
    assert len(waits) == 3 and all(0 < wait <= TINY_WAITS.max_wait for wait in waits)  # backoff, capped


def test_a_transient_failure_that_outlasts_every_attempt_fails_with_retries_exhausted(tmp_path, serve):
    api = serve(lambda request: reply({"message": "down"}, status=502))
    source = one_request_source()
    with pytest.raises(errors.RetriesExhausted, match="after 4 attempts") as failed:
        extract(settings_for(tmp_path, source), source, "items")
    assert len(api.requests) == 4 and failed.value.status == 502
    assert "https://api.example.test/v1/items" in str(failed.value) and '"down"' in str(failed.value)
    assert not list((tmp_path / "raw").rglob("run=*"))


def test_retry_after_is_honoured(tmp_path, serve, waits):
    api = serve(in_turn(reply({"message": "slow down"}, status=429, headers={"Retry-After": "0.008"})))
    source = one_request_source()
    extract(settings_for(tmp_path, source), source, "items")
    assert len(api.requests) == 2 and waits == [0.008]
    assert api.times[1] - api.times[0] >= 0.006  # it did wait (with room for the clock's resolution)


def test_retry_after_is_capped_by_max_retry_after(tmp_path, serve, waits):
    api = serve(in_turn(reply({}, status=429, headers={"Retry-After": "3600"}),
                        reply({}, status=503, headers={"Retry-After": "120"})))
    source = one_request_source()
    extract(settings_for(tmp_path, source), source, "items")
    assert len(api.requests) == 3 and waits == [TINY_WAITS.max_retry_after] * 2


def test_a_429_without_retry_after_backs_off(tmp_path, serve, waits):
    api = serve(in_turn(reply({}, status=429)))
    source = one_request_source()
    extract(settings_for(tmp_path, source), source, "items")
    assert len(api.requests) == 2 and len(waits) == 1 and 0 < waits[0] <= TINY_WAITS.max_wait


@pytest.mark.parametrize(("status", "error"), [
    (400, errors.RequestRejected), (403, errors.Forbidden), (404, errors.RequestRejected),
    (422, errors.RequestRejected),
])
def test_a_permanent_answer_fails_at_once_with_one_request(tmp_path, serve, status, error):
    api = serve(lambda request: reply({"message": "no", "errors": {"per_page": ["too large"]}}, status=status))
    source = one_request_source()
    with pytest.raises(error) as failed:
        extract(settings_for(tmp_path, source), source, "items")
    assert len(api.requests) == 1
    text = str(failed.value)
    assert text.startswith(f"shop fake/items: HTTP {status} at https://api.example.test/v1/items")
    assert "too large" in text  # a short excerpt of the body


def test_a_401_with_a_fixed_key_fails_at_once(tmp_path, serve):
    api = serve(lambda request: reply({"message": "invalid key"}, status=401))
    source = one_request_source()
    with pytest.raises(errors.AuthFailed):
        extract(settings_for(tmp_path, source), source, "items")
    assert len(api.requests) == 1


# ------------------------------------------------------------------------------------------------ logins

LOGIN = {"login": LoginForToken(path="/login", body={"username": "{username}", "password": "{password}"},
                                token="token")}
LOGIN_AUTH = {"username_env": "SHOP_USER", "password_env": "SHOP_PASSWORD"}
LOGIN_ENV = {"SHOP_USER": "shop-user-name", "SHOP_PASSWORD": "pa55-w0rd-x9"}


class TokenApi:
    """POST /login issues tok-1, tok-2, ...; GET /items accepts only the tokens in `accepted`."""

    def __init__(self, accepted: set[str]):
        self.accepted, self.issued = accepted, 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/login"):
            credentials = json.loads(request.content)
            assert credentials == {"username": "shop-user-name", "password": "pa55-w0rd-x9"}
            self.issued += 1
            return reply({"token": f"tok-{self.issued}"})
        token = request.headers["Authorization"].removeprefix("Bearer ")
        if token in self.accepted:
            return reply(OK)
        return reply({"message": f"token {token} expired"}, status=401)


def test_a_401_with_a_login_logs_in_again_once_and_retries_once(tmp_path, serve):
    api = serve(TokenApi(accepted={"tok-2"}))
    source = one_request_source(auth=LOGIN)
    result = extract(settings_for(tmp_path, source, auth=LOGIN_AUTH, env=LOGIN_ENV), source, "items")
    assert len(api.to("/login")) == 2
    assert [r.headers["Authorization"] for r in api.to("/items")] == ["Bearer tok-1", "Bearer tok-2"]
    assert landed(result) == OK["data"]


def test_a_second_401_in_a_row_fails_with_auth_failed(tmp_path, serve):
    api = serve(TokenApi(accepted=set()))
    source = one_request_source(auth=LOGIN)
    with pytest.raises(errors.AuthFailed) as failed:
        extract(settings_for(tmp_path, source, auth=LOGIN_AUTH, env=LOGIN_ENV), source, "items")
    assert len(api.to("/login")) == 2 and len(api.to("/items")) == 2
    assert "tok-2" not in str(failed.value) and "token *** expired" in str(failed.value)


def test_the_partitions_of_one_run_share_one_login_and_another_run_logs_in_again(tmp_path, serve):
    api = serve(TokenApi(accepted={"tok-1", "tok-2"}))
    source = one_request_source(auth=LOGIN)
    settings = settings_for(tmp_path, source, auth=LOGIN_AUTH, env=LOGIN_ENV)
    run = RunCache()
    for partition in (FEBRUARY, SNAPSHOT):
        extract(settings, source, "items", partition, run_id="run1", cache=run)
    extract(settings, source, "items", FEBRUARY, run_id="run2")
    assert len(api.to("/login")) == 2
    assert [r.headers["Authorization"] for r in api.to("/items")] == ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]


def test_a_refused_login_fails_with_auth_failed_without_the_password(tmp_path, serve):
    def answer(request: httpx.Request) -> httpx.Response:
        sent = json.loads(request.content)
        return reply({"message": f"no user {sent['username']} with password {sent['password']}"}, status=401)

    api = serve(answer)
    source = one_request_source(auth=LOGIN)
    with pytest.raises(errors.AuthFailed) as failed:
        extract(settings_for(tmp_path, source, auth=LOGIN_AUTH, env=LOGIN_ENV), source, "items")
    assert len(api.requests) == 1  # the login; no data request is sent without a token
    text = str(failed.value)
    assert text.startswith("shop fake/items: HTTP 401 at https://api.example.test/v1/login")
    assert all(value not in text for value in LOGIN_ENV.values()) and "no user *** with password ***" in text


# ------------------------------------------------------------------------------------------------ redaction


@pytest.mark.parametrize(("status", "error"), [
    (401, errors.AuthFailed), (403, errors.Forbidden), (422, errors.RequestRejected),
    (500, errors.RetriesExhausted), (429, errors.RetriesExhausted),
])
def test_no_credential_value_appears_in_an_error_message(tmp_path, serve, status, error):
    """An API that echoes the credentials it was sent, in the body and in the URL of the failing request."""

    def echo(request: httpx.Request) -> httpx.Response:
        return reply({"message": f"refused {request.headers['Authorization']}"}, status=status)

    serve(echo)
    source = fake_source(Endpoint("items", path="/items", records="data", key="id", paginator=WholeWindow(),
                                  params={"echo": API_KEY}))
    with pytest.raises(error) as failed:
        extract(settings_for(tmp_path, source), source, "items")
    text = f"{failed.value} {failed.value.url} {failed.value.excerpt} {failed.value!r}"
    assert API_KEY not in text
    assert "refused Bearer ***" in str(failed.value) and "?echo=***" in str(failed.value)


def test_no_credential_value_appears_in_a_transport_error(tmp_path, serve):
    def unreachable(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"connection reset while sending {request.url}")

    serve(unreachable)
    source = fake_source(Endpoint("items", path="/items", records="data", key="id", paginator=WholeWindow(),
                                  params={"echo": API_KEY}))
    with pytest.raises(errors.RetriesExhausted, match="ConnectError") as failed:
        extract(settings_for(tmp_path, source), source, "items")
    assert API_KEY not in str(failed.value) and "echo=***" in str(failed.value)
