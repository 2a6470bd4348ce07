"""`pipeline run`, `pipeline report`, `pipeline bi-role`, `pipeline simulate`, `pipeline demo`, `pipeline dev`."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import click
import httpx

from pipeline.config import ConfigError, Settings
from pipeline.orchestration.instance import ensure_dagster_home
from pipeline.sources import load_settings

DEMO_PORT = 8765
REPO_ROOT = Path(__file__).resolve().parents[1]


class IsoDate(click.ParamType):
    """A calendar date `YYYY-MM-DD`; an impossible one (2026-02-29) is refused with the reason."""

    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value)
        except ValueError as error:
            self.fail(f"{value!r} is not a calendar date in YYYY-MM-DD form ({error})", param, ctx)


@click.group()
def main() -> None:
    """Nightly ETL from Troyansys, SmartPyme, SERPI and Arrendasoft into a DuckDB or PostgreSQL warehouse."""


def _settings(secrets: bool = True) -> Settings | None:
    """The connections file and environment, or None after printing why they are not usable. Commands that
    reach only the warehouse pass secrets=False: the API credentials need not be set for them."""
    try:
        return load_settings(secrets=secrets)
    except ConfigError as error:
        click.echo(f"The connections file or the environment is not usable:\n{error}", err=True)
        return None


@main.command()
@click.option("--start", type=IsoDate(), help="First day to extract (default: the file's start_date).")
@click.option("--end", type=IsoDate(), help="Last day to extract (default: today in the file's timezone).")
@click.option("--as-of", "as_of", type=IsoDate(), help="Date for snapshots and receivables (default: today).")
@click.option("--select", help="Dagster asset selection, e.g. 'key:smartpyme/sales+' (the asset and everything downstream).")
@click.option("--strict", is_flag=True, help="Reconciliation mismatches and unbalanced entries fail the run.")
@click.option("--no-record", "no_record", is_flag=True,
              help="Do not keep this run in DAGSTER_HOME's history (by default the Dagster UI shows every run).")
@click.option("--refresh", is_flag=True,
              help="Re-extract every month of the window, also closed months that are already landed.")
def run(start: date | None, end: date | None, as_of: date | None, select: str | None, strict: bool,
        no_record: bool, refresh: bool) -> None:
    """Extract, land, load, build and test the marts, publish the serving copy."""
    sys.exit(_run(start=start, end=end, as_of=as_of, select=select, strict=strict, record=not no_record, refresh=refresh))


def _run(*, start: date | None = None, end: date | None = None, as_of: date | None = None, select: str | None = None,
         strict: bool = False, record: bool = True, refresh: bool = False) -> int:
    ensure_dagster_home()
    settings = _settings()
    if settings is None:
        return 2
    from pipeline.runner import RunRequest, run_pipeline  # imports Dagster and dbt: keep `--help` fast

    today = settings.today()
    request = RunRequest(start=start or settings.start_date, end=end or today, as_of=as_of or today, select=select,
                         strict=strict, record=record, refresh=refresh)
    if request.start > request.end:
        click.echo(f"--start {request.start} is after --end {request.end}", err=True)
        return 2
    return run_pipeline(settings, request)


@main.command()
@click.option("--as-of", "as_of", type=IsoDate(), help="Age receivables at this date (default: the marts' as-of date).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Where to write it (default: PIPELINE_REPORT).")
def report(as_of: date | None, out: Path | None) -> None:
    """Write the finance report from the published marts, without running anything else."""
    settings = _settings(secrets=False)
    if settings is None:
        sys.exit(2)
    from pipeline.finance_report import ReportError, write_report
    from pipeline.warehouse import WarehouseUnavailable, open_warehouse

    out = out or settings.report
    try:
        with open_warehouse(settings.warehouse, settings.serving).published() as query:
            if query is None:
                raise ReportError(f"nothing is published in {settings.warehouse.describe()} yet: run `pipeline run` first")
            summary = write_report(query, out, as_of=as_of)
    except (ReportError, WarehouseUnavailable, OSError) as error:
        click.echo(f"pipeline report: {error}", err=True)
        sys.exit(1)
    click.echo(f"Finance report: {summary.path} (as of {summary.as_of}; {summary.reconciliation_mismatches} "
               f"reconciliation mismatches, {summary.stale_connections} stale connections)")


@main.command("bi-role")
@click.argument("role")
@click.option("--password-env", help="Environment variable holding the role's password (never printed).")
def bi_role(role: str, password_env: str | None) -> None:
    """PostgreSQL: create or update a read-only login ROLE for BI tools (it may read schema marts only)."""
    settings = _settings(secrets=False)
    if settings is None:
        sys.exit(2)
    from pipeline.warehouse import WarehouseUnavailable, open_warehouse

    if settings.warehouse.engine != "postgres":
        click.echo(f"pipeline bi-role: PIPELINE_WAREHOUSE is {settings.warehouse.describe()}, not PostgreSQL; "
                   "roles are PostgreSQL's (a DuckDB warehouse's BI tools open the serving copy "
                   f"{settings.serving} read-only)", err=True)
        sys.exit(2)
    warehouse = open_warehouse(settings.warehouse, settings.serving)
    password = os.environ.get(password_env) if password_env else None
    if password_env and not password:
        click.echo(f"pipeline bi-role: environment variable {password_env} is not set", err=True)
        sys.exit(2)
    try:
        click.echo(warehouse.grant_reader(role, password))
    except WarehouseUnavailable as error:
        click.echo(f"pipeline bi-role: {error}", err=True)
        sys.exit(1)


@main.command()
@click.option("--scale", default=1.0, show_default=True, help="Simulator volume.")
@click.option("--seed", default=42, show_default=True)
def demo(scale: float, seed: int) -> None:
    """Start the simulators on loopback, run the pipeline against them with the demo connections, stop."""
    if os.environ.get("PIPELINE_CONNECTIONS"):
        click.echo("demo uses the shipped demo connections: unset PIPELINE_CONNECTIONS", err=True)
        sys.exit(2)
    _require_free_port(DEMO_PORT)
    command = [sys.executable, "-m", "pipeline.cli", "simulate", "--port", str(DEMO_PORT),
               "--scale", str(scale), "--seed", str(seed)]
    simulator = subprocess.Popen(command)
    try:
        _wait_until_healthy(f"http://127.0.0.1:{DEMO_PORT}/_control/health", simulator)
        status = _run()
    finally:
        simulator.terminate()
        simulator.wait(timeout=30)
    sys.exit(status)


def _require_free_port(port: int) -> None:
    """The demo connections point at this port: a server already there would answer in the simulator's place."""
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise click.ClickException(f"port {port} is already in use (an earlier `pipeline simulate`?); stop it first")


def _wait_until_healthy(url: str, process: subprocess.Popen, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise click.ClickException(f"the simulator exited with status {process.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise click.ClickException(f"the simulator did not answer {url} within {timeout_s:.0f} s")


@main.command()
@click.option("--port", default=3000, show_default=True)
def dev(port: int) -> None:
    """The Dagster UI over the same definitions (`dagster dev -w workspace.yaml`)."""
    ensure_dagster_home()
    os.execv(sys.executable, [sys.executable, "-m", "dagster", "dev", "-w", str(REPO_ROOT / "workspace.yaml"), "-p", str(port)])


def _add_simulate() -> None:
    from pipeline.simulator.command import simulate

    main.add_command(simulate)


_add_simulate()

if __name__ == "__main__":
    main()
