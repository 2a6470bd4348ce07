"""One process at a time on a DuckDB warehouse: a reader in another process waits for the writer instead of
meeting DuckDB's "Could not set lock" error, and a holder may open sessions inside its own lock."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.warehouse import open_warehouse
from pipeline.warehouse_url import WarehouseLocation, parse_warehouse

HOLD_S = 3.0
WRITER = """
import sys, time
from pathlib import Path
from pipeline.warehouse_url import WarehouseLocation
from pipeline.warehouse import open_warehouse
warehouse = open_warehouse(WarehouseLocation(path=Path(sys.argv[1])), Path(sys.argv[2]))
with warehouse.lock():
    with warehouse.session() as session:
        session.execute("create table written as select 42 as answer")
    print("holding", flush=True)
    with warehouse.session() as session:  # re-entrant: the connection stays open while it sleeps
        time.sleep(float(sys.argv[3]))
"""


def test_a_reader_waits_for_the_writer_in_another_process(tmp_path: Path):
    path, serving = tmp_path / "warehouse.duckdb", tmp_path / "serving.duckdb"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(serving), str(HOLD_S)],
                              stdout=subprocess.PIPE, text=True)
    assert writer.stdout.readline().strip() == "holding"
    started = time.monotonic()
    warehouse = open_warehouse(WarehouseLocation(path=path), serving)
    with warehouse.session(read_only=True) as session:  # no lock taken by the caller: the session takes it
        answer = session.one("select answer from written")
    assert writer.wait(timeout=30) == 0
    assert answer == (42,) and time.monotonic() - started >= HOLD_S * 0.5


def test_a_second_writer_is_told_why_it_waits(tmp_path: Path):
    path, serving = tmp_path / "warehouse.duckdb", tmp_path / "serving.duckdb"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(serving), "1"],
                              stdout=subprocess.PIPE, text=True)
    assert writer.stdout.readline().strip() == "holding"
    waited: list[str] = []
    with open_warehouse(WarehouseLocation(path=path), serving).lock(on_wait=waited.append):
        pass
    assert writer.wait(timeout=30) == 0
    assert waited == [f"waiting for the warehouse {path}: another run is writing it"]


def test_a_process_that_ran_dbt_lets_the_file_go_with_the_lock(tmp_path: Path):
    """dbt-duckdb keeps the database open after dbt returns; the warehouse closes it before releasing its lock,
    or the next holder of the lock (another process) would meet DuckDB's lock error: what failed a backfill."""
    path = tmp_path / "warehouse.duckdb"
    warehouse = open_warehouse(WarehouseLocation(path=path), tmp_path / "serving.duckdb")
    with warehouse.session() as session:
        session.execute("create table written as select 42 as answer")
    warehouse.run_dbt("source freshness", data_dir=tmp_path)
    other = subprocess.run([sys.executable, "-c", f"import duckdb; print(duckdb.connect({str(path)!r}).execute("
                            "'select answer from written').fetchone()[0])"], capture_output=True, text=True)
    assert other.stdout.strip() == "42", other.stderr[-500:]


@pytest.mark.timeout(60)
def test_the_lock_is_reentrant_on_both_engines(warehouse_url: str, tmp_path: Path):
    """The dbt step holds the lock and runs dbt, which takes it again: on PostgreSQL a second advisory lock
    from another connection of the same process would wait for itself forever."""
    warehouse = open_warehouse(parse_warehouse(warehouse_url, []), tmp_path / "serving.duckdb")
    with warehouse.lock(), warehouse.lock(), warehouse.session() as session:
        session.execute("create schema if not exists raw")
