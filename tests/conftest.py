"""Shared fixtures: a session-wide simulator at scale 1, a factory for fresh ones with their own state, and a
real PostgreSQL server (with a fresh database per test) for everything that must hold on both engines, and a
real Spark Thrift Server for the Spark warehouse."""

import contextlib
import socket
import subprocess
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import psycopg2
import pytest

from pipeline.simulator.testing import SimulatorHandle, start_simulator

REPO = Path(__file__).resolve().parents[1]
SIM_TODAY = date(2025, 6, 30)
SIM_HISTORY_START = date(2025, 1, 1)


@pytest.fixture(scope="session")
def simulator() -> Iterator[SimulatorHandle]:
    """One simulator per test process (xdist worker). Tests that change its state must use fresh_simulator."""
    with start_simulator(seed=42, scale=1, today=SIM_TODAY, history_start=SIM_HISTORY_START) as sim:
        yield sim


@pytest.fixture
def fresh_simulator() -> Iterator[Callable[..., SimulatorHandle]]:
    """Factory: `sim = fresh_simulator(seed=7, faults={...})` starts a private simulator, stopped after the test."""
    with ExitStack() as stack:

        def start(**kwargs) -> SimulatorHandle:
            kwargs.setdefault("today", SIM_TODAY)
            kwargs.setdefault("history_start", SIM_HISTORY_START)
            return stack.enter_context(start_simulator(**kwargs))

        yield start


@dataclass(frozen=True)
class PostgresServer:
    """A real PostgreSQL server on loopback (scripts/postgres-server), user `postgres`, trust auth."""

    port: int

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def execute(self, sql: str, database: str = "postgres") -> list[tuple]:
        with contextlib.closing(psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres",
                                                 dbname=database)) as con:
            con.autocommit = True
            with con.cursor() as cur:
                cur.execute(sql)
                return cur.fetchall() if cur.description else []

    def create_database(self) -> str:
        name = f"test_{uuid.uuid4().hex[:12]}"
        self.execute(f"create database {name}")
        return name


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresServer]:
    """Installed (Debian's package) and started by the project's own scripts; never skipped."""
    subprocess.run([str(REPO / "scripts/system-packages"), "postgresql"], check=True)
    folder = tmp_path_factory.mktemp("postgres")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    subprocess.run([str(REPO / "scripts/postgres-server"), "start", str(folder), str(port)], check=True)
    try:
        yield PostgresServer(port)
    finally:
        subprocess.run([str(REPO / "scripts/postgres-server"), "stop", str(folder)], check=False)


@dataclass(frozen=True)
class SparkServer:
    """A real Spark Thrift Server on loopback (scripts/spark-server): authentication NONE, ANSI SQL on."""

    port: int
    folder: Path  # its Derby metastore, tables (warehouse/) and log (server.log)

    def url(self, user: str = "pipeline") -> str:
        return f"spark://{user}@127.0.0.1:{self.port}"


@pytest.fixture(scope="session")
def spark_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparkServer]:
    """Java installed (Debian's package) and the server started by the project's own scripts; never skipped.
    Its first start takes 25-60 s here (it creates the metastore)."""
    subprocess.run([str(REPO / "scripts/system-packages"), "java"], check=True)
    folder = tmp_path_factory.mktemp("spark")
    port = _free_port()
    subprocess.run([str(REPO / "scripts/spark-server"), "start", str(folder), str(port)], check=True)
    try:
        yield SparkServer(port, folder)
    finally:
        subprocess.run([str(REPO / "scripts/spark-server"), "stop", str(folder)], check=False)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """A fresh database of its own on the session's server."""
    return postgres_server.url(postgres_server.create_database())


@pytest.fixture(params=["duckdb", "postgres"])
def warehouse_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """PIPELINE_WAREHOUSE for either engine: a DuckDB file, or a fresh PostgreSQL database."""
    if request.param == "duckdb":
        return str(tmp_path / "warehouse.duckdb")
    return request.getfixturevalue("postgres_url")
