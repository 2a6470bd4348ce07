"""Real simulator data, extracted over HTTP, landed, loaded and built by dbt, against the simulator's truth.

Also the late change across runs: a SmartPyme sale annulled after its month was first loaded ends up
annulled once the look-back re-extracts that month.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from dbt_build import BuildResult, dbt_build
from support import load, partitions

from pipeline.config import RetryPolicy, Settings
from pipeline.simulator.testing import SimulatorHandle, start_simulator
from pipeline.sources import extract, load_settings
from pipeline.warehouse import Warehouse, open_warehouse

ENDPOINTS = {
    "troyansys": ["sales", "purchases", "accounting", "inventory", "dashboard"],
    "smartpyme": ["sales", "sales_summary"],
    "serpi": ["document_types", "documents"],
    "arrendasoft": ["invoices"],
}
TENANTS = ["acme_ec", "tienda_sv", "contable_co", "inmobiliaria_co"]
START, END = date(2025, 1, 1), date(2025, 3, 31)
AS_OF = END


@dataclass
class SimulatedWarehouse:
    sim: SimulatorHandle
    settings: Settings
    work: Path
    first_build: BuildResult
    unbalanced_id: str = ""

    def rows(self, sql: str) -> list[tuple]:
        with self.warehouse.session(read_only=True) as session:
            return session.rows(sql)

    @property
    def warehouse(self) -> Warehouse:
        return open_warehouse(self.settings.warehouse, self.settings.serving)

    def extract_and_load(self, tenant: str, endpoints: list[str], start: date, run_id: str) -> None:
        connection = self.settings.connection(tenant)
        for endpoint in endpoints:
            for partition in partitions(connection, endpoint, start, END, AS_OF):
                extract(self.settings, connection, endpoint, partition, run_id)
            load(self.settings, connection.source, endpoint)

    def build(self, select: str | None = None, full_refresh: bool = False) -> BuildResult:
        return dbt_build(self.warehouse, self.work, AS_OF.isoformat(), select=select, full_refresh=full_refresh)


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimulatedWarehouse]:
    work = tmp_path_factory.mktemp("dbt_simulated")
    with start_simulator(seed=5, scale=1, today=date(2025, 6, 30)) as sim:
        env = sim.write_connections(work / "connections.yaml", tenants=TENANTS)
        env = {**env, "PIPELINE_RAW_DIR": str(work / "raw"), "PIPELINE_WAREHOUSE": str(work / "warehouse.duckdb")}
        settings = replace(load_settings(work / "connections.yaml", environ=env),
                           retry=RetryPolicy(attempts=3, initial_wait=0.01, max_wait=0.05))
        built = SimulatedWarehouse(sim=sim, settings=settings, work=work, first_build=None)  # type: ignore[arg-type]
        injected = sim.control.inject(source="serpi", tenant="contable_co", kind="unbalanced_document",
                                      date="2025-02-14")
        built.unbalanced_id = str(injected["ids"][0])
        for tenant in TENANTS:
            built.extract_and_load(tenant, ENDPOINTS[settings.connection(tenant).source], START, "run-1")
        built.first_build = built.build()
        yield built


def test_build_over_simulator_data_succeeds(simulated: SimulatedWarehouse) -> None:
    assert simulated.first_build.success


@pytest.mark.parametrize(("tenant", "source", "entity", "total_field"), [
    ("acme_ec", "troyansys", "sales", "total"),
    ("tienda_sv", "smartpyme", "sales", "total"),
])
def test_windowed_sales_match_simulator_truth_to_the_cent(simulated: SimulatedWarehouse, tenant: str, source: str,
                                                          entity: str, total_field: str) -> None:
    truth = simulated.sim.control.truth(source=source, tenant=tenant, entity=entity, date_from=START, date_to=END)
    rows = simulated.rows(
        f"select count(*), sum(total) from marts.fct_sales where tenant = '{tenant}' "
        f"and issue_date between '{START}' and '{END}'")
    assert rows == [(truth["count"], Decimal(truth["sums"][total_field]))]


def test_smartpyme_lines_match_simulator_truth(simulated: SimulatedWarehouse) -> None:
    truth = simulated.sim.control.truth(source="smartpyme", tenant="tienda_sv", entity="sales",
                                        date_from=START, date_to=END)
    rows = simulated.rows("select count(*), sum(line_total), sum(cost_total) from marts.fct_sales_lines")
    assert rows == [(truth["lines"], Decimal(truth["line_sums"]["total"]), Decimal(truth["line_sums"]["total_costo"]))]


def test_arrendasoft_snapshot_matches_simulator_truth(simulated: SimulatedWarehouse) -> None:
    truth = simulated.sim.control.truth(source="arrendasoft", tenant="inmobiliaria_co", entity="invoices")
    rows = simulated.rows(
        "select count(*), sum(total), sum(balance_due) from marts.fct_sales where tenant = 'inmobiliaria_co'")
    assert rows == [(truth["count"], Decimal(truth["sums"]["valor_total"]), Decimal(truth["sums"]["saldo"]))]


def test_serpi_journal_matches_simulator_truth(simulated: SimulatedWarehouse) -> None:
    truth = simulated.sim.control.truth(source="serpi", tenant="contable_co", entity="documents",
                                        date_from=START, date_to=END)
    rows = simulated.rows(
        "select count(*), sum(debit), sum(credit) from marts.fct_journal_lines where tenant = 'contable_co'")
    assert rows == [(truth["lines"], Decimal(truth["sums"]["debit"]), Decimal(truth["sums"]["credit"]))]


def test_injected_unbalanced_document_is_listed_in_rpt_unbalanced_entries_and_only_there(
        simulated: SimulatedWarehouse) -> None:
    assert simulated.rows(
        "select tenant, source, entry_id, entry_date, difference from marts.rpt_unbalanced_entries"
    ) == [("contable_co", "serpi", simulated.unbalanced_id, date(2025, 2, 14), Decimal("1000"))]


def test_the_only_mismatch_is_the_period_of_the_injected_unbalanced_document(simulated: SimulatedWarehouse) -> None:
    mismatched = simulated.rows(
        "select tenant, check_name, window_start, difference from marts.rpt_reconciliation "
        "where status = 'mismatch'")
    assert mismatched == [("contable_co", "serpi.journal.debits_vs_credits", date(2025, 2, 1), Decimal("-1000"))]


SMARTPYME_MODELS = "base_smartpyme__sales+ base_smartpyme__sales_summary+"
MARTS_AFTER_RERUN = ("fct_sales", "fct_sales_lines", "fct_receivables", "rpt_reconciliation")


def test_sale_annulled_after_loading_ends_up_annulled_after_the_lookback_rerun(
        simulated: SimulatedWarehouse) -> None:
    """The rerun builds the base models incrementally (only the new run's pages); a full refresh agrees."""
    (sale_id,), = simulated.rows(
        "select min(document_id::bigint)::varchar from marts.fct_sales where tenant = 'tienda_sv' "
        "and status in ('Completada', 'Pendiente', 'Pagada') and issue_date >= '2025-03-01'")
    simulated.sim.control.mutate(source="smartpyme", tenant="tienda_sv", id=int(sale_id), action="annul")
    simulated.extract_and_load("tienda_sv", ["sales", "sales_summary"], date(2025, 3, 1), "run-2")
    rebuilt = simulated.build(select=SMARTPYME_MODELS)
    assert rebuilt.success
    assert simulated.rows(
        f"select status, balance_due from marts.fct_sales where tenant = 'tienda_sv' and document_id = '{sale_id}'"
    ) == [("Anulada", Decimal("0.0000"))]
    assert simulated.rows(
        f"select count(*) from marts.fct_receivables where tenant = 'tienda_sv' and document_id = '{sale_id}'"
    ) == [(0,)]
    assert simulated.rows(
        "select distinct status from marts.rpt_reconciliation where tenant = 'tienda_sv'") == [("match",)]
    assert simulated.rows("select distinct run_id from staging.base_smartpyme__sales where partition_key = '2025-03'"
                          ) == [("run-2",)]
    incremental = {name: simulated.rows(f"select * from marts.{name} order by all") for name in MARTS_AFTER_RERUN}
    assert simulated.build(select=SMARTPYME_MODELS, full_refresh=True).success
    assert {name: simulated.rows(f"select * from marts.{name} order by all") for name in MARTS_AFTER_RERUN
            } == incremental
