"""Findings about the data are warnings (exit 0); `--strict` turns them into a failed run."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.simulator.testing import start_simulator

TODAY = date(2025, 3, 31)
WINDOW = ("--end", TODAY.isoformat(), "--as-of", TODAY.isoformat())

pytestmark = pytest.mark.xdist_group("findings")


@pytest.fixture(scope="module")
def unbalanced(workspace_factory):
    with start_simulator(seed=11, scale=1, today=TODAY) as sim:
        injected = sim.control.inject(source="serpi", tenant="contable_co", kind="unbalanced_document",
                                      date="2025-03-10")
        workspace = workspace_factory(sim, name="findings", tenants=["contable_co"])
        yield workspace, str(injected["ids"][0])


def test_unbalanced_document_is_a_warning_listed_in_the_summary(unbalanced):
    workspace, entry_id = unbalanced
    result = workspace.pipeline("run", *WINDOW)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 mismatch" in result.stdout and "unbalanced entries: 1" in result.stdout
    assert workspace.query("select entry_id from marts.rpt_unbalanced_entries") == [(entry_id,)]


def test_strict_turns_the_same_finding_into_a_failed_run(unbalanced):
    workspace, _ = unbalanced
    result = workspace.pipeline("run", "--strict", *WINDOW)
    assert result.returncode == 1
    assert "--strict" in result.stdout
