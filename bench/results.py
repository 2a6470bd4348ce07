"""Samples, medians and ratios; one JSON file per scenario and the markdown table under bench/results/."""

from __future__ import annotations

import contextlib
import json
import platform
import statistics
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def use_results_dir(path: Path) -> None:
    """Where this run's JSON files and README go (`--quick` keeps its own, beside the full results)."""
    global RESULTS
    RESULTS = path


def median(values: list[float]) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


@dataclass
class Row:
    """One line of the markdown table."""

    case: str
    contender: str
    value: float | None
    unit: str
    ratio: float | None = None
    ratio_of: str = ""
    target: str = ""
    met: bool | None = None
    note: str = ""


@dataclass
class ScenarioResult:
    name: str
    title: str
    rows: list[Row] = field(default_factory=list)
    samples: list[dict[str, Any]] = field(default_factory=list)
    parameters: dict[str, Any] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": platform.python_version()}
    for package in ("httpx", "duckdb", "dbt-core", "dbt-duckdb", "dagster", "uvicorn", "starlette"):
        with contextlib.suppress(PackageNotFoundError):
            found[package] = version(package)
    return found


def _git_head() -> str | None:
    try:
        return (
            subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"],
                capture_output=True,
                text=True,
                cwd=RESULTS.parent,
                check=True,
            ).stdout.strip()
            or None
        )
    except (OSError, subprocess.CalledProcessError):
        return None


def write_scenario(result: ScenarioResult, common: dict[str, Any], measured_at: str | None = None) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{result.name}.json"
    document = {
        "scenario": result.name,
        "title": result.title,
        "date": measured_at or datetime.now(UTC).isoformat(timespec="seconds"),
        **common,
        "versions": versions(),
        "git_head": _git_head(),
        "parameters": result.parameters,
        "summary": [row.__dict__ for row in result.rows],
        "failures": result.failures,
        "samples": result.samples,
    }
    path.write_text(json.dumps(document, indent=2, default=str) + "\n")
    return path


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "records/s":
        return f"{value:,.0f} records/s"
    if unit == "MiB":
        return f"{value:,.0f} MiB"
    if unit == "%":
        return f"{value:.1f} %"
    return f"{value:,.2f} {unit}"


def markdown_table(results: list[ScenarioResult]) -> str:
    lines = [
        "| scenario | case | contender | median | ratio | target | met? | note |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        for row in result.rows:
            shown = (
                ""
                if row.ratio is None
                else f"{row.ratio:.2f}" + (f" of {row.ratio_of}" if row.ratio_of else "")
            )
            met = {True: "yes", False: "**no**", None: ""}[row.met]
            lines.append(
                f"| {result.name} | {row.case} | {row.contender} | {_fmt(row.value, row.unit)} | {shown} | "
                f"{row.target} | {met} | {row.note} |"
            )
        for failure in result.failures:
            lines.append(f"| {result.name} | FAILED | | | | | | {_one_line(failure)} |")
    return "\n".join(lines)


def _one_line(failure: str) -> str:
    """The first line and the last line (usually the exception) of a failure, for the table."""
    lines = [line.strip() for line in failure.strip().splitlines() if line.strip()]
    errors = [
        line
        for line in lines[1:]
        if ("Error" in line or "Exception" in line) and not line.startswith("File ")
    ]
    last = errors[-1] if errors else lines[-1]
    text = lines[0][:80] if len(lines) == 1 else f"{lines[0].split(':')[0]}: ... {last}"
    return text.replace("|", "\\|")[:300]


QUICK_WARNING = [
    "**Quick mode** (small scale, one repeat) is a smoke test of the harness: per-partition and process",
    "start-up costs dominate at this volume, so the yes/no column does not answer the targets here.",
    "",
]


def load_scenario(path: Path) -> tuple[ScenarioResult, dict[str, Any]]:
    document = json.loads(path.read_text())
    rows = [Row(**row) for row in document["summary"]]
    return ScenarioResult(
        document["scenario"], document["title"], rows, failures=document["failures"]
    ), document


def write_readme(order: tuple[str, ...], command: str) -> Path:
    """The table over every scenario's latest JSON file here (scenarios may come from separate runs)."""
    found = [load_scenario(RESULTS / f"{name}.json") for name in order if (RESULTS / f"{name}.json").exists()]
    runs = [
        f"- `{doc['scenario']}`: {doc['date']}, mode {doc['mode']}, repeat {doc['repeat']}, "
        f"scale {doc['parameters'].get('scale')}, {doc['title']}"
        for _, doc in found
    ]
    header = [
        "# Benchmark results",
        "",
        f"Regenerated by `{command}` on {datetime.now(UTC).isoformat(timespec='seconds')}.",
        "Each scenario's JSON file beside this one holds every sample, the parameters and the versions.",
        "Medians over the repeats; the contenders of a case ran alternately against the same simulator",
        "process. The machine has 2 shared cores: ratios measured side by side mean more than absolute",
        "numbers.",
        "",
        *runs,
        "",
        *(QUICK_WARNING if any(doc["mode"] == "quick" for _, doc in found) else []),
        "",
    ]
    others = sorted(p.parent.name for p in RESULTS.glob("*/README.md"))
    footer = ["", "Other runs kept beside this one: " + ", ".join(f"[{o}]({o}/README.md)" for o in others)]
    path = RESULTS / "README.md"
    table = markdown_table([result for result, _ in found])
    path.write_text("\n".join(header) + table + "\n" + ("\n".join(footer) + "\n" if others else ""))
    return path
