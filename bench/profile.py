"""Where a small whole run's time goes: `pipeline run` under py-spy against a simulator (scale 1, six months,
four tenants), first on an empty warehouse, then again with nothing changed (the no-op). Writes
bench/results/profiles/{first,noop}.collapsed.gz (py-spy's collapsed stacks: open them in speedscope or
flamegraph.pl) and bench/results/profiles/README.md (seconds of samples by phase).

    .venv/bin/python -m bench.profile        # needs py-spy: .venv/bin/uv pip install py-spy
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

from bench.simulator import REPO

OUT = REPO / "bench" / "results" / "profiles"
RATE = 50  # samples per second
TODAY = date(2025, 6, 30)
WINDOW = ("--start", "2025-01-01", "--end", TODAY.isoformat(), "--as-of", TODAY.isoformat())
TENANTS = ["acme_ec", "tienda_sv", "contable_co", "inmobiliaria_co"]
# First match wins, so inner phases come before the outer ones that contain them.
PHASES = (
    ("dbt: parse the project", ("dbt_runner.py", "parser/manifest.py")),
    ("dbt: build (models and tests)", ("dbt_runner.py",)),
    ("dbt: build (models and tests)", ("dbt/",)),  # dbt's own worker threads
    ("dbt: build (models and tests)", ("multiprocessing/pool.py",)),  # dbt's thread pool
    ("extraction (HTTP, landing pages)", ("pipeline/extract/",)),
    ("extraction (HTTP, landing pages)", ("pipeline/landing/pages.py",)),
    ("raw load", ("pipeline/landing/load.py",)),
    ("finance report", ("pipeline/finance_report/",)),
    ("serving copy and publication", ("pipeline/warehouse/",)),
    ("copying the run into DAGSTER_HOME", ("run_history.py",)),
    ("Dagster: loading definitions", ("build_definitions",)),
    ("Dagster: planning, events, between steps", ("execute_in_process",)),
    ("imports before the run", ("_find_and_load",)),
)


def phase_of(stack: str) -> str:
    for name, markers in PHASES:
        if all(marker in stack for marker in markers):
            return name
    return "other (CLI, settings, summary, idle threads)"


def by_phase(collapsed: str) -> Counter:
    seconds: Counter = Counter()
    for line in collapsed.splitlines():
        stack, _, count = line.rpartition(" ")
        seconds[phase_of(stack)] += int(count) / RATE
    return seconds


def profile(label: str, env: dict, work: Path) -> tuple[float, str]:
    output = work / f"{label}.txt"
    started = time.monotonic()
    finished = subprocess.run(
        [str(Path(sys.executable).parent / "py-spy"), "record", "-r", str(RATE), "-f", "raw", "-o", str(output),
         "--", sys.executable, "-m", "pipeline.cli", "run", *WINDOW],
        cwd=REPO, env=env, capture_output=True, text=True)
    wall = time.monotonic() - started
    if finished.returncode != 0:
        sys.exit(f"bench.profile: the {label} run failed (exit {finished.returncode}): {finished.stderr[-500:]}")
    return wall, output.read_text()


def table(runs: dict[str, tuple[float, Counter]]) -> str:
    phases = list(dict.fromkeys(name for name, _ in PHASES)) + ["other (CLI, settings, summary, idle threads)"]
    lines = ["| phase | " + " | ".join(runs) + " |", "|---|" + "---:|" * len(runs)]
    for name in phases:
        lines.append(f"| {name} | " + " | ".join(f"{counts[name]:.2f}" for _, counts in runs.values()) + " |")
    lines.append("| **sampled, all threads** | "
                 + " | ".join(f"**{sum(counts.values()):.2f}**" for _, counts in runs.values()) + " |")
    lines.append("| **wall clock, py-spy included** | "
                 + " | ".join(f"**{wall:.2f}**" for wall, _ in runs.values()) + " |")
    return "\n".join(lines)


def main() -> int:
    if "--rebuild" in sys.argv:  # re-tabulate the stored stacks
        return write_readme({label: (_stored_wall(label), by_phase(gzip.decompress(
            (OUT / f"{label}.collapsed.gz").read_bytes()).decode())) for label in ("first", "noop")})
    if shutil.which("py-spy", path=str(Path(sys.executable).parent)) is None:
        sys.exit("bench.profile: py-spy is not installed in this environment (.venv/bin/uv pip install py-spy)")
    sys.path.insert(0, str(REPO / "tests"))
    from support import make_workspace

    from pipeline.simulator.testing import start_simulator

    OUT.mkdir(parents=True, exist_ok=True)
    runs: dict[str, tuple[float, Counter]] = {}
    with tempfile.TemporaryDirectory() as scratch, start_simulator(seed=7, scale=1, today=TODAY) as simulator:
        workspace = make_workspace(Path(scratch), simulator, TENANTS)
        for label in ("first", "noop"):
            wall, collapsed = profile(label, workspace.env, Path(scratch))
            (OUT / f"{label}.collapsed.gz").write_bytes(gzip.compress(collapsed.encode()))
            runs[label] = (wall, by_phase(collapsed))
    return write_readme(runs)


def write_readme(runs: dict[str, tuple[float, Counter]]) -> int:
    (OUT / "walls.json").write_text(json.dumps({label: round(wall, 2) for label, (wall, _) in runs.items()}))
    (OUT / "README.md").write_text(
        "# Where a small run's time goes\n\n"
        f"`python -m bench.profile` (`--rebuild` re-tabulates the stored stacks): `pipeline run {' '.join(WINDOW)}` "
        "against the simulator (scale 1, four tenants), an empty warehouse (`first`), then the same run again "
        f"with nothing changed (`noop`). py-spy at {RATE} Hz; seconds of samples per phase (threads add up, so "
        "the sum can exceed the wall clock; idle threads are sampled too). The raw stacks are beside this "
        "file.\n\n" + table(runs) + "\n")
    print(table(runs))
    return 0


def _stored_wall(label: str) -> float:
    return json.loads((OUT / "walls.json").read_text())[label]


if __name__ == "__main__":
    sys.exit(main())
