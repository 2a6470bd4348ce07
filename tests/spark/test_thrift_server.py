"""The Spark Thrift Server the project's scripts start: PyHive (dbt-spark's `method: thrift` driver) and
SQLAlchemy's `hive://` dialect (how Apache Superset connects) read an exact DECIMAL(38,4), and the session
stays in ANSI mode even when a client asks for it off the way dbt-spark does, so an overflow is an error and
never a silent NULL."""

from __future__ import annotations

import contextlib
from decimal import Decimal

import pytest
from pyhive import exc, hive
from sqlalchemy import create_engine, text

pytestmark = [pytest.mark.spark, pytest.mark.xdist_group("spark")]  # one worker, one Spark server (2 cores, ~400 MiB each)

EXACT = Decimal("12345678901234567890123456789012.3456")  # 38 digits, 4 after the point
QUERY = f"select cast('{EXACT}' as decimal(38,4)) as amount, typeof(cast('{EXACT}' as decimal(38,4))) as type"


@contextlib.contextmanager
def cursor(spark_server, **options):
    con = hive.connect(host="127.0.0.1", port=spark_server.port, username="pipeline", **options)
    try:
        cur = con.cursor()
        yield cur
        cur.close()
    finally:
        con.close()


def test_pyhive_reads_an_exact_decimal(spark_server):
    with cursor(spark_server) as cur:
        cur.execute(QUERY)
        ((amount, type_),) = cur.fetchall()
    assert type_ == "decimal(38,4)"
    assert isinstance(amount, Decimal) and amount == EXACT and str(amount) == str(EXACT)


def test_sqlalchemy_reads_an_exact_decimal_as_superset_does(spark_server):
    engine = create_engine(f"hive://pipeline@127.0.0.1:{spark_server.port}/default")
    try:
        with engine.connect() as con:
            amount, type_ = con.execute(text(QUERY)).one()
            assert "default" in con.execute(text("show databases")).scalars().all()
    finally:
        engine.dispose()
    assert type_ == "decimal(38,4)" and isinstance(amount, Decimal) and amount == EXACT


def test_ansi_stays_on_when_a_client_asks_for_it_off_as_dbt_spark_does(spark_server):
    # dbt-spark 1.11 always sends this as a session setting (SparkCredentials.server_side_parameters).
    with cursor(spark_server, configuration={"spark.sql.ansi.enabled": "false"}) as cur:
        cur.execute("set spark.sql.ansi.enabled")
        assert cur.fetchall() == [("spark.sql.ansi.enabled", "true")]
        with pytest.raises(exc.OperationalError, match="NUMERIC_VALUE_OUT_OF_RANGE"):
            cur.execute("select cast(12345.678 as decimal(5,2))")
            cur.fetchall()


def test_with_ansi_off_an_overflow_is_a_silent_null(spark_server):
    """Why ANSI must stay on: this is what every amount would risk."""
    with cursor(spark_server) as cur:
        cur.execute("set spark.sql.ansi.enabled=false")
        cur.execute("select cast(12345.678 as decimal(5,2))")
        assert cur.fetchall() == [(None,)]
