"""The DuckDB serving copy as BI tools meet it: a DuckDB 1.4 client (the long-term-support line BI connectors
ship) opens it and reads exact decimals, and SQLAlchemy (duckdb-engine, the locked versions) reflects its
columns, as table browsers in Superset-style tools do."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import BuiltWarehouse

REPO = Path(__file__).resolve().parents[2]
LTS_CLIENT = REPO / ".venv" / "duckdb-lts"  # installed by `make test` (Makefile: duckdb-lts)

pytestmark = pytest.mark.xdist_group("dbt")


@pytest.fixture(scope="module")
def lts_client() -> Path:
    if not (LTS_CLIENT / "duckdb").exists():
        subprocess.run(["make", "-C", str(REPO), "duckdb-lts"], check=True)
    return LTS_CLIENT


def test_a_duckdb_1_4_client_opens_the_serving_copy_and_reads_exact_money(warehouse: BuiltWarehouse, lts_client):
    serving = warehouse.work / "serving.duckdb"
    script = ("import duckdb, json, sys; con = duckdb.connect(sys.argv[1], read_only=True); "
              "rows = con.execute(\"select document_id, total::varchar from marts.fct_sales where document_id = '122'\")"
              ".fetchall(); print(json.dumps({'version': duckdb.__version__, 'rows': rows}))")
    out = subprocess.run([sys.executable, "-c", script, str(serving)], env={"PYTHONPATH": str(lts_client)},
                         capture_output=True, text=True, check=True)
    read = json.loads(out.stdout)
    assert read["version"].startswith("1.4.")
    assert read["rows"] == [["122", "12345678901234.5678"]]


def test_sqlalchemy_reflects_the_marts_of_the_serving_copy(warehouse: BuiltWarehouse):
    engine = sa.create_engine(f"duckdb:///{warehouse.work / 'serving.duckdb'}", connect_args={"read_only": True})
    try:
        inspector = sa.inspect(engine)
        assert "fct_sales" in inspector.get_table_names(schema="marts")
        columns = {column["name"]: column for column in inspector.get_columns("fct_sales", schema="marts")}
        assert isinstance(columns["total"]["type"], sa.Numeric) and columns["total"]["type"].scale == 4
        assert columns["document_id"]["nullable"] is False
        with engine.connect() as con:
            total = con.execute(sa.text("select total from marts.fct_sales where document_id = '122'")).scalar()
        assert total == Decimal("12345678901234.5678")
    finally:
        engine.dispose()
