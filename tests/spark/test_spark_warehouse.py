"""SparkWarehouse against real Thrift servers: `check()` passes on the project's server and refuses a server
that is down or that refuses the login, in one line naming host, port and user and never the password;
sessions bind `?` parameters and round-trip exact decimals, dates (typed, as on the other engines) and text."""

from __future__ import annotations

import os
import socket
import subprocess
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.config import parse_warehouse
from pipeline.warehouse.base import WarehouseUnavailable
from pipeline.warehouse.spark_server import SparkWarehouse

pytestmark = [pytest.mark.spark, pytest.mark.xdist_group("spark")]  # one worker, one Spark server (2 cores, ~400 MiB each)

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "spark-secret-for-tests"


def warehouse(url: str, password: str | None = None) -> SparkWarehouse:
    problems: list[str] = []
    location = parse_warehouse(url, problems, {"PIPELINE_SPARK_PASSWORD": password} if password else {})
    assert problems == []
    return SparkWarehouse(location)


def refused(spark: SparkWarehouse) -> str:
    with pytest.raises(WarehouseUnavailable) as caught:
        spark.check()
    text = str(caught.value)
    assert "\n" not in text and PASSWORD not in text
    return text


@pytest.fixture(scope="module")
def server_refusing_logins(spark_server, tmp_path_factory):
    """A second server whose authentication is LDAP against a port with no LDAP server behind it: it
    refuses every login, as a wrong password is refused. Started after the first (two cores)."""
    folder, port = tmp_path_factory.mktemp("spark-ldap"), free_port()
    environment = {**os.environ, "SPARK_SERVER_LDAP_URL": f"ldap://127.0.0.1:{free_port()}",
                   "SPARK_SERVER_MEMORY": "512m"}
    subprocess.run([str(REPO / "scripts/spark-server"), "start", str(folder), str(port)], check=True, env=environment)
    try:
        yield port
    finally:
        subprocess.run([str(REPO / "scripts/spark-server"), "stop", str(folder)], check=False)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_projects_server_passes_the_check(spark_server):
    warehouse(spark_server.url()).check()


def test_a_server_that_is_down_is_refused_in_one_line():
    port = free_port()
    text = refused(warehouse(f"spark://etl@127.0.0.1:{port}", PASSWORD))
    assert text == (f"PIPELINE_WAREHOUSE: cannot connect to the Spark SQL server at 127.0.0.1:{port} as user etl: "
                    "nothing answers there (is the Thrift server running, on that port?)")


def test_a_session_round_trips_exact_values_with_placeholders(spark_server):
    spark = warehouse(spark_server.url())
    database = f"test_{uuid.uuid4().hex[:8]}"
    with spark.session() as session:
        session.execute(f"create database {database}")
        session.execute(f"create table {database}.t (id string, amount decimal(38,4), day date) using parquet")
        assert session.table_exists(database, "t") and not session.table_exists(database, "nope")
        assert not session.table_exists("no_such_database", "t")
        session.insert_columns(f"{database}.t", {
            "id": ["a'?", "b", "c"], "amount": [Decimal("12345678901234567890123456789012.3456"), None, Decimal("-0.0100")],
            "day": [date(2025, 2, 28), None, date(2024, 2, 29)]})
        rows = session.rows(f"select id, amount, day from {database}.t where id <> ? order by id", ["b"])
        assert session.columns(database, "t") == ["id", "amount", "day"]
        assert session.one(f"select count(*) from {database}.t where amount is null") == (1,)
        session.execute(f"drop database {database} cascade")
    assert rows == [("a'?", Decimal("12345678901234567890123456789012.3456"), date(2025, 2, 28)),
                    ("c", Decimal("-0.0100"), date(2024, 2, 29))]


def test_sessions_are_ansi_and_an_overflow_is_an_error(spark_server):
    with warehouse(spark_server.url()).session() as session:
        assert session.rows("set spark.sql.ansi.enabled") == [("spark.sql.ansi.enabled", "true")]
        with pytest.raises(Exception, match="NUMERIC_VALUE_OUT_OF_RANGE"):
            session.rows("select cast(? as decimal(5,2))", [Decimal("12345.678")])


def test_a_refused_login_is_one_line_naming_the_password_variable(server_refusing_logins):
    with_password = refused(warehouse(f"spark://etl@127.0.0.1:{server_refusing_logins}", PASSWORD))
    assert with_password == (f"PIPELINE_WAREHOUSE: cannot connect to the Spark SQL server at 127.0.0.1:"
                             f"{server_refusing_logins} as user etl: the server refused the login with the "
                             "password in PIPELINE_SPARK_PASSWORD")
    without = refused(warehouse(f"spark://etl@127.0.0.1:{server_refusing_logins}"))
    assert without.endswith("the server refused the login with no password (PIPELINE_SPARK_PASSWORD is not set)")
