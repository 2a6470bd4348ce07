"""Partitions: calendar months for date-windowed endpoints, the as-of date for snapshots."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Partition:
    key: str  # YYYY-MM (monthly) or YYYY-MM-DD (snapshot)
    window_start: date | None = None
    window_end: date | None = None
    snapshot_date: date | None = None


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def monthly(start: date, end: date) -> list[Partition]:
    partitions, month = [], month_start(start)
    while month <= end:
        partitions.append(Partition(month.strftime("%Y-%m"), max(start, month), min(end, month_end(month))))
        month = month_end(month) + timedelta(days=1)
    return partitions


def month_keys(start: date, end: date) -> list[str]:
    """The `YYYY-MM` keys of the months from `start` to `end`."""
    return [partition.key for partition in monthly(start, end)]


def plan(month_keys: list[str] | None, first_day: date, end: date, as_of: date) -> list[Partition]:
    """What one run extracts of an endpoint: for a windowed one, each named month whole, clipped to
    [first_day, end] (`first_day`: the connections file's start_date); for a snapshot one (month_keys None),
    the snapshot of the as-of date."""
    if month_keys is None:
        return [Partition(key=as_of.isoformat(), snapshot_date=as_of)]
    parts: list[Partition] = []
    for key in month_keys:
        first = date.fromisoformat(f"{key}-01")
        parts += monthly(max(first, first_day), min(month_end(first), end))
    return parts
