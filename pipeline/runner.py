"""`pipeline run`: one whole run in this process, through Dagster, with progress a person can follow."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from datetime import date

from dagster import AssetSelection, DagsterInstance, materialize
from rich.console import Console

from pipeline.assets.extraction import REUSE_TAG
from pipeline.assets.resources import attach_listener, warehouse_of
from pipeline.config import Settings
from pipeline.definitions import build_definitions, lookback_start, range_tags
from pipeline.filesystem import why_unwritable
from pipeline.summary import RunReport, print_report, read_findings
from pipeline.warehouse import WarehouseUnavailable

# Dagster's own event log is for the UI (`--record`); the terminal gets our progress lines and the summary,
# which carries every failure's message (a Failure's stack trace helps nobody running the pipeline).
QUIET_LOGS = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


@dataclass(frozen=True)
class RunRequest:
    start: date
    end: date
    as_of: date
    select: str | None = None
    strict: bool = False
    record: bool = False
    refresh: bool = False


class RunRefused(Exception):
    """The run cannot start: one line naming the variable, path or server and why."""


@dataclass
class TerminalProgress:
    """Prints one line per landed partition: asset, tenant, partition, pages, records."""

    console: Console
    totals: dict[str, list[int]] = field(default_factory=dict)

    def partition_progress(self, asset: str, tenant: str, partition: str, pages: int, records: int) -> None:
        pass  # one line per partition is enough on a terminal; the UI shows the rest

    def note(self, text: str) -> None:
        self.console.print(f"  {text}", soft_wrap=True, highlight=False)

    def partition_done(self, asset: str, tenant: str, partition: str, pages: int, records: int) -> None:
        done = self.totals.setdefault(asset, [0, 0])
        done[0] += pages
        done[1] += records
        self.console.print(
            f"  [cyan]{asset:<24}[/] {tenant:<16} {partition:<10} {pages:>4} pages {records:>8,} records",
            soft_wrap=True,
        )


def preflight(settings: Settings, request: RunRequest) -> list[str]:
    """Everything the run will write is checked before the first API request; returns what was cleaned up.
    Raises RunRefused naming the variable and path (or the server) and why."""
    if settings.start_date > request.end:
        raise RunRefused(f"start_date {settings.start_date} in {settings.path} is after the run's end {request.end}: "
                         "nothing would be extracted (pass --end, or correct start_date)")
    outputs = [("PIPELINE_RAW_DIR", settings.raw_dir, True), ("PIPELINE_REPORT", settings.report, False)]
    for variable, path, folder in outputs:
        problem = why_unwritable(path, folder=folder)
        if problem:
            raise RunRefused(f"{variable}: {path}: {problem}")
    warehouse = warehouse_of(settings)
    try:
        warehouse.check()
    except WarehouseUnavailable as error:
        raise RunRefused(str(error)) from None
    return warehouse.remove_leftovers()


def run_pipeline(settings: Settings, request: RunRequest, console: Console | None = None) -> int:
    """Extract, land, load, build and test the marts, publish them. Returns the exit status."""
    # Off a terminal (CI, cron, `make run | tee`) rich would wrap at 80 columns and cut the tables.
    console = console or Console(highlight=False, width=None if sys.stdout.isatty() else 140)
    try:
        removed = preflight(settings, request)
    except RunRefused as refused:
        console.print(f"[red]pipeline run refused:[/] {refused}", soft_wrap=True, highlight=False)
        return 2
    for path in removed:
        console.print(f"  removed {path}, left by a run that was killed while publishing", highlight=False)
    defs = build_definitions(settings)
    start = min(request.start, lookback_start(settings, request.end))
    tags = range_tags(settings, start, request.end, request.as_of)
    tags[REUSE_TAG] = "false" if request.refresh else "true"
    console.print(
        f"[bold]pipeline run[/] window {request.start} .. {request.end} (months {tags['dagster/asset_partition_range_start']}"
        f" .. {tags['dagster/asset_partition_range_end']}, look-back included), as of {request.as_of}, "
        f"{len(settings.connections)} connections, warehouse {settings.warehouse.describe()}"
    )
    started = time.monotonic()
    attach_listener(TerminalProgress(console))
    try:
        result = materialize(
            list(defs.assets or []),
            # The SQLite event log costs ~50 ms per event here (thousands per run); the UI's history of
            # `pipeline run` is opt-in. Scheduled runs under the daemon are always recorded.
            instance=DagsterInstance.get() if request.record else DagsterInstance.ephemeral(),
            resources=defs.resources,
            tags=tags,
            run_config=QUIET_LOGS,
            selection=AssetSelection.from_string(request.select) if request.select else None,
            raise_on_error=False,
        )
    finally:
        attach_listener(None)
    step_names = {key.to_python_identifier(): key.to_user_string()
                  for key in defs.resolve_asset_graph().get_all_asset_keys()}
    report = RunReport.from_result(result, time.monotonic() - started, step_names)
    findings = None
    if report.succeeded:
        with warehouse_of(settings).published() as query:
            findings = read_findings(query) if query else None
    print_report(console, report, findings)
    if any(outcome.asset == "serving/finance_report" and outcome.ok for outcome in report.assets):
        console.print(f"Finance report: {settings.report.resolve()}", soft_wrap=True, highlight=False)
    if not report.succeeded:
        return 1
    if report.failed_error_checks:
        console.print("[red]some connections could not be extracted: the marts of the others are published; "
                      "the failed ones are stale (above)[/]", soft_wrap=True)
        return 1
    if request.strict and findings and findings.count:
        console.print("[red]--strict: findings about the data fail this run[/]")
        return 1
    return 0
