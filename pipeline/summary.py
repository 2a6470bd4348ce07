"""The summary `pipeline run` prints: what each asset did, what the marts hold, what reconciliation found."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from dagster import ExecuteInProcessResult
from rich.console import Console
from rich.markup import escape
from rich.table import Table

DBT_LAYERS = ("staging", "intermediate", "marts")
# Per mart: the money column worth a total in the summary (None: rows only).
MART_TOTALS = {
    "fct_sales": "total",
    "fct_sales_lines": "line_total",
    "fct_purchases": "total",
    "fct_inventory_valuation": "inventory_value",
    "fct_invoice_balance_snapshots": "balance_due",
    "fct_receivables": "balance_due",
    "rpt_receivables_aging": "balance_due",
    "fct_journal_lines": "debit",
    "fct_journal_balance": "debit",
    "rpt_unbalanced_entries": "difference",
    "rpt_reconciliation": None,
}


@dataclass
class AssetOutcome:
    asset: str
    ok: bool
    records: int | None = None
    pages: int | None = None
    error: str | None = None


@dataclass
class RunReport:
    succeeded: bool
    duration_s: float
    assets: list[AssetOutcome] = field(default_factory=list)
    materialized: set[str] = field(default_factory=set)

    @classmethod
    def from_result(cls, result: ExecuteInProcessResult, duration_s: float,
                    asset_names: dict[str, str] | None = None) -> RunReport:
        """`asset_names` maps Dagster step keys (`smartpyme__sales`) to asset names (`smartpyme/sales`)."""
        asset_names = asset_names or {}
        outcomes: dict[str, AssetOutcome] = {}
        for event in result.get_asset_materialization_events():
            materialization = event.event_specific_data.materialization
            name = materialization.asset_key.to_user_string()
            meta = {k: getattr(v, "value", v) for k, v in materialization.metadata.items()}
            outcomes[name] = AssetOutcome(name, True, meta.get("records"), meta.get("pages"))
        for event in result.all_events:
            if event.is_step_failure:
                error = event.event_specific_data.error
                while error and error.cause:
                    error = error.cause
                message = re.sub(r"^[\w.]*(Failure|Error|Exception): ", "", error.message.strip()) if error else "failed"
                name = asset_names.get(event.step_key, event.step_key)
                outcomes[name] = AssetOutcome(name, False, error=message)
        return cls(result.success, duration_s, sorted(outcomes.values(), key=lambda o: o.asset), set(outcomes))


@dataclass
class Findings:
    """Findings about the data: reported as warnings, failures only under --strict."""

    mismatches: list[tuple] = field(default_factory=list)
    matches: int = 0
    unbalanced: int = 0
    quarantined: int = 0
    marts: list[tuple] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.mismatches) + self.unbalanced


def read_findings(serving: Path) -> Findings:
    findings = Findings()
    with duckdb.connect(str(serving), read_only=True) as con:
        tables = {name for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'").fetchall()}
        if "rpt_reconciliation" in tables:
            findings.matches = con.execute(
                "select count(*) from marts.rpt_reconciliation where status = 'match'").fetchone()[0]
            findings.mismatches = con.execute(
                "select tenant, check_name, window_start, window_end, expected, actual, difference "
                "from marts.rpt_reconciliation where status <> 'match' order by 1, 2, 3").fetchall()
        if "rpt_unbalanced_entries" in tables:
            findings.unbalanced = con.execute("select count(*) from marts.rpt_unbalanced_entries").fetchone()[0]
        if con.execute("select count(*) from information_schema.tables where table_schema = 'staging' "
                       "and table_name = 'stg_quarantined_records'").fetchone()[0]:
            findings.quarantined = con.execute("select count(*) from staging.stg_quarantined_records").fetchone()[0]
        for mart, column in MART_TOTALS.items():
            if mart not in tables:
                continue
            if column is None:
                findings.marts.append((mart, "", "", con.execute(f"select count(*) from marts.{mart}").fetchone()[0], ""))
                continue
            currency = "currency" if _has_column(con, mart, "currency") else "null"
            findings.marts += con.execute(
                f"select '{mart} ({column})', tenant, {currency}, count(*), sum({column}) from marts.{mart} "
                f"group by all order by 2").fetchall()
    return findings


def _has_column(con: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    return bool(con.execute(
        "select count(*) from information_schema.columns where table_schema = 'marts' and table_name = ? "
        "and column_name = ?", [table, column]).fetchone()[0])


def print_report(console: Console, report: RunReport, findings: Findings | None) -> None:
    steps = Table(title=f"Run {'succeeded' if report.succeeded else 'FAILED'} in {report.duration_s:.1f} s",
                  title_justify="left")
    for column in ("asset", "status", "pages", "records"):
        steps.add_column(column, justify="right" if column in ("pages", "records") else "left")
    models = [o for o in report.assets if o.asset.split("/")[0] in DBT_LAYERS]
    for outcome in report.assets:
        if outcome in models and outcome.ok:
            continue
        status = "ok" if outcome.ok else "[red]failed[/]"
        steps.add_row(outcome.asset, status, _n(outcome.pages), _n(outcome.records))
    if models:
        steps.add_row(f"dbt models ({', '.join(DBT_LAYERS)})", f"{sum(o.ok for o in models)} ok", "", "")
    console.print(steps)
    for outcome in report.assets:
        if outcome.error:
            console.print(f"[red]{outcome.asset}[/]: {escape(outcome.error)}", soft_wrap=True, highlight=False)
    if findings is None:
        return
    marts = Table(title="Marts (serving copy)", title_justify="left")
    for column in ("mart (amount summed)", "tenant", "currency", "rows", "sum"):
        marts.add_column(column, justify="right" if column in ("rows", "sum") else "left")
    for mart, tenant, currency, rows, total in findings.marts:
        marts.add_row(mart, tenant or "", currency or "", f"{rows:,}", "" if total in (None, "") else f"{total:,.2f}")
    console.print(marts)
    console.print(
        f"Reconciliation: [green]{findings.matches} match[/], "
        f"{'[yellow]' if findings.mismatches else ''}{len(findings.mismatches)} mismatch"
        f"{'[/]' if findings.mismatches else ''}; unbalanced entries: {findings.unbalanced}; "
        f"quarantined records: {findings.quarantined}"
    )
    for tenant, check, start, end, expected, actual, difference in findings.mismatches[:20]:
        console.print(f"  [yellow]mismatch[/] {tenant} {check} {start or ''}..{end or ''}: "
                      f"expected {expected}, actual {actual}, difference {difference}")


def _n(value: int | None) -> str:
    return "" if value is None else f"{value:,}"
