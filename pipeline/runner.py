"""`pipeline run`: one whole run in this process, through Dagster, with progress a person can follow."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from datetime import date

from dagster import AssetSelection, DagsterInstance
from rich.console import Console

from pipeline.config import Settings
from pipeline.filesystem import why_unwritable
from pipeline.landing.load import loaded_landings
from pipeline.orchestration.alerts import failed_checks_text, failed_run_text, send_alert
from pipeline.orchestration.assets.extraction import REUSE_TAG, first_month_to_run
from pipeline.orchestration.assets.resources import attach_listener, warehouse_of
from pipeline.orchestration.definitions import DAILY_JOB, build_definitions, lookback_start, range_tags
from pipeline.orchestration.run_history import (
    fail_killed_runs,
    for_one_long_run,
    process_tags,
    record_run,
    records_live,
    run_instance,
)
from pipeline.sources import SOURCES
from pipeline.summary import RunReport, print_report, read_findings
from pipeline.warehouse import WarehouseUnavailable

# Dagster's own event log is for the UI (DAGSTER_HOME); the terminal gets our progress lines and the summary,
# which carries every failure's message (a Failure's stack trace helps nobody running the pipeline).
QUIET_LOGS = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


@dataclass(frozen=True)
class RunRequest:
    start: date
    end: date
    as_of: date
    select: str | None = None
    strict: bool = False
    record: bool = True
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
    try:
        warehouse = warehouse_of(settings)
        warehouse.check()
    except WarehouseUnavailable as error:
        raise RunRefused(str(error)) from None
    return warehouse.remove_leftovers()


def _range_start(settings: Settings, request: RunRequest, console: Console) -> date:
    """The run's first month: the look-back's, or earlier where a month is not yet landed and loaded (all of
    the window's with --refresh)."""
    start = min(request.start, lookback_start(settings, request.end))
    if request.refresh:
        return start
    warehouse = warehouse_of(settings)
    with warehouse.lock(on_wait=lambda text: console.print(f"  {text}", highlight=False)):
        loaded = loaded_landings(warehouse)
    return first_month_to_run(settings, SOURCES, loaded, start, request.end)


def _selection(defs, select: str | None) -> list | None:
    if not select:
        return None
    return list(AssetSelection.from_string(select).resolve(defs.resolve_asset_graph()))


def _history(request: RunRequest, console: Console) -> DagsterInstance | None:
    """DAGSTER_HOME's instance when the run is to be on record (None: not, or it cannot be opened)."""
    if not request.record:
        return None
    try:
        return DagsterInstance.get()
    except Exception as error:  # storage down: the marts are built either way
        _not_recorded(console, "this run", error)
        return None


def _not_recorded(console: Console, what: str, error: Exception) -> None:
    console.print(f"  warning: {what} not recorded in DAGSTER_HOME's history "
                  f"({type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''})", highlight=False)


def _record(instance: DagsterInstance, run_id: str, history: DagsterInstance, console: Console) -> None:
    """Into DAGSTER_HOME's history; a history that cannot be written costs the run nothing but a warning."""
    try:
        record_run(instance, run_id, history)
    except Exception as error:  # storage down, a locked SQLite file: the marts are built either way
        _not_recorded(console, f"run {run_id[:8]}", error)


def _live_instance(history: DagsterInstance | None, console: Console) -> DagsterInstance | None:
    """DAGSTER_HOME's instance when the run can execute on it, recorded as it happens (PostgreSQL storage);
    runs of this host's earlier `pipeline run`s whose process is gone are marked failed first."""
    if history is None or not records_live(history):
        return None
    try:
        killed = fail_killed_runs(history)
    except Exception as error:  # the history's storage hiccups: the run itself need not wait for it
        _not_recorded(console, "the end of killed runs", error)
        killed = []
    for run_id in killed:
        console.print(f"  run {run_id[:8]} was killed before it ended: marked failed in the Dagster history",
                      highlight=False)
    return for_one_long_run(history)


def _alert(run_id: str, report: RunReport) -> None:
    """What the daemon's alert sensors post for scheduled runs (pipeline.orchestration.sensors), for this run."""
    if report.succeeded and not report.failed_error_checks:
        return
    if not report.succeeded:
        failed = [f"{a.asset}: {a.error}" for a in report.assets if not a.ok]
        send_alert(failed_run_text(run_id, "pipeline run", failed[0] if failed else "see its output"),
                   {"run_id": run_id, "job": "pipeline run", "status": "failure", "failed": failed})
    else:
        checks = [f"{c.asset}:{c.check}" for c in report.failed_error_checks]
        send_alert(failed_checks_text(run_id, "pipeline run", checks),
                   {"run_id": run_id, "job": "pipeline run", "status": "failed_checks", "checks": checks,
                    "details": [d for c in report.failed_error_checks for d in c.details]})


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
    tags = range_tags(settings, _range_start(settings, request, console), request.end, request.as_of)
    tags[REUSE_TAG] = "false" if request.refresh else "true"
    console.print(
        f"[bold]pipeline run[/] window {request.start} .. {request.end} (months {tags['dagster/asset_partition_range_start']}"
        f" .. {tags['dagster/asset_partition_range_end']}: the look-back and what is not yet landed and loaded), as of {request.as_of}, "
        f"{len(settings.connections)} connections, warehouse {settings.warehouse.describe()}"
    )
    started = time.monotonic()
    history = _history(request, console)
    live = _live_instance(history, console)
    if live is not None:
        tags.update(process_tags())
    instance = live or run_instance()
    attach_listener(TerminalProgress(console))
    try:
        # The daily job's definition, so the UI's history names the job the schedule runs too.
        result = defs.resolve_job_def(DAILY_JOB).execute_in_process(
            instance=instance, tags=tags, run_config=QUIET_LOGS, raise_on_error=False,
            asset_selection=_selection(defs, request.select))
    finally:
        attach_listener(None)
    if history is not None and live is None:
        _record(instance, result.run_id, history, console)
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
    _alert(result.run_id, report)
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
