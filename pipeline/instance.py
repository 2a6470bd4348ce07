"""The Dagster instance every entry point shares: DAGSTER_HOME under data/, telemetry off, pools of one."""

from __future__ import annotations

import os
from pathlib import Path

# `warehouse`: DuckDB allows one writing process and no reader beside it, so loads, dbt and the serving
# copy run one at a time. `serpi`: one request in flight per token (the extractor also holds a file lock).
DAGSTER_YAML = """\
telemetry:
  enabled: false
concurrency:
  pools:
    default_limit: 1
    granularity: op
"""


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
    return home
