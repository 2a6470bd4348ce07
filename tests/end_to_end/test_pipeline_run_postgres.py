"""`pipeline run` with its warehouse on a PostgreSQL server: the same marts as on DuckDB, to the cent; a rerun
that changes nothing; a run killed while building, then rerun; two runs at once, the second waiting for the
first; and the read-only role BI connects with."""

from __future__ import annotations

import os
import signal
import time
from datetime import date

import psycopg2
import pytest
from support import marts_difference, published_marts

from pipeline.simulator.testing import start_simulator

TODAY = date(2025, 6, 30)
WINDOW = ("--start", "2025-04-01", "--end", TODAY.isoformat(), "--as-of", TODAY.isoformat())
TENANTS = ["acme_ec", "tienda_sv", "contable_co", "inmobiliaria_co"]
pytestmark = pytest.mark.xdist_group("postgres_runs")


@pytest.fixture(scope="module")
def simulator():
    with start_simulator(seed=7, scale=1, today=TODAY) as sim:
        yield sim


@pytest.fixture(scope="module")
def on_duckdb(simulator, workspace_factory):
    workspace = workspace_factory(simulator, name="duck", tenants=TENANTS)
    result = workspace.pipeline("run", *WINDOW)
    assert result.returncode == 0, result.stdout + result.stderr
    return workspace


def kill_while_building(workspace) -> None:
    """Start `pipeline run` and SIGKILL it once dbt has started building fct_sales."""
    dbt_log = workspace.root / "logs" / "dbt.log"
    logged = dbt_log.stat().st_size if dbt_log.exists() else 0
    process = workspace.start_pipeline("run", *WINDOW)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and "fct_sales" not in _since(dbt_log, logged):
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()


@pytest.fixture(scope="module")
def on_postgres(simulator, workspace_factory, postgres_server):
    """A first run killed while it built, then the rerun that completes it."""
    url = postgres_server.url(postgres_server.create_database())
    workspace = workspace_factory(simulator, name="postgres", tenants=TENANTS, warehouse=url)
    kill_while_building(workspace)
    result = workspace.pipeline("run", *WINDOW)
    assert result.returncode == 0, result.stdout + result.stderr
    return workspace, result


def test_a_run_killed_while_building_then_rerun_gives_duckdbs_marts_to_the_cent(on_duckdb, on_postgres):
    workspace, result = on_postgres
    assert "postgresql://postgres@127.0.0.1:" in result.stdout and "0 mismatch" in result.stdout
    on_pg, on_duck = published_marts(workspace), published_marts(on_duckdb)
    assert on_pg == on_duck, marts_difference(on_pg, on_duck)
    assert not workspace.serving.exists()  # PIPELINE_SERVING does not apply: BI reads the marts schema


def test_a_rerun_with_nothing_new_skips_the_build_and_keeps_the_marts(on_postgres):
    workspace, _ = on_postgres
    before = published_marts(workspace)
    result = workspace.pipeline("run", *WINDOW)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "dbt build skipped" in result.stdout and published_marts(workspace) == before


def test_a_run_killed_while_building_leaves_the_last_good_marts_published(simulator, on_postgres):
    workspace, _ = on_postgres
    published = published_marts(workspace)
    (sale,), = workspace.query("select min(document_id) from marts.fct_receivables where tenant = 'tienda_sv' "
                               "and issue_date >= '2025-06-01'")  # in the look-back: re-extracted by every run
    simulator.control.mutate(source="smartpyme", tenant="tienda_sv", action="annul", id=int(sale))
    kill_while_building(workspace)
    assert published_marts(workspace) == published  # a dashboard still reads the last good marts


def _since(path, offset: int) -> str:
    if not path.exists():
        return ""
    with open(path, encoding="utf-8", errors="replace") as log:
        log.seek(offset)
        return log.read()


def test_two_runs_at_once_write_one_at_a_time(simulator, workspace_factory, postgres_server):
    url = postgres_server.url(postgres_server.create_database())
    first = workspace_factory(simulator, name="first", tenants=["tienda_sv"], warehouse=url)
    second = workspace_factory(simulator, name="second", tenants=["tienda_sv"], warehouse=url)
    runs = [first.start_pipeline("run", *WINDOW, "--refresh"), second.start_pipeline("run", *WINDOW, "--refresh")]
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert any("waiting for the warehouse" in output and "is writing it" in output for output in outputs), outputs


def test_bi_role_reads_the_marts_and_nothing_else(on_postgres, postgres_server):
    workspace, _ = on_postgres
    workspace.env["BI_PASSWORD"] = "bi-secret-for-tests"
    result = workspace.pipeline("bi-role", "metabase", "--password-env", "BI_PASSWORD")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "bi-secret-for-tests" not in result.stdout + result.stderr
    database = workspace.env["PIPELINE_WAREHOUSE"].rsplit("/", 1)[1]
    with psycopg2.connect(host="127.0.0.1", port=postgres_server.port, user="metabase", password="bi-secret-for-tests",
                          dbname=database) as con, con.cursor() as cur:
        cur.execute("select count(*) from marts.fct_sales")
        assert cur.fetchone()[0] > 0
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute("select count(*) from raw._manifests")
    with psycopg2.connect(host="127.0.0.1", port=postgres_server.port, user="metabase", password="bi-secret-for-tests",
                          dbname=database) as con, con.cursor() as cur, pytest.raises(psycopg2.Error):
        cur.execute("delete from marts.fct_sales")
