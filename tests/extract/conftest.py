"""Extraction tests run against the real simulator over loopback HTTP, with small and fast retries."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from pipeline.config import RetryPolicy, Settings
from pipeline.sources import load_settings

FAST_RETRIES = RetryPolicy(attempts=5, initial_wait=0.01, max_wait=0.05, max_retry_after=2.0, timeout=10.0)
TODAY = date(2025, 6, 30)


@pytest.fixture(scope="module")
def sim():
    from pipeline.simulator.testing import start_simulator

    with start_simulator(seed=11, scale=1, today=TODAY) as handle:
        yield handle


@pytest.fixture
def clean_sim(sim):
    sim.control.clear_faults()
    yield sim
    sim.control.clear_faults()


@pytest.fixture
def make_settings(clean_sim, tmp_path):
    """make_settings(tenants=None, **overrides) -> Settings for this simulator, landing under tmp_path."""

    def build(tenants: list[str] | None = None, retry: RetryPolicy = FAST_RETRIES, **overrides) -> Settings:
        path = tmp_path / "connections.yaml"
        env = clean_sim.write_connections(path, tenants=tenants, **overrides)
        environ = {**env, "PIPELINE_RAW_DIR": str(tmp_path / "raw"),
                   "PIPELINE_WAREHOUSE": str(tmp_path / "warehouse.duckdb")}
        build.environ = environ  # for tests that start other processes
        return replace(load_settings(Path(path), environ=environ), retry=retry)

    build.environ = {}
    build.sim = clean_sim
    return build
