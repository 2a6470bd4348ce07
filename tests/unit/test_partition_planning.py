"""Which windows a run extracts: whole calendar months clipped to the start date and the end, or one snapshot;
and every run looks back."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.extract.partitions import Partition, month_end, month_keys, plan
from pipeline.orchestration.definitions import lookback_start
from pipeline.sources import SOURCES, load_settings

AS_OF = date(2025, 6, 30)


def test_month_keys_name_every_month_touched_by_the_range():
    assert month_keys(date(2025, 1, 15), date(2025, 3, 2)) == ["2025-01", "2025-02", "2025-03"]
    assert month_keys(date(2024, 11, 30), date(2025, 2, 1)) == ["2024-11", "2024-12", "2025-01", "2025-02"]
    assert month_keys(date(2025, 5, 31), date(2025, 5, 31)) == ["2025-05"]


def test_month_keys_of_an_empty_range_are_none():
    assert month_keys(date(2025, 3, 1), date(2025, 2, 28)) == []


def test_plan_clips_the_first_month_to_the_start_date_and_the_last_to_the_end():
    planned = plan(month_keys(date(2025, 1, 15), date(2025, 3, 10)), date(2025, 1, 15), date(2025, 3, 10), AS_OF)
    assert planned == [
        Partition("2025-01", date(2025, 1, 15), date(2025, 1, 31)),
        Partition("2025-02", date(2025, 2, 1), date(2025, 2, 28)),
        Partition("2025-03", date(2025, 3, 1), date(2025, 3, 10)),
    ]


def test_plan_leaves_out_a_month_entirely_before_the_start_date_or_after_the_end():
    assert plan(["2024-12", "2025-01", "2025-07"], date(2025, 1, 1), AS_OF, AS_OF) == [
        Partition("2025-01", date(2025, 1, 1), date(2025, 1, 31))]


@pytest.mark.parametrize(("key", "last_day"), [
    ("2024-02", 29), ("2025-02", 28), ("2000-02", 29), ("2100-02", 28),  # leap years, and the century rules
    ("2025-04", 30), ("2025-12", 31),
])
def test_plan_ends_each_month_on_its_last_calendar_day(key, last_day):
    (partition,) = plan([key], date(1999, 1, 1), date(2199, 12, 31), AS_OF)
    assert partition.window_start == date.fromisoformat(f"{key}-01")
    assert partition.window_end == date.fromisoformat(f"{key}-{last_day}")
    assert month_end(partition.window_start) == partition.window_end


def test_plan_never_asks_for_a_day_that_does_not_exist():
    """The Troyansys document's own example asks for date_to=2026-02-29; a planned window never does."""
    planned = plan(month_keys(date(2026, 1, 1), date(2026, 12, 31)), date(2026, 1, 1), date(2026, 12, 31), AS_OF)
    assert [p.window_end.day for p in planned] == [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def test_plan_of_a_snapshot_endpoint_is_the_as_of_date():
    assert plan(None, date(2025, 1, 1), AS_OF, AS_OF) == [Partition("2025-06-30", snapshot_date=AS_OF)]
    (snapshot,) = plan(None, date(2025, 1, 1), AS_OF, date(2025, 3, 4))
    assert snapshot.key == "2025-03-04" and snapshot.window_start is None and snapshot.window_end is None


def test_the_snapshot_endpoints_are_those_without_a_window():
    snapshots = {f"{s.name}/{e.name}" for s in SOURCES.values() for e in s.endpoints.values() if e.window is None}
    assert snapshots == {"troyansys/dashboard", "troyansys/inventory", "serpi/document_types",
                         "arrendasoft/invoices"}


def test_every_run_also_re_extracts_the_months_of_the_lookback_whole():
    start = lookback_start(load_settings(environ={}), date(2025, 6, 20))
    assert start == date(2025, 5, 21)
    assert month_keys(start, date(2025, 6, 20)) == ["2025-05", "2025-06"]
