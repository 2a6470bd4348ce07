"""`write_report`: the finance report from the published marts, written atomically to one HTML file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from pipeline.finance_report.data import report_data
from pipeline.finance_report.figures import Query, load_figures
from pipeline.finance_report.page import render_page
from pipeline.finance_report.tenants import build_tenants


@dataclass(frozen=True)
class ReportSummary:
    """What the report found, for the run summary and the CLI."""

    path: Path
    as_of: date
    tenants: tuple[str, ...]
    reconciliation_matches: int
    reconciliation_mismatches: int
    stale_connections: int
    quarantined_records: int
    unbalanced_entries: int


def write_report(query: Query, out: Path, *, as_of: date | None = None,
                 title: str = "Finance report") -> ReportSummary:
    """Read the marts through `query(sql) -> rows` and replace `out` with the report, atomically.

    `as_of` defaults to the receivables marts' as-of date (the run's); another date ages the documents'
    latest known balances from `fct_sales`, and the page says so.
    """
    out = Path(out)
    figures = load_figures(query, as_of)
    tenants = build_tenants(figures)
    data = report_data(figures, tenants, title=title, generated_at=datetime.now(UTC))
    write_atomically(out, render_page(data))
    summary = data["summary"]
    return ReportSummary(
        path=out, as_of=figures.as_of, tenants=tuple(t.tenant for t in tenants),
        reconciliation_matches=summary["reconciliation_matches"],
        reconciliation_mismatches=summary["reconciliation_mismatches"],
        stale_connections=summary["stale_connections"], quarantined_records=summary["quarantined_records"],
        unbalanced_entries=summary["unbalanced_entries"],
    )


def write_atomically(path: Path, text: str) -> None:
    """Write beside the target, fsync, rename over it: a reader sees the old file or the new one, whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    _fsync_directory(path.parent)


def _fsync_directory(folder: Path) -> None:
    """Make the rename itself durable (where the platform lets a directory be opened)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
