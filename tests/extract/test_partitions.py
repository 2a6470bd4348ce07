"""Partitions: calendar months clipped to the run's window; snapshots by as-of date; SmartPyme looks back."""

from datetime import date

from pipeline.config import load_settings
from pipeline.extract import Partition, partitions_for

SETTINGS = load_settings(environ={})


def test_monthly_partitions_are_clipped_to_start_and_end():
    got = partitions_for(SETTINGS.connection("acme_ec"), "sales", date(2024, 12, 15), date(2025, 2, 10),
                         date(2025, 2, 10))
    assert got == [
        Partition("2024-12", date(2024, 12, 15), date(2024, 12, 31)),
        Partition("2025-01", date(2025, 1, 1), date(2025, 1, 31)),
        Partition("2025-02", date(2025, 2, 1), date(2025, 2, 10)),
    ]


def test_february_of_a_leap_year_ends_on_the_29th():
    got = partitions_for(SETTINGS.connection("acme_ec"), "accounting", date(2024, 2, 1), date(2024, 3, 1),
                         date(2024, 3, 1))
    assert got[0] == Partition("2024-02", date(2024, 2, 1), date(2024, 2, 29))


def test_snapshot_endpoints_have_one_partition_for_the_as_of_date():
    for tenant, endpoint in [("acme_ec", "inventory"), ("acme_ec", "dashboard"), ("arriendos_co", "invoices"),
                             ("contable_co", "document_types")]:
        got = partitions_for(SETTINGS.connection(tenant), endpoint, date(2025, 1, 1), date(2025, 6, 30),
                             date(2025, 6, 30))
        assert got == [Partition("2025-06-30", snapshot_date=date(2025, 6, 30))]


def test_smartpyme_also_re_extracts_every_month_of_the_lookback_whole():
    got = partitions_for(SETTINGS.connection("tienda_sv"), "sales", date(2025, 6, 20), date(2025, 6, 20),
                         date(2025, 6, 20))
    assert got == [
        Partition("2025-05", date(2025, 5, 1), date(2025, 5, 31)),
        Partition("2025-06", date(2025, 6, 1), date(2025, 6, 20)),
    ]
    summary = partitions_for(SETTINGS.connection("tienda_sv"), "sales_summary", date(2025, 6, 20),
                             date(2025, 6, 20), date(2025, 6, 20))
    assert [p.key for p in summary] == ["2025-05", "2025-06"]


def test_troyansys_reports_option_chooses_the_endpoints():
    from dataclasses import replace

    from pipeline.sources import SOURCES

    connection = replace(SETTINGS.connection("acme_ec"), reports=("sales", "inventory"))
    assert SOURCES["troyansys"].enabled_endpoints(connection) == ["sales", "inventory"]
    assert SOURCES["troyansys"].enabled_endpoints(SETTINGS.connection("andina_ec")) == [
        "dashboard", "sales", "purchases", "accounting", "inventory"]
