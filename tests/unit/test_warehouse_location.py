"""PIPELINE_WAREHOUSE: a DuckDB path, a PostgreSQL URL or a Spark Thrift URL; any other scheme is refused when
the settings load, before a request is sent, never taken for a DuckDB file name."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pipeline.config import ConfigError
from pipeline.runner import RunRefused, RunRequest, preflight
from pipeline.sources import load_settings
from pipeline.warehouse_url import parse_warehouse

DEMO_ENV = {"PIPELINE_RAW_DIR": "data/raw"}


def parsed(value: str, environ: dict[str, str] | None = None):
    problems: list[str] = []
    return parse_warehouse(value, problems, environ or {}), problems


def test_a_path_is_duckdb():
    location, problems = parsed("data/warehouse.duckdb")
    assert problems == [] and location.engine == "duckdb" and location.path == Path("data/warehouse.duckdb")


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_a_postgres_url_keeps_its_password_out_of_every_text(scheme):
    location, problems = parsed(f"{scheme}://etl:s3cret@db.example:6543/warehouse?sslmode=require")
    assert problems == [] and location.engine == "postgres"
    assert (location.host, location.port, location.database, location.user) == ("db.example", 6543, "warehouse", "etl")
    assert location.password.get() == "s3cret" and location.query == "sslmode=require"
    assert location.describe() == "postgresql://etl@db.example:6543/warehouse"
    assert "s3cret" not in repr(location) + str(location)


def test_a_spark_url_takes_its_password_from_the_environment():
    location, problems = parsed("spark://holdout@127.0.0.1:10300", {"PIPELINE_SPARK_PASSWORD": "s3cret"})
    assert problems == [] and location.engine == "spark"
    assert (location.host, location.port, location.user) == ("127.0.0.1", 10300, "holdout")
    assert location.password.get() == "s3cret"
    assert location.describe() == "spark://holdout@127.0.0.1:10300"
    assert "s3cret" not in repr(location) + str(location)


def test_a_spark_url_without_port_or_password_uses_hiveserver2_defaults():
    location, problems = parsed("spark://etl@spark.example")
    assert problems == [] and location.port == 10000 and location.password is None


@pytest.mark.parametrize(("value", "problem"), [
    ("spark://127.0.0.1:10300", "PIPELINE_WAREHOUSE: the Spark URL must name USER (spark://USER@HOST:PORT)"),
    ("spark://etl@127.0.0.1:10300/marts", "PIPELINE_WAREHOUSE: a Spark URL names no database or options "
     "(spark://USER@HOST:PORT): the pipeline keeps its own databases raw, staging, intermediate and marts"),
    ("spark://etl:s3cret@127.0.0.1:10300",
     "PIPELINE_WAREHOUSE: write no password into a Spark URL; set PIPELINE_SPARK_PASSWORD instead"),
    ("spark://etl@127.0.0.1:port", "PIPELINE_WAREHOUSE: not a valid Spark URL (spark://USER@HOST:PORT)"),
    ("postgresql://127.0.0.1:5432", "PIPELINE_WAREHOUSE: the PostgreSQL URL must name USER, DATABASE "
     "(postgresql://USER@HOST:PORT/DATABASE)"),
])
def test_a_wrong_server_url_is_one_line_without_the_password(value, problem):
    location, problems = parsed(value)
    assert location is None and problems == [problem]


@pytest.mark.parametrize("value", ["mysql://etl@db:3306/w", "hive://etl@127.0.0.1:10000", "S3://bucket/w.duckdb"])
def test_an_unknown_scheme_is_refused_naming_the_schemes_known(value):
    location, problems = parsed(value)
    scheme = value.split("://")[0].lower()
    assert location is None and problems == [
        f"PIPELINE_WAREHOUSE: unknown scheme {scheme}:// (known: a DuckDB file path, "
        "postgresql://USER@HOST:PORT/DATABASE or spark://USER@HOST:PORT)"]


def test_the_settings_refuse_an_unknown_scheme_before_anything_runs():
    with pytest.raises(ConfigError) as caught:
        load_settings(environ={**DEMO_ENV, "PIPELINE_WAREHOUSE": "mysql://etl@db:3306/w"})
    assert caught.value.problems == ["PIPELINE_WAREHOUSE: unknown scheme mysql:// (known: a DuckDB file path, "
                                     "postgresql://USER@HOST:PORT/DATABASE or spark://USER@HOST:PORT)"]


def test_a_spark_warehouse_is_refused_by_the_preflight_until_it_is_finished(tmp_path):
    settings = load_settings(environ={"PIPELINE_RAW_DIR": str(tmp_path / "raw"),
                                      "PIPELINE_REPORT": str(tmp_path / "report.html"),
                                      "PIPELINE_WAREHOUSE": "spark://holdout@127.0.0.1:10300",
                                      "PIPELINE_SPARK_PASSWORD": "s3cret"})
    with pytest.raises(RunRefused) as caught:
        preflight(settings, RunRequest(start=date(2025, 1, 1), end=date(2025, 1, 31), as_of=date(2025, 1, 31)))
    text = str(caught.value)
    assert text.startswith("PIPELINE_WAREHOUSE: spark://holdout@127.0.0.1:10300: the Spark warehouse is not "
                           "finished yet") and "\n" not in text and "s3cret" not in text
