"""The Dagster instance every entry point shares: DAGSTER_HOME under data/, telemetry off, pools of one."""

from __future__ import annotations

import os
from pathlib import Path

import yaml

# `warehouse`: DuckDB allows one writing process and no reader beside it, so loads, dbt and the serving
# copy run one at a time. `serpi`: one request in flight per token (the extractor also holds a file lock).
# The extractor's log lines (retries with tenant, endpoint, attempt and wait) go to the run's log in the UI.
INSTANCE_SETTINGS = {
    "telemetry": {"enabled": False},
    "concurrency": {"pools": {"default_limit": 1, "granularity": "op"}},
    "python_logs": {"managed_python_loggers": ["pipeline"], "python_log_level": "INFO"},
}
DAGSTER_YAML = yaml.safe_dump(INSTANCE_SETTINGS, sort_keys=False)
# One "materialization planned" event per asset for a run over a range of months instead of one per month
# (their number, not their size, is what the event log's cost follows). What it gives up: when such a run
# fails, its months are not marked failed in the UI; the run is.
PLANNED_EVENTS_VARIABLE = "DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS"


def ensure_dagster_home(data_dir: Path = Path("data")) -> Path:
    """Point DAGSTER_HOME at a prepared folder (keeping one that is already set) and return it."""
    home = Path(os.environ.get("DAGSTER_HOME") or data_dir / "dagster_home").resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML)
    os.environ["DAGSTER_HOME"] = str(home)
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault(PLANNED_EVENTS_VARIABLE, "true")
    return home
