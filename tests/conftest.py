"""Shared fixtures: a session-wide simulator at scale 1, and a factory for fresh ones with their own state."""

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import date

import pytest

from pipeline.simulator.testing import SimulatorHandle, start_simulator

SIM_TODAY = date(2025, 6, 30)
SIM_HISTORY_START = date(2025, 1, 1)


@pytest.fixture(scope="session")
def simulator() -> Iterator[SimulatorHandle]:
    """One simulator per test process (xdist worker). Tests that change its state must use fresh_simulator."""
    with start_simulator(seed=42, scale=1, today=SIM_TODAY, history_start=SIM_HISTORY_START) as sim:
        yield sim


@pytest.fixture
def fresh_simulator() -> Iterator[Callable[..., SimulatorHandle]]:
    """Factory: `sim = fresh_simulator(seed=7, faults={...})` starts a private simulator, stopped after the test."""
    with ExitStack() as stack:

        def start(**kwargs) -> SimulatorHandle:
            kwargs.setdefault("today", SIM_TODAY)
            kwargs.setdefault("history_start", SIM_HISTORY_START)
            return stack.enter_context(start_simulator(**kwargs))

        yield start
