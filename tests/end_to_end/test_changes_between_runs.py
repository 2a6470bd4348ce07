"""What changes at the source between two nightly runs shows up in the marts after the second one; findings
about the data are warnings, and `--strict` turns the same findings into a failed run."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from pipeline.simulator.testing import start_simulator

TODAY = date(2025, 3, 31)
FIRST, SECOND = date(2025, 3, 30), date(2025, 3, 31)

pytestmark = pytest.mark.xdist_group("changes")


def run(workspace, as_of: date, *options: str):
    return workspace.pipeline("run", "--end", as_of.isoformat(), "--as-of", as_of.isoformat(), *options)


@pytest.fixture(scope="module")
def simulator():
    with start_simulator(seed=13, scale=1, today=TODAY) as sim:
        yield sim


@pytest.fixture(scope="module")
def two_runs(simulator, workspace_factory):
    unbalanced = simulator.control.inject(source="serpi", tenant="contable_co", kind="unbalanced_document",
                                          date="2025-03-10")["ids"][0]
    workspace = workspace_factory(simulator, name="changes", tenants=["inmobiliaria_co", "tienda_sv", "contable_co"])
    first = run(workspace, FIRST)
    (invoice,), = workspace.query(
        "select document_id from marts.fct_receivables where tenant = 'inmobiliaria_co' "
        "order by balance_due desc limit 1")
    (sale,), = workspace.query(
        "select document_id from marts.fct_receivables where tenant = 'tienda_sv' "
        "and issue_date >= '2025-03-15' order by document_id limit 1")
    simulator.control.mutate(source="arrendasoft", tenant="inmobiliaria_co", action="pay", id=int(invoice))
    simulator.control.mutate(source="smartpyme", tenant="tienda_sv", action="annul", id=int(sale))
    second = run(workspace, SECOND, "--strict")
    return workspace, invoice, sale, str(unbalanced), first, second


@pytest.fixture(scope="module")
def connection_removed(simulator, two_runs):
    """A third run after contable_co left the file (the tests using it come last in this module)."""
    workspace, *_ = two_runs
    simulator.write_connections(workspace.root / "connections.yaml", tenants=["inmobiliaria_co", "tienda_sv"])
    return workspace, run(workspace, SECOND)


def test_paid_invoice_leaves_receivables_and_its_balance_history_keeps_both_snapshots(two_runs):
    workspace, invoice, *_ = two_runs
    history = workspace.query(
        "select snapshot_date, balance_due from marts.fct_invoice_balance_snapshots "
        "where tenant = 'inmobiliaria_co' and document_id = ? order by 1", [invoice])
    assert [day for day, _ in history] == [FIRST, SECOND]
    assert history[0][1] > 0 and history[1][1] == Decimal("0")
    assert not workspace.query("select 1 from marts.fct_receivables where document_id = ? "
                               "and tenant = 'inmobiliaria_co'", [invoice])


def test_sale_annulled_after_the_first_run_is_annulled_in_the_marts(two_runs):
    workspace, _, sale, *_ = two_runs
    assert workspace.query("select status from marts.fct_sales where tenant = 'tienda_sv' and document_id = ?",
                           [sale]) == [("Anulada",)]
    assert not workspace.query("select 1 from marts.fct_receivables where tenant = 'tienda_sv' "
                               "and document_id = ?", [sale])


def test_unbalanced_document_is_a_warning_in_the_summary_and_the_run_succeeds(two_runs):
    workspace, *_, entry_id, first, _ = two_runs
    assert first.returncode == 0, first.stdout + first.stderr
    assert "1 mismatch" in first.stdout and "unbalanced entries: 1" in first.stdout
    assert workspace.query("select entry_id from marts.rpt_unbalanced_entries") == [(entry_id,)]


def test_strict_turns_the_same_finding_into_a_failed_run_that_still_publishes(two_runs):
    *_, second = two_runs
    assert second.returncode == 1, second.stdout + second.stderr
    assert "--strict" in second.stdout and "Run succeeded" in second.stdout


def test_connection_removed_from_the_file_leaves_the_marts_and_the_run_succeeds(connection_removed):
    workspace, result = connection_removed
    assert result.returncode == 0, result.stdout + result.stderr
    assert not workspace.query("select 1 from marts.fct_journal_lines where tenant = 'contable_co'")
    assert workspace.query("select distinct tenant from marts.fct_sales order by 1") == [
        ("inmobiliaria_co",), ("tienda_sv",)]
