"""Run a real `dbt build` of dbt_project/ against a given warehouse file, in-process."""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from dbt.cli.main import dbtRunner

PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"


@dataclass(frozen=True)
class BuildResult:
    """What a dbt build did: overall success and each node's status by name."""

    success: bool
    statuses: dict[str, str]
    seconds: float


def dbt_build(warehouse: Path, work_dir: Path, dbt_vars: dict[str, str], select: str | None = None,
              full_refresh: bool = False) -> BuildResult:
    """`dbt build` the project into `warehouse`; target and logs go to `work_dir`, never into the project."""
    os.environ["PIPELINE_WAREHOUSE"] = str(warehouse)
    os.environ["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "False"
    os.environ["DO_NOT_TRACK"] = "1"
    started = time.perf_counter()
    result = dbtRunner().invoke([
        "build",
        "--project-dir", str(PROJECT_DIR),
        "--profiles-dir", str(PROJECT_DIR),
        "--target-path", str(work_dir / "target"),
        "--log-path", str(work_dir / "logs"),
        "--vars", json.dumps(dbt_vars),
        "--quiet",
        *(["--select", select] if select else []),
        *(["--full-refresh"] if full_refresh else []),
    ])
    seconds = time.perf_counter() - started
    statuses = {}
    if result.result is not None:
        for node_result in result.result:
            statuses[node_result.node.name] = str(node_result.status)
    return BuildResult(success=result.success, statuses=statuses, seconds=seconds)
