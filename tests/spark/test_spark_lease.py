"""The Spark writer lease against the project's real Thrift server: a second writer waits for the first and
says for whom; a holder that stopped beating (a killed run) is taken over, at once when it ran on this host and
its process is gone; a release leaves no lease behind."""

from __future__ import annotations

import socket
import threading
import time
from datetime import UTC, datetime

import pytest

from pipeline.config import parse_warehouse
from pipeline.warehouse.spark_lease import PREFIX, leases, writer_lease
from pipeline.warehouse.spark_server import SparkWarehouse

pytestmark = [pytest.mark.spark, pytest.mark.xdist_group("spark")]


def _utc_now() -> str:
    return datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")


@pytest.fixture
def spark(spark_server) -> SparkWarehouse:
    warehouse = SparkWarehouse(parse_warehouse(spark_server.url(), []))
    with warehouse.session() as session:
        session.execute("create database if not exists raw")
        for lease in leases(session):
            session.execute(f"drop table {lease.table}")
    return warehouse


def test_a_second_writer_waits_for_the_first_and_gets_the_lease_after_it(spark: SparkWarehouse):
    said: list[str] = []
    order: list[str] = []
    with writer_lease(spark.session, spark.describe(), None, heartbeat_s=0.5) as first:
        def second() -> None:
            with writer_lease(spark.session, spark.describe(), said.append, poll_s=0.2) as lease:
                order.append(f"second got {lease.number}")

        waiter = threading.Thread(target=second)
        waiter.start()
        time.sleep(4)
        order.append("first releases")
    waiter.join(timeout=60)
    assert order == ["first releases", f"second got {first.number}"]  # numbers start again once none is left
    assert said == [f"waiting for the warehouse {spark.describe()}: {first.holder} is writing it"]
    with spark.session() as session:
        assert leases(session) == []


def test_a_silent_lease_of_another_host_is_taken_over_after_the_lease_time(spark: SparkWarehouse):
    with spark.session() as session:
        session.execute(f"create table raw.{PREFIX}7 (x int) using parquet tblproperties "
                        "('holder'='other-host pid 1', 'token'='t', 'heartbeat_at'=?)",
                        [_utc_now()])
    said: list[str] = []
    started = time.monotonic()
    with writer_lease(spark.session, spark.describe(), said.append, lease_s=3, poll_s=0.5) as lease:
        waited = time.monotonic() - started
        assert lease.number == 8
        with spark.session() as session:
            assert [found.number for found in leases(session)] == [8]  # the stale one is gone
    assert said[0].startswith(f"waiting for the warehouse {spark.describe()}: other-host pid 1 is writing it")
    assert said[1].startswith(f"taking over the warehouse lock of {spark.describe()} from other-host pid 1")
    assert waited >= 1


def test_a_lease_of_a_dead_process_of_this_host_is_taken_over_at_once(spark: SparkWarehouse):
    with spark.session() as session:
        session.execute(f"create table raw.{PREFIX}3 (x int) using parquet tblproperties "
                        "('holder'=?, 'token'='t', 'heartbeat_at'=?)",
                        [f"{socket.gethostname()} pid 999999", _utc_now()])
    said: list[str] = []
    with writer_lease(spark.session, spark.describe(), said.append) as lease:
        assert lease.number == 4
    assert len(said) == 1 and said[0].startswith("taking over the warehouse lock")
