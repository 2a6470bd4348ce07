"""The unit layer: the real engine against fakes served by httpx.MockTransport (no simulator, no network)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from .fakes import Answer, FakeApi


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
