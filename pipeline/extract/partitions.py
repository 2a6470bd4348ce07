"""Partitions: calendar months for date-windowed endpoints, the as-of date for snapshots."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from pipeline.config import Connection


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


def partitions_for(connection: Connection, endpoint: str, start: date, end: date, as_of: date) -> list[Partition]:
    """Monthly partitions clipped to [start, end]; where the endpoint looks back (SmartPyme sales) also every
    month overlapping [end - lookback_days, end], re-extracted whole (clipped at `end` only), because landing a
    partition replaces what was landed for it before. Snapshot endpoints: one partition for `as_of`."""
    from pipeline.sources import SOURCES

    window = SOURCES[connection.source].endpoints[endpoint].window
    if window is None:
        return [Partition(key=as_of.isoformat(), snapshot_date=as_of)]
    partitions = {p.key: p for p in monthly(start, end)} if start <= end else {}
    if window.lookback:
        for partition in monthly(end - timedelta(days=connection.lookback_days), end):
            partitions[partition.key] = Partition(partition.key, month_start(partition.window_start), partition.window_end)
    return sorted(partitions.values(), key=lambda p: p.key)
