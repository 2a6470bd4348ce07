"""`pipeline run` from API pages to marts, as a person runs it: a subprocess against the simulators."""

from __future__ import annotations

import os
import signal
import time
from datetime import date
from decimal import Decimal

import duckdb
import pytest

from pipeline.simulator.testing import start_simulator

TODAY = date(2025, 6, 30)
WINDOW = ("--end", TODAY.isoformat(), "--as-of", TODAY.isoformat())
MART_FINGERPRINT = {
    "fct_sales": "total", "fct_sales_lines": "line_total", "fct_purchases": "total",
    "fct_inventory_valuation": "inventory_value", "fct_invoice_balance_snapshots": "balance_due",
    "fct_receivables": "balance_due", "rpt_receivables_aging": "balance_due", "fct_journal_lines": "debit",
    "fct_journal_balance": "closing_balance", "rpt_unbalanced_entries": "difference",
    "rpt_income_statement": "net_income", "rpt_balance_sheet": "difference",
}

pytestmark = pytest.mark.xdist_group("end_to_end")


def fingerprint(workspace) -> dict[str, tuple]:
    """Rows and money total per mart and tenant: equal fingerprints mean no record lost or doubled."""
    return {
        f"{mart}/{tenant}": (rows, total)
        for mart, column in MART_FINGERPRINT.items()
        for tenant, rows, total in workspace.query(
            f"select tenant, count(*), sum({column}) from marts.{mart} group by 1 order by 1")
    }


@pytest.fixture(scope="module")
def simulator():
    with start_simulator(seed=7, scale=1, today=TODAY) as sim:
        yield sim


@pytest.fixture(scope="module")
def clean_run(simulator, workspace_factory):
    workspace = workspace_factory(simulator, name="clean")
    result = workspace.pipeline("run", *WINDOW)
    assert result.returncode == 0, result.stdout + result.stderr
    return workspace, result


def test_run_goes_from_api_pages_to_reconciled_marts(clean_run, simulator):
    workspace, result = clean_run
    assert "Reconciliation:" in result.stdout
    statuses = dict(workspace.query("select status, count(*) from marts.rpt_reconciliation group by 1"))
    assert statuses.get("mismatch", 0) == 0 and statuses["match"] > 0
    checks = {name for (name,) in workspace.query("select distinct check_name from marts.rpt_reconciliation")}
    assert {"troyansys.sales.total", "smartpyme.sales.total_ventas", "serpi.documents.count",
            "arrendasoft.invoices.total_records"} <= checks
    assert workspace.serving.exists()


def test_marts_hold_exactly_what_the_simulator_holds(clean_run, simulator):
    workspace, _ = clean_run
    for tenant in ("tienda_sv", "ferreteria_sv"):
        truth = simulator.control.truth(source="smartpyme", tenant=tenant, entity="sales",
                                        date_from="2025-01-01", date_to=TODAY.isoformat())
        rows, total = workspace.query(
            "select count(*), sum(total) from marts.fct_sales where tenant = ?", [tenant])[0]
        assert rows == truth["count"]
        assert total == Decimal(truth["sums"]["total"])


def test_kill_during_extraction_then_rerun_reuses_what_landed_and_lands_each_record_once(clean_run, simulator, workspace_factory):
    clean, _ = clean_run
    workspace = workspace_factory(simulator, name="killed")
    simulator.control.set_faults({"latency_ms": 30})
    try:
        process = workspace.start_pipeline("run", *WINDOW)
        deadline = time.monotonic() + 120
        # Killed once some months are landed whole: the rerun must reuse those and redo the rest.
        while time.monotonic() < deadline and len(list(workspace.raw_dir.rglob("_manifest.json"))) < 12:
            time.sleep(0.1)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    finally:
        simulator.control.clear_faults()
    assert process.returncode == -signal.SIGKILL
    result = workspace.pipeline("run", *WINDOW)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "closed months already landed, reused" in result.stdout
    assert fingerprint(workspace) == fingerprint(clean)


def test_no_credential_appears_in_landed_files_logs_or_output(clean_run):
    workspace, result = clean_run
    secrets = [v for k, v in workspace.env.items() if k.endswith(("_KEY", "_TOKEN", "_SECRET", "_PASSWORD"))]
    assert secrets
    texts = [result.stdout, result.stderr]
    texts += [p.read_bytes().decode("utf-8", "replace") for p in workspace.root.rglob("*") if p.is_file()]
    for secret in secrets:
        assert not any(secret in text for text in texts)


def test_rerun_with_nothing_new_keeps_raw_and_the_marts_and_skips_the_dbt_build(clean_run):
    workspace, _ = clean_run

    def loaded_runs():
        with duckdb.connect(workspace.env["PIPELINE_WAREHOUSE"], read_only=True) as con:
            return con.execute("select source, endpoint, tenant, partition_key, run_id from raw._manifests "
                               "order by all").fetchall()

    before = fingerprint(workspace), loaded_runs()
    result = workspace.pipeline("run", *WINDOW)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "dbt build skipped" in result.stdout
    assert (fingerprint(workspace), loaded_runs()) == before
