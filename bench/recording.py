"""What keeping `pipeline run` on record costs (README "Every run on record"): the same first run, side by side
on one simulator, contenders alternating, each into a fresh workspace:

- `live`: DAGSTER_HOME on PostgreSQL storage (deploy/dagster.yaml): the run executes on that instance, its
  events written as they happen (the UI shows it while it runs);
- `copied`: DAGSTER_HOME on the default SQLite storage: the run executes in memory and is copied in after;
- `unrecorded`: `--no-record`.

    .venv/bin/python -m bench.recording [--scale 1] [--repeat 2]     # writes bench/results/recording.json
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import tempfile
import time
from datetime import date
from pathlib import Path

from bench.simulator import REPO, Simulator, free_port
from pipeline.orchestration.instance import DAGSTER_YAML

TODAY = date(2025, 6, 30)
WINDOW = ("--start", "2025-01-01", "--end", TODAY.isoformat(), "--as-of", TODAY.isoformat())
CONTENDERS = ("live", "copied", "unrecorded")


def _postgres(folder: Path) -> int:
    subprocess.run([str(REPO / "scripts/system-packages"), "postgresql"], check=True)
    port = free_port()
    subprocess.run([str(REPO / "scripts/postgres-server"), "start", str(folder), str(port)], check=True)
    return port


def _run(contender: str, sim: Simulator, work: Path, pg_port: int, number: int) -> float:
    home = work / "dagster_home"
    home.mkdir(parents=True)
    env = {"PATH": "/usr/bin:/bin", "DBT_SEND_ANONYMOUS_USAGE_STATS": "False", "DO_NOT_TRACK": "1",
           "PIPELINE_RAW_DIR": str(work / "raw"), "PIPELINE_WAREHOUSE": str(work / "warehouse.duckdb"),
           "PIPELINE_SERVING": str(work / "serving.duckdb"), "PIPELINE_REPORT": str(work / "report.html"),
           "DAGSTER_HOME": str(home)}
    env.update(sim.write_connections(work / "connections.yaml"))
    env["PIPELINE_CONNECTIONS"] = str(work / "connections.yaml")
    extra: tuple[str, ...] = ()
    if contender == "live":
        database = f"dagster_{number}"
        subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(pg_port), "-U", "postgres", "-qc",
                        f"create database {database}"], check=True)
        shutil.copy(REPO / "deploy" / "dagster.yaml", home / "dagster.yaml")
        env.update(DAGSTER_PG_HOST="127.0.0.1", DAGSTER_PG_PORT=str(pg_port), DAGSTER_PG_USER="postgres",
                   DAGSTER_PG_PASSWORD="", DAGSTER_PG_DB=database)
    else:
        (home / "dagster.yaml").write_text(DAGSTER_YAML)
        extra = ("--no-record",) if contender == "unrecorded" else ()
    started = time.monotonic()
    done = subprocess.run([str(REPO / ".venv/bin/pipeline"), "run", *WINDOW, *extra], cwd=REPO, env=env,
                          capture_output=True, text=True)
    wall = time.monotonic() - started
    if done.returncode:
        raise RuntimeError(f"{contender}: exit {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.recording", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--results", type=Path, default=REPO / "bench" / "results" / "recording.json")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="bench-recording-"))
    samples: dict[str, list[float]] = {name: [] for name in CONTENDERS}
    try:
        pg_port = _postgres(scratch / "postgres")
        with Simulator(scale=args.scale, today=TODAY) as sim:
            _run("unrecorded", sim, scratch / "warm-up", pg_port, 0)  # the simulator generates lazily
            for number in range(1, args.repeat + 1):
                order = CONTENDERS if number % 2 else tuple(reversed(CONTENDERS))  # alternate who goes first
                for contender in order:
                    samples[contender].append(round(_run(contender, sim, scratch / f"{contender}-{number}",
                                                         pg_port, number), 2))
    finally:
        subprocess.run([str(REPO / "scripts/postgres-server"), "stop", str(scratch / "postgres")], check=False)
        shutil.rmtree(scratch, ignore_errors=True)
    args.results.write_text(json.dumps({"scale": args.scale, "window": WINDOW, "samples_s": samples}, indent=1) + "\n")
    print("| contender | first run, s (samples) |\n|---|---|")
    for contender, values in samples.items():
        print(f"| {contender} | {', '.join(f'{v:.1f}' for v in values)} |")


if __name__ == "__main__":
    main()
