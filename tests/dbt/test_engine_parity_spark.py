"""The third engine: the same landed pages built by the same dbt project on a real Spark Thrift Server give the
same marts as DuckDB, row for row and to the scale, published as views BI reads in `marts`."""

from __future__ import annotations

import pytest
from conftest import MARTS_QUERY, BuiltWarehouse, assert_same_marts

pytestmark = [pytest.mark.spark, pytest.mark.xdist_group("spark")]  # beside the other Spark tests: one server per run


def test_spark_builds_every_model_and_test(warehouse: BuiltWarehouse, spark_fixture: BuiltWarehouse):
    assert spark_fixture.build.success
    assert spark_fixture.build.statuses == warehouse.build.statuses


def test_every_mart_is_the_same_on_spark_row_for_row(warehouse: BuiltWarehouse, spark_fixture: BuiltWarehouse):
    views = sorted(name for _, name, *_ in spark_fixture.rows("show views in marts"))
    assert views == [name for (name,) in warehouse.rows(MARTS_QUERY)]
    assert_same_marts(warehouse, spark_fixture)


def test_money_keeps_its_scale_on_spark(spark_fixture: BuiltWarehouse):
    (row,) = spark_fixture.rows("select total, balance_due from marts.fct_sales where document_id = '122'")
    assert [str(v) for v in row] == ["12345678901234.5678", "12345678901234.5678"]
    assert spark_fixture.one("select typeof(total) from marts.fct_sales limit 1") == "decimal(18,4)"


def test_the_marts_read_the_build_just_published_and_the_next_build_goes_to_the_other(spark_fixture: BuiltWarehouse):
    assert spark_fixture.one("select build from raw._publication") == "marts_build_a"
    assert spark_fixture.rows("select count(*) from marts_build_a.fct_sales") == spark_fixture.rows(
        "select count(*) from marts.fct_sales")
    assert spark_fixture.warehouse.dbt_environment()["PIPELINE_SPARK_MARTS_BUILD"] == "marts_build_b"


def test_a_bi_tool_reads_the_published_marts_as_superset_connects(warehouse: BuiltWarehouse,
                                                                  spark_fixture: BuiltWarehouse, spark_server):
    """SQLAlchemy with PyHive (`hive://`), Superset's Spark connection: the views in marts are listed and read,
    money exact. (PyHive 0.7's reflection, inspect().get_table_names, reads the first column of SHOW TABLES,
    which Spark 4 fills with the database: it lists `marts` for every table. SHOW VIEWS is read here.)"""
    from sqlalchemy import create_engine, text

    engine = create_engine(f"hive://superset@127.0.0.1:{spark_server.port}/marts")
    try:
        with engine.connect() as bi:
            assert "fct_sales" in [row[1] for row in bi.execute(text("show views in marts"))]
            query = "select tenant, document_id, total from marts.fct_sales order by tenant, document_id"
            assert [tuple(map(str, row)) for row in bi.execute(text(query))] == [
                tuple(map(str, row)) for row in warehouse.rows(query)]
    finally:
        engine.dispose()
