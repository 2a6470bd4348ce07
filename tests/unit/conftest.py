"""The unit layer: the real engine against fakes served by httpx.MockTransport (no simulator, no network)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from .fakes import Answer, FakeApi


@pytest.fixture(autouse=True)
def _fresh_process_caches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Logins are cached per process by (base URL, credentials) and another endpoint's keys per run: each test
    starts with neither, so tests cannot see each other's tokens or keys."""
    monkeypatch.setattr("pipeline.extract.auth._login_tokens", {})
    monkeypatch.setattr("pipeline.extract.engine._KEYS_BY_RUN", {})


@pytest.fixture
def serve(monkeypatch: pytest.MonkeyPatch) -> Callable[[Answer], FakeApi]:
    """`api = serve(answer)`: the engine's next clients send every request to `answer` (wrapped in a FakeApi
    that records them)."""

    def install(answer: Answer) -> FakeApi:
        api = answer if isinstance(answer, FakeApi) else FakeApi(answer)
        monkeypatch.setattr("pipeline.extract.engine.make_client", lambda connection, policy: httpx.AsyncClient(
            transport=httpx.MockTransport(api), timeout=policy.timeout))
        return api

    return install
