"""Fixtures: the known warehouse (a DuckDB file with hand-written marts) and a report written from it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from pipeline.finance_report import ReportSummary, write_report

from .known_warehouse import AS_OF, statements
from .page_reader import page_data

Query = Callable[[str], list[tuple]]


def build_warehouse(path: Path, **options) -> Path:
    con = duckdb.connect(str(path))
    try:
        for statement in statements(**options):
            con.execute(statement)
    finally:
        con.close()
    return path


class Warehouse:
    """A read-only connection to a warehouse file; `query` is what `write_report` is given."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.con = duckdb.connect(str(path), read_only=True)

    def query(self, sql: str) -> list[tuple]:
        return self.con.execute(sql).fetchall()

    def close(self) -> None:
        self.con.close()


INCOME_COLUMNS = ("income", "costs_and_expenses", "net_income", "net_income_ytd")
BALANCE_COLUMNS = ("assets", "liabilities", "equity", "result_to_date", "difference")


def statement_figures_in_marts(warehouse: Warehouse) -> dict[tuple[str, str, str], Decimal]:
    """What the report must show of the statements: (tenant, period, column) -> amount, every month of the
    income statement and the last month of the balance sheet."""
    expected = {}
    for tenant, period, *values in warehouse.query(
            f"select tenant, period, {', '.join(INCOME_COLUMNS)} from marts.rpt_income_statement"):
        expected.update({(tenant, period.isoformat(), c): v for c, v in zip(INCOME_COLUMNS, values, strict=True)})
    for tenant, period, *values in warehouse.query(
            f"select tenant, period, {', '.join(BALANCE_COLUMNS)} from marts.rpt_balance_sheet as b"
            " where period = (select max(period) from marts.rpt_balance_sheet as l where l.tenant = b.tenant)"):
        expected.update({(tenant, period.isoformat(), c): v for c, v in zip(BALANCE_COLUMNS, values, strict=True)})
    return expected


@dataclass(frozen=True)
class WrittenReport:
    summary: ReportSummary
    html: str
    data: dict


@pytest.fixture(scope="session")
def warehouse_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("known_warehouse") / "warehouse.duckdb")


@pytest.fixture(scope="session")
def warehouse(warehouse_file: Path) -> Iterator[Warehouse]:
    known = Warehouse(warehouse_file)
    yield known
    known.close()


@pytest.fixture(scope="session")
def report(warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> WrittenReport:
    """The report of the known warehouse at its as-of date, written once per test process."""
    out = tmp_path_factory.mktemp("report") / "report.html"
    summary = write_report(warehouse.query, out)
    html = out.read_text(encoding="utf-8")
    assert summary.as_of == AS_OF
    return WrittenReport(summary, html, page_data(html))
