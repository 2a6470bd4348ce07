"""`pipeline simulate`: the click command the lead adds to the `pipeline` group."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import click

from .faults import parse_cli_fault
from .server import serve


def _today_bogota() -> date:
    return datetime.now(ZoneInfo("America/Bogota")).date()


@click.command("simulate")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8765, show_default=True, type=int)
@click.option("--seed", default=42, show_default=True, type=int)
@click.option("--scale", default=1.0, show_default=True, type=float,
              help="About 2 x SCALE SmartPyme sales per tenant per day (see generator.py).")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Simulated today (default: today in America/Bogota).")
@click.option("--history-start", type=click.DateTime(["%Y-%m-%d"]), default="2025-01-01", show_default=True)
@click.option("--faults", "faults", multiple=True,
              help="[source[:path]:]name=value, repeatable (e.g. serpi:fail_next_5xx=2, latency_ms=20).")
def simulate(host: str, port: int, seed: int, scale: float, today: datetime | None, history_start: datetime,
             faults: tuple[str, ...]) -> None:
    """Serve the four simulated APIs and /_control until stopped."""
    specs = [parse_cli_fault(f) for f in faults]
    day = today.date() if today else _today_bogota()
    click.echo(f"simulating on http://{host}:{port} (seed {seed}, scale {scale}, {history_start.date()}..{day})")
    serve(host=host, port=port, seed=seed, scale=scale, today=day, history_start=history_start.date(),
          faults=specs)
