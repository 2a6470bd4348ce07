"""The summary `pipeline run` prints: what each asset did, what failed and why, which connections are stale,
what the published marts hold, and what reconciliation and the quality checks found."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from dagster import AssetCheckSeverity, ExecuteInProcessResult
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pipeline.warehouse.base import Query

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
    "rpt_income_statement": "net_income",
    "rpt_balance_sheet": None,
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
class CheckOutcome:
    asset: str
    check: str
    error: bool  # severity ERROR (else WARN)
    details: list[str] = field(default_factory=list)


@dataclass
class RunReport:
    succeeded: bool
    duration_s: float
    assets: list[AssetOutcome] = field(default_factory=list)
    failed_checks: list[CheckOutcome] = field(default_factory=list)

    @property
    def failed_error_checks(self) -> list[CheckOutcome]:
        return [check for check in self.failed_checks if check.error]

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
            # The first is the run's own (its totals); per-month materializations follow it.
            outcomes.setdefault(name, AssetOutcome(name, True, meta.get("records"), meta.get("pages")))
        for event in result.all_events:
            if event.is_step_failure:
                error = event.event_specific_data.error
                while error and error.cause:
                    error = error.cause
                message = re.sub(r"^[\w.]*(Failure|Error|Exception): ", "", error.message.strip()) if error else "failed"
                name = asset_names.get(event.step_key, event.step_key)
                outcomes[name] = AssetOutcome(name, False, error=message)
        checks = [_check_outcome(evaluation) for evaluation in result.get_asset_check_evaluations()
                  if not evaluation.passed]
        return cls(result.success, duration_s, sorted(outcomes.values(), key=lambda o: o.asset),
                   sorted(checks, key=lambda c: (not c.error, c.asset, c.check)))


def _check_outcome(evaluation: Any) -> CheckOutcome:
    meta = {k: getattr(v, "value", v) for k, v in evaluation.metadata.items()}
    details = []
    for row in meta.get("failures") or []:
        details.append(f"{row.get('tenant')} {row.get('partition')}: {row.get('error')}")
    for row in meta.get("mismatches") or []:
        details.append(f"{row.get('tenant')} {row.get('partition')}: {row.get('mismatch')}")
    if not details and meta.get("failing_rows"):
        details.append(f"{meta['failing_rows']} rows")
    return CheckOutcome(evaluation.asset_key.to_user_string(), evaluation.check_name,
                        evaluation.severity == AssetCheckSeverity.ERROR, details)


@dataclass
class Findings:
    """What the published marts say about the data: warnings, failures only under --strict (mismatches,
    unbalanced entries, schema drift); stale connections fail the run in any case."""

    mismatches: list[tuple] = field(default_factory=list)
    matches: int = 0
    unbalanced: int = 0
    quarantined: int = 0
    quarantine_reasons: list[tuple] = field(default_factory=list)
    drift: list[tuple] = field(default_factory=list)
    stale: list[tuple] = field(default_factory=list)
    marts: list[tuple] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.mismatches) + self.unbalanced + len(self.drift)


def read_findings(query: Query) -> Findings:
    """From the published marts (portable SQL: the DuckDB serving copy or PostgreSQL's marts schema)."""
    findings = Findings()
    tables = {name for (name,) in query(
        "select table_name from information_schema.tables where table_schema = 'marts'")}
    if "rpt_reconciliation" in tables:
        findings.matches = query("select count(*) from marts.rpt_reconciliation where status = 'match'")[0][0]
        findings.mismatches = query(
            "select tenant, check_name, window_start, window_end, snapshot_date, expected, actual, difference "
            "from marts.rpt_reconciliation where status <> 'match' order by 1, 2, 3, 5")
    if "rpt_unbalanced_entries" in tables:
        findings.unbalanced = query("select count(*) from marts.rpt_unbalanced_entries")[0][0]
    if "rpt_quarantined_records" in tables:
        findings.quarantine_reasons = query(
            "select tenant, entity, reason, count(*) from marts.rpt_quarantined_records "
            "group by tenant, entity, reason order by 1, 2, 3")
        findings.quarantined = sum(row[3] for row in findings.quarantine_reasons)
    if "rpt_schema_drift" in tables:
        findings.drift = query("select tenant, source, endpoint, field, pages, records, last_partition "
                               "from marts.rpt_schema_drift order by 1, 2, 3, 4")
    if "rpt_connection_freshness" in tables:
        findings.stale = query("select tenant, source, endpoint, last_extracted_at, stale_reason "
                               "from marts.rpt_connection_freshness where status = 'stale' order by 1, 2, 3")
    for mart, column in MART_TOTALS.items():
        if mart not in tables:
            continue
        if column is None:
            findings.marts.append((mart, "", "", query(f"select count(*) from marts.{mart}")[0][0], ""))
            continue
        currency = "currency" if query(
            "select count(*) from information_schema.columns where table_schema = 'marts' "
            f"and table_name = '{mart}' and column_name = 'currency'")[0][0] else "cast(null as varchar)"
        findings.marts += query(f"select '{mart} ({column})', tenant, {currency}, count(*), sum({column}) "
                                f"from marts.{mart} group by tenant, {currency} order by 2")
    return findings


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
    for check in report.failed_checks:
        colour = "red" if check.error else "yellow"
        console.print(f"[{colour}]check {check.check} on {check.asset} failed[/]"
                      + "".join(f"\n  {escape(line)}" for line in check.details[:20]), soft_wrap=True,
                      highlight=False)
    if findings is None:
        return
    _print_findings(console, findings)


def _print_findings(console: Console, findings: Findings) -> None:
    for tenant, source, endpoint, last, reason in findings.stale:
        console.print(f"[red]stale[/] {tenant} {source}/{endpoint}: rows as of its last good extraction "
                      f"({last or 'never'}); {escape(reason or '')}", soft_wrap=True, highlight=False)
    marts = Table(title="Marts (as published)", title_justify="left")
    for column in ("mart (amount summed)", "tenant", "currency", "rows", "sum"):
        marts.add_column(column, justify="right" if column in ("rows", "sum") else "left")
    for mart, tenant, currency, rows, total in findings.marts:
        marts.add_row(mart, tenant or "", currency or "", f"{rows:,}", "" if total in (None, "") else f"{total:,.2f}")
    console.print(marts)
    console.print(
        f"Reconciliation: [green]{findings.matches} match[/], "
        f"{'[yellow]' if findings.mismatches else ''}{len(findings.mismatches)} mismatch"
        f"{'[/]' if findings.mismatches else ''}; unbalanced entries: {findings.unbalanced}; "
        f"quarantined records: {findings.quarantined}; schema drift: {len(findings.drift)}; "
        f"stale connections: {len({row[0] for row in findings.stale})}"
    )
    for tenant, check, start, end, snapshot, expected, actual, difference in findings.mismatches[:20]:
        window = f"{start}..{end}" if start else f"snapshot {snapshot}"
        console.print(f"  [yellow]mismatch[/] {tenant} {check} {window}: "
                      f"expected {expected}, actual {actual}, difference {difference}")
    for tenant, entity, reason, count in findings.quarantine_reasons[:20]:
        console.print(f"  quarantined {tenant} {entity}: {count} x {reason}")
    for tenant, source, endpoint, field_name, pages, records, last in findings.drift:
        console.print(f"  [yellow]schema drift[/] {tenant} {source}/{endpoint}: field {field_name} missing from "
                      f"every record of {pages} pages ({records} records, last in {last}): the API renamed or "
                      "removed it; its records are quarantined")


def _n(value: int | None) -> str:
    return "" if value is None else f"{value:,}"
