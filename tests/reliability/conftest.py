"""The reliability suite (`make reliability`): `pipeline run` as a scheduler runs it, against the simulators'
faults, kills, schema drift and bad records, each case compared with a clean run. Every case adds a row to
the table printed at the end (and written to data/reliability/report.md): what was done, what must hold, and
whether it held, with the numbers."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from support import make_workspace

from pipeline.simulator.testing import start_simulator

REPO = Path(__file__).resolve().parents[2]
TODAY = date(2025, 6, 30)
WINDOW = ("--start", "2025-04-01", "--end", TODAY.isoformat(), "--as-of", TODAY.isoformat())
FINGERPRINT = {
    "fct_sales": "total", "fct_sales_lines": "line_total", "fct_purchases": "total",
    "fct_inventory_valuation": "inventory_value", "fct_invoice_balance_snapshots": "balance_due",
    "fct_receivables": "balance_due", "rpt_receivables_aging": "balance_due", "fct_journal_lines": "debit",
    "fct_journal_balance": "closing_balance", "rpt_unbalanced_entries": "difference",
    "rpt_income_statement": "net_income", "rpt_balance_sheet": "difference",
}


@dataclass
class Row:
    family: str
    case: str
    must: str
    held: bool
    numbers: str


ROWS: list[Row] = []


def record(request, family: str, case: str, must: str, held: bool, numbers: str = "") -> None:
    """Add the case's row to the table (carried in the test report, so it survives pytest-xdist)."""
    request.node.user_properties.append(("reliability", (family, case, must, held, numbers)))


def pytest_runtest_logreport(report) -> None:
    for name, row in report.user_properties:
        if name == "reliability" and report.when == "call":
            ROWS.append(Row(*row))


def fingerprint(workspace) -> dict[str, tuple]:
    """Rows and money total per mart and tenant: equal fingerprints mean no record lost, doubled or changed."""
    return {
        f"{mart}/{tenant}": (rows, str(total))
        for mart, column in FINGERPRINT.items()
        for tenant, rows, total in workspace.query(
            f"select tenant, count(*), sum({column}) from marts.{mart} group by tenant order by 1")
    }


def differences(got: dict, want: dict) -> str:
    changed = sorted(key for key in set(got) | set(want) if got.get(key) != want.get(key))
    return "equal" if not changed else f"{len(changed)} differ: " + ", ".join(changed[:4])


def kill_when(workspace, ready: Callable[[], bool], timeout_s: float = 240) -> bool:
    """Start `pipeline run`, SIGKILL it as soon as `ready()`; True when it was killed (not finished first)."""
    process = workspace.start_pipeline("run", *WINDOW)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and process.poll() is None and not ready():
        time.sleep(0.02)
    killed = process.poll() is None
    if killed:
        os.kill(process.pid, signal.SIGKILL)
    process.wait()
    return killed


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if not ROWS:
        return
    lines = ["| family | case | must hold | held | numbers |", "|---|---|---|---|---|"]
    lines += [f"| {r.family} | {r.case} | {r.must} | {'yes' if r.held else '**NO**'} | {r.numbers} |" for r in ROWS]
    table = "\n".join(lines)
    out = REPO / "data" / "reliability" / "report.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    held = sum(r.held for r in ROWS)
    out.write_text(f"# Reliability suite: {held} of {len(ROWS)} rows hold\n\n{table}\n")
    terminalreporter.write_sep("=", f"reliability: {held} of {len(ROWS)} rows hold ({out})")
    terminalreporter.write_line(table)


@pytest.fixture(scope="session")
def clean_reference(tmp_path_factory):
    """A clean run's fingerprint per simulator seed (computed once per seed)."""
    cache: dict[int, dict] = {}

    def reference(seed: int) -> dict:
        if seed not in cache:
            with start_simulator(seed=seed, scale=1, today=TODAY) as sim:
                workspace = make_workspace(tmp_path_factory.mktemp(f"clean{seed}"), sim)
                result = workspace.pipeline("run", *WINDOW)
                assert result.returncode == 0, result.stdout + result.stderr
                cache[seed] = fingerprint(workspace)
        return cache[seed]

    return reference
