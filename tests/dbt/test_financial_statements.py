"""The income statement and the balance sheet over real simulator data, on both engines: every figure of both
statements against the journal lines the simulator served, for a tenant whose posted entries all balance
(acme_ec, Troyansys: its unbalanced drafts are not posted) and for one with an unbalanced document (contable_co,
SERPI: one document's first line 1000 too large), worked out here in Python from the served records."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from itertools import accumulate

import pytest
from dbt_build import BuildResult, dbt_build
from support import load, partitions

from pipeline.config import RetryPolicy, Settings
from pipeline.simulator.encoding import to_decimal
from pipeline.simulator.testing import SimulatorHandle, start_simulator
from pipeline.sources import extract, load_settings
from pipeline.warehouse import open_warehouse

pytestmark = pytest.mark.xdist_group("dbt")

JOURNALS = {"acme_ec": ("troyansys", "accounting", ["accounting"]),
            "contable_co": ("serpi", "documents", ["document_types", "documents"])}
START, END = date(2025, 1, 1), date(2025, 3, 31)
MONTHS = [date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)]
UNBALANCED_ON = date(2025, 2, 14)
ZERO = Decimal(0)
INCOME_COLUMNS = "income, costs_and_expenses, net_income, net_income_ytd"
BALANCE_COLUMNS = "assets, liabilities, equity, result_to_date, difference"


@dataclass(frozen=True)
class Line:
    period: date
    account_class: str
    debit: Decimal
    credit: Decimal


@dataclass(frozen=True)
class Simulated:
    sim: SimulatorHandle
    settings: Settings
    build: BuildResult
    unbalanced_id: int

    def rows(self, sql: str) -> list[tuple]:
        with open_warehouse(self.settings.warehouse, self.settings.serving).session(read_only=True) as session:
            return session.rows(sql)


@pytest.fixture(scope="module", params=["duckdb", "postgres"])
def simulated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Simulated]:
    work = tmp_path_factory.mktemp(f"statements_{request.param}")
    if request.param == "duckdb":
        url = str(work / "warehouse.duckdb")
    else:
        server = request.getfixturevalue("postgres_server")
        url = server.url(server.create_database())
    with start_simulator(seed=5, scale=1, today=date(2025, 6, 30)) as sim:
        env = sim.write_connections(work / "connections.yaml", tenants=list(JOURNALS))
        env = {**env, "PIPELINE_RAW_DIR": str(work / "raw"), "PIPELINE_WAREHOUSE": url}
        settings = replace(load_settings(work / "connections.yaml", environ=env),
                           retry=RetryPolicy(attempts=3, initial_wait=0.01, max_wait=0.05))
        injected = sim.control.inject(source="serpi", tenant="contable_co", kind="unbalanced_document",
                                      date=UNBALANCED_ON.isoformat())
        for tenant, (source, _, endpoints) in JOURNALS.items():
            connection = settings.connection(tenant)
            for endpoint in endpoints:
                for partition in partitions(connection, endpoint, START, END, END):
                    extract(settings, connection, endpoint, partition, "run-1")
                load(settings, source, endpoint)
        build = dbt_build(open_warehouse(settings.warehouse, settings.serving), work, END.isoformat())
        if build.success:
            open_warehouse(settings.warehouse, settings.serving).publish(["staging.stg_quarantined_records"])
        yield Simulated(sim, settings, build, int(injected["ids"][0]))


def served_records(sim: SimulatorHandle, tenant: str) -> list[dict]:
    source, entity, _ = JOURNALS[tenant]
    selection = sim.world.select(source, tenant, entity, start=START, end=END)
    return sim.world.records(selection, 0, selection.total)


def posted_lines(sim: SimulatorHandle, tenant: str) -> list[Line]:
    """The posted journal lines the simulator served, as the warehouse contract reads them."""
    if JOURNALS[tenant][0] == "serpi":
        return [Line(date.fromisoformat(str(r["fechaDocumento"])[:10]).replace(day=1), str(d["cuenta"])[0],
                     to_decimal(d["valor"]) if d["naturaleza"] == "D" else ZERO,
                     to_decimal(d["valor"]) if d["naturaleza"] == "C" else ZERO)
                for r in served_records(sim, tenant) for d in r["detalles"]]
    return [Line(date.fromisoformat(r["entry_date"]).replace(day=1), str(ln["account_code"])[0],
                 to_decimal(ln["debit"]) or ZERO, to_decimal(ln["credit"]) or ZERO)
            for r in served_records(sim, tenant) if r["status"] == "posted" for ln in r.get("lines") or []]


def movement(lines: list[Line], period: date, classes: str, sign: int) -> Decimal:
    """sign 1: debit - credit; -1: credit - debit; of the lines in `classes` in the month."""
    return sum((sign * (ln.debit - ln.credit) for ln in lines if ln.period == period and ln.account_class in classes),
               ZERO)


def income_statement(lines: list[Line]) -> list[tuple]:
    income = [movement(lines, m, "4", -1) for m in MONTHS]
    costs = [movement(lines, m, "567", 1) for m in MONTHS]
    net = [i - c for i, c in zip(income, costs, strict=True)]
    return list(zip(MONTHS, income, costs, net, accumulate(net), strict=True))  # one year: ytd = cumulative


def balance_sheet(lines: list[Line]) -> list[tuple]:
    assets = list(accumulate(movement(lines, m, "1", 1) for m in MONTHS))
    liabilities = list(accumulate(movement(lines, m, "2", -1) for m in MONTHS))
    equity = list(accumulate(movement(lines, m, "3", -1) for m in MONTHS))
    result = list(accumulate(row[3] for row in income_statement(lines)))
    return [(m, a, li, e, r, a - li - e - r)
            for m, a, li, e, r in zip(MONTHS, assets, liabilities, equity, result, strict=True)]


def mart(simulated: Simulated, table: str, columns: str, tenant: str) -> list[tuple]:
    return simulated.rows(f"select period, {columns} from marts.{table} where tenant = '{tenant}' order by period")


def test_both_statements_build_with_their_integrity_tests_passing(simulated: Simulated) -> None:
    assert simulated.build.success
    statuses = {name: status for name, status in simulated.build.statuses.items()
                if "income_statement" in name or "balance_sheet" in name}
    assert len(statuses) == 7 and set(statuses.values()) <= {"success", "pass"}, statuses


@pytest.mark.parametrize("tenant", list(JOURNALS))
def test_income_statement_is_the_served_posted_lines(simulated: Simulated, tenant: str) -> None:
    expected = income_statement(posted_lines(simulated.sim, tenant))
    assert mart(simulated, "rpt_income_statement", INCOME_COLUMNS, tenant) == expected
    assert all(row[1] > 0 and row[2] > 0 for row in expected)  # every month has income and costs to check


@pytest.mark.parametrize("tenant", list(JOURNALS))
def test_balance_sheet_is_the_served_posted_lines(simulated: Simulated, tenant: str) -> None:
    expected = balance_sheet(posted_lines(simulated.sim, tenant))
    assert mart(simulated, "rpt_balance_sheet", BALANCE_COLUMNS, tenant) == expected
    assert all(row[1] != 0 and row[2] != 0 for row in expected)


def test_balanced_tenant_has_zero_difference_and_leaves_its_drafts_out(simulated: Simulated) -> None:
    drafts = [ln for r in served_records(simulated.sim, "acme_ec") if r["status"] != "posted"
              for ln in r.get("lines") or [] if to_decimal(ln["debit"]) or to_decimal(ln["credit"])]
    assert drafts  # served with amounts: the statements above match only because they leave them out
    assert [row[5] for row in mart(simulated, "rpt_balance_sheet", BALANCE_COLUMNS, "acme_ec")] == [ZERO] * 3


def test_unbalanced_document_is_the_difference_from_its_month_on(simulated: Simulated) -> None:
    (document,) = [r for r in served_records(simulated.sim, "contable_co") if r["id"] == simulated.unbalanced_id]
    assert str(document["detalles"][0]["cuenta"])[0] in "1234567"  # the extra 1000 is in the statements' classes
    assert simulated.rows("select entry_id, difference from marts.rpt_unbalanced_entries "
                          "where tenant = 'contable_co'") == [(str(simulated.unbalanced_id), Decimal("1000.0000"))]
    differences = [row[5] for row in mart(simulated, "rpt_balance_sheet", BALANCE_COLUMNS, "contable_co")]
    assert differences == [ZERO, Decimal(1000), Decimal(1000)]  # January balances; February on carries it
