"""The `http` client fixture for the simulator contract tests."""

import httpx
import pytest


@pytest.fixture
def http(simulator):
    with httpx.Client(base_url=simulator.url, timeout=30) as client:
        yield client
