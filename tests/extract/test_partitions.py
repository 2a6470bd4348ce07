"""Partitions: calendar months clipped to the run's window; snapshots by as-of date; every run looks back."""

from datetime import date

from pipeline.extract.partitions import Partition, month_keys, plan
from pipeline.orchestration.definitions import lookback_start
from pipeline.sources import SOURCES, load_settings

SETTINGS = load_settings(environ={})


def test_monthly_partitions_are_clipped_to_start_and_end():
    got = plan(month_keys(date(2024, 12, 15), date(2025, 2, 10)), date(2024, 12, 15), date(2025, 2, 10),
               date(2025, 2, 10))
    assert got == [
        Partition("2024-12", date(2024, 12, 15), date(2024, 12, 31)),
        Partition("2025-01", date(2025, 1, 1), date(2025, 1, 31)),
        Partition("2025-02", date(2025, 2, 1), date(2025, 2, 10)),
    ]


def test_february_of_a_leap_year_ends_on_the_29th():
    got = plan(["2024-02"], date(2024, 2, 1), date(2024, 3, 1), date(2024, 3, 1))
    assert got == [Partition("2024-02", date(2024, 2, 1), date(2024, 2, 29))]


def test_snapshot_endpoints_have_one_partition_for_the_as_of_date():
    assert plan(None, date(2025, 1, 1), date(2025, 6, 30), date(2025, 6, 30)) == [
        Partition("2025-06-30", snapshot_date=date(2025, 6, 30))]
    snapshots = {f"{s.name}/{e.name}" for s in SOURCES.values() for e in s.endpoints.values() if e.window is None}
    assert snapshots == {"troyansys/dashboard", "troyansys/inventory", "serpi/document_types",
                         "arrendasoft/invoices"}


def test_every_run_also_re_extracts_the_months_of_the_lookback_whole():
    start = lookback_start(SETTINGS, date(2025, 6, 20))
    assert start == date(2025, 5, 21)
    assert month_keys(start, date(2025, 6, 20)) == ["2025-05", "2025-06"]


def test_troyansys_reports_option_chooses_the_endpoints():
    from dataclasses import replace

    connection = replace(SETTINGS.connection("acme_ec"), endpoints=("sales", "inventory"))
    assert SOURCES["troyansys"].enabled_endpoints(connection) == ["sales", "inventory"]
    assert SOURCES["troyansys"].enabled_endpoints(SETTINGS.connection("andina_ec")) == [
        "dashboard", "sales", "inventory", "purchases", "accounting"]
