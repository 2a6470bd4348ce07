"""Run a real `dbt build` of dbt_project/ against a given warehouse (either engine), in-process, as the
pipeline does (pipeline.dbt_runner)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline import dbt_runner
from pipeline.warehouse import Warehouse


@dataclass(frozen=True)
class BuildResult:
    """What a dbt build did: overall success and each node's status by name."""

    success: bool
    statuses: dict[str, str]
    seconds: float


def dbt_build(warehouse: Warehouse, work_dir: Path, as_of: str, select: str | None = None,
              full_refresh: bool = False, dbt_vars: str | None = None) -> BuildResult:
    """`dbt build` the project into `warehouse`; target and logs go to `work_dir`, never into the project."""
    args = [*(["--select", select] if select else []), *(["--full-refresh"] if full_refresh else []),
            *(["--vars", dbt_vars] if dbt_vars else [])]
    result = dbt_runner.invoke("build", *args, env={**warehouse.dbt_environment(), "PIPELINE_AS_OF": as_of},
                               target=work_dir / "target", log_dir=work_dir / "logs")
    statuses = {node.unique_id.split(".")[-1] if node.unique_id.startswith("model.") else node.unique_id.split(".")[2]:
                node.status for node in result.nodes}
    return BuildResult(success=result.success, statuses=statuses, seconds=result.seconds)
