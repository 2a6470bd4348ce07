"""Helpers every test folder shares (tests/ is on sys.path): the shipped sources' partitions and loads, and
a private workspace in which `pipeline run` runs as a real subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pipeline.config import Connection, Settings
from pipeline.extract.partitions import Partition, month_keys, plan
from pipeline.landing.load import LoadResult, load_partitions
from pipeline.sources import SOURCES
from pipeline.warehouse import Warehouse, open_warehouse
from pipeline.warehouse_url import parse_warehouse

REPO = Path(__file__).resolve().parents[1]


def partitions(connection: Connection, endpoint: str, start: date, end: date, as_of: date) -> list[Partition]:
    """What a run from `start` to `end` extracts of one endpoint (pipeline.extract.partitions.plan)."""
    windowed = SOURCES[connection.source].endpoints[endpoint].window is not None
    return plan(month_keys(start, end) if windowed else None, start, end, as_of)


def load(settings: Settings, source: str, endpoint: str, **chosen) -> LoadResult:
    """Load the landed partitions of one endpoint into the settings' warehouse, as the load asset does."""
    warehouse = open_warehouse(settings.warehouse, settings.serving)
    record_path = SOURCES[source].endpoints[endpoint].records
    return load_partitions(settings, warehouse, source, endpoint, record_path, **chosen)


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

    @property
    def warehouse(self) -> Warehouse:
        return open_warehouse(parse_warehouse(self.env["PIPELINE_WAREHOUSE"], []), self.serving)

    def pipeline(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], cwd=REPO, env=self.env,
                              capture_output=True, text=True, timeout=timeout)

    def start_pipeline(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "pipeline.cli", *args], cwd=REPO, env=self.env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def query(self, sql: str, params=None) -> list[tuple]:
        """What BI reads: the DuckDB serving copy, or PostgreSQL's published marts (portable SQL, `?`)."""
        if self.warehouse.engine == "duckdb":
            import duckdb

            with duckdb.connect(str(self.serving), read_only=True) as con:
                return con.execute(sql, params or []).fetchall()
        with self.warehouse.session(read_only=True) as session:
            return session.rows(sql, params or [])


def make_workspace(root: Path, simulator, tenants=None, warehouse: str | None = None, **overrides) -> Workspace:
    root.mkdir(parents=True, exist_ok=True)
    connections = root / "connections.yaml"
    secrets = simulator.write_connections(connections, tenants=tenants, **overrides)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIPELINE_")}
    env.update(secrets)
    env.update(
        PIPELINE_CONNECTIONS=str(connections),
        PIPELINE_WAREHOUSE=warehouse or str(root / "warehouse.duckdb"),
        PIPELINE_RAW_DIR=str(root / "raw"),
        PIPELINE_SERVING=str(root / "serving.duckdb"),
        PIPELINE_REPORT=str(root / "report.html"),
        DAGSTER_HOME=str(root / "dagster_home"),
        DBT_SEND_ANONYMOUS_USAGE_STATS="False",
        DO_NOT_TRACK="1",
    )
    return Workspace(root, env)


PUBLISHED_MARTS = ("fct_sales", "fct_sales_lines", "fct_purchases", "fct_inventory_valuation",
                   "fct_invoice_balance_snapshots", "fct_receivables", "rpt_receivables_aging", "fct_journal_lines",
                   "fct_journal_balance", "rpt_income_statement", "rpt_balance_sheet", "rpt_unbalanced_entries",
                   "rpt_reconciliation", "rpt_quarantined_records", "rpt_connection_freshness")
LINEAGE_COLUMNS = {"run_id", "extracted_at", "last_extracted_at"}  # when and by which run: differs between runs


def published_marts(workspace: Workspace) -> dict[str, list[tuple]]:
    """Every published mart's rows as text, sorted, without the lineage columns: equal for equal data."""
    found = {}
    for mart in PUBLISHED_MARTS:
        columns = [name for (name,) in workspace.query(
            "select column_name from information_schema.columns where table_schema = 'marts' and table_name = ? "
            "order by ordinal_position", [mart]) if name not in LINEAGE_COLUMNS]
        found[mart] = sorted((tuple(str(v) for v in row)
                              for row in workspace.query(f"select {', '.join(columns)} from marts.{mart}")), key=repr)
    return found


def marts_difference(a: dict, b: dict) -> dict:
    return {k: (sorted(set(a[k]) - set(b[k]))[:3], sorted(set(b[k]) - set(a[k]))[:3]) for k in a if a[k] != b[k]}
