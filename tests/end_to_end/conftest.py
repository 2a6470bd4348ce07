"""End-to-end fixtures: `pipeline run` as a real subprocess against a real simulator, in a private folder."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Workspace:
    root: Path
    env: dict[str, str]

    @property
    def raw_dir(self) -> Path:
        return Path(self.env["PIPELINE_RAW_DIR"])

    @property
    def serving(self) -> Path:
        return Path(self.env["PIPELINE_SERVING"])

    def pipeline(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], cwd=REPO, env=self.env,
                              capture_output=True, text=True, timeout=timeout)

    def start_pipeline(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "pipeline.cli", *args], cwd=REPO, env=self.env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def query(self, sql: str, params=None) -> list[tuple]:
        with duckdb.connect(str(self.serving), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()


def make_workspace(root: Path, simulator, tenants=None, **overrides) -> Workspace:
    root.mkdir(parents=True, exist_ok=True)
    connections = root / "connections.yaml"
    secrets = simulator.write_connections(connections, tenants=tenants, **overrides)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIPELINE_")}
    env.update(secrets)
    env.update(
        PIPELINE_CONNECTIONS=str(connections),
        PIPELINE_WAREHOUSE=str(root / "warehouse.duckdb"),
        PIPELINE_RAW_DIR=str(root / "raw"),
        PIPELINE_SERVING=str(root / "serving.duckdb"),
        DAGSTER_HOME=str(root / "dagster_home"),
        DBT_SEND_ANONYMOUS_USAGE_STATS="False",
        DO_NOT_TRACK="1",
    )
    return Workspace(root, env)


@pytest.fixture(scope="module")
def workspace_factory(tmp_path_factory):
    """`workspace_factory(simulator, name)`: a private connections file, raw dir, warehouse and DAGSTER_HOME."""

    def factory(simulator, name="ws", tenants=None, **overrides) -> Workspace:
        return make_workspace(tmp_path_factory.mktemp(name), simulator, tenants, **overrides)

    return factory
