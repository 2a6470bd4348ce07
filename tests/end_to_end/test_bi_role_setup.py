"""`pipeline bi-role` as the README's "Running on PostgreSQL" sets the warehouse up: it needs only the warehouse
(no API credential), creates the role when the pipeline's user may (CREATEROLE), and otherwise changes nothing
and prints the SQL a superuser runs instead; after that SQL, the role reads the marts and nothing else."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest

from pipeline.config import DEMO_CONNECTIONS

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "bi-secret-for-tests"


@pytest.fixture
def limited(postgres_server, tmp_path):
    """A database and a pipeline user with CREATE on it and nothing else (README step 1), a published marts
    schema that user owns, and the environment of `pipeline` with PIPELINE_CONNECTIONS set but none of the
    API credential variables it names."""
    database, user = f"test_{uuid.uuid4().hex[:12]}", f"pipeline_{uuid.uuid4().hex[:8]}"
    postgres_server.execute(f"create database {database}")
    postgres_server.execute(f"create user {user}")
    postgres_server.execute(f"grant create on database {database} to {user}")
    with as_user(postgres_server, user, database) as cur:
        cur.execute("create schema marts; create table marts.fct_sales as select 1 as n")
        cur.execute("create schema raw; create table raw._manifests as select 1 as n")
    connections = tmp_path / "connections.yaml"
    shutil.copy(DEMO_CONNECTIONS, connections)  # a copy: the demo's own credentials file does not apply to it
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIPELINE_", "DEMO_"))}
    env.update(PIPELINE_CONNECTIONS=str(connections), PIPELINE_WAREHOUSE=postgres_server.url(database).replace(
        "postgres@", f"{user}@"), PIPELINE_REPORT=str(tmp_path / "report.html"), BI_PASSWORD=PASSWORD)
    return database, user, env


@pytest.fixture
def role() -> str:
    """Roles are the server's, not the database's: a name of its own per test."""
    return f"superset_{uuid.uuid4().hex[:8]}"


@contextlib.contextmanager
def as_user(server, user: str, database: str):
    with contextlib.closing(psycopg2.connect(host="127.0.0.1", port=server.port, user=user, dbname=database)) as con:
        con.autocommit = True
        with con.cursor() as cur:
            yield cur


def pipeline(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=120)


def administrator_sql(stderr: str) -> list[str]:
    """The statements the message asks a superuser to run (psql's \\password aside: it prompts)."""
    return [line.strip() for line in stderr.splitlines()[1:]
            if line.startswith("  ") and not line.strip().startswith("\\")]


def test_without_createrole_nothing_changes_and_the_sql_to_run_is_printed(limited, postgres_server, role):
    database, user, env = limited
    readers_exist = bool(postgres_server.execute("select 1 from pg_roles where rolname = 'pipeline_readers'"))
    result = pipeline(env, "bi-role", role, "--password-env", "BI_PASSWORD")
    assert result.returncode == 1, result.stdout + result.stderr
    first, *rest = result.stderr.splitlines()
    assert first.startswith(f"pipeline bi-role: user {user} may not create or alter roles on "
                            f"postgresql://{user}@127.0.0.1:{postgres_server.port}/{database} (permission denied")
    assert f'ALTER ROLE "{user}" CREATEROLE;' in first and f"pipeline bi-role {role}" in first
    assert administrator_sql(result.stderr) == [
        *([] if readers_exist else ['CREATE ROLE "pipeline_readers" NOLOGIN;']), f'CREATE ROLE "{role}" LOGIN;',
        f'GRANT "pipeline_readers" TO "{role}";', 'GRANT USAGE ON SCHEMA marts TO "pipeline_readers";',
        'GRANT SELECT ON ALL TABLES IN SCHEMA marts TO "pipeline_readers";']
    assert f'  \\password "{role}"' in rest
    assert PASSWORD not in result.stdout + result.stderr
    assert postgres_server.execute(f"select 1 from pg_roles where rolname = '{role}'") == []


def test_after_the_administrators_sql_the_role_reads_the_marts_only(limited, postgres_server, role):
    database, user, env = limited
    asked = pipeline(env, "bi-role", role, "--password-env", "BI_PASSWORD")
    for statement in administrator_sql(asked.stderr):
        postgres_server.execute(statement, database)
    again = pipeline(env, "bi-role", role)  # no password to set: nothing that needs CREATEROLE is left
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"updated role {role}: it may read schema marts" in again.stdout
    with as_user(postgres_server, role, database) as cur:
        cur.execute("select n from marts.fct_sales")
        assert cur.fetchall() == [(1,)]
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute("select n from raw._manifests")


def test_with_createrole_the_role_is_created_without_any_api_credential(limited, postgres_server, role):
    database, user, env = limited
    postgres_server.execute(f"alter role {user} createrole")
    result = pipeline(env, "bi-role", role, "--password-env", "BI_PASSWORD")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"created role {role}: it may read schema marts" in result.stdout
    assert PASSWORD not in result.stdout + result.stderr
    with as_user(postgres_server, role, database) as cur:
        cur.execute("select n from marts.fct_sales")
        assert cur.fetchall() == [(1,)]


def test_report_needs_only_the_warehouse_too(limited):
    database, user, env = limited
    result = pipeline(env, "report")
    # It reaches the warehouse (whose marts here are not the pipeline's) instead of refusing the file.
    assert "connections file or the environment is not usable" not in result.stderr, result.stderr
    assert result.returncode == 1 and result.stderr.startswith("pipeline report:"), result.stderr
